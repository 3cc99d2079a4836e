"""The running bot's periodic tick reads only what entered the horizon, yet queues exactly what a full sync does."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiosqlite

from bot.clock import Clock
from bot.reminders.queue import TickEdge, periodic_tick, queue_due_messages
from bot.services import Services, build_services
from bot.storage import bookmarks, preferences, users
from bot.storage.db import open_database
from bot.storage.preferences import REMINDER_CHOICES
from tests.conftest import BUNDLED, make_settings

EARLIER = datetime(2024, 6, 20, tzinfo=UTC)
START = datetime.fromisoformat("2024-06-25T06:00:00+02:00")  # before the first day's digest and sessions


async def _seed(db: aiosqlite.Connection, session_ids: list[str]) -> None:
    rng = random.Random(7)
    for uid in range(1, 41):
        await users.record_contact(db, uid, f"U{uid}", rng.choice(["en", "es", "de"]), EARLIER)
        lead = rng.choice([*REMINDER_CHOICES, None])
        if lead is None:
            await preferences.update_preferences(db, uid, EARLIER, reminders=False)
        else:
            await preferences.update_preferences(db, uid, EARLIER, reminder_minutes=lead, digest=uid % 3 != 0)
        for sid in rng.sample(session_ids, 6):
            await bookmarks.add_bookmark(db, uid, sid, EARLIER)


async def _queued(db: aiosqlite.Connection) -> set[tuple[object, ...]]:
    rows = await db.execute_fetchall("SELECT key, chat_id, payload, not_before, deadline, expires_at FROM outbox")
    return {tuple(r) for r in rows}


async def test_two_days_of_periodic_ticks_queue_what_full_syncs_queue(tmp_path: Path) -> None:
    clock = Clock.frozen_at(START)
    services: Services = build_services(make_settings(tmp_path), clock=clock)
    db = await services.open_database()
    full = await open_database(tmp_path / "full.sqlite3")
    try:
        ids = [s.id for s in services.programme.sessions]
        await _seed(db, ids)
        await _seed(full, ids)
        edge, read_full = TickEdge(), 0
        step, end = timedelta(minutes=1), START + timedelta(hours=13)
        while clock.now() < end:
            before = edge.until
            await periodic_tick(services, edge)
            read_full += before is None
            await queue_due_messages(
                full, services.programme, clock.now(), plan=services.runup.plan, morning=services.morning
            )
            clock.set(clock.now() + step)
        assert read_full == 1  # only the very first tick read everything
        queued = await _queued(db)
        assert queued == await _queued(full)
        assert sum(k[0].startswith("reminder:") for k in queued) > 100
        assert any(k[0].startswith("digest:") for k in queued)
    finally:
        await full.close()
        await db.close()


async def test_a_clock_set_back_or_a_new_programme_syncs_everything_again(tmp_path: Path) -> None:
    clock = Clock.frozen_at(START)
    services = build_services(make_settings(tmp_path, programme_path=BUNDLED), clock=clock)
    db = await services.open_database()
    try:
        edge = TickEdge()
        await periodic_tick(services, edge)
        first = edge.until
        clock.set(START - timedelta(hours=1))  # a rehearsal clock set back by hand
        await periodic_tick(services, edge)
        assert edge.until is not None and first is not None and edge.until < first

        keynote = services.programme.sessions[0]
        clock.set(keynote.start - timedelta(minutes=14))  # its 10-minute reminder is due now
        await periodic_tick(services, edge)
        await users.record_contact(db, 77, "New", "en", EARLIER)
        await bookmarks.add_bookmark(db, 77, keynote.id, EARLIER)  # written without a sync of its own
        clock.set(clock.now() + timedelta(seconds=30))
        await periodic_tick(services, edge)
        assert not any(k[0].startswith("reminder:77:") for k in await _queued(db))  # only news of time is read
        services.programmes.replace(replace(services.programme))  # a programme update applied
        clock.set(clock.now() + timedelta(seconds=30))
        await periodic_tick(services, edge)  # after a new programme: everything, this bookmark too
        assert any(k[0].startswith("reminder:77:") for k in await _queued(db))
        assert edge.programme is services.programme
    finally:
        await db.close()
