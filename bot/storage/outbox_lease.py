"""Which process sends the outbox: one at a time per database, renewed while it lives.

Two outbox senders on one database would each pace themselves and together exceed Telegram's limits, and one
would resend the other's in-flight rows as 'interrupted'. The lease runs on SQLite's own wall clock
(julianday('now')), shared by every process on the database whatever their rehearsal clocks say.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.storage.db import fetch_one, transaction

OUTBOX = "outbox"


@dataclass(frozen=True)
class Lease:
    holder: str  # host:pid:token
    seconds_left: float  # negative once expired


async def current(db: aiosqlite.Connection) -> Lease | None:
    """Who holds (or last held) the outbox lease."""
    row = await fetch_one(
        db,
        "SELECT holder, (expires_at - julianday('now')) * 86400.0 AS left FROM outbox_lease WHERE name = ?",
        (OUTBOX,),
    )
    return Lease(row["holder"], row["left"]) if row else None


async def take(db: aiosqlite.Connection, holder: str, seconds: float, *, replacing: str | None = None) -> bool:
    """Take or renew the lease for `seconds`: when free, expired, ours, or held by `replacing` (known dead)."""
    async with transaction(db):
        cur = await db.execute(
            """
            INSERT INTO outbox_lease (name, holder, expires_at) VALUES (?, ?, julianday('now') + ? / 86400.0)
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE outbox_lease.holder IN (excluded.holder, ?) OR outbox_lease.expires_at <= julianday('now')
            """,
            (OUTBOX, holder, seconds, replacing or holder),
        )
    return cur.rowcount == 1


async def release(db: aiosqlite.Connection, holder: str) -> None:
    """Give the lease up on a clean stop, so the next process need not wait for it to expire."""
    async with transaction(db):
        await db.execute("DELETE FROM outbox_lease WHERE name = ? AND holder = ?", (OUTBOX, holder))
