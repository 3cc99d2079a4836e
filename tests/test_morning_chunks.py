"""Morning messages a chunk of delegates at a time (#11): the same rows as at once, a crash half-way costs
nobody a message and gives nobody two, and a delegate's own write gets through between chunks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.reminders import morning
from bot.reminders.queue import queue_due_messages
from bot.storage import bookmarks, runup, users
from bot.storage.db import open_database
from tests.conftest import FIXTURES

EARLIER = datetime(2024, 6, 20, tzinfo=UTC)
BEFORE = datetime.fromisoformat("2024-06-25T07:59:00+02:00")  # the day's moment (08:00) is within the horizon
AFTER = datetime.fromisoformat("2024-06-25T08:00:30+02:00")
DELEGATES = range(1, 8)
WITH_SESSIONS = [1, 3, 4, 5, 7]  # no plan text here: the others get no morning message


@pytest.fixture
def programme() -> Programme:
    return load_programme(FIXTURES / "agenda.yaml")


async def crowd(path: Path) -> aiosqlite.Connection:
    """Seven delegates: odd ones bookmarked the panel, 4 also the keynote, the others nothing that day."""
    db = await open_database(path)
    for uid in DELEGATES:
        await users.record_contact(db, uid, f"U{uid}", "en", EARLIER)
        if uid % 2:
            await bookmarks.add_bookmark(db, uid, "panel", EARLIER)
    await bookmarks.add_bookmark(db, 4, "keynote", EARLIER)
    return db


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    conn = await crowd(tmp_path / "m.sqlite3")
    yield conn
    await conn.close()


async def digests(db: aiosqlite.Connection) -> list[tuple[str, int, str, str]]:
    rows = await db.execute_fetchall(
        "SELECT key, chat_id, state, payload FROM outbox WHERE kind = 'digest' ORDER BY key"
    )
    return [(r["key"], r["chat_id"], r["state"], r["payload"]) for r in rows]


async def test_in_chunks_the_same_rows_as_at_once(
    tmp_path: Path, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = []
    for size in (1_000, 2):
        monkeypatch.setattr(morning, "CHUNK", size)
        db = await crowd(tmp_path / f"{size}.sqlite3")
        try:
            assert (await queue_due_messages(db, programme, BEFORE)).queued == len(WITH_SESSIONS)
            await users.mark_blocked(db, 7)  # a full sync drops what waits for a delegate who blocked the bot
            assert (await queue_due_messages(db, programme, AFTER)).dropped == 1
            found.append(await digests(db))
            (state,) = (await runup.states(db)).values()
            assert state.outcome == "enqueued" and state.recipients == len(WITH_SESSIONS) - 1
        finally:
            await db.close()
    assert found[0] == found[1]
    assert [(key, state) for key, _, state, _ in found[1]][-1] == ("digest:7:2024-06-25", "dropped")


async def test_a_crash_half_way_neither_skips_nor_repeats_anyone(
    db: aiosqlite.Connection, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(morning, "CHUNK", 3)
    real = morning.sync_pending
    calls = 0

    async def crash_on_the_second_chunk(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("SIGKILL")
        return await real(*args, **kwargs)

    monkeypatch.setattr(morning, "sync_pending", crash_on_the_second_chunk)
    with pytest.raises(RuntimeError):
        await queue_due_messages(db, programme, AFTER)
    # The first chunk committed, the second rolled back, the day not marked done.
    assert [chat for _, chat, _, _ in await digests(db)] == [1, 3]
    assert await runup.states(db) == {}
    await db.execute("UPDATE outbox SET state = 'sent' WHERE chat_id = 1")  # it went out before the crash
    await db.commit()

    monkeypatch.setattr(morning, "sync_pending", real)  # the restart
    assert (await queue_due_messages(db, programme, AFTER)).queued == 3
    rows = await digests(db)
    assert [chat for _, chat, _, _ in rows] == WITH_SESSIONS  # one each
    assert [state for _, _, state, _ in rows] == ["sent", "pending", "pending", "pending", "pending"]
    (state,) = (await runup.states(db)).values()
    assert state.outcome == "enqueued" and state.recipients == len(WITH_SESSIONS)
    assert not (await queue_due_messages(db, programme, AFTER)).changed


async def test_a_delegates_bookmark_is_written_between_two_chunks(
    db: aiosqlite.Connection, programme: Programme, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(morning, "CHUNK", 1)
    everyone = asyncio.create_task(queue_due_messages(db, programme, AFTER))
    while not await digests(db) and not everyone.done():  # noqa: ASYNC110 - the first delegate's is being queued
        await asyncio.sleep(0)
    assert await bookmarks.add_bookmark(db, 6, "keynote", AFTER)
    # Written after some delegates' messages were queued, before the others': it did not wait for all seven.
    assert 0 < len(await digests(db)) < len(WITH_SESSIONS)
    await everyone
    assert {chat for _, chat, _, _ in await digests(db)} >= set(WITH_SESSIONS)
