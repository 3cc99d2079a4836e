"""Recording every delegate on first contact, before any other handler runs."""

from __future__ import annotations

from telegram import Update

from bot import i18n
from bot.storage import users
from handlers.context import BotContext


async def remember_user(update: Update, context: BotContext) -> None:
    """Create or refresh the user's row and cache their language for this update's handlers."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    services = context.services
    stored = await users.record_contact(
        services.database, user.id, user.first_name or "", i18n.normalise(user.language_code), services.clock.now()
    )
    if context.user_data is not None:
        context.user_data["lang"] = stored.language
