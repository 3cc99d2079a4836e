"""The outbox sender: sends queued rows at Telegram's limits, in order per chat, each exactly once.

One long-lived task per bot (started in post_init, stopped in post_stop) drains the `outbox` table:
- what is due now, and when a burst must start to meet its deadline, comes from bot/outbox_plan.py;
- each row is claimed in the database ('pending' → 'sending', atomically), takes a turn on the bot-wide
  SendPacer (≤ SEND_RATE_PER_SECOND) and is sent; a chat gets at most one message per second, one at a time;
- RetryAfter (429) pauses the chat (or every send) for the time Telegram asks, then the row is retried, however
  often Telegram asks; network errors and 5xx are retried with exponential backoff (and hold new sends back
  meanwhile) up to MAX_ATTEMPTS ('failed'); a timed-out request retried counts as a possible duplicate;
  Forbidden marks the user blocked and drops all their unsent rows; BadRequest parks the row with the reason;
  a row is never sent at or after its `expires_at` ('expired').
- Only the holder of the database's outbox lease sends. A row found in 'sending' when the lease is taken
  over from a dead process may have reached Telegram or not: it is sent again and counted in `resends`. A
  clean stop puts rows that are not on the wire back to 'pending'.
- So a crash can duplicate what was on the wire. Rows with a deadline (reminders, digests) use their lead:
  a burst starts early enough to go one request at a time (at most one duplicate per crash) and is pipelined
  only if it would otherwise be late. Rows without one (broadcasts, alerts) go at full pace.
Other parts of the bot only enqueue (bot/storage/outbox.py); `wake()` makes new rows go out without waiting
for the next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

import aiosqlite
from telegram import Message
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot import outbox_plan as plan
from bot.clock import Clock
from bot.runtime.lease import OutboxLease
from bot.runtime.outbox_send import send_row
from bot.runtime.pacer import SendPacer, retry_after_seconds
from bot.storage import outbox, users
from bot.storage.db import open_database
from bot.storage.outbox import QueuedMessage
from bot.storage.reminders import REMINDER

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.25  # real seconds between looks at the table when nothing is due
BATCH = 32  # rows looked up at once (about one second of sending)
MAX_ATTEMPTS = 10  # network errors and 5xx: about three minutes of backoff before a row is 'failed'
STOP_GRACE = 5.0  # real seconds a stop waits for requests on the wire


# /metrics' name for each way an attempt ends (anything else: "error", a network failure or a 5xx).
_RESULTS: dict[type, str] = {
    Message: "sent",
    RetryAfter: "flood_wait",
    Forbidden: "blocked",
    BadRequest: "refused",
    ChatMigrated: "refused",
    TimedOut: "timed_out",
}


class OutboxSender:
    """Drains the outbox through `bot`; the database is a path (own connection) or an open connection."""

    def __init__(
        self,
        bot: ExtBot[bool],
        pacer: SendPacer,
        clock: Clock,
        database: str | Path | aiosqlite.Connection,
        *,
        max_in_flight: int = 0,
        catch_up: Callable[[], Awaitable[object]] | None = None,
        on_unreachable: Callable[[int], object] | None = None,
    ) -> None:
        self.bot, self.pacer, self.clock = bot, pacer, clock
        # Told of a chat that blocked the bot, so what the running bot remembers of that user is read again.
        self._on_unreachable = on_unreachable
        # Run before a round's messages go out: the running bot puts in force the programme version their alerts
        # describe (applied with them, in one transaction, by the command line) before any of them is sent.
        self._catch_up = catch_up
        # What a crash can duplicate is what is on the wire: a cap trades rate for that (1: one per crash, about
        # 1 / round trip per second). Deadline rows go one at a time anyway when that still is on time.
        self._max_in_flight = max_in_flight
        self._flying = 0  # outbox requests on the wire
        self._landed = asyncio.Event()  # set whenever one comes back
        self.lease = OutboxLease()
        self._database = database
        self._db: aiosqlite.Connection | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._outage_until = 0.0
        self._outage_errors = 0
        self._busy: dict[int, int] = {}  # chat → row being delivered
        self._waits_for_cooling = False  # a due row waits only for its chat's spacing to end
        self._released: tuple[datetime, datetime] | None = None  # (deadline released, clock instant it was)
        self._deliveries: set[asyncio.Task[None]] = set()
        self._on_wire: set[int] = set()  # rows whose request may have reached Telegram
        self._unsent: list[int] = []  # claimed rows cancelled before their request went out

    @property
    def db(self) -> aiosqlite.Connection:
        if self._db is None:
            raise RuntimeError("the outbox sender is not started")
        return self._db

    async def start(self, fallback: aiosqlite.Connection | None = None) -> None:
        """Start draining; `fallback` is the connection to use for an in-memory database (":memory:")."""
        if isinstance(self._database, aiosqlite.Connection):
            self._db = self._database
        elif str(self._database) == ":memory:" and fallback is not None:
            self._db = self._database = fallback
        else:  # its own connection, so its commits never interleave with a handler's transaction
            self._db = await open_database(self._database)
        self._task = asyncio.create_task(self._run(), name="outbox-sender")

    def wake(self) -> None:
        """Look at the outbox now (after enqueuing) instead of at the next poll."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop claiming, let requests on the wire finish, put the rest back in line, give the lease up."""
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            done, _ = await asyncio.wait({self._task}, timeout=STOP_GRACE)
            if not done:
                self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._deliveries:
            _, late = await asyncio.wait(set(self._deliveries), timeout=STOP_GRACE)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._db is None:
            return
        if self._unsent:
            await outbox.unclaim(self._db, self._unsent)
        await self.lease.release(self._db)
        if self._db is not self._database:
            await self._db.close()
        self._db = None

    # --- the loop -------------------------------------------------------------------------------------
    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                if await self._lead() and await self._send_due():
                    continue  # there may be more due right away
                await self._idle()
            except Exception:
                logger.exception("Outbox sender failed; trying again shortly")
                await self._idle(1.0)

    async def _idle(self, seconds: float = POLL_SECONDS) -> None:
        cooling = self.pacer.cooling_chats().values() if self._waits_for_cooling else ()
        if cooling:
            seconds = min(seconds, max(0.01, min(cooling) - time.monotonic()))
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    async def _lead(self) -> bool:
        """Hold the outbox lease; on taking it, resend what a dead holder left on the wire."""
        held, taken = await self.lease.hold(self.db)
        if taken and not self._busy:
            interrupted = await outbox.recover_interrupted(self.db)
            if interrupted:
                logger.warning(
                    "Messages to %d chats were on their way when the bot stopped; sending them again", len(interrupted)
                )
            if self.lease.inherited:
                # Telegram still counts what the dead holder sent in its last seconds (overall and per chat).
                self.pacer.inherit(interrupted)
        return held

    async def _send_due(self) -> bool:
        """Claim and start sending what is due now, one pacer turn each; False when nothing was due."""
        db, now = self.db, self.clock.now()
        expired = await outbox.expire_overdue(db, now)
        dropped = await outbox.drop_for_blocked_users(db)
        if expired or dropped:
            logger.info("Outbox: %d expired unsent, %d dropped for blocked users", expired, dropped)
        groups = await outbox.deadline_groups(db)
        speed = self.clock.speed
        careful = plan.one_at_a_time(self.pacer.pacing, self.pacer.round_trip())
        released = self._keep_released(plan.released_until(groups, careful, now, speed, careful=True), now)
        alone = plan.on_time_one_at_a_time(groups, released, careful, now, speed)
        cooling = self.pacer.cooling_chats()
        heads = await outbox.due_heads(db, now, released, [*self._busy, *cooling], BATCH)
        # Look again when a chat's spacing ends only if a row waits for that: otherwise the replies to a crowd
        # (each chat cools for a second after its answer) would wake this loop hundreds of times a second.
        self._waits_for_cooling = bool(
            not heads and cooling and await outbox.due_heads(db, now, released, self._busy, 1)
        )
        if heads and self._catch_up is not None:
            await self._catch_up()
        for row_id in heads:
            await self._outage_pause()
            # Claim only when it may go out; a slow request means: look again whether one at a time is on time.
            if not await self._room_on_wire(1 if alone else self._max_in_flight) or self._stopping.is_set():
                break
            row = await outbox.claim(db, row_id, self.clock.now())
            if row is None:
                continue
            if row.chat_id in self._busy or self.pacer.chat_ready_at(row.chat_id) > time.monotonic():
                await outbox.unclaim(db, [row.id])  # a reply to this chat went out meanwhile: next round
                continue
            # The turn is taken after the claim, so that nothing slow (a commit) separates it from the request.
            try:
                await self.pacer.slot(bulk=True)
            except asyncio.CancelledError:
                self._unsent.append(row.id)
                raise
            self._spawn(row)
            await asyncio.sleep(0)  # its request starts (and counts as flying) before the next row is looked at
        return bool(heads)

    async def _room_on_wire(self, limit: int) -> bool:
        """Wait up to a second until fewer than `limit` outbox requests are on the wire (0: no limit)."""
        if not limit or self._flying < limit:
            return True
        self._landed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._landed.wait(), 1.0)
        return self._flying < limit

    def _keep_released(self, released: datetime | None, now: datetime) -> datetime | None:
        """Once a burst has started it goes on at full pace, gaining slack, instead of being held back again as
        the rows left need less time (the plan alone would send each row at its latest start)."""
        kept = self._released
        if kept is not None and now >= kept[1] and (released is None or kept[0] > released):
            return kept[0]
        self._released = (released, now) if released is not None else None
        return released

    async def _outage_pause(self) -> None:
        wait = self._outage_until - time.monotonic()
        if wait > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), wait)

    # --- one row ------------------------------------------------------------------------------------
    def _spawn(self, row: QueuedMessage) -> None:
        self._busy[row.chat_id] = row.id
        task = asyncio.create_task(self._deliver(row), name=f"outbox-{row.id}")
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)

    async def _deliver(self, row: QueuedMessage) -> None:
        try:
            await self._attempts(row)
        except asyncio.CancelledError:
            if row.id not in self._on_wire:
                self._unsent.append(row.id)
            raise
        except Exception:
            logger.exception("Outbox message %s could not be handled; it stays 'sending' until a restart", row.key)
        finally:
            self._on_wire.discard(row.id)
            self._busy.pop(row.chat_id, None)
            self._wake.set()

    async def _attempts(self, row: QueuedMessage) -> None:
        attempt = 1
        while True:
            result = await self._request(row)
            self._count(row, result)
            if isinstance(result, Message):
                self._outage_errors = 0
                await outbox.mark_sent(self.db, row.id, self.clock.now(), result.message_id)
                return
            if isinstance(result, Forbidden):
                await self._unreachable(row, result.message)
                return
            if isinstance(result, ChatMigrated | BadRequest):
                reason = (
                    f"chat migrated to {result.new_chat_id}" if isinstance(result, ChatMigrated) else result.message
                )
                logger.warning("Outbox message %s parked: %s", row.key, reason)
                await outbox.settle(self.db, row.id, outbox.PARKED, reason)
                return
            if isinstance(result, RetryAfter):
                # An instruction to wait, not a failure: it never counts as an attempt (a long 429 storm
                # would otherwise fail rows that Telegram would take a minute later). The pacer has paused
                # this chat, or every send.
                error = f"flood wait {retry_after_seconds(result):g} s"
                await self._until(self.pacer.chat_ready_at(row.chat_id))
                if row.expires_at is not None and self.clock.now() >= row.expires_at:
                    await outbox.settle(self.db, row.id, outbox.EXPIRED, f"expired while retrying ({error})")
                    return
                await self.pacer.slot(bulk=True)
                await outbox.note_retry(self.db, row.id, error)
                continue
            error = result.message
            # A timed-out request may have reached Telegram: sending it again is a possible duplicate, counted
            # like a crash's resends in the delivery report.
            possibly_delivered = isinstance(result, TimedOut)
            await self._network_backoff(attempt)
            if attempt >= MAX_ATTEMPTS:
                logger.error("Outbox message %s failed after %d attempts: %s", row.key, attempt, error)
                await outbox.settle(self.db, row.id, outbox.FAILED, error)
                return
            if row.expires_at is not None and self.clock.now() >= row.expires_at:
                await outbox.settle(self.db, row.id, outbox.EXPIRED, f"expired while retrying ({error})")
                return
            await self.pacer.slot(bulk=True)
            await outbox.note_retry(self.db, row.id, error, possibly_delivered=possibly_delivered)
            attempt += 1

    def _count(self, row: QueuedMessage, result: Message | TelegramError) -> None:
        """/metrics: each attempt by its result; a reminder sent after its deadline counts as late."""
        metrics = self.pacer.metrics
        metrics.outbox_sends.labels(_RESULTS.get(type(result), "error")).inc()
        if isinstance(result, Message) and row.kind == REMINDER:
            metrics.reminders_sent.inc()
            if row.deadline is not None and self.clock.now() > row.deadline:
                metrics.reminders_late.inc()

    async def _request(self, row: QueuedMessage) -> Message | TelegramError:
        self._on_wire.add(row.id)
        self._flying += 1
        try:
            result: Message | TelegramError = await send_row(self.bot, row)
        except TelegramError as exc:
            result = exc
        finally:
            self._flying -= 1
            self._landed.set()
        # Not reached when cancelled mid-request: the row then stays 'sending' and counts as a possible resend.
        self._on_wire.discard(row.id)
        return result

    async def _until(self, instant: float) -> None:
        """Sleep until the monotonic `instant` (now if it has passed)."""
        if (wait := instant - time.monotonic()) > 0:
            await asyncio.sleep(wait)

    async def _network_backoff(self, attempt: int) -> None:
        """Wait before retrying; while errors go on, new sends wait too (an outage should not burn attempts)."""
        self._outage_errors += 1
        delay = plan.retry_delay(attempt)
        self._outage_until = max(self._outage_until, time.monotonic() + plan.retry_delay(self._outage_errors))
        await asyncio.sleep(delay)

    async def _unreachable(self, row: QueuedMessage, reason: str) -> None:
        await users.mark_blocked(self.db, row.chat_id)
        if self._on_unreachable is not None:
            self._on_unreachable(row.chat_id)
        dropped = await outbox.drop_chat(self.db, row.chat_id, f"blocked: {reason}")
        logger.info(
            "Chat %d cannot be reached (%s): user marked blocked, %d messages dropped", row.chat_id, reason, dropped
        )
