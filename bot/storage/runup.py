"""What became of each run-up entry (sent to whom, skipped, expired) and organisers' edits of its text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.db import from_db, to_db, transaction

ENQUEUED, EXPIRED = "enqueued", "expired"


@dataclass(frozen=True)
class EntryState:
    entry_id: str
    skipped: bool
    urgent: bool | None  # None: as the file says
    outcome: str  # '' (not yet due), 'enqueued' or 'expired'
    recipients: int
    done_at: datetime | None


async def states(db: aiosqlite.Connection) -> dict[str, EntryState]:
    rows = await db.execute_fetchall("SELECT * FROM runup_entries")
    return {
        r["entry_id"]: EntryState(
            r["entry_id"],
            bool(r["skipped"]),
            None if r["urgent"] is None else bool(r["urgent"]),
            r["outcome"],
            r["recipients"],
            from_db(r["done_at"]),
        )
        for r in rows
    }


async def set_skipped(db: aiosqlite.Connection, entry_id: str, skipped: bool) -> None:
    async with transaction(db):
        await db.execute(
            "INSERT INTO runup_entries (entry_id, skipped) VALUES (?, ?)"
            " ON CONFLICT (entry_id) DO UPDATE SET skipped = excluded.skipped",
            (entry_id, int(skipped)),
        )


async def set_urgent(db: aiosqlite.Connection, entry_id: str, urgent: bool) -> None:
    async with transaction(db):
        await db.execute(
            "INSERT INTO runup_entries (entry_id, urgent) VALUES (?, ?)"
            " ON CONFLICT (entry_id) DO UPDATE SET urgent = excluded.urgent",
            (entry_id, int(urgent)),
        )


async def mark_done(db: aiosqlite.Connection, entry_id: str, outcome: str, recipients: int, now: datetime) -> bool:
    """Record that an entry went out (or expired); False when it was already done."""
    async with transaction(db):
        cur = await db.execute(
            """
            INSERT INTO runup_entries (entry_id, outcome, recipients, done_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (entry_id) DO UPDATE SET
                outcome = excluded.outcome, recipients = excluded.recipients, done_at = excluded.done_at
            WHERE runup_entries.outcome = ''
            """,
            (entry_id, outcome, recipients, to_db(now)),
        )
    return cur.rowcount == 1


async def set_edit(db: aiosqlite.Connection, entry_id: str, language: str, text: str, by: int, now: datetime) -> None:
    """Replace an entry's text in one language (Telegram HTML, placeholders allowed)."""
    async with transaction(db):
        await db.execute(
            """
            INSERT INTO runup_edits (entry_id, language, text, edited_by, edited_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (entry_id, language) DO UPDATE SET
                text = excluded.text, edited_by = excluded.edited_by, edited_at = excluded.edited_at
            """,
            (entry_id, language, text, by, to_db(now)),
        )


async def edits(db: aiosqlite.Connection) -> dict[tuple[str, str], str]:
    """Organisers' texts by (entry id, language)."""
    rows = await db.execute_fetchall("SELECT entry_id, language, text FROM runup_edits")
    return {(r["entry_id"], r["language"]): r["text"] for r in rows}
