"""Organiser broadcasts as stored: draft → scheduled → sending → done/stopped, or cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.db import fetch_one, from_db, to_db, transaction

DRAFT, SCHEDULED, SENDING, DONE, STOPPED = "draft", "scheduled", "sending", "done", "stopped"  # or cancelled
CLI_ORGANISER = 0  # organiser_id of broadcasts made from the command line


@dataclass(frozen=True)
class Broadcast:
    id: int
    organiser_id: int
    state: str
    text: str
    media_kind: str
    media_id: str
    audience: str
    urgent: bool
    recipients: int
    scheduled_at: datetime | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    report_chat: int | None
    report_message: int | None

    @property
    def batch(self) -> str:
        """The outbox batch of its messages."""
        return f"broadcast:{self.id}"


@dataclass(frozen=True)
class Delivery:
    """Where the messages of one broadcast are: the figures of the live report."""

    total: int
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    dropped: int = 0  # stopped or expired: never sent
    resent: int = 0  # sent again after a crash, so possibly received twice

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.blocked

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.handled - self.dropped)


def _broadcast(row: aiosqlite.Row) -> Broadcast:
    created = from_db(row["created_at"])
    return Broadcast(
        id=row["id"],
        organiser_id=row["organiser_id"],
        state=row["state"],
        text=row["text"],
        media_kind=row["media_kind"],
        media_id=row["media_id"],
        audience=row["audience"],
        urgent=bool(row["urgent"]),
        recipients=row["recipients"],
        scheduled_at=from_db(row["scheduled_at"]),
        created_at=created,
        started_at=from_db(row["started_at"]),
        finished_at=from_db(row["finished_at"]),
        report_chat=row["report_chat"],
        report_message=row["report_message"],
    )


async def create(
    db: aiosqlite.Connection,
    organiser_id: int,
    text: str,
    now: datetime,
    *,
    media_kind: str = "",
    media_id: str = "",
) -> Broadcast:
    """A new draft; the organiser still chooses the audience and when."""
    async with transaction(db):
        cur = await db.execute(
            "INSERT INTO broadcasts (organiser_id, text, media_kind, media_id, created_at) VALUES (?, ?, ?, ?, ?)",
            (organiser_id, text, media_kind, media_id, to_db(now)),
        )
    assert cur.lastrowid is not None
    found = await get(db, cur.lastrowid)
    assert found is not None
    return found


async def get(db: aiosqlite.Connection, broadcast_id: int) -> Broadcast | None:
    row = await fetch_one(db, "SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
    return _broadcast(row) if row else None


async def set_audience(db: aiosqlite.Connection, broadcast_id: int, audience: str, recipients: int) -> bool:
    """Choose the audience of a draft; False when it is no longer a draft."""
    async with transaction(db):
        cur = await db.execute(
            "UPDATE broadcasts SET audience = ?, recipients = ? WHERE id = ? AND state = 'draft'",
            (audience, recipients, broadcast_id),
        )
    return cur.rowcount == 1


async def set_report_message(db: aiosqlite.Connection, broadcast_id: int, chat_id: int, message_id: int) -> None:
    async with transaction(db):
        await db.execute(
            "UPDATE broadcasts SET report_chat = ?, report_message = ? WHERE id = ?",
            (chat_id, message_id, broadcast_id),
        )


async def start_sending(db: aiosqlite.Connection, broadcast_id: int, recipients: int, now: datetime) -> bool:
    """Move a draft or scheduled broadcast to sending, once: a second caller (double tap, two organisers) gets False."""
    async with transaction(db):
        cur = await db.execute(
            """
            UPDATE broadcasts SET state = 'sending', recipients = ?, started_at = ?
            WHERE id = ? AND state IN ('draft', 'scheduled')
            """,
            (recipients, to_db(now), broadcast_id),
        )
    return cur.rowcount == 1


async def schedule(db: aiosqlite.Connection, broadcast_id: int, at: datetime) -> bool:
    async with transaction(db):
        cur = await db.execute(
            "UPDATE broadcasts SET state = 'scheduled', scheduled_at = ? WHERE id = ? AND state = 'draft'",
            (to_db(at), broadcast_id),
        )
    return cur.rowcount == 1


async def cancel(db: aiosqlite.Connection, broadcast_id: int, now: datetime) -> bool:
    """Cancel a draft or a scheduled broadcast (nothing of it was queued yet)."""
    async with transaction(db):
        cur = await db.execute(
            "UPDATE broadcasts SET state = 'cancelled', finished_at = ?"
            " WHERE id = ? AND state IN ('draft', 'scheduled')",
            (to_db(now), broadcast_id),
        )
    return cur.rowcount == 1


async def finish(db: aiosqlite.Connection, broadcast_id: int, state: str, now: datetime) -> bool:
    """End a sending broadcast as done or stopped; False when it had already ended."""
    if state not in (DONE, STOPPED):
        raise ValueError(state)
    async with transaction(db):
        cur = await db.execute(
            "UPDATE broadcasts SET state = ?, finished_at = ? WHERE id = ? AND state = 'sending'",
            (state, to_db(now), broadcast_id),
        )
    return cur.rowcount == 1


async def in_state(db: aiosqlite.Connection, *states: str) -> list[Broadcast]:
    marks = ", ".join("?" for _ in states)
    rows = await db.execute_fetchall(
        f"SELECT * FROM broadcasts WHERE state IN ({marks}) ORDER BY COALESCE(scheduled_at, created_at), id", states
    )
    return [_broadcast(row) for row in rows]


async def drafts_of(db: aiosqlite.Connection, organiser_id: int) -> list[Broadcast]:
    """One organiser's drafts: written, perhaps previewed, neither sent, scheduled nor cancelled."""
    rows = await db.execute_fetchall(
        "SELECT * FROM broadcasts WHERE state = 'draft' AND organiser_id = ? ORDER BY id", (organiser_id,)
    )
    return [_broadcast(row) for row in rows]


