"""The periodic tick that keeps reminders and morning digests queued in the outbox."""

from __future__ import annotations

import logging

from bot.reminder_queue import tick
from bot.runtime.app import BotContext

logger = logging.getLogger(__name__)


async def queue_reminders(context: BotContext) -> None:
    """Queue the reminders and digests now due (the JobQueue only wakes this up; the state is in SQLite)."""
    report = await tick(context.services)
    if report.changed:
        logger.debug("Reminder tick: %s", report)
