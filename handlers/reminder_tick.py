"""The periodic tick that keeps reminders and morning digests queued in the outbox."""

from __future__ import annotations

from bot.reminder_queue import tick
from handlers.context import BotContext


async def queue_reminders(context: BotContext) -> None:
    """Queue the reminders and digests now due (the JobQueue only wakes this up; the state is in SQLite)."""
    report = await tick(context.services)
    if report.queued or report.updated:
        context.dispatcher.wake()
