"""Reminder burst: 2,000 delegates bookmarked the same plenary; does every reminder arrive by start − lead?

    .venv/bin/python bench/reminder_burst.py [--users 2000] [--lead-in 200]

Queues one reminder per user as the reminder tick does (not_before = deadline − 5 min, deadline = start −
10 min, expires_at = start), with the deadline --lead-in real seconds ahead, then runs the real bot process
against the fake Bot API with Telegram's limits (tests/support/limited_api.py) and prints: when the burst
started and ended relative to the deadline (goal: the last ≤ 0 s), its spread and rate, 429s received, losses
and duplicates. Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.storage.outbox import OutgoingMessage
from bot.views.reply import Button, Reply
from tests.support.bot_process import outbox_states, seed, start_bot, stop
from tests.support.limited_api import RATE, LimitedBotApi, losses_and_duplicates

LEAD = timedelta(minutes=10)
EARLY = timedelta(minutes=5)  # as bot/reminders/due.py: how long before its deadline a reminder may go
FIRST_USER = 100_000


def reminders(users: int, deadline: datetime) -> list[OutgoingMessage]:
    start = deadline + LEAD
    text = (
        "⏰ In 10 minutes: <b>Plenary: the Climate-Neutral and Smart Cities Mission in action</b>\n"
        "🕘 09:30–10:30 · 📍 Sala Iturbi\nNext in this room: Coffee break"
    )
    reply = Reply(text, ((Button("Open", "ses|plenary"),), (Button("Mute today", "rm|m"), Button("Stop", "rm|s"))))
    return [
        OutgoingMessage(
            key=f"reminder:{user}:plenary:{start:%Y%m%dT%H%M%SZ}",
            chat_id=user,
            kind="bench-reminder",  # the reminder tick owns 'reminder' rows and drops those without bookmarks
            payload=reply.to_payload(),
            not_before=deadline - EARLY,
            deadline=deadline,
            expires_at=start,
        )
        for user in range(FIRST_USER, FIRST_USER + users)
    ]


def burst_figures(api: LimitedBotApi, users: int, deadline: datetime) -> str:
    got = sorted(api.deliveries, key=lambda d: d.at)
    if not got:
        return "nothing delivered"
    first, last = ((d.at - deadline).total_seconds() for d in (got[0], got[-1]))
    late = sum(1 for d in got if d.at > deadline)
    lost, duplicates = losses_and_duplicates(got, range(FIRST_USER, FIRST_USER + users))
    rate = (len(got) - 1) / (last - first) if last > first else 0.0
    return (
        f"{len(got)} reminders: first {first:+.1f} s, latest {last:+.1f} s relative to start − lead "
        f"({late} late); spread {last - first:.1f} s at {rate:.2f} msg/s ({rate / RATE:.2f} of {RATE:g}/s); "
        f"429s received {api.refused}; lost {lost}; duplicates {duplicates}"
    )


async def main(users: int, lead_in: float) -> None:
    api = await LimitedBotApi().start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "burst.sqlite3"
        deadline = datetime.now(UTC) + timedelta(seconds=lead_in)
        await seed(db, reminders(users, deadline))
        proc = await start_bot(api, db)
        try:
            until = time.monotonic() + lead_in + 60
            while len(api.deliveries) < users and time.monotonic() < until and proc.returncode is None:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            await asyncio.sleep(2.0)  # a duplicate would show up now
        finally:
            await stop(proc)
        print(f"reminder burst, {users} users × one session, deadline {lead_in:g} s after queuing:")
        print("  " + burst_figures(api, users, deadline))
        print(f"  outbox afterwards: {await outbox_states(db)}")
    await api.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument(
        "--lead-in", type=float, default=200.0, help="real seconds from queuing to the deadline (the bot: 300)"
    )
    args = parser.parse_args()
    asyncio.run(main(args.users, args.lead_in))
