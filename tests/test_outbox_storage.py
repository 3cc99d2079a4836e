"""The outbox's SQL against a real SQLite file: idempotent enqueue, what is due, claims, recovery, the lease."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import aiosqlite
import pytest

from bot.storage import outbox, outbox_lease, users
from bot.storage.db import open_database
from tests.support.outbox import get_by_key, message, state_counts

NOW = datetime(2024, 6, 25, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    conn = await open_database(tmp_path / "outbox.sqlite3")
    try:
        yield conn
    finally:
        await conn.close()


async def _ids(db: aiosqlite.Connection, *keys: str) -> list[int]:
    rows = [await get_by_key(db, key) for key in keys]
    return [row.id for row in rows if row is not None]


async def _heads(db: aiosqlite.Connection, now: datetime = NOW, released: datetime | None = None) -> list[str]:
    ids = await outbox.due_heads(db, now, released, [], 100)
    async with db.execute("SELECT id, key FROM outbox") as cur:
        keys = {row["id"]: row["key"] for row in await cur.fetchall()}
    return [keys[i] for i in ids]


async def test_enqueue_twice_is_a_no_op(db: aiosqlite.Connection) -> None:
    first = await outbox.enqueue(db, [message("k1", 1, NOW), message("k2", 2, NOW)], NOW)
    again = await outbox.enqueue(db, [message("k1", 1, NOW, text="changed"), message("k3", 3, NOW)], NOW)
    assert (first, again) == (2, 1)
    row = await get_by_key(db, "k1")
    assert row is not None and "changed" not in row.payload["text"] and row.state == "pending" and row.resends == 0


async def test_due_rows_by_time_expiry_and_release(db: aiosqlite.Connection) -> None:
    await outbox.enqueue(
        db,
        [
            message("later", 1, LATER),
            message("expired", 2, NOW - timedelta(hours=2), expires_at=NOW),
            message("plain", 3, NOW - timedelta(minutes=1)),
            message("reminder", 4, NOW - timedelta(minutes=5), deadline=NOW + timedelta(minutes=1)),
        ],
        NOW,
    )
    assert await _heads(db) == ["plain"]  # the reminder waits for its release, the others are not due
    assert await _heads(db, released=NOW + timedelta(minutes=1)) == ["reminder", "plain"]  # released go first
    assert await _heads(db, now=LATER, released=LATER) == ["reminder", "plain", "later"]
    assert await outbox.expire_overdue(db, NOW) == 1
    assert (await state_counts(db)).get("expired") == 1


async def test_one_head_per_chat_in_order_and_busy_chats_skipped(db: aiosqlite.Connection) -> None:
    await outbox.enqueue(
        db,
        [
            message("a1", 1, NOW - timedelta(minutes=3)),
            message("a2", 1, NOW - timedelta(minutes=2)),
            message("b1", 2, NOW - timedelta(minutes=1)),
            message("a-reminder", 1, NOW, deadline=NOW + timedelta(seconds=5)),
        ],
        NOW,
    )
    assert await _heads(db) == ["a1", "b1"]
    # A released reminder overtakes the broadcast rows of its own chat too: deadlines first, everywhere.
    assert await _heads(db, released=NOW + timedelta(seconds=5)) == ["a-reminder", "b1"]
    assert await outbox.due_heads(db, NOW, None, [1], 100) == await _ids(db, "b1")
    (a1,) = await _ids(db, "a1")
    claimed = await outbox.claim(db, a1, NOW)
    assert claimed is not None and claimed.state == "sending" and claimed.attempts == 1
    assert await _heads(db) == ["b1"]  # chat 1 waits while a1 is on its way (or being retried)
    await outbox.mark_sent(db, a1, NOW, 99)
    assert await _heads(db) == ["a2", "b1"]
    sent = await get_by_key(db, "a1")
    assert sent is not None and sent.state == "sent" and sent.message_id == 99 and sent.sent_at == NOW


async def test_a_claim_is_taken_once_and_never_after_expiry(db: aiosqlite.Connection) -> None:
    await outbox.enqueue(db, [message("x", 1, NOW, expires_at=NOW + timedelta(minutes=1))], NOW)
    (x,) = await _ids(db, "x")
    assert await outbox.claim(db, x, NOW + timedelta(minutes=1)) is None  # expired: not claimed
    assert await outbox.claim(db, x, NOW) is not None
    assert await outbox.claim(db, x, NOW) is None  # already taken
    await outbox.note_retry(db, x, "Bad Gateway")
    await outbox.settle(db, x, outbox.PARKED, "Bad Request: can't parse entities")
    row = await get_by_key(db, "x")
    assert row is not None and (row.state, row.attempts, row.last_error) == (
        "parked",
        2,
        "Bad Request: can't parse entities",
    )


async def test_recovery_after_a_crash_counts_possible_duplicates(db: aiosqlite.Connection) -> None:
    await outbox.enqueue(
        db, [message("on-the-wire", 1, NOW), message("claimed", 2, NOW), message("queued", 3, NOW)], NOW
    )
    wire, claimed = await _ids(db, "on-the-wire", "claimed")
    await outbox.claim(db, wire, NOW)
    await outbox.claim(db, claimed, NOW)
    assert await outbox.unclaim(db, [claimed]) == 1  # a clean stop puts back what had not gone out
    assert await outbox.recover_interrupted(db) == [1]  # a crash leaves the rest in doubt: their chats
    rows = {k: await get_by_key(db, k) for k in ("on-the-wire", "claimed", "queued")}
    assert {k: (r.state, r.resends) for k, r in rows.items() if r} == {
        "on-the-wire": ("pending", 1),
        "claimed": ("pending", 0),
        "queued": ("pending", 0),
    }


async def test_blocked_users_and_stopped_batches_are_dropped(db: aiosqlite.Connection) -> None:
    await users.record_contact(db, 7, "Blocked", "en", NOW)
    await users.mark_blocked(db, 7)
    await outbox.enqueue(
        db,
        [
            message("to-blocked", 7, NOW),
            message("b1", 8, NOW, batch="broadcast:1"),
            message("b2", 9, NOW, batch="broadcast:1"),
            message("gone", 10, NOW),
            message("gone-too", 10, LATER),
        ],
        NOW,
    )
    assert await outbox.drop_for_blocked_users(db) == 1
    (b1,) = await _ids(db, "b1")
    await outbox.claim(db, b1, NOW)
    assert await outbox.stop_batch(db, "broadcast:1") == 1  # b1 is on its way and still arrives
    assert await state_counts(db, "broadcast:1") == {"sending": 1, "dropped": 1}
    assert await outbox.drop_chat(db, 10, "blocked: Forbidden") == 2
    assert (await state_counts(db)).get("dropped") == 4


async def test_the_outbox_lease_admits_one_holder(db: aiosqlite.Connection) -> None:
    assert await outbox_lease.take(db, "host:1:a", 15)
    assert await outbox_lease.take(db, "host:1:a", 15)  # renewing
    assert not await outbox_lease.take(db, "host:2:b", 15)  # held and alive
    assert await outbox_lease.take(db, "host:2:b", 15, replacing="host:1:a")  # known dead
    lease = await outbox_lease.current(db)
    assert lease is not None and lease.holder == "host:2:b" and 14 < lease.seconds_left <= 15
    await outbox_lease.release(db, "host:1:a")  # not the holder: no effect
    assert not await outbox_lease.take(db, "host:3:c", 15)
    await outbox_lease.release(db, "host:2:b")
    assert await outbox_lease.take(db, "host:3:c", 0)  # free now; and expires at once
    assert await outbox_lease.take(db, "host:4:d", 15)  # an expired lease is free


async def test_times_are_stored_as_utc_text_and_naive_ones_are_refused(db: aiosqlite.Connection) -> None:
    summer = timezone(timedelta(hours=2))
    await outbox.enqueue(db, [message("k", 1, NOW.astimezone(summer), deadline=LATER)], NOW)
    stored = await db.execute_fetchall("SELECT not_before, deadline, expires_at, created_at FROM outbox")
    utc = ("2024-06-25T09:00:00+00:00", "2024-06-25T10:00:00+00:00", None, "2024-06-25T09:00:00+00:00")
    assert [tuple(r) for r in stored] == [utc]
    row = await get_by_key(db, "k")
    assert row is not None and (row.not_before, row.deadline, row.expires_at) == (NOW, LATER, None)
    with pytest.raises(ValueError, match="timezone-aware"):
        await outbox.enqueue(db, [message("naive", 1, NOW.replace(tzinfo=None))], NOW)
