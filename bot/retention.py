"""Retention: delegates' personal data is kept until RETENTION_DAYS after the conference's last day, then purged.

The running bot checks every hour (`purge_if_due`); `python -m bot purge [--dry-run]` does it by hand at any
time. A purge keeps counts only (the `purges` table); organisers' actions stay in the record under pseudonyms.
Someone who writes to the bot after the purge is recorded afresh, and purged again at the next check.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import TextIO

from bot.clock import Clock
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.services import Services
from bot.settings import Settings
from bot.storage.db import open_database
from bot.storage.personal_data import Purged, has_personal_data, purge_everyone

logger = logging.getLogger(__name__)


def purge_from(programme: Programme, retention_days: int) -> datetime:
    """The instant personal data is due for deletion: the midnight ending the last day plus `retention_days`."""
    return datetime.combine(programme.end_date + timedelta(days=retention_days + 1), time(0), programme.timezone)


async def purge_if_due(services: Services) -> Purged | None:
    """Purge everyone's personal data once it is due and there is any; None when nothing was done."""
    now = services.clock.now()
    if now < purge_from(services.programme, services.settings.retention_days):
        return None
    if not await has_personal_data(services.database):
        return None
    purged = await purge_everyone(services.database, now)
    logger.info("Retention: personal data purged (%d rows deleted or made anonymous)", purged.erased.total)
    return purged


async def purge_command(settings: Settings, dry_run: bool, out: TextIO) -> int:
    """`python -m bot purge`: purge now (or count what a purge would take), and print the counts."""
    programme = load_programme(settings.programme_path, settings.event_timezone)
    clock = Clock(start=settings.bot_clock_start, speed=settings.bot_clock_speed)
    due = purge_from(programme, settings.retention_days)
    print(
        f"Personal data is due for deletion from {due:%Y-%m-%d %H:%M %Z} (RETENTION_DAYS={settings.retention_days}).",
        file=out,
    )
    db = await open_database(settings.database_path)
    try:
        purged = await purge_everyone(db, clock.now(), dry_run=dry_run)
    finally:
        await db.close()
    for table, n in sorted(purged.erased.deleted.items()):
        print(f"  {table}: {_rows(n, dry_run)} deleted", file=out)
    for table, n in sorted(purged.erased.anonymised.items()):
        print(f"  {table}: {_rows(n, dry_run)} made anonymous", file=out)
    print(f"Kept: {purged.figures['delegates']} delegates counted, by language and by session.", file=out)
    if dry_run:
        print("Dry run: nothing was changed.", file=out)
    return 0


def _rows(n: int, dry_run: bool) -> str:
    """'1 row was', '3 rows were', '1 row would be'."""
    rows = "1 row" if n == 1 else f"{n} rows"
    return f"{rows} would be" if dry_run else f"{rows} {'was' if n == 1 else 'were'}"