async def due(db: aiosqlite.Connection, now: datetime) -> list[Broadcast]:
    """Scheduled broadcasts whose time has come."""
    rows = await db.execute_fetchall(
        "SELECT * FROM broadcasts WHERE state = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at, id",
        (to_db(now),),
    )
    return [_broadcast(row) for row in rows]


async def recent(db: aiosqlite.Connection, limit: int = 5) -> list[Broadcast]:
    """The latest broadcasts that went out (or started to)."""
    rows = await db.execute_fetchall(
        "SELECT * FROM broadcasts WHERE state IN ('sending', 'done', 'stopped') ORDER BY started_at DESC, id DESC"
        " LIMIT ?",
        (limit,),
    )
    return [_broadcast(row) for row in rows]


async def delivery(db: aiosqlite.Connection, batch: str) -> Delivery:
    """Count the outbox rows of one batch by what became of them (the outbox sender drops a blocked user's rows)."""
    rows = await db.execute_fetchall(
        """
        SELECT CASE WHEN o.state IN ('failed', 'dropped', 'parked')
                         AND (o.last_error LIKE 'blocked:%' OR u.status = 'blocked') THEN 'blocked'
                    ELSE o.state END AS state,
               COUNT(*) AS n
        FROM outbox AS o LEFT JOIN users AS u ON u.user_id = o.chat_id
        WHERE o.batch = ?
        GROUP BY 1
        """,
        (batch,),
    )
    n = {row["state"]: row["n"] for row in rows}
    resent = await fetch_one(
        db, "SELECT COUNT(*) FROM outbox WHERE batch = ? AND state = 'sent' AND resends > 0", (batch,)
    )
    return Delivery(
        total=sum(n.values()),
        sent=n.get("sent", 0),
        failed=n.get("failed", 0) + n.get("parked", 0),
        blocked=n.get("blocked", 0),
        dropped=n.get("dropped", 0) + n.get("expired", 0),
        resent=resent[0] if resent else 0,
    )
