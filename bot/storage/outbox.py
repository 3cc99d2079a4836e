"""The outbox: every message the bot sends on its own initiative is a row here before it is sent."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiosqlite


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one chat. `key` is the idempotency key, e.g. 'reminder:<user>:<session>:<start>'."""

    key: str
    chat_id: int
    kind: str  # reminder | digest | broadcast | runup | change_alert | ...
    payload: dict[str, Any]  # Reply.to_payload()
    not_before: datetime  # aware; never sent earlier
    deadline: datetime | None = None  # should have arrived by then
    expires_at: datetime | None = None  # never sent after this
    batch: str = ""


@dataclass(frozen=True)
class QueuedMessage:
    id: int
    key: str
    chat_id: int
    kind: str
    payload: dict[str, Any] = field(hash=False)
    not_before: datetime
    deadline: datetime | None
    expires_at: datetime | None
    state: str
    attempts: int
    last_error: str
    batch: str
    sent_at: datetime | None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def queued(row: aiosqlite.Row) -> QueuedMessage:
    return QueuedMessage(
        id=row["id"],
        key=row["key"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        not_before=datetime.fromisoformat(row["not_before"]),
        deadline=_dt(row["deadline"]),
        expires_at=_dt(row["expires_at"]),
        state=row["state"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        batch=row["batch"],
        sent_at=_dt(row["sent_at"]),
    )


async def enqueue(db: aiosqlite.Connection, messages: Iterable[OutgoingMessage], now: datetime) -> int:
    """Queue messages; one whose key is already queued (in any state) is skipped. Returns how many were new."""
    rows = [
        (
            m.key,
            m.chat_id,
            m.kind,
            json.dumps(m.payload, ensure_ascii=False),
            _utc(m.not_before),
            _utc(m.deadline),
            _utc(m.expires_at),
            m.batch,
            _utc(now),
        )
        for m in messages
    ]
    before = db.total_changes
    await db.executemany(
        """
        INSERT INTO outbox (key, chat_id, kind, payload, not_before, deadline, expires_at, batch, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (key) DO NOTHING
        """,
        rows,
    )
    await db.commit()
    return db.total_changes - before


def _utc(value: datetime | None) -> str | None:
    """Store instants as UTC ISO strings so that text order is time order in SQL."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("outbox times must be timezone-aware")
    return value.astimezone(UTC).isoformat()


async def get_by_key(db: aiosqlite.Connection, key: str) -> QueuedMessage | None:
    async with db.execute("SELECT * FROM outbox WHERE key = ?", (key,)) as cur:
        row = await cur.fetchone()
    return queued(row) if row else None
