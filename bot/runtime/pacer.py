"""One pace for every message the bot sends: bulk evenly spaced under Telegram's limits, replies at once.

Why not PTB's AIORateLimiter: its overall limit is a leaky bucket (aiolimiter) that admits a burst of `rate`
requests at once on top of the steady rate, so up to twice the rate can land in one second — which Telegram
answers with 429s; it has no limit per private chat; and stacked under the outbox sender's own pacing, two
throttles would share one budget and slow bursts below the target rate. This pacer is the bot's only throttle.

Replies go first. Telegram's "about 30 messages per second" is its limit for bulk notifications, messages a
bot sends on its own to many users; answers to users' own messages are not held to it (Bot FAQ; grammY's
"Flood limits" page). So a reply goes at once, and bulk — broadcasts, reminder bursts, alerts — gets what
replies leave of the budget: its turns are evenly spaced, taken only while fewer than `rate` requests started
within the last second, and never while a reply waits. While bulk is being sent, replies take the budget's
free turns too (they share the 30 a second then), ahead of bulk. The outbox sender takes its turn
(`slot(bulk=True)`) right after it claims a row, then sends with `rate_limit_args=True` so that the request is
not paced twice; it keeps the per-chat spacing from the times recorded here of the last request to each chat.

A flood wait (429) is per chat when it can be: Telegram's "one message a second in a chat" allows short bursts
of replies, so replies are not spaced in advance, but a 429 for one chat pauses that chat only (its replies
are retried after the wait, and spaced at the chat's interval for a while after); bulk always keeps the
per-chat spacing. A 429 without a chat, or 429s for several chats at once, is the bot's
overall limit: then every send pauses. A reply refused with a 5xx is sent again after a short backoff, as the
outbox sender does with bulk; a timed-out one is not, as it may have landed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

from bot.metrics import Metrics
from bot.outbox_plan import Pacing

logger = logging.getLogger(__name__)

# PTB 22 warns on every RetryAfter unless durations are timedelta (its next major's default); opt in now.
os.environ.setdefault("PTB_TIMEDELTA", "true")

# How late a turn may be granted and still be made up by the next one (real seconds); any 31 turns in a row
# still span at least 30 intervals minus this, i.e. more than one second.
_CATCH_UP = 0.008
# Turns are evenly spaced, but a stall of the event loop between a turn and its request can bunch requests
# up on the wire. So a turn also waits until the `rate`-th request before it started more than this long ago
# (real seconds): never more than `rate` requests start within one second, whatever the jitter.
_WINDOW = 1.02
# Before any request has been timed (the bot times its start-up requests, so rarely used).
ASSUMED_ROUND_TRIP = 0.1
# After a 429 for a chat, its replies are spaced at the chat's interval for this long (real seconds).
HOT_SECONDS = 60.0
# 429s for this many different chats within FLOOD_SPAN seconds are the bot's overall limit, not theirs.
OVERALL_CHATS = 3
FLOOD_SPAN = 2.0
# A reply refused with a 429 is sent again after the wait, this many times, if the wait is at most
# REPLY_WAIT_CAP seconds; beyond that the delegate is better served by a fresh question than a late answer.
REPLY_RETRIES = 3
REPLY_WAIT_CAP = 30.0
# A reply refused with a 5xx (or a connection that failed) is sent again after this many seconds, doubling.
REPLY_BACKOFF = 0.5


# Methods with limits of their own (setMyName allows a few changes a day): their 429 often asks for hours, and
# says nothing about sending messages, so it pauses nothing else.
OWN_LIMITS = frozenset({"setMyName", "setMyDescription", "setMyShortDescription", "setMyCommands", "setChatMenuButton"})


def retry_after_seconds(exc: RetryAfter) -> float:
    value: float | timedelta = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class SendPacer(BaseRateLimiter[bool]):
    """Spaces the bot's requests to chats at `pacing.send_interval`; `rate_limit_args=True`: already paced."""

    def __init__(
        self, pacing: Pacing, monotonic: Callable[[], float] = time.monotonic, metrics: Metrics | None = None
    ) -> None:
        self.pacing = pacing
        self.metrics = metrics or Metrics()
        self._monotonic = monotonic
        self._replies_waiting = 0
        self._no_replies = asyncio.Event()
        self._no_replies.set()
        self._next = 0.0
        self._paused_until = 0.0
        # The last request to each chat (start and end, whichever later), kept in time order (`_sent_to`) so that
        # finding the chats still cooling looks at the last few seconds only, not at every chat of the minute.
        self._last_to: dict[int, float] = {}
        self._chat_paused: dict[int, float] = {}  # chats Telegram asked to wait for, until when
        self._hot: dict[int, float] = {}  # chats whose replies are spaced, until when
        self._refusals: deque[tuple[float, int]] = deque()  # recent 429s: (when, chat)
        self._last_bulk = -_WINDOW
        self._started: deque[float] = deque(maxlen=max(1, int(pacing.rate_per_second)))
        self._round_trips: deque[float] = deque(maxlen=50)
        self.flood_waits = 0  # 429s, overall or per chat
        self.overall_pauses = 0  # of which paused every send

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def slot(self, *, bulk: bool = False, chat_id: int | None = None) -> None:
        """Wait until a request may go: a reply at once (unless Telegram asked to wait), bulk on its schedule."""
        if not bulk:
            await self._reply_turn(chat_id)
            return
        while True:
            if self._replies_waiting:
                await self._no_replies.wait()
                continue
            now = self._monotonic()
            turn = max(self._next, self._paused_until, self._window_free_at())
            if turn <= now:  # taken with no await in between: no other waiter can take the same turn
                self._next = max(self._next, now - _CATCH_UP) + self.pacing.send_interval
                self._last_bulk = now
                return
            await asyncio.sleep(turn - now)

    def _window_free_at(self) -> float:
        """When a request may start without `rate` of them in one window (replies count: bulk gets the rest)."""
        return self._started[0] + _WINDOW if len(self._started) == self._started.maxlen else 0.0

    async def _reply_turn(self, chat_id: int | None) -> None:
        """A reply waits only for flood waits, its chat's spacing when needed, and free turns during bulk."""
        self._replies_waiting += 1
        self._no_replies.clear()
        try:
            # A loop, not an Event: another 429 may extend a pause while this one sleeps.
            while (wait := self._reply_ready_at(chat_id) - self._monotonic()) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
        finally:
            self._replies_waiting -= 1
            if not self._replies_waiting:
                self._no_replies.set()

    def _reply_ready_at(self, chat_id: int | None) -> float:
        now = self._monotonic()
        ready = self._paused_until
        if now - self._last_bulk < _WINDOW:  # bulk is going: share its budget, ahead of it
            ready = max(ready, self._window_free_at())
        if chat_id is not None:
            ready = max(ready, self._chat_paused.get(chat_id, 0.0))
            if self._hot.get(chat_id, 0.0) > now:
                interval = self.pacing.chat_interval(chat_id)
                ready = max(ready, self._last_to.get(chat_id, -interval) + interval)
        return ready

    def flood_wait(self, seconds: float, chat_id: int | None = None) -> None:
        """Telegram asked to wait (429): that chat only, or every send when the limit is the bot's own."""
        self.flood_waits += 1
        self.metrics.flood_waits.inc()
        now = self._monotonic()
        until = now + seconds + 0.1
        if chat_id is not None:
            self._chat_paused[chat_id] = max(self._chat_paused.get(chat_id, 0.0), until)
            self._hot[chat_id] = now + HOT_SECONDS
            self._refusals.append((now, chat_id))
            while self._refusals and self._refusals[0][0] < now - FLOOD_SPAN:
                self._refusals.popleft()
            if len({chat for _, chat in self._refusals}) < OVERALL_CHATS:
                logger.info("Telegram flood wait for one chat: pausing it for %.1f s", seconds)
                return
        self.overall_pauses += 1
        self._paused_until = max(self._paused_until, until)
        logger.warning("Telegram flood wait: pausing all sends for %.1f s", seconds)

    def inherit(self, chats: list[int]) -> None:
        """Take over from a process that died sending: its last second of requests, and the last one to each
        of `chats`, still count at Telegram, so wait as if this pacer had sent them just now."""
        now = self._monotonic()
        self._paused_until = max(self._paused_until, now + self.pacing.private_chat_interval)
        for chat in chats:
            self._sent_to(chat, now)

    def round_trip(self) -> float:
        """A pessimistic (90th percentile) duration of the bot's recent requests, in real seconds."""
        if not self._round_trips:
            return ASSUMED_ROUND_TRIP
        ordered = sorted(self._round_trips)
        return ordered[int(0.9 * (len(ordered) - 1))]

    def chat_ready_at(self, chat_id: int) -> float:
        """The monotonic instant from which a message to `chat_id` keeps Telegram's per-chat limit."""
        last = self._last_to.get(chat_id)
        spaced = 0.0 if last is None else last + self.pacing.chat_interval(chat_id)
        return max(spaced, self._chat_paused.get(chat_id, 0.0))

    def cooling_chats(self) -> dict[int, float]:
        """Chats that must not get a message yet, with the monotonic instant they may."""
        now = self._monotonic()
        self._forget(now)
        # The outbox sender asks at every turn: with replies to hundreds of chats a second, only the newest
        # entries can still be cooling (none waits longer than the longest chat interval).
        horizon = now - max(self.pacing.private_chat_interval, self.pacing.group_chat_interval)
        recent: list[int] = []
        for chat, at in reversed(self._last_to.items()):
            if at <= horizon:
                break
            recent.append(chat)
        ready = {chat: self.chat_ready_at(chat) for chat in (*recent, *self._chat_paused)}
        return {chat: at for chat, at in ready.items() if at > now}

    def _sent_to(self, chat_id: int, at: float) -> None:
        """Record a request to `chat_id` at `at`, keeping `_last_to` in time order."""
        self._last_to.pop(chat_id, None)
        self._last_to[chat_id] = at

    def _forget(self, now: float) -> None:
        """Drop what no longer matters (long ago), so the maps stay small with thousands of chats."""
        last_to = self._last_to
        while last_to:
            oldest = next(iter(last_to))
            if last_to[oldest] > now - 60.0:
                break
            del last_to[oldest]
        for chat in [c for c, at in self._chat_paused.items() if at <= now]:
            del self._chat_paused[chat]
        for chat in [c for c, until in self._hot.items() if until <= now]:
            del self._hot[chat]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: bool | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = _chat_of(data)
        bulk = bool(rate_limit_args)
        retries = 0
        reply = not bulk and "chat_id" in data
        while True:
            if "chat_id" in data:
                if not bulk:
                    await self.slot(chat_id=chat_id)
                self._started.append(self._monotonic())
            try:
                result = await self._timed(callback, args, kwargs, endpoint, chat_id)
            except RetryAfter as exc:
                if endpoint in OWN_LIMITS:
                    raise
                seconds = retry_after_seconds(exc)
                self.flood_wait(seconds, chat_id)
                # Bulk is retried by the outbox sender (it knows the row); a reply is retried here, so a
                # delegate gets the answer late rather than never.
                if bulk or chat_id is None or retries >= REPLY_RETRIES or seconds > REPLY_WAIT_CAP:
                    self._count_reply(reply, "flood_wait")
                    raise
                retries += 1
            except BadRequest:
                self._count_reply(reply, "refused")
                raise  # refused for what it is: sending it again would be refused again
            except TimedOut:
                self._count_reply(reply, "timed_out")
                raise  # it may have landed: sending it again could show it twice
            except NetworkError as exc:
                # Telegram's 5xx, or no connection: the message did not land (the outbox sender counts it so
                # too), so a reply is tried again shortly; only this chat waits, in its own order.
                if bulk or chat_id is None or retries >= REPLY_RETRIES:
                    self._count_reply(reply, "error")
                    raise
                retries += 1
                logger.info("Reply to chat %s failed (%s): trying again", chat_id, exc.message)
                await asyncio.sleep(REPLY_BACKOFF * 2 ** (retries - 1))
            else:
                self._count_reply(reply, "sent")
                return result

    def _count_reply(self, reply: bool, result: str) -> None:
        if reply:  # bulk is counted by the outbox sender, which knows how each row ended
            self.metrics.replies.labels(result).inc()

    async def _timed(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        chat_id: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        started = self._monotonic()
        if chat_id is not None:
            self._sent_to(chat_id, started)
        try:
            result = await callback(*args, **kwargs)
        finally:
            if chat_id is not None:
                self._sent_to(chat_id, self._monotonic())
        if endpoint != "getUpdates":  # a long poll lasts as long as Telegram has nothing to say
            self._round_trips.append(self._monotonic() - started)
        return result


def _chat_of(data: dict[str, Any]) -> int | None:
    try:
        return int(data["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None  # no chat, or a channel's @username
