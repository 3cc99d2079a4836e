"""Shared fixtures: settings from a temporary environment, and the real Application on a local Bot API."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.answer import dictionary, search, semantic
from bot.answer.faq import Faq, load_faq
from bot.clock import Clock
from bot.console.api import Call, LocalBotApi
from bot.console.request import LocalRequest
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.runtime.lifecycle import running
from bot.services import Services, build_services
from bot.settings import Settings
from handlers.application import build_application

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_SCHEDULES = ROOT.parent / "shared" / "schedules"
BUNDLED = ROOT / "data" / "programme.yaml"


@pytest.fixture(scope="module")
def fest() -> Programme:
    """A small invented festival programme for answer tests."""
    return load_programme(FIXTURES / "answer-fest.yaml")


@pytest.fixture(scope="module")
def cmc() -> Programme:
    """The bundled Cities Mission Conference programme."""
    return load_programme(BUNDLED)


@pytest.fixture(scope="module")
def faq() -> Faq:
    return load_faq(ROOT / "data" / "faq.yaml")


def shared_schedule(name: str) -> Path:
    """A real public export from ../shared/schedules, or skip the test when it is absent."""
    path = SHARED_SCHEDULES / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's .env or real token, and each gets its own database."""
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "BOT_", "PROGRAMME_", "WEBHOOK_")) or key in (
            "DATABASE_PATH",
            "EVENT_TIMEZONE",
            "ADMIN_IDS",
            "LOG_LEVEL",
        ):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)  # so a stray .env in the checkout is not read
    # The same answers whether the `semantic` extra is installed or not (CI has it not); its rules are tested with
    # a stand-in model in test_answer_semantic.py. Child processes inherit it.
    monkeypatch.setenv("SEMANTIC_ANSWERS", "false")
    yield
    # `bot eval` opens the machine's dictionaries for the process: the next test starts without them.
    dictionary.use(dictionary.NoDictionary())
    semantic.use(None)
    search.expand.cache_clear()


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_path": tmp_path / "bot.sqlite3",
        "programme_path": BUNDLED,
        "dictionary_dir": tmp_path / "no-dictionaries",  # the same answers whether FreeDict is installed or not
        "apertium_dir": tmp_path / "no-dictionaries",
        "wordnet_dir": tmp_path / "no-dictionaries",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


# BotHarness.settle()'s sentinel messages: their text, and their chats' ids start after this (no test uses them).
SENTINEL_TEXT = "(test sentinel)"
SENTINEL_CHATS = 900_000_000


