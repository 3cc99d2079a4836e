"""The hourly retention check: once RETENTION_DAYS have passed after the conference, personal data is purged."""

from __future__ import annotations

from bot.retention import purge_if_due
from handlers.context import BotContext

CHECK_SECONDS = 3600.0


async def purge_expired(context: BotContext) -> None:
    """Purge delegates' personal data when it is due (bot/retention.py)."""
    purged = await purge_if_due(context.services)
    if purged is not None:
        # The running bot's memory of users goes with their rows.
        for user_id in list(context.application.user_data):
            context.application.drop_user_data(user_id)
