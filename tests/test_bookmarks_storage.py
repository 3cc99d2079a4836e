"""Bookmarks and per-user settings in SQLite: idempotent, per user, surviving a reopen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import aiosqlite
import pytest

from bot.storage import bookmarks, preferences, users
from bot.storage.db import open_database

NOW = datetime(2024, 6, 20, 12, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(tmp_path / "b.sqlite3")
    for uid in (1, 2, 3):
        await users.record_contact(conn, uid, f"U{uid}", "en", NOW)
    yield conn
    await conn.close()


async def test_add_is_idempotent_and_per_user(db: aiosqlite.Connection) -> None:
    assert await bookmarks.add_bookmark(db, 1, "keynote", NOW) is True
    assert await bookmarks.add_bookmark(db, 1, "keynote", NOW) is False  # a double tap
    await bookmarks.add_bookmark(db, 2, "panel", NOW)
    assert await bookmarks.bookmarked_ids(db, 1) == {"keynote"}
    assert await bookmarks.bookmarked_ids(db, 2) == {"panel"}
    assert await bookmarks.remove_bookmarks(db, 1, ["panel"]) == 0  # another user's bookmark is untouched
    assert await bookmarks.bookmarked_ids(db, 2) == {"panel"}
    assert await bookmarks.remove_bookmarks(db, 1, ["keynote", "nothing"]) == 1
    assert await bookmarks.bookmarked_ids(db, 1) == frozenset()


async def test_followers_skip_blocked_users_and_keep_ids_of_any_shape(db: aiosqlite.Connection) -> None:
    odd = "pretalx:ABC|'x\"%_"
    for uid in (1, 2, 3):
        await bookmarks.add_bookmark(db, uid, odd, NOW)
    await users.mark_blocked(db, 2)
    found = await bookmarks.followers(db, [odd, "other"])
    assert [(f.user_id, f.session_id, f.language) for f in found] == [(1, odd, "en"), (3, odd, "en")]
    assert found[0].created_at == NOW
    assert [f.user_id for f in await bookmarks.followers(db, [odd], user_id=3)] == [3]
    assert await bookmarks.count_by_session(db) == {odd: 3}


async def test_bookmarks_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "again.sqlite3"
    conn = await open_database(path)
    await users.record_contact(conn, 5, "Ana", "en", NOW)
    await bookmarks.add_bookmark(conn, 5, "keynote", NOW)
    await preferences.update_preferences(conn, 5, NOW, reminder_minutes=30, digest=False)
    await conn.close()
    conn = await open_database(path)
    try:
        (mark,) = await bookmarks.followers(conn, ["keynote"], user_id=5)
        assert (mark.session_id, mark.created_at) == ("keynote", NOW)
        prefs = await preferences.get_preferences(conn, 5)
        assert (prefs.reminder_minutes, prefs.digest, prefs.reminders) == (30, False, True)
    finally:
        await conn.close()


async def test_preferences_defaults_and_partial_updates(db: aiosqlite.Connection) -> None:
    fresh = await preferences.get_preferences(db, 1)
    assert fresh == preferences.Preferences(1)
    assert fresh.reminder_minutes == 10 and fresh.reminders and fresh.digest and fresh.runup and fresh.change_alerts
    assert fresh.reminder_lead is not None and fresh.reminder_lead.total_seconds() == 600
    muted = await preferences.update_preferences(db, 1, NOW, muted_day=date(2024, 6, 25))
    assert muted.muted_on(date(2024, 6, 25)) and not muted.muted_on(date(2024, 6, 26))
    stopped = await preferences.update_preferences(db, 1, NOW, reminders=False)
    assert stopped.reminder_lead is None and stopped.muted_day == date(2024, 6, 25)  # the rest is kept
    cleared = await preferences.update_preferences(db, 1, NOW, muted_day="clear", reminders=True, reminder_minutes=5)
    assert (cleared.muted_day, cleared.reminder_minutes, cleared.reminders) == (None, 5, True)
    with pytest.raises(ValueError, match="reminder lead"):
        await preferences.update_preferences(db, 1, NOW, reminder_minutes=7)


async def test_many_users_at_once_and_opt_outs(db: aiosqlite.Connection) -> None:
    await preferences.update_preferences(db, 2, NOW, runup=False)
    await preferences.update_preferences(db, 3, NOW, change_alerts=False, digest=False)
    found = await preferences.preferences_of(db, [3, 1, 2, 2])
    assert list(found) == [1, 2, 3]
    assert found[1] == preferences.Preferences(1) and not found[2].runup and not found[3].digest
    assert await preferences.opted_out(db, "runup") == {2}
    assert await preferences.opted_out(db, "change_alerts") == {3}
    assert await preferences.opted_out(db, "reminders") == set()
