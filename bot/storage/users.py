"""Delegates who have talked to the bot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.storage.db import fetch_one, from_db, transaction

# How stale `last_seen` may get before a message refreshes it: the crowd's updates mostly change nothing, and
# a write per update would make every delegate queue for SQLite's one writer.
SEEN_REFRESH = timedelta(minutes=5)


@dataclass(frozen=True)
class User:
    user_id: int
    first_name: str
    language: str
    first_seen: datetime
    last_seen: datetime
    status: str

    def needs_refresh(self, first_name: str, now: datetime) -> bool:
        """Whether a message from this user at `now` has anything to write (a new name, a return, time)."""
        return self.status != "active" or self.first_name != first_name or now - self.last_seen >= SEEN_REFRESH


def _user(row: aiosqlite.Row) -> User:
    return User(
        user_id=row["user_id"],
        first_name=row["first_name"],
        language=row["language"],
        first_seen=from_db(row["first_seen"]),
        last_seen=from_db(row["last_seen"]),
        status=row["status"],
    )


async def record_contact(db: aiosqlite.Connection, user_id: int, first_name: str, language: str, at: datetime) -> User:
    """Create the user on first contact, else refresh name and last-seen; a returning user is active again."""
    # Stored as given, not through to_db (the clock's instants are UTC anyway): a row may carry any offset, so
    # first_seen is compared as an instant in Python (bot/storage/audiences.py), never as text in SQL.
    stamp = at.isoformat()
    async with transaction(db):
        await db.execute(
            """
            INSERT INTO users (user_id, first_name, language, first_seen, last_seen, status)
            VALUES (?, ?, ?, ?, ?, 'active')
            ON CONFLICT (user_id) DO UPDATE SET
                first_name = excluded.first_name, last_seen = excluded.last_seen, status = 'active'
            """,
            (user_id, first_name, language, stamp, stamp),
        )
    user = await get_user(db, user_id)
    assert user is not None  # just written
    return user


async def get_user(db: aiosqlite.Connection, user_id: int) -> User | None:
    row = await fetch_one(db, "SELECT * FROM users WHERE user_id = ?", (user_id,))
    return _user(row) if row else None


async def set_language(db: aiosqlite.Connection, user_id: int, language: str) -> None:
    async with transaction(db):
        await db.execute("UPDATE users SET language = ? WHERE user_id = ?", (language, user_id))


async def mark_blocked(db: aiosqlite.Connection, user_id: int) -> None:
    async with transaction(db):
        await db.execute("UPDATE users SET status = 'blocked' WHERE user_id = ?", (user_id,))


async def count_users(db: aiosqlite.Connection) -> dict[str, int]:
    rows = await db.execute_fetchall("SELECT status, COUNT(*) FROM users GROUP BY status")
    return {row[0]: row[1] for row in rows}
