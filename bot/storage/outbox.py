"""The outbox: every message the bot sends on its own initiative is a row here before it is sent."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiosqlite

from bot.outbox_plan import DeadlineGroup
from bot.storage.db import fetch_one, from_db, to_db, transaction


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one chat. `key` is the idempotency key, e.g. 'reminder:<user>:<session>:<start>'.

    How the outbox sender reads the times (bot/outbox_plan.py has the details):
    - `not_before`: never sent earlier.
    - `deadline`: must have arrived by then. The outbox sender holds the row back until the latest moment at which
      it can still send it, and every other row due by the same deadline, at Telegram's rate — but never before
      `not_before`. So set `not_before` to the earliest moment the message still makes sense, not to the
      deadline: 2,000 reminders take about 70 real seconds at 30/s (× BOT_CLOCK_SPEED on the bot's clock),
      and need at least that much room between the two. Rows with the same deadline go out together.
    - no `deadline`: sent as soon as possible after `not_before`, after rows whose deadline is near.
    - `expires_at`: never sent at or after this (state 'expired'); e.g. a reminder expires at the session start.
    `payload` is `Reply.to_payload()`, optionally with "media": {"kind": "photo"|"document", "file_id": ...}
    (the text becomes the caption) and "silent": true (no notification sound).
    Messages to one chat leave one at a time, at most one per second, in (deadline, not_before, enqueue) order.
    """

    key: str
    chat_id: int
    kind: str  # reminder | digest | broadcast | runup | change_alert | ...
    payload: dict[str, Any]  # Reply.to_payload()
    not_before: datetime  # aware; never sent earlier
    deadline: datetime | None = None  # should have arrived by then
    expires_at: datetime | None = None  # never sent at or after this
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
    resends: int = 0  # times it was sent again after a crash left it in 'sending' (possible duplicates)
    message_id: int | None = None  # Telegram's id of the sent message


