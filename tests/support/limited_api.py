"""The fake Bot API with Telegram's limits on 127.0.0.1, for the benches (bot_process.py runs the bot on it).

The fake (tests/support/bot_api_server.py over bot/console/api.py) refuses with 429 and retry_after beyond
30 messages in any second overall or one per second to a chat, and answers every request after 50 ms.
Deliveries are recorded with the wall-clock instant the fake accepted them, comparable with the deadlines
of rows (the bot runs on real time in these benches).

Run alone to serve it for a manual try: `.venv/bin/python -m tests.support.limited_api` prints the base URL
for TELEGRAM_API_BASE_URL and the deliveries it accepts, until Ctrl-C.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.console.api import Call, RateLimits
from tests.support.bot_api_server import FakeBotApiServer

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
