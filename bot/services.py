"""The long-lived services every handler reaches through the context: built once at start-up."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiosqlite

from bot.clock import Clock
from bot.metrics import Metrics
from bot.privacy import check_notice
from bot.programme.errors import ProgrammeError
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.runup import Morning, RunupHolder
from bot.settings import Settings
from bot.storage import programme_versions as versions
from bot.storage.db import open_database

logger = logging.getLogger(__name__)


class ProgrammeHolder:
    """The programme in force; a failed reload keeps the last good one."""

    def __init__(self, programme: Programme) -> None:
        self._current = programme
        # Called with each programme put in force (the composition root registers what prepares for one).
        self.listeners: list[Callable[[Programme], None]] = []

    @property
    def current(self) -> Programme:
        return self._current

    def replace(self, programme: Programme) -> None:
        self._current = programme
        self._changed()

    def reload(self, path: str, default_tz: str | None) -> Programme:
        """Load `path`; on ProgrammeError the current programme stays and the error propagates."""
        programme = load_programme(path, default_tz)
        self._current = programme
        self._changed()
        return programme

    def _changed(self) -> None:
        for listener in self.listeners:
            listener(self._current)


@dataclass
class Services:
    settings: Settings
    clock: Clock
    programmes: ProgrammeHolder
    db: aiosqlite.Connection | None = None
    runup: RunupHolder = field(default_factory=lambda: RunupHolder(None))
    # Why PROGRAMME_PATH could not be read at start-up, when the newest stored version serves instead.
    file_problems: tuple[str, ...] = ()
    metrics: Metrics = field(default_factory=Metrics)  # what /metrics shows, counted where the work passes

    @property
    def programme(self) -> Programme:
        return self.programmes.current

    @property
    def morning(self) -> Morning:
        """When each delegate's morning message goes out, and the latest it may still go out after a restart."""
        return Morning(self.settings.digest_time, self.settings.digest_latest)

    @property
    def database(self) -> aiosqlite.Connection:
        if self.db is None:
            raise RuntimeError("the database is opened in post_init; it is not open yet")
        return self.db

    async def open_database(self) -> aiosqlite.Connection:
        """The database, opened (and migrated) on first use."""
        if self.db is None:
            self.db = await open_database(self.settings.database_path)
        return self.db


def build_services(settings: Settings, clock: Clock | None = None, *, programme: Programme | None = None) -> Services:
    """Load the programme (unless given) and set the clock; raises ProgrammeError on an invalid programme."""
    if programme is None:
        programme = load_programme(settings.programme_path, settings.event_timezone)
    clock = clock or Clock(start=settings.bot_clock_start, speed=settings.bot_clock_speed)
    runup = RunupHolder(settings.runup_path)
    runup.refresh()  # loaded with the programme; a broken file is logged and shown in /scheduled
    check_notice(settings.privacy_path)  # organisers hear at start-up of placeholders left in the privacy notice
    return Services(settings=settings, clock=clock, programmes=ProgrammeHolder(programme), runup=runup)


async def start_services(settings: Settings, clock: Clock | None = None) -> Services:
    """As build_services, but an invalid PROGRAMME_PATH leaves the newest stored version in force.

    Raises ProgrammeError only when the database holds no version to serve: a broken file must not stop a bot
    that has a good programme. Start-up (bot/programme_updates/start_up.py) tells the organisers.
    """
    try:
        return build_services(settings, clock)
    except ProgrammeError as exc:
        stored = await _newest_stored(settings.database_path)
        if stored is None:
            raise
        problems = tuple(str(p) for p in exc.problems)
        logger.error(
            "The programme %s is invalid; the newest stored version stays in force:\n  - %s",
            settings.programme_path,
            "\n  - ".join(problems),
        )
        services = build_services(settings, clock, programme=stored)
        services.file_problems = problems
        return services


async def _newest_stored(path: Path) -> Programme | None:
    """The newest applied programme version in the database at `path`, if there is one."""
    db = await open_database(path)
    try:
        latest = await versions.latest_applied(db)
        return await versions.load_snapshot(db, latest.id) if latest else None
    finally:
        await db.close()


__all__ = ["ProgrammeError", "ProgrammeHolder", "Services", "build_services", "start_services"]