def queued(row: aiosqlite.Row) -> QueuedMessage:
    return QueuedMessage(
        id=row["id"],
        key=row["key"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        payload=json.loads(row["payload"]),
        not_before=from_db(row["not_before"]),
        deadline=from_db(row["deadline"]),
        expires_at=from_db(row["expires_at"]),
        state=row["state"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        batch=row["batch"],
        sent_at=from_db(row["sent_at"]),
        resends=row["resends"],
        message_id=row["message_id"],
    )


async def enqueue(db: aiosqlite.Connection, messages: Iterable[OutgoingMessage], now: datetime) -> int:
    """Queue messages; one whose key is already queued (in any state) is skipped. Returns how many were new."""
    rows = [
        (
            m.key,
            m.chat_id,
            m.kind,
            json.dumps(m.payload, ensure_ascii=False),
            to_db(m.not_before),
            to_db(m.deadline),
            to_db(m.expires_at),
            m.batch,
            to_db(now),
        )
        for m in messages
    ]
    async with transaction(db):
        before = db.total_changes
        await db.executemany(
            """
            INSERT INTO outbox (key, chat_id, kind, payload, not_before, deadline, expires_at, batch, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (key) DO NOTHING
            """,
            rows,
        )
    return db.total_changes - before


# --- the outbox sender's side ------------------------------------------------------------------------------
PENDING, SENDING, SENT, FAILED, PARKED, DROPPED, EXPIRED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "parked",
    "dropped",
    "expired",
)


def _priority(alias: str) -> str:
    """Order of due rows, overall and within one chat: released deadline rows (earliest first), then the rest."""
    return f"{alias}.deadline IS NULL, COALESCE({alias}.deadline, ''), {alias}.not_before, {alias}.id"


_DUE = """{a}.state = 'pending' AND {a}.not_before <= :now AND ({a}.expires_at IS NULL OR {a}.expires_at > :now)
          AND ({a}.deadline IS NULL OR {a}.deadline <= :released)"""


async def due_heads(
    db: aiosqlite.Connection, now: datetime, released: datetime | None, busy: Iterable[int], limit: int
) -> list[int]:
    """Ids of rows to send now, in priority order: at most one per chat, never one behind another of its chat.

    Due: pending, `not_before` passed, not expired, no deadline or a deadline up to `released`. Chats in `busy`
    and chats with a row in 'sending' (in flight, or waiting to be retried) are skipped.
    """
    params = {
        "now": to_db(now),
        "released": to_db(released) or "",
        "busy": json.dumps(sorted(set(busy))),
        "limit": limit,
    }
    rows = await db.execute_fetchall(
        f"""
        SELECT o.id FROM outbox AS o
        WHERE {_DUE.format(a="o")}
          AND o.chat_id NOT IN (SELECT value FROM json_each(:busy))
          AND NOT EXISTS (
              SELECT 1 FROM outbox AS e
              WHERE e.chat_id = o.chat_id AND e.id != o.id
                AND (e.state = 'sending' OR ({_DUE.format(a="e")} AND ({_priority("e")}) < ({_priority("o")}))))
        ORDER BY {_priority("o")}
        LIMIT :limit
        """,
        params,
    )
    return [row["id"] for row in rows]


async def deadline_groups(db: aiosqlite.Connection) -> list[DeadlineGroup]:
    """Pending rows with a deadline, grouped by deadline, for the burst plan."""
    rows = await db.execute_fetchall(
        """
        SELECT deadline, SUM(n) AS count, MAX(n) AS most
        FROM (SELECT deadline, chat_id, COUNT(*) AS n FROM outbox
              WHERE state = 'pending' AND deadline IS NOT NULL GROUP BY deadline, chat_id)
        GROUP BY deadline ORDER BY deadline
        """
    )
    return [DeadlineGroup(from_db(r["deadline"]), r["count"], r["most"]) for r in rows]


async def _update(db: aiosqlite.Connection, sql: str, params: Sequence[Any] = ()) -> int:
    async with transaction(db):
        cur = await db.execute(sql, params)
    return cur.rowcount


async def claim(db: aiosqlite.Connection, row_id: int, now: datetime) -> QueuedMessage | None:
    """Mark one row as being sent; None when it is no longer pending (taken, dropped, updated away) or expired."""
    # No RETURNING: a write statement still open between execute and fetch would make another task's commit
    # on the same connection fail. The UPDATE alone decides who has the row.
    taken = await _update(
        db,
        "UPDATE outbox SET state = 'sending', attempts = attempts + 1"
        " WHERE id = ? AND state = 'pending' AND (expires_at IS NULL OR expires_at > ?)",
        (row_id, to_db(now)),
    )
    if not taken:
        return None
    row = await fetch_one(db, "SELECT * FROM outbox WHERE id = ?", (row_id,))
    return queued(row) if row else None


async def note_retry(db: aiosqlite.Connection, row_id: int, error: str, *, possibly_delivered: bool = False) -> None:
    """Record a failed attempt of a row being sent, before the next one (a possible duplicate if it may have landed)."""
    await _update(
        db,
        "UPDATE outbox SET attempts = attempts + 1, resends = resends + ?, last_error = ?"
        " WHERE id = ? AND state = 'sending'",
        (int(possibly_delivered), error, row_id),
    )


async def mark_sent(db: aiosqlite.Connection, row_id: int, now: datetime, message_id: int) -> None:
    await _update(
        db,
        "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, last_error = '' WHERE id = ?",
        (to_db(now), message_id, row_id),
    )


async def settle(db: aiosqlite.Connection, row_id: int, state: str, reason: str) -> None:
    """End a row being sent without sending it: parked (Telegram refused it), failed (gave up) or expired."""
    await _update(
        db, "UPDATE outbox SET state = ?, last_error = ? WHERE id = ? AND state = 'sending'", (state, reason, row_id)
    )


async def drop_chat(db: aiosqlite.Connection, chat_id: int, reason: str) -> int:
    """Drop every unsent row to a chat that cannot be reached (the user blocked the bot)."""
    return await _update(
        db,
        "UPDATE outbox SET state = 'dropped', last_error = ? WHERE chat_id = ? AND state IN ('pending', 'sending')",
        (reason, chat_id),
    )


async def unclaim(db: aiosqlite.Connection, row_ids: Iterable[int]) -> int:
    """Put rows claimed but not (or not yet again) on the wire back in line, e.g. at shutdown."""
    return await _update(
        db,
        "UPDATE outbox SET state = 'pending' WHERE state = 'sending' AND id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(row_ids)),),
    )


async def recover_interrupted(db: aiosqlite.Connection) -> list[int]:
    """After a crash: rows left 'sending' may have arrived or not; send them again, as resends. Their chats."""
    rows = await db.execute_fetchall("SELECT DISTINCT chat_id FROM outbox WHERE state = 'sending'")
    chats = [int(row["chat_id"]) for row in rows]
    await _update(
        db,
        "UPDATE outbox SET state = 'pending', resends = resends + 1,"
        " last_error = 'interrupted by a restart: may have arrived already' WHERE state = 'sending'",
    )
    return chats


async def expire_overdue(db: aiosqlite.Connection, now: datetime) -> int:
    """Mark pending rows whose `expires_at` has come as expired."""
    return await _update(
        db,
        "UPDATE outbox SET state = 'expired', last_error = 'expired before it could be sent'"
        " WHERE state = 'pending' AND expires_at <= ?",
        (to_db(now),),
    )


async def drop_for_blocked_users(db: aiosqlite.Connection) -> int:
    """Drop pending rows to users known to have blocked the bot (queued before they did, or revived since)."""
    return await _update(
        db,
        "UPDATE outbox SET state = 'dropped', last_error = 'blocked: the user has blocked the bot'"
        " WHERE state = 'pending' AND chat_id IN (SELECT user_id FROM users WHERE status = 'blocked')",
    )


async def stop_batch(db: aiosqlite.Connection, batch: str, reason: str = "stopped") -> int:
    """Drop the unsent rows of a batch (a broadcast's Stop button); rows already on the wire still arrive."""
    return await _update(
        db, "UPDATE outbox SET state = 'dropped', last_error = ? WHERE batch = ? AND state = 'pending'", (reason, batch)
    )


async def due_backlog(db: aiosqlite.Connection, now: datetime) -> dict[str, int]:
    """Messages due by `now` and not yet sent, per kind (/healthz and /metrics; the outbox_due index serves it)."""
    rows = await db.execute_fetchall(
        "SELECT kind, count(*) FROM outbox WHERE state IN ('pending', 'sending') AND not_before <= ? GROUP BY kind",
        (to_db(now),),
    )
    return {row[0]: row[1] for row in rows}
