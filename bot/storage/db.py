"""Opening the SQLite database: WAL, foreign keys, rows by name, migrations applied."""

from __future__ import annotations

import logging
from pathlib import Path

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
