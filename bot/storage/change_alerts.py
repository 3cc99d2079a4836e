"""Debounce windows of change alerts: one pending outbox row per delegate, re-rendered by later imports.

A window is open while its outbox row is still pending; once the outbox sender has taken the row, the next
import opens a new window (and a new row). The rows themselves are ordinary outbox rows (kind change_alert).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.db import to_db, transaction
from bot.storage.outbox import OutgoingMessage, enqueue

KIND = "change_alert"


@dataclass(frozen=True)
class Window:
    user_id: int
    outbox_key: str
    base_version: int  # the programme version this delegate's changes are measured from
    session_ids: frozenset[str]
    language: str


@dataclass(frozen=True)
class Rendered:
    """What one import decided for one delegate."""

    user_id: int
    base_version: int
    session_ids: frozenset[str]
    message: OutgoingMessage | None  # None: nothing left to tell (changes undone), drop the pending row


async def open_windows(db: aiosqlite.Connection) -> dict[int, Window]:
    """Delegates whose change alert has not been sent yet."""
    rows = await db.execute_fetchall(
        """
        SELECT w.user_id, w.outbox_key, w.base_version, w.session_ids, COALESCE(u.language, 'en') AS language
        FROM change_alerts AS w
        JOIN outbox AS o ON o.key = w.outbox_key AND o.state = 'pending'
        LEFT JOIN users AS u ON u.user_id = w.user_id
        """
    )
    return {
        row["user_id"]: Window(
            row["user_id"],
            row["outbox_key"],
            row["base_version"],
            frozenset(json.loads(row["session_ids"])),
            row["language"],
        )
        for row in rows
    }


async def save(
    db: aiosqlite.Connection, decisions: Sequence[Rendered], open_now: dict[int, Window], now: datetime
) -> int:
    """Queue, re-render or drop each delegate's alert; returns how many alerts are now waiting to be sent."""
    stamp = to_db(now)
    new: list[OutgoingMessage] = []
    updates: list[tuple[str, str, str]] = []
    drops: list[tuple[str]] = []
    windows: list[tuple[int, str, int, str, str]] = []
    for d in decisions:
        window = open_now.get(d.user_id)
        if d.message is None:
            if window is not None:
                drops.append((window.outbox_key,))
            continue
        if window is None:
            new.append(d.message)
            key = d.message.key
        else:
            key = window.outbox_key
            payload = json.dumps(d.message.payload, ensure_ascii=False)
            updates.append((payload, to_db(d.message.not_before), key))
        windows.append((d.user_id, key, d.base_version, json.dumps(sorted(d.session_ids)), stamp))
    async with transaction(db):
        await enqueue(db, new, now)
        # A later import may make an alert urgent (a session moved to within the debounce): never later, maybe sooner.
        await db.executemany(
            "UPDATE outbox SET payload = ?, not_before = MIN(not_before, ?) WHERE key = ? AND state = 'pending'",
            updates,
        )
        await db.executemany(
            "UPDATE outbox SET state = 'dropped', last_error = 'changes undone by a later import' "
            "WHERE key = ? AND state = 'pending'",
            drops,
        )
        await db.executemany(
            """
            INSERT INTO change_alerts (user_id, outbox_key, base_version, session_ids, opened_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (outbox_key) DO UPDATE SET session_ids = excluded.session_ids
            """,
            windows,
        )
    return len(windows)
