"""The fake Bot API with Telegram's limits on 127.0.0.1, and the real bot process against it, for the benches.

The fake (tests/support/bot_api_server.py over bot/console/api.py) refuses with 429 and retry_after beyond
30 messages in any second overall or one per second to a chat, and answers every request after 50 ms.
Deliveries are recorded with the wall-clock instant the fake accepted them, comparable with the deadlines
of rows (the bot runs on real time in these benches).

Run alone to serve it for a manual try: `.venv/bin/python -m tests.support.limited_api` prints the base URL
for TELEGRAM_API_BASE_URL and the deliveries it accepts, until Ctrl-C.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.console.api import Call, RateLimits
from bot.storage.db import open_database
from bot.storage.outbox import OutgoingMessage, enqueue
from tests.support.bot_api_server import FakeBotApiServer

ROOT = Path(__file__).resolve().parents[2]

TOKEN = "123456:BENCH-TOKEN"
LATENCY = 0.05
RATE = 30.0


@dataclass(frozen=True)
class Delivery:
    chat_id: int
    text: str
    at: datetime  # when the fake accepted it


@dataclass
class LimitedBotApi:
    """A started fake Bot API with Telegram-like limits and latency, recording deliveries."""

    server: FakeBotApiServer = field(default_factory=FakeBotApiServer)
    deliveries: list[Delivery] = field(default_factory=list)

    async def start(self) -> LimitedBotApi:
        self.server.api.latency = LATENCY
        self.server.api.limits = RateLimits(overall_per_second=RATE, per_chat_interval=1.0)
        self.server.api.listeners.append(self._record)
        await self.server.start()
        return self

    def _record(self, call: Call) -> None:
        if call.method == "sendMessage" and not call.error and call.chat_id is not None:
            self.deliveries.append(Delivery(call.chat_id, call.shown, datetime.now(UTC)))

    @property
    def refused(self) -> int:
        """429s answered so far."""
        limits = self.server.api.limits
        return limits.refused if limits else 0

    async def stop(self) -> None:
        await self.server.stop()


async def seed(db: Path, messages: Iterable[OutgoingMessage]) -> int:
    """Create the database and queue `messages` in it, as the bot's producers would."""
    conn = await open_database(db)
    try:
        return await enqueue(conn, list(messages), datetime.now(UTC))
    finally:
        await conn.close()


async def outbox_states(db: Path) -> dict[str, int]:
    conn = await open_database(db)
    try:
        async with conn.execute("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state") as cur:
            counts = {row["state"]: row["n"] for row in await cur.fetchall()}
        async with conn.execute("SELECT COUNT(*) FROM outbox WHERE resends > 0") as cur:
            row = await cur.fetchone()
        counts["possible duplicates"] = row[0] if row else 0
        return counts
    finally:
        await conn.close()


async def start_bot(api: LimitedBotApi, db: Path, **env: str) -> asyncio.subprocess.Process:
    """`python -m bot` against the fake, on `db`; returns once it polls for updates."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "BOT_CLOCK"))}
    environment.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.server.base_url,
        DATABASE_PATH=str(db),
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
        SEND_RATE_PER_SECOND=str(RATE),
    )
    environment.update(env)
    start = len(api.server.api.calls)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=db.parent, env=environment, stdout=asyncio.subprocess.DEVNULL
    )
    await api.server.api.wait_for(lambda c: c.method == "deleteWebhook", timeout=60, start=start)
    return proc


async def kill(proc: asyncio.subprocess.Process) -> None:
    """SIGKILL: no shutdown code runs, exactly like a crash."""
    proc.send_signal(signal.SIGKILL)
    await proc.wait()


async def stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.terminate()
        await proc.wait()


def losses_and_duplicates(deliveries: list[Delivery], chats: Iterable[int]) -> tuple[int, int]:
    """(chats that got nothing, extra copies received), for one message per chat."""
    per_chat = Counter(d.chat_id for d in deliveries)
    lost = sum(1 for chat in chats if not per_chat[chat])
    return lost, sum(n - 1 for n in per_chat.values() if n > 1)


async def _serve() -> None:
    api = await LimitedBotApi().start()
    api.server.api.listeners.append(lambda c: print(c.method, c.chat_id, c.error or c.shown[:60], flush=True))
    print(f"TELEGRAM_API_BASE_URL={api.server.base_url}  (30/s overall, 1/s per chat, {LATENCY * 1000:.0f} ms)")
    try:
        await asyncio.Event().wait()
    finally:
        await api.stop()


if __name__ == "__main__":
    asyncio.run(_serve())
