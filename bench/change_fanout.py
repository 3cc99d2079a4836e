"""Diff + change-alert fan-out for a programme change touching 200 sessions, followed by 5,000 delegates.

Builds a temporary database: a 1,000-session programme (38C3 when ../shared/schedules has it), 5,000 delegates
each following 2 of the changed sessions and 4 others; then a new version moves 100 sessions, changes the room
of 40, cancels 30, renames 15 and removes 15. Measures the diff, reading the version (compare + store), and
applying it: the whole apply, and inside it the fan-out (who follows what, one rendered message per delegate,
then the outbox rows, written in the one transaction that puts the version in force).
Run: .venv/bin/python bench/change_fanout.py
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.clock import Clock  # noqa: E402
from bot.programme.diff import diff_programmes  # noqa: E402
from bot.programme.loader import load_programme  # noqa: E402
from bot.programme.model import Programme, Room, Session, SessionStatus, Venue  # noqa: E402
from bot.programme.timezones import zone  # noqa: E402
from bot.programme_updates import alerts  # noqa: E402
from bot.programme_updates import apply as updates  # noqa: E402
from bot.services import ProgrammeHolder, Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage import bookmarks, users  # noqa: E402
from bot.storage.change_alerts import open_windows  # noqa: E402
from bot.storage.db import open_database  # noqa: E402

DELEGATES = 5_000
CHANGED = 200
REAL = ROOT.parent / "shared" / "schedules" / "38c3-frab.xml"


def synthetic() -> Programme:
    tz = zone("Europe/Madrid")
    assert tz is not None
    start = datetime(2030, 5, 14, 9, tzinfo=tz)
    rooms = tuple(Room(f"r{i}", f"Room {i}") for i in range(25))
    sessions = [
        Session(
            f"s{i}",
            f"Session {i}",
            start + timedelta(days=i // 400, minutes=30 * (i % 16)),
            start + timedelta(days=i // 400, minutes=30 * (i % 16) + 25),
            f"r{i % 25}",
            (start + timedelta(days=i // 400)).date(),
        )
        for i in range(1_000)
    ]
    days = tuple(sorted({s.day for s in sessions}))
    return Programme("Bench", tz, days, Venue("Hall"), rooms, (), tuple(sessions))


def changed(base: Programme, ids: list[str]) -> Programme:
    rooms = [r.id for r in base.rooms]
    edits: dict[str, Session | None] = {}
    for n, sid in enumerate(ids):
        s = base.session(sid)
        assert s is not None
        if n < 100:
            edits[sid] = replace(s, start=s.start + timedelta(minutes=30), end=s.end + timedelta(minutes=30))
        elif n < 140:
            edits[sid] = replace(s, room_id=rooms[(rooms.index(s.room_id) + 1) % len(rooms)])
        elif n < 170:
            edits[sid] = replace(s, status=SessionStatus.CANCELLED)
        elif n < 185:
            edits[sid] = replace(s, title=s.title + " (new title)")
        else:
            edits[sid] = None
    kept = [edits.get(s.id, s) for s in base.sessions]
    return replace(base, sessions=tuple(s for s in kept if s is not None), source="bench-v2")


async def main() -> None:
    base = load_programme(REAL) if REAL.exists() else synthetic()
    rng = random.Random(6)
    live = [s.id for s in base.sessions if not s.is_cancelled]
    touched = rng.sample(live, CHANGED)
    others = [sid for sid in live if sid not in set(touched)]
    new = changed(base, touched)
    started = time.perf_counter()
    diff = diff_programmes(base, new)
    t_diff = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        # Before the conference, as most changes are: no reminder is queued yet.
        now = base.sessions[0].start - timedelta(days=7)
        settings = Settings(_env_file=None, database_path=Path(tmp) / "b.sqlite3")  # type: ignore[call-arg]
        services = Services(settings, Clock.frozen_at(now), ProgrammeHolder(base))
        services.db = await open_database(settings.database_path)
        for user in range(1, DELEGATES + 1):
            await users.record_contact(services.db, user, "D", "en", now)
            for sid in rng.sample(touched, 2) + rng.sample(others, 4):
                await bookmarks.add_bookmark(services.db, user, sid, now)
        timings: dict[str, float] = {}
        render, save = updates.render_change_alerts, updates.save_change_alerts

        async def timed_render(*args: Any, **kwargs: Any) -> alerts.AlertPlan:
            t = time.perf_counter()
            plan = await render(*args, **kwargs)
            timings["fan-out: render (reads only)"] = time.perf_counter() - t
            return plan

        async def timed_save(*args: Any, **kwargs: Any) -> alerts.AlertReport:
            t = time.perf_counter()
            report = await save(*args, **kwargs)
            timings["fan-out: outbox rows (in the apply transaction)"] = time.perf_counter() - t
            return report

        updates.render_change_alerts = timed_render  # type: ignore[assignment]
        updates.save_change_alerts = timed_save  # type: ignore[assignment]
        t = time.perf_counter()
        prepared = await updates.compare(services, new, created_by="bench")
        timings["read (compare + store)"] = time.perf_counter() - t
        assert prepared.version_id is not None
        t = time.perf_counter()
        done = await updates.apply(services, prepared.version_id)
        timings["apply (all)"] = time.perf_counter() - t
        rows = len(await open_windows(services.db))
        await services.db.close()
    counts = ", ".join(f"{k.value} {v}" for k, v in diff.counts().items() if v)
    print(f"programme: {len(base.sessions)} sessions ({'38C3' if REAL.exists() else 'synthetic'}); change: {counts}")
    print(f"delegates following a changed session: {DELEGATES}; alerts queued: {done.alerts.queued}; rows: {rows}")
    print(f"{'diff (pure):':52}{t_diff * 1000:8.1f} ms")
    for name, seconds in timings.items():
        print(f"{name + ':':52}{seconds * 1000:8.1f} ms")
    fan_out = sum(seconds for name, seconds in timings.items() if name.startswith("fan-out"))
    print(f"{'per delegate (fan-out):':52}{fan_out / DELEGATES * 1e6:8.1f} µs")


if __name__ == "__main__":
    asyncio.run(main())
