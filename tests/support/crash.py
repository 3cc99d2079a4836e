"""SIGKILL of the real bot process in the middle of a broadcast, then a restart on the same database: who got
the message, who got it twice, and how many the organiser's delivery report announces as possibly twice.

Shared by tests/test_crash_broadcast.py (no flood limits, a small broadcast) and bench/faults.py (Telegram's
limits); the broadcast is queued as the organiser's Send does (bot/broadcast.py), before the bot starts.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import aiosqlite

from bot import broadcast as lifecycle
from bot import i18n
from bot.audience import ALL, Audience
from bot.clock import Clock
from bot.console.api import Call
from bot.programme.loader import load_programme
from bot.services import ProgrammeHolder, Services
from bot.settings import Settings
from bot.storage import broadcasts as store
from bot.storage import users
from bot.storage.db import open_database, transaction
from bot.views import broadcast as views
from bot.views.broadcast_report import report
from tests.support.bot_process import ROOT, kill, launch, stop
from tests.support.limited_api import LimitedBotApi

PROGRAMME = ROOT / "data" / "programme.yaml"
FIRST_DELEGATE = 50_000


@dataclass(frozen=True)
class BroadcastCrash:
    """What one SIGKILL half-way through a broadcast cost, once the restarted bot had finished it."""

    recipients: int
    at_kill: int  # deliveries when the process died
    reached: int  # recipients who got it at least once
    duplicates: int  # extra copies received
    announced: int  # messages the delivery report says may have arrived twice
    report: str  # that report, as the organiser reads it

    @property
    def lost(self) -> int:
        return self.recipients - self.reached


def _services(db_path: Path, db: aiosqlite.Connection) -> Services:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_path=db_path,
        programme_path=PROGRAMME,
        dictionary_dir=db_path.parent / "none",
        apertium_dir=db_path.parent / "none",
    )
    return Services(settings=settings, clock=Clock(), programmes=ProgrammeHolder(load_programme(PROGRAMME)), db=db)


def _polling(call: Call) -> bool:
    return call.method == "deleteWebhook"  # the bot's last step before it polls


async def queue_broadcast(db_path: Path, recipients: int, text: str) -> int:
    """`recipients` delegates, and a broadcast to all of them queued in the outbox; returns its id."""
    db = await open_database(db_path)
    try:
        services = _services(db_path, db)
        now = datetime.now(UTC)
        async with transaction(db):
            for uid in range(FIRST_DELEGATE, FIRST_DELEGATE + recipients):
                await users.record_contact(db, uid, "Delegate", "en", now)
        draft = await lifecycle.create_draft(services, store.CLI_ORGANISER, text, audience=(Audience(ALL), recipients))
        sent = await lifecycle.send_now(services, draft, store.CLI_ORGANISER)
        assert sent.recipients == recipients
        return draft.id
    finally:
        await db.close()


async def delivery_report(db_path: Path, broadcast_id: int) -> tuple[int, str]:
    """(messages announced as possibly received twice, the final report's text) of a broadcast."""
    db = await open_database(db_path)
    try:
        services = _services(db_path, db)
        broadcast = await store.get(db, broadcast_id)
        assert broadcast is not None
        delivery = await store.delivery(db, broadcast.batch)
        lang = i18n.lang("en")
        who = views.audience_label(lifecycle.audience_of(broadcast, services.programme), services.programme, lang)
        return delivery.resent, report(broadcast, delivery, who, lang).text
    finally:
        await db.close()


async def crash_mid_broadcast(
    api: LimitedBotApi, workdir: Path, recipients: int, stderr: IO[bytes] | None = None, **env: str
) -> BroadcastCrash:
    """Broadcast to `recipients`, SIGKILL the bot when half have it, restart it at once, wait for the rest."""
    db = workdir / "crash.sqlite3"
    text = f"Broadcast to {recipients}, killed half-way"
    broadcast_id = await queue_broadcast(db, recipients, text)
    env = {"PROGRAMME_PATH": str(PROGRAMME), "ADMIN_IDS": "", **env}
    started = len(api.deliveries)

    def arrived() -> list[int]:
        return [d.chat_id for d in api.deliveries[started:] if d.text == text]

    proc = await launch(api.server, db, _polling, env=env, stderr=stderr)
    try:
        deadline = time.monotonic() + recipients / 5 + 30
        while len(arrived()) < recipients // 2 and proc.returncode is None and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.005)
        await kill(proc)
        at_kill = len(arrived())
        await asyncio.sleep(0.2)  # what the dead process had on the wire still lands now
        proc = await launch(api.server, db, _polling, env=env, stderr=stderr)
        while len(set(arrived())) < recipients and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)  # a late copy would show up now
    finally:
        await stop(proc)
    copies = Counter(arrived())
    announced, text_of_report = await delivery_report(db, broadcast_id)
    return BroadcastCrash(
        recipients=recipients,
        at_kill=at_kill,
        reached=len(copies),
        duplicates=sum(n - 1 for n in copies.values()),
        announced=announced,
        report=text_of_report,
    )
