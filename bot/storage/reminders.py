"""Keeping queued reminders and digests in line with what is wanted now (their rows live in the outbox).

The outbox never sends a key twice, so a reminder that is no longer wanted (unbookmarked, muted, session moved
or cancelled) is marked 'dropped' while still pending, and revived in place if it becomes wanted again; a
pending one whose time or text changed (another lead, a programme change) is updated in place.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import aiosqlite

from bot.programme.model import Session
from bot.storage.db import from_db, to_db, transaction
from bot.storage.outbox import OutgoingMessage, enqueue

logger = logging.getLogger(__name__)

REMINDER = "reminder"
DIGEST = "digest"
SNOOZE = "snooze"  # a reminder sent again on request: its own kind, so the tick's sync never drops it
_START_FORMAT = "%Y%m%dT%H%M%SZ"  # ISO 8601 basic, UTC: no ':' so the key splits unambiguously


@dataclass(frozen=True)
class ReminderKey:
    user_id: int
    session_id: str
    start: datetime


def reminder_key(user_id: int, session: Session) -> str:
    """'reminder:<user>:<session id>:<start>': one reminder per user and session start, ever."""
    return f"{REMINDER}:{user_id}:{session.id}:{session.start.astimezone(UTC):{_START_FORMAT}}"


def parse_reminder_key(key: str, kinds: tuple[str, ...] = (REMINDER,)) -> ReminderKey | None:
    kind, _, rest = key.partition(":")
    user, _, rest = rest.partition(":")
    session_id, _, start = rest.rpartition(":")
    if kind not in kinds or not session_id:
        return None
    try:
        return ReminderKey(int(user), session_id, datetime.strptime(start, _START_FORMAT).replace(tzinfo=UTC))
    except ValueError:
        return None


def digest_key(user_id: int, day: date) -> str:
    """'digest:<user>:<YYYY-MM-DD>': one morning digest per user and conference day."""
    return f"{DIGEST}:{user_id}:{day.isoformat()}"


@dataclass(frozen=True)
class SyncReport:
    queued: int = 0  # new rows
    updated: int = 0  # pending rows whose time or text changed, and dropped rows revived
    dropped: int = 0  # pending rows no longer wanted

    @property
    def changed(self) -> bool:
        return bool(self.queued or self.updated or self.dropped)

    def __add__(self, other: SyncReport) -> SyncReport:
        return SyncReport(self.queued + other.queued, self.updated + other.updated, self.dropped + other.dropped)


async def spent_keys(db: aiosqlite.Connection, keys: Iterable[str]) -> set[str]:
    """Those of `keys` whose row went out or is on its way (sent, sending, failed, expired …): nothing to sync."""
    rows = await db.execute_fetchall(
        "SELECT key FROM outbox WHERE key IN (SELECT value FROM json_each(?)) AND state NOT IN ('pending', 'dropped')",
        (json.dumps(list(keys)),),
    )
    return {row[0] for row in rows}


async def sync_pending(
    db: aiosqlite.Connection,
    wanted: Sequence[OutgoingMessage],
    now: datetime,
    *,
    kinds: Iterable[str],
    chat_id: int | None = None,
    chats: Sequence[int] | None = None,
    reason: str = "no longer wanted",
) -> SyncReport:
    """Make the outbox hold exactly `wanted` among the not-yet-expired pending rows of `kinds` (one chat's, `chats`',
    or all)."""
    by_key = {m.key: m for m in wanted}
    async with transaction(db):
        rows = await db.execute_fetchall(
            "SELECT id, key, state, payload, not_before, deadline, expires_at FROM outbox"
            " WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(by_key)),),
        )
        existing = {row["key"]: row for row in rows}
        new = await enqueue(db, [m for m in wanted if m.key not in existing], now)
        texts: dict[int, str] = {}  # payload dicts are shared between users: serialise each once
        changes = []
        for key, row in existing.items():
            if row["state"] not in ("pending", "dropped"):
                continue  # sent, on its way, expired...: its key is spent
            want = by_key[key]
            text = texts.get(id(want.payload))
            if text is None:
                text = texts[id(want.payload)] = json.dumps(want.payload, ensure_ascii=False)
            values = (text, to_db(want.not_before), to_db(want.deadline), to_db(want.expires_at))
            if row["state"] == "dropped" or not _same(row, values, want):
                changes.append((*values, row["id"]))
        before = db.total_changes
        await db.executemany(
            """
            UPDATE outbox
            SET payload = ?, not_before = ?, deadline = ?, expires_at = ?, state = 'pending', last_error = ''
            WHERE id = ? AND state IN ('pending', 'dropped')
            """,
            changes,
        )
        updated = db.total_changes - before
        kinds_json = json.dumps(sorted(set(kinds)))
        pending = await db.execute_fetchall(
            """
            SELECT id, key FROM outbox
            WHERE state = 'pending' AND kind IN (SELECT value FROM json_each(?))
                  AND (? IS NULL OR chat_id = ?) AND (expires_at IS NULL OR expires_at > ?)
                  AND (? IS NULL OR chat_id IN (SELECT value FROM json_each(?)))
            """,
            (kinds_json, chat_id, chat_id, to_db(now), *_chats_filter(chats)),
        )
        stale = [row["id"] for row in pending if row["key"] not in by_key]
        dropped = await _drop(db, stale, reason)
    report = SyncReport(new, updated, dropped)
    if report.changed:
        logger.info("Outbox %s: %d queued, %d updated, %d dropped", "/".join(kinds), new, updated, dropped)
    return report


def _chats_filter(chats: Sequence[int] | None) -> tuple[int | None, str | None]:
    """The two parameters of '(? IS NULL OR chat_id IN (SELECT value FROM json_each(?)))'."""
    return (None, None) if chats is None else (1, json.dumps(list(chats)))


async def drop_pending_outside(
    db: aiosqlite.Connection,
    kinds: Iterable[str],
    keep: Sequence[int],
    now: datetime,
    *,
    chat_id: int | None = None,
    reason: str = "no longer wanted",
) -> int:
    """Drop the not-yet-expired pending rows of `kinds` to chats not in `keep` (one chat's or all): nothing is
    wanted for them any more (they blocked the bot, or the clock went back)."""
    async with transaction(db):
        rows = await db.execute_fetchall(
            """
            SELECT id FROM outbox
            WHERE state = 'pending' AND kind IN (SELECT value FROM json_each(?)) AND (? IS NULL OR chat_id = ?)
                  AND (expires_at IS NULL OR expires_at > ?) AND chat_id NOT IN (SELECT value FROM json_each(?))
            """,
            (json.dumps(sorted(set(kinds))), chat_id, chat_id, to_db(now), json.dumps(list(keep))),
        )
        return await _drop(db, [row["id"] for row in rows], reason)


async def key_states(db: aiosqlite.Connection, keys: Iterable[str]) -> dict[str, str]:
    """The outbox state of each of `keys` that has a row (pending, dropped, sent …)."""
    rows = await db.execute_fetchall(
        "SELECT key, state FROM outbox WHERE key IN (SELECT value FROM json_each(?))", (json.dumps(list(keys)),)
    )
    return {row["key"]: row["state"] for row in rows}


def _same(row: aiosqlite.Row, values: tuple[str | None, ...], want: OutgoingMessage) -> bool:
    """Whether a stored row already says what `want` says (as stored text, else as values)."""
    stored = (row["payload"], row["not_before"], row["deadline"], row["expires_at"])
    if stored == values:
        return True
    times = tuple(from_db(t) for t in stored[1:])
    return json.loads(stored[0]) == want.payload and times == (want.not_before, want.deadline, want.expires_at)


async def _drop(db: aiosqlite.Connection, ids: Sequence[int], reason: str) -> int:
    if not ids:
        return 0
    cur = await db.execute(
        "UPDATE outbox SET state = 'dropped', last_error = ? "
        "WHERE state = 'pending' AND id IN (SELECT value FROM json_each(?))",
        (reason, json.dumps(list(ids))),
    )
    return cur.rowcount


async def drop_pending_reminders(
    db: aiosqlite.Connection,
    session_id: str,
    *,
    keep_start: datetime | None = None,
    user_id: int | None = None,
    reason: str = "session moved, cancelled or removed",
) -> int:
    """Drop pending reminders of a session, snoozed ones included (all, or all but those for `keep_start`; one
    user's or everyone's).

    Call it after a programme change moved or cancelled a session, or when a bookmark is removed. Returns how
    many rows were dropped; the next tick queues the reminder for the new start.
    """
    async with transaction(db):
        rows = await db.execute_fetchall(
            "SELECT id, key FROM outbox WHERE state = 'pending' AND kind IN (?, ?) AND (? IS NULL OR chat_id = ?)",
            (REMINDER, SNOOZE, user_id, user_id),
        )
        ids = []
        for row in rows:
            parsed = parse_reminder_key(row["key"], (REMINDER, SNOOZE))
            if parsed is None or parsed.session_id != session_id:
                continue
            if keep_start is None or parsed.start != keep_start.astimezone(UTC):
                ids.append(row["id"])
        dropped = await _drop(db, ids, reason)
    return dropped


def snooze_key(user_id: int, session: Session) -> str:
    """'snooze:<user>:<session id>:<start>': one snoozed reminder per user and session start, however often pressed."""
    return f"{SNOOZE}:{user_id}:{session.id}:{session.start.astimezone(UTC):{_START_FORMAT}}"


async def queue_snooze(db: aiosqlite.Connection, message: OutgoingMessage, now: datetime) -> bool:
    """Queue a snoozed reminder; False when this one was already queued."""
    async with transaction(db):
        return await enqueue(db, [message], now) == 1


SNOOZE_MUTED = "reminders muted or stopped"  # why a snoozed reminder was dropped: undone by Unmute / Turn on


@dataclass(frozen=True)
class MutedSnooze:
    """A snoozed reminder dropped when its delegate muted or stopped reminders, not sent since."""

    key: str
    not_before: datetime
    expires_at: datetime | None


async def drop_pending_snoozes(db: aiosqlite.Connection, user_id: int, reason: str = SNOOZE_MUTED) -> int:
    """Drop a user's snoozed reminders not sent yet (they muted or stopped reminders)."""
    async with transaction(db):
        cur = await db.execute(
            "UPDATE outbox SET state = 'dropped', last_error = ? WHERE kind = ? AND chat_id = ? AND state = 'pending'",
            (reason, SNOOZE, user_id),
        )
    return cur.rowcount


async def muted_snoozes(db: aiosqlite.Connection, user_id: int) -> list[MutedSnooze]:
    """The user's snoozed reminders that muting or stopping reminders dropped, by time."""
    rows = await db.execute_fetchall(
        "SELECT key, not_before, expires_at FROM outbox"
        " WHERE kind = ? AND chat_id = ? AND state = 'dropped' AND last_error = ? ORDER BY not_before",
        (SNOOZE, user_id, SNOOZE_MUTED),
    )
    return [MutedSnooze(r["key"], from_db(r["not_before"]), from_db(r["expires_at"])) for r in rows]


async def settle_muted_snoozes(
    db: aiosqlite.Connection, restore: Iterable[str], missed: Iterable[str], missed_reason: str
) -> int:
    """Queue the muted snoozes `restore` again and close `missed` for good (so they are not reported twice);
    returns how many were restored."""
    async with transaction(db):
        cur = await db.execute(
            "UPDATE outbox SET state = 'pending', last_error = ''"
            " WHERE key IN (SELECT value FROM json_each(?)) AND state = 'dropped'",
            (json.dumps(list(restore)),),
        )
        await db.execute(
            "UPDATE outbox SET state = 'expired', last_error = ?"
            " WHERE key IN (SELECT value FROM json_each(?)) AND state = 'dropped'",
            (missed_reason, json.dumps(list(missed))),
        )
    return cur.rowcount
