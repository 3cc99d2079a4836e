"""An update that changes nothing writes nothing: the crowd's reads never queue for SQLite's one writer."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from bot.storage import outbox, users
from tests.conftest import BotHarness, make_harness
from tests.support.outbox import message, settled

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
        await h.say("/help", user_id=43)  # the row is known: the next updates would not read it
        h.api.blocked.add(43)  # they block the bot; the next message to them is refused
        await outbox.enqueue(db, [message("to-43", 43, NOW)], NOW)
        h.app.bot_data["outbox"].wake()
        await settled(db, "to-43", "dropped")
        stored = await users.get_user(db, 43)
        assert stored is not None and stored.status == "blocked"
        h.api.blocked.discard(43)
        await h.say("/help", user_id=43)
        stored = await users.get_user(db, 43)
        assert stored is not None and stored.status == "active"


async def test_repeated_updates_read_the_users_row_once_per_refresh(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=NOW) as h:
        await h.say("/start")
        statements: list[str] = []
        await h.services.database.set_trace_callback(statements.append)
        try:
            for text in ("/help", "/now", "/next", "what's on now?"):
                await h.say(text)
            reads_while_known = sum("FROM users WHERE user_id" in s for s in statements)
            h.clock.set(NOW + users.SEEN_REFRESH + timedelta(seconds=1))
            await h.say("/help")
        finally:
            await h.services.database.set_trace_callback(None)
        assert reads_while_known == 0
        assert sum("FROM users WHERE user_id" in s for s in statements) >= 1  # stale: read and refreshed


async def test_the_database_syncs_at_checkpoints_not_every_commit(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=NOW) as h:
        async with h.services.database.execute("PRAGMA synchronous") as cur:
            row = await cur.fetchone()
        assert row is not None and row[0] == 1  # NORMAL (FULL is 2): see bot/storage/db.py
