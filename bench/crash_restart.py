"""Crash test: SIGKILL the bot in the middle of a reminder burst, restart it at once; lost and duplicated messages.

    .venv/bin/python bench/crash_restart.py [--users 2000] [--crashes 3] [--lead-in 200] [--max-in-flight N --rate R]

The burst of bench/reminder_burst.py (one reminder to each of --users chats, deadline --lead-in s ahead) is
sent by the real bot process against the fake Bot API with Telegram's limits; each time another 1/(crashes+1)
of it has arrived the process is killed with SIGKILL (no shutdown code runs) and started again on the same
database. Prints losses (goal 0), duplicates per crash (goal ≤ 1) against the rows the restarted bot flagged as
possible duplicates, the latest arrival relative to the deadline, and 429s. With the default lead-in the bot
sends the burst one request at a time (it starts early enough for that), so a crash can duplicate at most the
one request on its way; with a short --lead-in (under about 150 s for 2,000) it must pipeline to be on time,
and a crash can duplicate two. --max-in-flight sets SEND_MAX_IN_FLIGHT and --rate SEND_RATE_PER_SECOND, which
cap every send, deadline or not. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.reminder_burst import FIRST_USER, burst_figures, reminders
from tests.support.bot_process import kill, outbox_states, seed, start_bot, stop
from tests.support.limited_api import RATE, LimitedBotApi


async def main(users: int, crashes: int, lead_in: float, max_in_flight: int, rate: float) -> None:
    api = await LimitedBotApi().start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "crash.sqlite3"
        deadline = datetime.now(UTC) + timedelta(seconds=lead_in)
        await seed(db, reminders(users, deadline))
        proc = await start_bot(api, db, SEND_MAX_IN_FLIGHT=str(max_in_flight), SEND_RATE_PER_SECOND=str(rate))
        kills: list[tuple[datetime, int]] = []
        try:
            for n in range(1, crashes + 1):
                while len(api.deliveries) < users * n // (crashes + 1) and proc.returncode is None:  # noqa: ASYNC110
                    await asyncio.sleep(0.005)
                await kill(proc)
                kills.append((datetime.now(UTC), len(api.deliveries)))
                await asyncio.sleep(0.2)  # requests the dead process had on the wire still land now
                proc = await start_bot(api, db, SEND_MAX_IN_FLIGHT=str(max_in_flight), SEND_RATE_PER_SECOND=str(rate))
            until = time.monotonic() + lead_in + 60
            while len({d.chat_id for d in api.deliveries}) < users and time.monotonic() < until:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            await asyncio.sleep(2.0)  # a late duplicate would show up now
        finally:
            await stop(proc)
        states = await outbox_states(db)
    await api.stop()

    cap = f", SEND_MAX_IN_FLIGHT={max_in_flight}, SEND_RATE_PER_SECOND={rate:g}" if max_in_flight else ""
    print(f"crash test, {users} reminders, {crashes} × SIGKILL mid-burst and restart{cap}:")
    print("  " + burst_figures(api, users, deadline))
    first_seen: dict[int, datetime] = {}
    per_crash: dict[int, int] = defaultdict(int)
    for d in sorted(api.deliveries, key=lambda d: d.at):
        if d.chat_id in first_seen:  # a second copy: sent again by the restart after the last kill before it
            per_crash[max((i for i, (at, _) in enumerate(kills) if at <= d.at), default=-1)] += 1
        else:
            first_seen[d.chat_id] = d.at
    for i, (at, delivered) in enumerate(kills):
        print(
            f"  crash {i + 1}: killed after {delivered} deliveries ({(at - deadline).total_seconds():+.1f} s); "
            f"duplicates {per_crash.get(i, 0)}"
        )
    print(f"  duplicates per crash: {sum(per_crash.values()) / max(1, len(kills)):.2f}")
    if per_crash.get(-1):
        print(f"  duplicates not explained by a crash: {per_crash[-1]}")
    missing = users - len({d.chat_id for d in api.deliveries if d.chat_id >= FIRST_USER})
    print(f"  lost {missing}; rows the restarts flagged as possible duplicates: {states.pop('possible duplicates')}")
    print(f"  outbox afterwards: {states}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--crashes", type=int, default=3)
    parser.add_argument(
        "--lead-in", type=float, default=200.0, help="real seconds from queuing to the deadline (the bot: 300)"
    )
    parser.add_argument("--max-in-flight", type=int, default=0, help="SEND_MAX_IN_FLIGHT of the bot (0: no cap)")
    parser.add_argument("--rate", type=float, default=RATE, help="SEND_RATE_PER_SECOND of the bot")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.crashes, args.lead_in, args.max_in_flight, args.rate))
