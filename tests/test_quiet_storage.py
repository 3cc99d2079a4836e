"""An update that changes nothing writes nothing: the crowd's reads never queue for SQLite's one writer."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from bot.storage import users
from tests.conftest import BotHarness, make_harness

NOW = datetime.fromisoformat("2024-06-25T09:00:00+02:00")
_USER_WRITE = re.compile(r"^\s*(INSERT INTO|UPDATE) users\b", re.I)


async def _user_writes(h: BotHarness, *texts: str, first_name: str = "Ana") -> int:
    """How many statements writing the users table the bot ran while answering `texts` from user 42."""
    statements: list[str] = []
    await h.services.database.set_trace_callback(statements.append)
    try:
        for text in texts:
            await h.say(text, user_id=42, first_name=first_name)
    finally:
        await h.services.database.set_trace_callback(None)
    return sum(bool(_USER_WRITE.match(s)) for s in statements)


async def test_browsing_writes_nothing_until_the_contact_is_stale(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=NOW) as h:
        assert await _user_writes(h, "/start") == 1  # first contact
        assert await _user_writes(h, "/help", "/now", "/next", "/venue", "what's on now?") == 0
        assert await _user_writes(h, "/help", first_name="Ana María") == 1  # a new name is written at once
        stored = await users.get_user(h.services.database, 42)
        assert stored is not None and stored.first_name == "Ana María"
        h.clock.set(NOW + users.SEEN_REFRESH + timedelta(seconds=1))
        assert await _user_writes(h, "/help", first_name="Ana María") == 1  # seen long enough ago: refreshed


async def test_a_blocked_delegate_who_writes_again_is_active_at_once(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=NOW) as h:
        db = h.services.database
        await h.say("/start", user_id=43)
        await users.mark_blocked(db, 43)  # a message to them failed: they had blocked the bot
        await h.say("/help", user_id=43)
        stored = await users.get_user(db, 43)
        assert stored is not None and stored.status == "active"


async def test_the_database_syncs_at_checkpoints_not_every_commit(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=NOW) as h:
        async with h.services.database.execute("PRAGMA synchronous") as cur:
            row = await cur.fetchone()
        assert row is not None and row[0] == 1  # NORMAL (FULL is 2): see bot/storage/db.py
