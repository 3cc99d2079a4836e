"""Updates of different chats are handled at the same time; one chat's updates strictly one after another.

PTB handles one update at a time by default, so every Bot API round trip and every commit of one delegate
holds up all the others: about one update per round trip, 15–20 a second against Telegram. Here updates
run concurrently, at most `limit` at once, while a chat's next update waits until its previous one is done
(two quick presses by one delegate never race, an organiser's dialogue step is never overtaken by the next
message). Updates without a chat or user (rare kinds) are only bounded.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own semaphore is taken before `do_process_update`; left unbounded, it never makes a task wait, so
# tasks reach their chat's queue in the order PTB created them, which is the order of arrival.
_PTB_BOUND = 2**30


class _ChatTurn:
    """One chat's queue: a FIFO lock and how many updates hold or wait for it."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class ChatOrderedUpdates(BaseUpdateProcessor):
    """At most `limit` updates in progress; each chat's in arrival order."""

    def __init__(
        self,
        limit: int,
        on_arrival: Callable[[object], None] | None = None,
        on_handled: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates=_PTB_BOUND)
        self.limit = limit
        self._on_arrival = on_arrival  # sees each update in arrival order, before it waits for anything
        self._on_handled = on_handled  # told each update's seconds from arrival to done (for /metrics)
        self._slots = asyncio.Semaphore(limit)
        self._chats: dict[int, _ChatTurn] = {}
        self.in_progress = 0
        self.most_in_progress = 0  # the high-water mark, for tests and /healthz-like checks

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        arrived = time.perf_counter()
        try:
            await self._in_turn(update, coroutine)
        finally:
            if self._on_handled is not None:
                self._on_handled(time.perf_counter() - arrived)

    async def _in_turn(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self._on_arrival is not None:
            self._on_arrival(update)
        key = _chat_key(update)
        if key is None:
            await self._run(coroutine)
            return
        turn = self._chats.get(key)
        if turn is None:
            turn = self._chats[key] = _ChatTurn()
        turn.users += 1
        try:
            async with turn.lock:
                await self._run(coroutine)
        finally:
            turn.users -= 1
            if not turn.users:
                del self._chats[key]  # idle chats cost nothing

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        async with self._slots:
            self.in_progress += 1
            self.most_in_progress = max(self.most_in_progress, self.in_progress)
            try:
                await coroutine
            finally:
                self.in_progress -= 1


def _chat_key(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None
