"""PTB's HTTP boundary on aiohttp: the same requests as PTB's httpx one, for a fraction of the CPU.

Measured in bench/crowd.py, httpx's pure-Python HTTP/1.1 stack was the largest single cost of an update (a
third of the bot's CPU): aiohttp parses and writes HTTP in C. Timeouts, TimedOut and NetworkError are as PTB's
HTTPXRequest has them; the parameters go as one JSON document instead of a form (uploads stay multipart).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_JSON = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """A connection pool of `connection_pool_size` to the Bot API."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float = 5.0,
        write_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        media_write_timeout: float = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read, self._write, self._connect = read_timeout, write_timeout, connect_timeout
        self._media = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data and request_data.contains_files else None
        body: Any = None
        headers = None
        if files and request_data:
            body = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                body.add_field(name, value)
            for name, (filename, content, mime) in files.items():
                body.add_field(name, content, filename=filename, content_type=mime)
        elif request_data:
            # One JSON document (the Bot API takes JSON for everything but uploads): one json.dumps instead of
            # a dumps per parameter and then URL-encoding, which was a tenth of a reply's CPU.
            body, headers = request_data.json_payload, _JSON
        read = self._read if _default(read_timeout) else read_timeout
        connect = self._connect if _default(connect_timeout) else connect_timeout
        write = (self._media if files else self._write) if _default(write_timeout) else write_timeout
        # aiohttp has no separate write timeout: the whole exchange gets read + write.
        timeout = aiohttp.ClientTimeout(
            total=None if read is None or write is None else read + write, connect=connect, sock_read=read
        )
        try:
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


def _default(value: Any) -> bool:
    return isinstance(value, type(BaseRequest.DEFAULT_NONE))
