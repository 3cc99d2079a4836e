"""The disk under the database: full, the bot still answers without a spurious error (logged once); read-only,
the bot exits at once with a clear message instead of hanging."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

from bot.storage import users
from tests.conftest import BotHarness, make_harness

WRONG = "Sorry, something went wrong"
NEWCOMERS = (9_000_001, 9_000_002)  # ids above every filler row: their rows belong in the full last page


async def fill_the_disk(h: BotHarness) -> None:
    """Let the database grow no more, then fill its users table up to the last byte of its last page."""
    db = h.services.database
    (pages,) = next(iter(await db.execute_fetchall("PRAGMA page_count")))
    await db.execute(f"PRAGMA max_page_count = {pages}")
    for filler in range(1, 1_000_000):
        try:
            await users.record_contact(db, filler, "D", "en", h.clock.now())
        except sqlite3.OperationalError as exc:
            assert "full" in str(exc)
            return
    raise AssertionError("the database never filled up")


async def test_a_full_disk_spoils_no_reply_and_is_logged_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with make_harness(tmp_path) as h:
        await h.say("/start", user_id=42)  # a contact row written while there was room
        await fill_the_disk(h)
        caplog.clear()
        for uid in NEWCOMERS:
            replies = [c.shown for c in await h.say("/start", user_id=uid) if c.method == "sendMessage"]
            assert len(replies) == 1 and "Hello Delegate!" in replies[0], replies
            assert await users.get_user(h.services.database, uid) is None  # the write did fail
        assert not [s for s in (c.shown for c in h.api.calls) if WRONG in s]
        problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert [r.getMessage() for r in problems] == [
            "Could not record the contact of a delegate (database or disk is full); answering anyway"
        ]
