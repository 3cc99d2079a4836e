"""The periodic tick against a real SQLite file: queued once, kept in line with every change, never twice."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.programme.loader import load_programme
from bot.programme.model import Programme, SessionStatus
from bot.reminders import morning
from bot.reminders.queue import horizon, queue_due_messages, tick_interval
from bot.runup import Morning
from bot.storage import bookmarks, preferences, runup, users
from bot.storage.db import open_database
from bot.storage.outbox import OutgoingMessage, QueuedMessage, queued
from bot.storage.reminders import SNOOZE, drop_pending_reminders, queue_snooze, snooze_key
from tests.conftest import FIXTURES
from tests.support.outbox import get_by_key

KEYNOTE_KEY = "reminder:1:keynote:20240625T070000Z"
EARLIER = datetime(2024, 6, 20, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(autouse=True, params=[morning.CHUNK, 1], ids=["one-chunk", "a-chunk-per-delegate"])
def chunk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test once with all delegates in one chunk and once with one each: it must come to the same."""
    monkeypatch.setattr(morning, "CHUNK", request.param)


@pytest.fixture
def programme() -> Programme:
    return load_programme(FIXTURES / "agenda.yaml")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(tmp_path / "q.sqlite3")
    for uid in (1, 2):
        await users.record_contact(conn, uid, f"U{uid}", "en", EARLIER)
        # Morning digests would be queued beside the reminders; the digest test turns its own back on.
        await preferences.update_preferences(conn, uid, EARLIER, digest=False)
    yield conn
    await conn.close()


async def rows(db: aiosqlite.Connection, kind: str = "reminder") -> list[QueuedMessage]:
    async with db.execute("SELECT * FROM outbox WHERE kind = ? ORDER BY id", (kind,)) as cur:
        return [queued(r) for r in await cur.fetchall()]


def moved(programme: Programme, session_id: str, by: timedelta) -> Programme:
    return replace(
        programme,
        sessions=tuple(
            replace(s, start=s.start + by, end=s.end + by) if s.id == session_id else s for s in programme.sessions
        ),
    )


async def test_tick_cadence_follows_the_clock_speed() -> None:
    assert tick_interval(1) == 30 and tick_interval(60) == 1 and tick_interval(1000) == 1
    assert horizon(1) == timedelta(seconds=90)


async def test_queued_once_with_times_and_text(db: aiosqlite.Connection, programme: Programme) -> None:
    await bookmarks.add_bookmark(db, 1, "keynote", EARLIER)
    assert (await queue_due_messages(db, programme, at("2024-06-25T08:40:00+02:00"))).queued == 0
    report = await queue_due_messages(db, programme, at("2024-06-25T08:44:00+02:00"))
    assert report.queued == 1
    row = await get_by_key(db, KEYNOTE_KEY)
    assert row is not None and row.state == "pending" and row.chat_id == 1
    assert row.deadline == at("2024-06-25T08:50:00+02:00")
    assert row.not_before == at("2024-06-25T08:45:00+02:00")
    assert row.expires_at == at("2024-06-25T09:00:00+02:00")
    text = row.payload["text"]
    assert "Keynote &lt;&amp; welcome&gt;" in text and "09:00–10:00" in text and "Main Hall" in text
    assert "10:00–11:00 Panel on engines" in text  # what follows in the same room
    labels = [b["label"] for line in row.payload["buttons"] for b in line]
    assert labels == ["📄 Open the card", "⏰ Remind me again 5 min before", "🔕 Mute for today", "🛑 Stop reminders"]
    again = await queue_due_messages(db, programme, at("2024-06-25T08:46:00+02:00"))
    assert not again.changed and len(await rows(db)) == 1


async def test_a_moved_session_gets_a_fresh_reminder_and_the_old_one_is_dropped(
    db: aiosqlite.Connection, programme: Programme
) -> None:
    await bookmarks.add_bookmark(db, 1, "keynote", EARLIER)
    await queue_due_messages(db, programme, at("2024-06-25T08:44:00+02:00"))
    later = moved(programme, "keynote", timedelta(minutes=30))
    report = await queue_due_messages(db, later, at("2024-06-25T08:45:00+02:00"))
    assert report.dropped == 1 and report.queued == 0  # the new one is not due yet
    old = await get_by_key(db, KEYNOTE_KEY)
    assert old is not None and old.state == "dropped" and "no longer wanted" in old.last_error
    await queue_due_messages(db, later, at("2024-06-25T09:14:00+02:00"))
    new = await get_by_key(db, "reminder:1:keynote:20240625T073000Z")
    assert new is not None and new.state == "pending" and new.deadline == at("2024-06-25T09:20:00+02:00")
    # Moved back: the old row comes back to life instead of being blocked by its key.
    await queue_due_messages(db, programme, at("2024-06-25T08:46:00+02:00"))
    revived = await get_by_key(db, KEYNOTE_KEY)
    assert revived is not None and revived.state == "pending"


