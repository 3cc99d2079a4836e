"""Opening the SQLite database (WAL, foreign keys, rows by name, migrations applied), and how instants are stored."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import overload

import aiosqlite

from bot.storage.migrations import migrate

logger = logging.getLogger(__name__)


async def open_database(path: str | Path) -> aiosqlite.Connection:
    """Open (creating if needed) and migrate the database at `path` (":memory:" for tests)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(str(path))
    conn.row_factory = aiosqlite.Row
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA foreign_keys=ON")
    # Several processes (the bot, the CLI) may write: wait for a lock instead of failing at once.
    await conn.execute("PRAGMA busy_timeout=5000")
    applied = await migrate(conn)
    if applied:
        logger.info("Applied migrations: %s", ", ".join(applied))
    return conn


@overload
def to_db(instant: datetime) -> str: ...
@overload
def to_db(instant: None) -> None: ...
def to_db(instant: datetime | None) -> str | None:
    """An aware instant as UTC ISO 8601 text, so that text order is time order in SQL (None stays NULL)."""
    if instant is None:
        return None
    if instant.tzinfo is None:
        raise ValueError("stored times must be timezone-aware")
    return instant.astimezone(UTC).isoformat()


@overload
def from_db(text: str) -> datetime: ...
@overload
def from_db(text: None) -> None: ...
def from_db(text: str | None) -> datetime | None:
    """The instant stored as ISO 8601 text (NULL stays None)."""
    return None if text is None else datetime.fromisoformat(text)
