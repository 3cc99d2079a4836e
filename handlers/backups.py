"""The daily backup: a consistent copy of the database into BACKUP_DIR, the oldest beyond BACKUP_KEEP deleted."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.storage.backup import BackupError, daily_backup
from handlers.context import BotContext

logger = logging.getLogger(__name__)

DAY_SECONDS = 86400.0


def seconds_until_hour(now: datetime, hour: int, speed: float = 1.0) -> float:
    """Real seconds from `now` (event time) until the next `hour`:00, on a clock running `speed` times real time."""
    target = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    if target <= now:
        target += timedelta(days=1)
    return (target - now).total_seconds() / speed


async def backup_database(context: BotContext) -> None:
    """Back the database up (SQLite's online backup: the bot goes on meanwhile) and rotate the old copies."""
    services = context.services
    folder = services.settings.backup_dir
    if folder is None:
        return
    try:
        made, deleted = await daily_backup(
            services.settings.database_path, folder, services.settings.backup_keep, services.clock.now()
        )
    except (BackupError, OSError) as exc:
        logger.error("The daily backup failed: %s", exc)
        return
    logger.info("Backup written to %s (%d older deleted)", made, len(deleted))
