"""Where unfinished dialogues stand, per scope (a conversation's steps, users' dialogue data), as JSON text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.db import from_db, transaction


@dataclass(frozen=True)
class Saved:
    value: str  # JSON
    saved_at: datetime


async def load(db: aiosqlite.Connection, scope: str) -> dict[str, Saved]:
    """Every key saved in `scope`, with its value."""
    rows = await db.execute_fetchall("SELECT key, value, saved_at FROM dialogues WHERE scope = ?", (scope,))
    return {row["key"]: Saved(row["value"], from_db(row["saved_at"])) for row in rows}


async def save(db: aiosqlite.Connection, scope: str, key: str, value: str | None, now: datetime) -> None:
    """Save `value` under `key`; None forgets the key (the dialogue ended)."""
    async with transaction(db):
        if value is None:
            await db.execute("DELETE FROM dialogues WHERE scope = ? AND key = ?", (scope, key))
        else:
            await db.execute(
                "INSERT INTO dialogues (scope, key, value, saved_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, saved_at = excluded.saved_at",
                # Stored as given, not through to_db: saved_at is only read back as an instant, never compared in SQL.
                (scope, key, value, now.isoformat()),
            )
