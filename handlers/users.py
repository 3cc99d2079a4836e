"""Recording every delegate on first contact, before any other handler runs."""

from __future__ import annotations

from telegram import Update

from bot import i18n
from bot.reminders.queue import tick
from bot.storage import users
from handlers.context import BotContext


async def remember_user(update: Update, context: BotContext) -> None:
    """Create or refresh the user's row when something changed, and cache their language for the handlers."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    services = context.services
    name, now = user.first_name or "", services.clock.now()
    stored = await users.get_user(services.database, user.id)  # a read: never waits for a writer (WAL)
    # Delegates are the people the bot can write to: those who talk to it in private. Someone who only
    # speaks in a group has never opened that chat, so is not counted, nor sent reminders or broadcasts.
    chat = update.effective_chat
    in_private = chat is not None and chat.type == chat.PRIVATE
    if in_private and (stored is None or stored.needs_refresh(name, now)):
        returning = stored is not None and stored.status != "active"
        stored = await users.record_contact(services.database, user.id, name, i18n.normalise(user.language_code), now)
        if returning:  # back after blocking the bot: queue their reminders again (the periodic tick reads
            await tick(services, user.id)  # only the sessions that newly come due)
    if stored is not None and context.user_data is not None:
        context.user_data["lang"] = stored.language