async def test_cancelled_or_removed_sessions_are_never_reminded(db: aiosqlite.Connection, programme: Programme) -> None:
    await bookmarks.add_bookmark(db, 1, "keynote", EARLIER)
    await queue_due_messages(db, programme, at("2024-06-25T08:44:00+02:00"))
    cancelled = replace(
        programme,
        sessions=tuple(
            replace(s, status=SessionStatus.CANCELLED) if s.id == "keynote" else s for s in programme.sessions
        ),
    )
    assert (await queue_due_messages(db, cancelled, at("2024-06-25T08:45:00+02:00"))).dropped == 1
    removed = replace(programme, sessions=tuple(s for s in programme.sessions if s.id != "keynote"))
    assert not (await queue_due_messages(db, removed, at("2024-06-25T08:46:00+02:00"))).changed
    assert [r.state for r in await rows(db)] == ["dropped"]


async def test_the_storage_call_for_programme_changes(db: aiosqlite.Connection, programme: Programme) -> None:
    for uid in (1, 2):
        await bookmarks.add_bookmark(db, uid, "keynote", EARLIER)
    await queue_due_messages(db, programme, at("2024-06-25T08:44:00+02:00"))
    keynote = programme.session("keynote")
    assert keynote is not None
    assert await drop_pending_reminders(db, "keynote", keep_start=keynote.start) == 0
    assert await drop_pending_reminders(db, "panel") == 0
    assert await drop_pending_reminders(db, "keynote", user_id=2) == 1
    assert await drop_pending_reminders(db, "keynote") == 1
    assert {r.state for r in await rows(db)} == {"dropped"}


async def test_settings_changes_follow_pending_rows(db: aiosqlite.Connection, programme: Programme) -> None:
    await bookmarks.add_bookmark(db, 1, "keynote", EARLIER)
    now = at("2024-06-25T08:44:00+02:00")
    await queue_due_messages(db, programme, now)
    await preferences.update_preferences(db, 1, now, reminder_minutes=15)
    assert (await queue_due_messages(db, programme, now, user_id=1)).updated == 1
    row = await get_by_key(db, KEYNOTE_KEY)
    assert row is not None and row.deadline == at("2024-06-25T08:45:00+02:00") and row.state == "pending"
    await preferences.update_preferences(db, 1, now, reminders=False)
    assert (await queue_due_messages(db, programme, now, user_id=1)).dropped == 1
    await preferences.update_preferences(db, 1, now, reminders=True)
    assert (await queue_due_messages(db, programme, now, user_id=1)).updated == 1
    await bookmarks.remove_bookmarks(db, 1, ["keynote"])
    assert (await queue_due_messages(db, programme, now)).dropped == 1
    assert len(await rows(db)) == 1  # one row for that session start, whatever happened to it


async def test_blocked_users_get_nothing_and_sent_rows_are_never_touched(
    db: aiosqlite.Connection, programme: Programme
) -> None:
    for uid in (1, 2):
        await bookmarks.add_bookmark(db, uid, "keynote", EARLIER)
    await users.mark_blocked(db, 2)
    await queue_due_messages(db, programme, at("2024-06-25T08:44:00+02:00"))
    assert [r.chat_id for r in await rows(db)] == [1]
    await db.execute("UPDATE outbox SET state = 'sent' WHERE key = ?", (KEYNOTE_KEY,))
    await db.commit()
    await bookmarks.remove_bookmarks(db, 1, ["keynote"])
    await bookmarks.add_bookmark(db, 1, "keynote", EARLIER)
    assert not (await queue_due_messages(db, programme, at("2024-06-25T08:48:00+02:00"))).changed
    assert [r.state for r in await rows(db)] == ["sent"]


