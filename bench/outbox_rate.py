"""Sustained outbox rate: 5,000 queued messages drained by the real bot process, against the configured rate.

    .venv/bin/python bench/outbox_rate.py [--messages 5000]

Queues one message (no deadline) to each of --messages chats, starts `python -m bot` against the fake Bot API
with Telegram's limits (tests/support/limited_api.py: 30/s overall, 1/s per chat, 429 + retry_after, 50 ms)
and prints the rate from the first delivery to the last over SEND_RATE_PER_SECOND (goal ≥ 0.95), with 429s
received, losses and duplicates. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.storage.outbox import OutgoingMessage
from bot.views.reply import Reply
from tests.support.bot_process import outbox_states, seed, start_bot, stop
from tests.support.limited_api import RATE, LimitedBotApi, losses_and_duplicates

FIRST_CHAT = 200_000


async def main(count: int) -> None:
    api = await LimitedBotApi().start()
    chats = range(FIRST_CHAT, FIRST_CHAT + count)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "rate.sqlite3"
        now = datetime.now(UTC)
        payload = Reply("📣 Doors open at 08:30; badges at the foyer desk. See you soon!").to_payload()
        await seed(db, (OutgoingMessage(f"bench:{chat}", chat, "bench", payload, now, batch="bench") for chat in chats))
        launched = time.monotonic()
        proc = await start_bot(api, db)
        try:
            while len(api.deliveries) < count and proc.returncode is None and time.monotonic() - launched < count:  # noqa: ASYNC110
                await asyncio.sleep(0.5)
            await asyncio.sleep(2.0)  # a duplicate would show up now
        finally:
            await stop(proc)
        got = sorted(api.deliveries, key=lambda d: d.at)
        lost, duplicates = losses_and_duplicates(got, chats)
        span = (got[-1].at - got[0].at).total_seconds() if len(got) > 1 else 0.0
        rate = (len(got) - 1) / span if span else 0.0
        print(f"sustained outbox sending, {count} queued messages to distinct chats, SEND_RATE_PER_SECOND={RATE:g}:")
        print(
            f"  {len(got)} delivered in {span:.1f} s (first to last): {rate:.2f} msg/s, "
            f"rate / configured = {rate / RATE:.3f}; 429s received {api.refused}; lost {lost}; "
            f"duplicates {duplicates}"
        )
        print(f"  outbox afterwards: {await outbox_states(db)}")
    await api.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    asyncio.run(main(parser.parse_args().messages))
