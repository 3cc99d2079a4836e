"""End to end: the real Application drains the outbox through the Bot API — on time, in order, exactly once."""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

from bot.storage import outbox, outbox_lease
from tests.conftest import BotHarness, make_harness
from tests.support.outbox import as_if_killed, deliveries, drained, message, settled

T0 = datetime.fromisoformat("2024-06-25T09:00:00+02:00")


async def test_a_due_message_arrives_once_as_queued(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        await outbox.enqueue(db, [message("hello", 42, T0)], T0)
        row = await settled(db, "hello", "sent")
        (call,) = deliveries(h.api, 42)
        assert call.shown == "Message hello"
        assert call.params["parse_mode"] == "HTML"
        assert call.buttons == [[{"text": "Open", "callback_data": "ses|x"}]]
        assert row.message_id == call.result["message_id"] and row.attempts == 1 and row.sent_at == T0
        await h.settle()  # later passes of the outbox sender: nothing is sent twice
        assert len(deliveries(h.api)) == 1


async def test_not_before_is_honoured_on_the_moving_clock(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        await outbox.enqueue(db, [message("digest", 42, T0 + timedelta(hours=1))], T0)
        await h.settle()
        assert deliveries(h.api) == []
        h.clock.set(T0 + timedelta(hours=1))
        await settled(db, "digest", "sent")
        assert len(deliveries(h.api, 42)) == 1


async def test_a_reminder_burst_is_released_before_its_deadline_not_earlier(tmp_path: Path) -> None:
    deadline = T0 + timedelta(minutes=20)  # session at 09:30, reminders 10 minutes ahead
    reminders = [
        message(f"reminder:{u}", u, deadline - timedelta(minutes=5), deadline=deadline, expires_at=deadline)
        for u in (101, 102, 103)
    ]
    async with make_harness(tmp_path, now=deadline - timedelta(minutes=5)) as h:
        db = h.services.database
        await outbox.enqueue(db, [*reminders, message("news", 200, h.clock.now())], h.clock.now())
        await settled(db, "news", "sent")  # a message without a deadline goes at once
        h.clock.set(deadline - timedelta(seconds=60))
        await h.settle()
        assert [c.chat_id for c in deliveries(h.api)] == [200]  # a minute early is too early for three
        h.clock.set(deadline - timedelta(seconds=3))
        counts = await drained(db)
        assert counts == {"sent": 4}
        assert sorted(c.chat_id for c in deliveries(h.api)) == [101, 102, 103, 200]


async def test_messages_to_one_chat_arrive_in_order_a_second_apart(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        await outbox.enqueue(db, [message(f"part-{i}", 42, T0) for i in (1, 2, 3)] + [message("other", 43, T0)], T0)
        await drained(db, timeout=10)
        mine = deliveries(h.api, 42)
        assert [c.shown for c in mine] == ["Message part-1", "Message part-2", "Message part-3"]
        gaps = [b.at - a.at for a, b in itertools.pairwise(mine)]
        assert all(gap >= 0.99 for gap in gaps), gaps
        assert len(deliveries(h.api, 43)) == 1


async def test_a_restart_between_enqueue_and_send_sends_exactly_once(tmp_path: Path) -> None:
    due = T0 + timedelta(minutes=30)
    async with make_harness(tmp_path, now=T0) as first:
        await outbox.enqueue(first.services.database, [message("after-restart", 42, due)], T0)
        await first.settle()
    assert deliveries(first.api) == []
    async with make_harness(tmp_path, now=due) as second:
        await settled(second.services.database, "after-restart", "sent")
        await outbox.enqueue(second.services.database, [message("after-restart", 42, due)], due)  # re-queued: no-op
        await second.settle()
        assert len(deliveries(second.api, 42)) == 1
    async with make_harness(tmp_path, now=due + timedelta(minutes=1)) as third:
        await third.settle()
        assert deliveries(third.api) == []


async def test_after_a_crash_a_message_left_in_flight_is_sent_once_more(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0 - timedelta(hours=1)) as before:
        await outbox.enqueue(before.services.database, [message("in-flight", 42, T0)], T0)
    in_flight = "UPDATE outbox SET state = 'sending', attempts = 1 WHERE key = 'in-flight'"
    await as_if_killed(tmp_path / "bot.sqlite3", in_flight)
    restarted = time.monotonic()
    async with make_harness(tmp_path, now=T0) as h:
        resent = await settled(h.services.database, "in-flight", "sent")
        assert resent.resends == 1 and resent.attempts == 2
        await h.settle()
        (call,) = deliveries(h.api, 42)
        # Telegram still counts the dead process's last second: nothing goes out within a second of taking over.
        assert call.at - restarted >= 1.0


async def test_a_second_bot_on_the_same_database_stands_by_then_takes_over(tmp_path: Path) -> None:
    first_bot, second_bot = make_harness(tmp_path, now=T0), make_harness(tmp_path, now=T0)
    first = await first_bot.__aenter__()
    first_running = True
    second = await second_bot.__aenter__()
    try:
        await outbox.enqueue(first.services.database, [message(f"m{u}", u, T0) for u in range(300, 306)], T0)
        await drained(first.services.database)
        assert len(deliveries(first.api)) == 6 and deliveries(second.api) == []
        lease = await outbox_lease.current(second.services.database)
        assert lease is not None and lease.holder.split(":")[1] == str(os.getpid())
        first_running = False
        await first_bot.__aexit__(None, None, None)  # a clean stop hands the lease over
        await outbox.enqueue(second.services.database, [message("after", 310, T0)], T0)
        await settled(second.services.database, "after", "sent", timeout=8)
        assert len(deliveries(second.api, 310)) == 1 and len(deliveries(first.api)) == 6
    finally:
        if first_running:
            await first_bot.__aexit__(None, None, None)
        await second_bot.__aexit__(None, None, None)


async def test_capping_requests_on_the_wire_bounds_what_a_crash_can_duplicate(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0, send_max_in_flight=1) as h:
        h.api.latency = 0.05
        spans: list[tuple[float, float]] = []
        h.api.listeners.append(lambda c: spans.append((c.at, time.monotonic())) if c.method == "sendMessage" else None)
        await outbox.enqueue(h.services.database, [message(f"one-at-a-time-{u}", u, T0) for u in range(500, 506)], T0)
        await drained(h.services.database)
        assert len(deliveries(h.api)) == 6
        spans.sort()
        assert all(later[0] >= earlier[1] for earlier, later in itertools.pairwise(spans)), spans


def _overlaps(spans: list[tuple[float, float]]) -> int:
    """How many requests started before the one before them had come back."""
    spans.sort()
    return sum(1 for earlier, later in itertools.pairwise(spans) if later[0] < earlier[1])


def _timed(h: BotHarness) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    h.api.listeners.append(lambda c: spans.append((c.at, time.monotonic())) if c.method == "sendMessage" else None)
    return spans


async def test_reminders_with_lead_time_go_one_at_a_time(tmp_path: Path) -> None:
    deadline = T0 + timedelta(minutes=10)
    async with make_harness(tmp_path, now=T0) as h:
        h.api.latency = 0.05
        spans = _timed(h)
        rows = [message(f"r{u}", u, T0, deadline=deadline) for u in range(600, 620)]
        await outbox.enqueue(h.services.database, rows, T0)
        h.clock.set(deadline - timedelta(seconds=8))  # released: 20 rows take ~1.3 s one at a time, on time
        await drained(h.services.database)
        assert len(deliveries(h.api)) == 20
        assert _overlaps(spans) == 0, spans  # a crash could duplicate at most the one on its way


async def test_a_burst_that_would_be_late_one_at_a_time_is_pipelined(tmp_path: Path) -> None:
    deadline = T0 + timedelta(seconds=2)  # 40 rows one at a time take ~2.5 s: too late
    async with make_harness(tmp_path, now=T0) as h:
        h.api.latency = 0.05
        spans = _timed(h)
        rows = [message(f"p{u}", u, T0, deadline=deadline) for u in range(700, 740)]
        await outbox.enqueue(h.services.database, rows, T0)
        await drained(h.services.database)
        assert len(deliveries(h.api)) == 40
        assert _overlaps(spans) >= 10, spans  # full pace: 30/s at 50 ms a request keeps two on the wire


async def test_a_hung_request_holds_a_one_at_a_time_burst_only_while_it_is_still_on_time(tmp_path: Path) -> None:
    deadline = T0 + timedelta(minutes=10)
    async with make_harness(tmp_path, now=T0) as h:
        h.api.slow_chats[800] = 4.0  # the first reminder's request hangs for four seconds
        rows = [message(f"h{u}", u, T0, deadline=deadline) for u in range(800, 820)]
        await outbox.enqueue(h.services.database, rows, T0)
        h.clock.set(deadline - timedelta(seconds=8))  # released, one at a time: plenty of time
        started = time.monotonic()
        await asyncio.sleep(1.5)
        assert deliveries(h.api) == []  # still on time: the burst waits for the request on the wire
        h.clock.set(deadline - timedelta(seconds=3))  # now one at a time would be late: pipeline the rest
        await h.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 819, timeout=10)
        assert time.monotonic() - started < 4.0  # the rest went before the hung request came back
        assert 800 not in [c.chat_id for c in deliveries(h.api)]
        await drained(h.services.database)
        assert sorted(c.chat_id for c in deliveries(h.api)) == list(range(800, 820))  # each exactly once
