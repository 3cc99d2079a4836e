"""How long the reminder tick takes when many delegates follow the same sessions (prints its figures).

    .venv/bin/python bench/reminder_tick.py [--users 2000] [--bookmarks 8]

Builds a database in a temporary folder: N users, each bookmarking the bundled programme's plenary plus a
few other sessions. Times the full sync that queues the burst of reminders for the plenary, a full sync that
finds nothing new, the running bot's periodic tick (only what entered the horizon since the last), a sync
after a lead change of every user (pending rows updated in place), and the sync after the plenary moved (all
old rows dropped). Not a test: nothing here is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.programme.loader import load_programme
from bot.reminders.queue import horizon, queue_due_messages, queue_newly_due
from bot.storage.db import open_database

PROGRAMME = Path(__file__).resolve().parent.parent / "data" / "programme.yaml"
PLENARY = "cmc24-d1-opening-panel"


async def main(users: int, per_user: int) -> None:
    programme = load_programme(PROGRAMME)
    plenary = programme.session(PLENARY)
    assert plenary is not None
    others = [s.id for s in programme.sessions if s.id != PLENARY]
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as tmp:
        db = await open_database(Path(tmp) / "bench.sqlite3")
        seen = datetime(2024, 6, 20, tzinfo=UTC).isoformat()
        await db.executemany(
            "INSERT INTO users (user_id, first_name, language, first_seen, last_seen) VALUES (?, '', 'en', ?, ?)",
            [(uid, seen, seen) for uid in range(1, users + 1)],
        )
        rows = [(uid, PLENARY, seen) for uid in range(1, users + 1)]
        rows += [(uid, sid, seen) for uid in range(1, users + 1) for sid in rng.sample(others, per_user - 1)]
        await db.executemany("INSERT INTO bookmarks (user_id, session_id, created_at) VALUES (?, ?, ?)", rows)
        # Digests off, so the figures are about reminders only.
        await db.execute(
            "INSERT INTO user_settings (user_id, digest, updated_at) SELECT user_id, 0, ? FROM users", (seen,)
        )
        await db.commit()
        now = plenary.start - timedelta(minutes=16)

        async def timed(label: str, prog: object = programme, at: datetime = now) -> None:
            started = time.perf_counter()
            report = await queue_due_messages(db, prog, at)  # type: ignore[arg-type]
            ms = (time.perf_counter() - started) * 1000
            print(
                f"{label:<44} {ms:8.1f} ms   queued {report.queued:5d}  updated {report.updated:5d}  "
                f"dropped {report.dropped:5d}"
            )

        print(f"{users} users x {per_user} bookmarks ({len(rows)} rows), plenary {plenary.start:%Y-%m-%d %H:%M}")
        ahead = horizon(1)

        async def periodic(label: str, at: datetime, since: datetime) -> None:
            started = time.perf_counter()
            report = await queue_newly_due(db, programme, at, since)
            print(f"{label:<44} {(time.perf_counter() - started) * 1000:8.1f} ms   queued {report.queued:5d}")

        # The running bot's tick reads only what entered the horizon since the last one (bot/reminders/queue.py).
        await periodic("periodic tick: the plenary's burst comes due", now, now - timedelta(seconds=60) + ahead)
        await periodic("periodic tick: nothing new", now + timedelta(seconds=30), now + ahead)
        # A full sync (start-up, a programme update) reads every follower of every session ahead.
        await timed("full sync, nothing new")
        await timed("full sync, 30 s later", at=now + timedelta(seconds=30))
        await db.execute("UPDATE user_settings SET reminder_minutes = 15")
        await db.commit()
        await timed("every user switched to 15 min: rows updated", at=now + timedelta(seconds=60))
        moved = replace(
            programme,
            sessions=tuple(
                replace(s, start=s.start + timedelta(hours=1), end=s.end + timedelta(hours=1)) if s.id == PLENARY else s
                for s in programme.sessions
            ),
        )
        await timed("the plenary moved an hour: old rows dropped", prog=moved, at=now + timedelta(seconds=90))
        await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--bookmarks", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(main(args.users, args.bookmarks))