async def test_digest_queued_at_the_configured_time_and_updated(db: aiosqlite.Connection, programme: Programme) -> None:
    await bookmarks.add_bookmark(db, 1, "panel", EARLIER)
    await bookmarks.add_bookmark(db, 1, "dropped", EARLIER)
    seven = time(7, 30)
    await preferences.update_preferences(db, 1, EARLIER, digest=True)
    assert await rows(db, "digest") == []
    await queue_due_messages(db, programme, at("2024-06-25T07:29:00+02:00"), morning=Morning(seven))
    (row,) = await rows(db, "digest")
    assert row.key == "digest:1:2024-06-25" and row.not_before == at("2024-06-25T07:30:00+02:00")
    assert "Panel on engines" in row.payload["text"] and "Dropped talk" in row.payload["text"]
    assert "Keynote" not in row.payload["text"]
    await bookmarks.add_bookmark(db, 1, "keynote", EARLIER)
    report = await queue_due_messages(db, programme, at("2024-06-25T07:29:30+02:00"), morning=Morning(seven))
    assert report.updated == 1
    (row,) = await rows(db, "digest")
    assert "Keynote" in row.payload["text"]
    await preferences.update_preferences(db, 1, EARLIER, digest=False)
    await queue_due_messages(db, programme, at("2024-06-25T07:29:40+02:00"), morning=Morning(seven))
    assert [r.state for r in await rows(db, "digest")] == ["dropped"]


async def test_a_bookmark_after_the_morning_never_brings_a_morning_message(
    db: aiosqlite.Connection, programme: Programme
) -> None:
    await preferences.update_preferences(db, 1, EARLIER, digest=True)
    await preferences.update_preferences(db, 2, EARLIER, digest=True)
    await bookmarks.add_bookmark(db, 1, "panel", EARLIER)
    await queue_due_messages(db, programme, at("2024-06-25T08:00:10+02:00"))
    assert [r.key for r in await rows(db, "digest")] == ["digest:1:2024-06-25"]
    # User 2 had nothing that morning; bookmarking at 08:30 (or 16:48) queues reminders, not a late digest.
    await bookmarks.add_bookmark(db, 2, "panel", at("2024-06-25T08:30:00+02:00"))
    for instant in ("2024-06-25T08:30:05+02:00", "2024-06-25T16:48:00+02:00"):
        await queue_due_messages(db, programme, at(instant), user_id=2)
        await queue_due_messages(db, programme, at(instant))
    assert [r.key for r in await rows(db, "digest")] == ["digest:1:2024-06-25"]
    # User 1's row, still pending, follows their changes until it is sent.
    await bookmarks.add_bookmark(db, 1, "keynote", at("2024-06-25T08:00:20+02:00"))
    assert (await queue_due_messages(db, programme, at("2024-06-25T08:00:30+02:00"), user_id=1)).updated == 1


@pytest.mark.parametrize(
    ("back_at", "states"), [("2024-06-25T10:59:00+02:00", ["pending"]), ("2024-06-25T11:00:00+02:00", [])]
)
async def test_a_bot_down_at_digest_time_sends_it_only_while_still_morning(
    db: aiosqlite.Connection, programme: Programme, back_at: str, states: list[str]
) -> None:
    await preferences.update_preferences(db, 1, EARLIER, digest=True)
    await bookmarks.add_bookmark(db, 1, "panel", EARLIER)
    await queue_due_messages(db, programme, at(back_at))
    queued_rows = await rows(db, "digest")
    assert [r.state for r in queued_rows] == states
    assert all(r.expires_at == at("2024-06-25T11:00:00+02:00") for r in queued_rows)
    (state,) = (await runup.states(db)).values()
    assert state.entry_id == "morning-0625" and state.outcome == ("enqueued" if states else "expired")


async def test_a_snoozed_reminder_goes_with_its_session(db: aiosqlite.Connection, programme: Programme) -> None:
    keynote = programme.session("keynote")
    assert keynote is not None
    snoozed = OutgoingMessage(snooze_key(1, keynote), 1, SNOOZE, {"text": "again"}, keynote.start)
    assert await queue_snooze(db, snoozed, EARLIER) and not await queue_snooze(db, snoozed, EARLIER)  # once
    assert await drop_pending_reminders(db, "keynote", keep_start=keynote.start) == 0  # not moved: kept
    assert await drop_pending_reminders(db, "keynote", user_id=1, reason="bookmark removed") == 1
    row = await get_by_key(db, "snooze:1:keynote:20240625T070000Z")
    assert row is not None and row.state == "dropped"
