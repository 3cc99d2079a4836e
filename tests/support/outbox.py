"""Helpers for the outbox tests: queue a message, look rows up, wait until the outbox sender has settled them."""

from __future__ import annotations

import asyncio
import socket
import sys
import time
from datetime import datetime
from pathlib import Path

import aiosqlite

from bot.console.api import Call, LocalBotApi
from bot.storage import outbox, outbox_lease
from bot.storage.db import open_database, transaction
from bot.storage.outbox import OutgoingMessage, QueuedMessage
from bot.views.reply import Button, Reply
from tests.conftest import SENTINEL_TEXT

SENDS = ("sendMessage", "sendPhoto", "sendDocument")


def message(
    key: str,
    chat_id: int,
    not_before: datetime,
    *,
    text: str | None = None,
    deadline: datetime | None = None,
    expires_at: datetime | None = None,
    batch: str = "",
    kind: str = "test",
) -> OutgoingMessage:
    """A message whose text names its key, with one button, as producers queue them."""
    reply = Reply(text if text is not None else f"Message <b>{key}</b>", ((Button("Open", "ses|x"),),))
    return OutgoingMessage(key, chat_id, kind, reply.to_payload(), not_before, deadline, expires_at, batch)


async def get_by_key(db: aiosqlite.Connection, key: str) -> QueuedMessage | None:
    """The outbox row queued under `key`, in whatever state."""
    async with db.execute("SELECT * FROM outbox WHERE key = ?", (key,)) as cur:
        row = await cur.fetchone()
    return outbox.queued(row) if row else None


async def state_counts(db: aiosqlite.Connection, batch: str | None = None) -> dict[str, int]:
    """How many outbox rows are in each state (of one batch, or all)."""
    rows = await db.execute_fetchall(
        "SELECT state, COUNT(*) AS n FROM outbox WHERE ? IS NULL OR batch = ? GROUP BY state", (batch, batch)
    )
    return {row["state"]: row["n"] for row in rows}


def deliveries(api: LocalBotApi, chat_id: int | None = None) -> list[Call]:
    """Messages that reached a chat (refused requests, and BotHarness.settle()'s sentinels, are not deliveries)."""
    return [c for c in api.sent(chat_id, methods=SENDS) if c.text != SENTINEL_TEXT]


def attempts_to(api: LocalBotApi, chat_id: int) -> list[Call]:
    """Every request for a chat, refused ones included."""
    return [c for c in api.calls if c.method in SENDS and c.chat_id == chat_id]


async def settled(db: aiosqlite.Connection, key: str, *states: str, timeout: float = 5.0) -> QueuedMessage:
    """Wait until the row of `key` is in one of `states` (default: any final state) and return it."""
    wanted = states or (outbox.SENT, outbox.FAILED, outbox.PARKED, outbox.DROPPED, outbox.EXPIRED)
    deadline = time.monotonic() + timeout
    while True:
        row = await get_by_key(db, key)
        if row is not None and row.state in wanted:
            return row
        if time.monotonic() > deadline:
            raise TimeoutError(f"{key} is {row.state if row else 'missing'}, not {'/'.join(wanted)}")
        await asyncio.sleep(0.02)


async def drained(db: aiosqlite.Connection, timeout: float = 5.0) -> dict[str, int]:
    """Wait until no row is pending or being sent; returns the count of rows per state."""
    deadline = time.monotonic() + timeout
    while True:
        counts = await state_counts(db)
        if not counts.get(outbox.PENDING) and not counts.get(outbox.SENDING):
            return counts
        if time.monotonic() > deadline:
            raise TimeoutError(f"outbox not drained: {counts}")
        await asyncio.sleep(0.02)


async def as_if_killed(database: Path, in_flight_sql: str) -> None:
    """Leave `database` as a SIGKILLed bot does: the row `in_flight_sql` (an UPDATE) marks as being sent, and
    the outbox lease, unexpired, naming a process that no longer runs."""
    gone = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await gone.wait()
    db = await open_database(database)
    async with transaction(db):
        await db.execute(in_flight_sql)
        await outbox_lease.take(db, f"{socket.gethostname()}:{gone.pid}:killed", 60)
    await db.close()