@dataclass
class BotHarness:
    """The real Application wired to a LocalBotApi: send updates, await what the user sees."""

    api: LocalBotApi
    services: Services
    clock: Clock
    app: Any = None  # the running PTB Application: its outbox sender and its jobs
    sentinels: int = 0  # sent by settle() so far

    async def say(self, text: str, user_id: int = 42, **kwargs: Any) -> list[Call]:
        """Send a text as `user_id` and return the calls the bot made in reply."""
        start = len(self.api.calls)
        self.api.send_text(user_id, text, **kwargs)
        return await self.replies(start)

    async def press(self, message: dict[str, Any] | Call, data: str, user_id: int = 42) -> list[Call]:
        start = len(self.api.calls)
        msg = message.result if isinstance(message, Call) else message
        self.api.press(user_id, msg, data)
        return await self.replies(start)

    async def send_file(self, user_id: int, name: str, content: bytes, timeout: float = 10.0) -> list[Call]:
        """Send a document as `user_id` and return the calls the bot made in reply, its message among them.

        The bot first fetches the file (getFile), then reads it; under load the reading may take longer than the
        quiet moment `replies` waits for, so wait for the message itself.
        """
        start = len(self.api.calls)
        self.api.send_document(user_id, name, content)
        return await self.replies(start, timeout, until=lambda c: c.method == "sendMessage")

    async def replies(
        self, start: int, timeout: float = 5.0, until: Callable[[Call], bool] = lambda c: c.method != "getUpdates"
    ) -> list[Call]:
        await self.api.wait_for(until, timeout=timeout, start=start)
        # Let the handler finish: wait until no new call arrives for a short moment.
        import asyncio

        while True:
            seen = len(self.api.calls)
            await asyncio.sleep(0.05)
            if len(self.api.calls) == seen:
                return self.api.calls[start:]

    async def settle(self, *chats: int, timeout: float = 5.0) -> None:
        """Return once the outbox sender has sent what is due at the clock's current time, so that a test may
        assert what it did *not* send, without sleeping through a few of its polls.

        Sentinel messages make that observable, each to a chat of its own. The first, due now, goes out in a pass
        of the outbox sender that has found everything else then due; the second, queued once the first has gone,
        only a later pass can send, so by then the earlier one has sent all it found. Telegram allows a chat one
        message a second, and the outbox sender skips a chat within its second: for `chats`, whose last message may
        be that recent, first wait until their second is over (the bot's pacer knows when). Sentinel rows are
        deleted once sent, so the outbox holds what the test queued; their calls stay in `api.calls`, with the
        text SENTINEL_TEXT.
        """
        import asyncio
        import time

        from bot.storage.db import open_database

        sender = self.app.bot_data["outbox"]
        ready = max((sender.pacer.chat_ready_at(chat) for chat in chats), default=0.0)
        await asyncio.sleep(max(0.0, ready - time.monotonic()))
        # A connection of its own: the bot's is shared by its handlers and jobs, which may be reading right now.
        db = await open_database(self.services.settings.database_path)
        try:
            for _ in range(2):
                await self._sentinel(db, sender, timeout)
        finally:
            await db.close()

    async def _sentinel(self, db: Any, sender: Any, timeout: float) -> None:
        """Queue a sentinel message to a chat of its own, wait until it has been sent, then delete its row."""
        from bot.storage import outbox  # here, not at the top: the outbox tests' helpers import this module
        from tests.support.outbox import message

        self.sentinels += 1
        key, chat_id, now = f"sentinel:{self.sentinels}", SENTINEL_CHATS + self.sentinels, self.clock.now()
        start = len(self.api.calls)
        await outbox.enqueue(db, [message(key, chat_id, now, text=SENTINEL_TEXT)], now)
        sender.wake()  # as the bot's own producers do after queuing
        await self.api.wait_for(lambda c: c.chat_id == chat_id and not c.error, timeout=timeout, start=start)
        await db.execute("DELETE FROM outbox WHERE key = ?", (key,))
        await db.commit()

    async def run_job(self, name: str) -> None:
        """Run the periodic job `name` now, at the clock's current time, as its next tick would."""
        (job,) = self.app.job_queue.get_jobs_by_name(name)
        await job.run(self.app)

    def last_message(self, user_id: int = 42) -> dict[str, Any]:
        """The latest state of the last message the bot sent to `user_id`."""
        sent = [k for k in self.api.messages if k[0] == user_id]
        return self.api.messages[max(sent, key=lambda k: k[1])]


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with make_harness(tmp_path) as h:
        yield h


def make_harness(tmp_path: Path, *, now: datetime | None = None, speed: float = 1.0, **overrides: Any) -> Any:
    """The harness at a frozen clock; `speed` > 1 makes it a rehearsal clock (ticks, horizons scale), still frozen."""
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def _cm() -> AsyncIterator[BotHarness]:
        settings = make_settings(tmp_path, **overrides)
        start = now or datetime.fromisoformat("2024-06-01T10:00:00+02:00")
        clock = Clock(start=start, speed=speed)
        clock.freeze(start)
        services = build_services(settings, clock=clock)
        api = LocalBotApi()
        app = build_application(services, request=LocalRequest(api))
        async with running(app):
            yield BotHarness(api=api, services=services, clock=clock, app=app)

    return _cm()


def small_programme(folder: Path, name: str, sessions: str) -> Programme:
    """A one-day, one-room programme ('Room A', 25 June 2024, Madrid) holding the given YAML session lines."""
    path = folder / f"{name}.yaml"
    path.write_text(
        f"conference: {{name: {name}, timezone: Europe/Madrid, days: [2024-06-25]}}\n"
        "venue: {name: Hall, address: 1 Street}\n"
        "rooms:\n  - {id: a, name: Room A}\n"
        "sessions:\n" + sessions,
        encoding="utf-8",
    )
    return load_programme(path)
