"""A liveness stamp of the running bot, so the command line knows whether someone will send its queue.

Liveness is about real processes, not conference time: the stamp uses SQLite's own wall clock, which the
bot and the command line share even when the bot's clock is rehearsing another instant.
"""

from __future__ import annotations

import aiosqlite

BOT = "bot"


async def beat(db: aiosqlite.Connection, pid: int) -> None:
    """Stamp the bot process `pid` as alive now."""
    await db.execute(
        "INSERT INTO heartbeat (name, pid, beat_at) VALUES (?, ?, julianday('now'))"
        " ON CONFLICT (name) DO UPDATE SET pid = excluded.pid, beat_at = excluded.beat_at",
        (BOT, pid),
    )
    await db.commit()


async def last_beat(db: aiosqlite.Connection) -> tuple[int, float] | None:
    """The pid of the latest stamp and its age in seconds, if a bot ever ran on this database."""
    async with db.execute(
        "SELECT pid, (julianday('now') - beat_at) * 86400.0 AS age FROM heartbeat WHERE name = ?", (BOT,)
    ) as cur:
        row = await cur.fetchone()
    return (row["pid"], row["age"]) if row else None


async def clear(db: aiosqlite.Connection, pid: int) -> None:
    """Remove the stamp on a clean shutdown (only our own)."""
    await db.execute("DELETE FROM heartbeat WHERE name = ? AND pid = ?", (BOT, pid))
    await db.commit()
