"""The organisers' audit log: who did what, when, to whom (broadcasts, run-up edits, programme updates, stats)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import aiosqlite

from bot.storage.db import transaction


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    organiser_id: int
    action: str
    audience: str
    count: int | None
    detail: str


async def record(
    db: aiosqlite.Connection,
    organiser_id: int,
    action: str,
    now: datetime,
    *,
    audience: str = "",
    count: int | None = None,
    detail: str = "",
) -> None:
    """Write one organiser action to the audit log (in the caller's transaction, when there is one)."""
    async with transaction(db):
        await db.execute(
            "INSERT INTO audit_log (at, organiser_id, action, audience, count, detail) VALUES (?, ?, ?, ?, ?, ?)",
            (now.astimezone(UTC).isoformat(), organiser_id, action, audience, count, detail),
        )


async def entries(db: aiosqlite.Connection, limit: int = 100) -> list[AuditEntry]:
    """The latest entries, newest first."""
    rows = await db.execute_fetchall("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
    return [
        AuditEntry(
            datetime.fromisoformat(r["at"]), r["organiser_id"], r["action"], r["audience"], r["count"], r["detail"]
        )
        for r in rows
    ]
