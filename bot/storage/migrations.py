"""Numbered schema migrations, applied in order at start-up and recorded in `_migrations`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import aiosqlite

Migration = Callable[[aiosqlite.Connection], Awaitable[None]]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
async def m001_users(db: aiosqlite.Connection) -> None:
    await db.execute(
        """
        CREATE TABLE users (
            user_id     INTEGER PRIMARY KEY,  -- the Telegram user id (private chat id is the same)
            first_name  TEXT NOT NULL DEFAULT '',
            language    TEXT NOT NULL DEFAULT 'en',
            first_seen  TEXT NOT NULL,        -- ISO 8601 UTC
            last_seen   TEXT NOT NULL,
            status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked'))
        )
        """
    )


async def migrate(db: aiosqlite.Connection) -> list[str]:
    """Apply every migration not yet applied; return the names applied now."""
    await db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    async with db.execute("SELECT name FROM _migrations") as cur:
        done = {row[0] for row in await cur.fetchall()}
    applied: list[str] = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        await db.execute("BEGIN")
        try:
            await fn(db)
            await db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))", (name,))
            await db.commit()
        except BaseException:
            await db.rollback()
            raise
        applied.append(name)
    return applied
