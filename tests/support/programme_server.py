"""Hostile programme servers on 127.0.0.1, written with asyncio streams: they trickle, never end, or redirect.

Each answers every request the same way, keeps the requests it saw, and counts the bytes it managed to send,
so a test can tell when the bot hung up.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

Respond = Callable[["Exchange"], Awaitable[None]]


@dataclass
class Exchange:
    """One request as the server read it, and the stream to answer on."""

    head: str
    writer: asyncio.StreamWriter
    sent: int = 0

    @property
    def path(self) -> str:
        return self.head.split(" ", 2)[1]

    def header(self, name: str) -> str:
        for line in self.head.split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return ""

    async def write(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()
        self.sent += len(data)


@dataclass
class ProgrammeServer:
    respond: Respond
    url: str = ""
    exchanges: list[Exchange] = field(default_factory=list)
    hung_up: asyncio.Event = field(default_factory=asyncio.Event)  # the client closed the connection

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        exchange = Exchange(head, writer)
        self.exchanges.append(exchange)
        try:
            await self.respond(exchange)
        except ConnectionError:
            self.hung_up.set()
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    @property
    def sent(self) -> int:
        return sum(e.sent for e in self.exchanges)


@asynccontextmanager
async def programme_server(respond: Respond, path: str = "/programme.yaml") -> AsyncIterator[ProgrammeServer]:
    """Serve `respond` on 127.0.0.1 (a free port); `server.url` is `path` on it."""
    server = ProgrammeServer(respond)
    listener = await asyncio.start_server(server._serve, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    server.url = f"http://127.0.0.1:{port}{path}"
    try:
        yield server
    finally:
        listener.close()
        for exchange in server.exchanges:
            exchange.writer.close()
        await listener.wait_closed()


def head(status: str = "200 OK", **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Connection: close", *(f"{k.replace('_', '-')}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def trickle(body: bytes, every: float) -> Respond:
    """A 200 whose body arrives one byte every `every` seconds: no single read ever waits long."""

    async def respond(exchange: Exchange) -> None:
        await exchange.write(head(Content_Type="application/yaml", Content_Length=str(len(body))))
        for byte in body:
            await exchange.write(bytes([byte]))
            await asyncio.sleep(every)

    return respond


def endless(*, declared: int | None = None, seconds: float = 30.0) -> Respond:
    """A 200 that never ends (bounded at `seconds`, so a broken client cannot hang the test run).

    About 6 MB/s, so that what it sent tells how much the client read: at full speed the kernel's buffers on
    the loopback would take several MB more than any client reads.
    """
    chunk = b"# filler\n" * 6_000

    async def respond(exchange: Exchange) -> None:
        extra = {"Content_Length": str(declared)} if declared is not None else {}
        await exchange.write(head(Content_Type="application/yaml", **extra))
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while loop.time() < end:
            await exchange.write(chunk)
            await asyncio.sleep(0.01)

    return respond


def fixed(body: bytes, status: str = "200 OK", **headers: str) -> Respond:
    async def respond(exchange: Exchange) -> None:
        await exchange.write(head(status, Content_Type="application/yaml", Content_Length=str(len(body)), **headers))
        await exchange.write(body)

    return respond


def redirect(location: str) -> Respond:
    return fixed(b"", "302 Found", Location=location)
