"""One pace for every message the bot sends: evenly spaced under Telegram's overall limit, flood waits shared.

Why not PTB's AIORateLimiter: its overall limit is a leaky bucket (aiolimiter) that admits a burst of `rate`
requests at once on top of the steady rate, so up to twice the rate can land in one second — which Telegram
answers with 429s; it has no limit per private chat; and stacked under the outbox sender's own pacing, two
throttles would share one budget and slow bursts below the target rate. This pacer is the bot's only
throttle, and a 429 on any request pauses everything it sends.

Replies go first. Telegram's "about 30 messages per second" is its limit for bulk notifications, messages
a bot sends on its own to many users; answers to users' own messages are not held to it (Bot FAQ; grammY's
"Flood limits" page: "If you're just replying to messages from users, it is no problem to send 1000 or more
messages per second"). So a reply goes at once (only a flood wait holds it back), and bulk — broadcasts,
reminder bursts, alerts — gets what replies leave of the budget: its turns are evenly spaced, taken only
while fewer than `rate` requests started within the last second, and never while a reply waits. The outbox
sender takes its turn (`slot(bulk=True)`) right after it claims a row, then sends with
`rate_limit_args=True` so that the request is not paced twice; it also keeps the per-chat spacing, from the
times recorded here of the last request to each chat.
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

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

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


def retry_after_seconds(exc: RetryAfter) -> float:
    value: float | timedelta = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class SendPacer(BaseRateLimiter[bool]):
    """Spaces the bot's requests to chats at `pacing.send_interval`; `rate_limit_args=True`: already paced."""

    def __init__(self, pacing: Pacing, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.pacing = pacing
        self._monotonic = monotonic
        self._replies_waiting = 0
        self._no_replies = asyncio.Event()
        self._no_replies.set()
        self._next = 0.0
        self._paused_until = 0.0
        self._last_to: dict[int, float] = {}
        self._started: deque[float] = deque(maxlen=max(1, int(pacing.rate_per_second)))
        self._round_trips: deque[float] = deque(maxlen=50)
        self.flood_waits = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def slot(self, *, bulk: bool = False) -> None:
        """Wait until a request may go: a reply at once (unless Telegram asked to wait), bulk on its schedule."""
        if not bulk:
            await self._reply_turn()
            return
        while True:
            if self._replies_waiting:
                await self._no_replies.wait()
                continue
            now = self._monotonic()
            turn = max(self._next, self._paused_until)
            if len(self._started) == self._started.maxlen:  # replies count: bulk gets what they leave
                turn = max(turn, self._started[0] + _WINDOW)
            if turn <= now:  # taken with no await in between: no other waiter can take the same turn
                self._next = max(self._next, now - _CATCH_UP) + self.pacing.send_interval
                return
            await asyncio.sleep(turn - now)

    async def _reply_turn(self) -> None:
        """A reply waits only for a flood wait to end; bulk waits while it does."""
        self._replies_waiting += 1
        self._no_replies.clear()
        try:
            # A loop, not an Event: another 429 may extend the pause while this one sleeps.
            while (wait := self._paused_until - self._monotonic()) > 0:  # noqa: ASYNC110
                await asyncio.sleep(wait)
        finally:
            self._replies_waiting -= 1
            if not self._replies_waiting:
                self._no_replies.set()

    def pause(self, seconds: float) -> None:
        """Telegram asked to wait (429): no request to a chat before `seconds` have passed."""
        self.flood_waits += 1
        self._paused_until = max(self._paused_until, self._monotonic() + seconds + 0.1)
        logger.warning("Telegram flood wait: pausing all sends for %.1f s", seconds)

    def inherit(self, chats: list[int]) -> None:
        """Take over from a process that died sending: its last second of requests, and the last one to each
        of `chats`, still count at Telegram, so wait as if this pacer had sent them just now."""
        now = self._monotonic()
        self._paused_until = max(self._paused_until, now + self.pacing.private_chat_interval)
        for chat in chats:
            self._last_to[chat] = now

    def round_trip(self) -> float:
        """A pessimistic (90th percentile) duration of the bot's recent requests, in real seconds."""
        if not self._round_trips:
            return ASSUMED_ROUND_TRIP
        ordered = sorted(self._round_trips)
        return ordered[int(0.9 * (len(ordered) - 1))]

    def chat_ready_at(self, chat_id: int) -> float:
        """The monotonic instant from which a message to `chat_id` keeps Telegram's per-chat limit."""
        last = self._last_to.get(chat_id)
        return 0.0 if last is None else last + self.pacing.chat_interval(chat_id)

    def cooling_chats(self) -> dict[int, float]:
        """Chats that must not get a message yet, with the monotonic instant they may."""
        now = self._monotonic()
        ready = {chat: self.chat_ready_at(chat) for chat in self._last_to}
        for chat in [c for c, at in ready.items() if at <= now - 60]:
            del self._last_to[chat]  # long ago: forget, so the map stays small
        return {chat: at for chat, at in ready.items() if at > now}

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
        if "chat_id" in data:
            if not rate_limit_args:
                await self.slot()
            self._started.append(self._monotonic())
        started = self._monotonic()
        try:
            result = await callback(*args, **kwargs)
        except RetryAfter as exc:
            self.pause(retry_after_seconds(exc))
            raise
        finally:
            if chat_id is not None:
                self._last_to[chat_id] = self._monotonic()
        if endpoint != "getUpdates":  # a long poll lasts as long as Telegram has nothing to say
            self._round_trips.append(self._monotonic() - started)
        return result


def _chat_of(data: dict[str, Any]) -> int | None:
    try:
        return int(data["chat_id"])
    except (KeyError, TypeError, ValueError):
        return None  # no chat, or a channel's @username
