"""/forget: a delegate erases what the bot keeps about them, after a confirmation."""

from __future__ import annotations

import logging

from telegram import Update

from bot.storage.personal_data import forget_person
from bot.views import callback_data as cb
from bot.views import forget as views
from handlers import fallback
from handlers.common import pressed, private_only, send, show, user_lang
from handlers.context import BotContext

logger = logging.getLogger(__name__)


@private_only
async def forget_command(update: Update, context: BotContext) -> None:
    """Explain what erasing means and ask to confirm."""
    await send(update, views.confirm(user_lang(update, context)))


@private_only
async def forget_button(update: Update, context: BotContext) -> None:
    """Erase (one transaction over every table) or keep, as pressed."""
    query, user = pressed(update)
    choice = cb.parse_forget(query.data or "")
    if choice is None:
        await fallback.stale_button(update, context)
        return
    lang = user_lang(update, context)  # read before the user's data goes
    await query.answer()
    if not choice:
        await show(update, views.kept(lang))
        return
    erased = await forget_person(context.services.database, user.id)
    # What the running bot holds in memory about them goes too (their cached row, language, dialogue data).
    context.application.drop_user_data(user.id)
    if update.effective_chat is not None:
        context.application.drop_chat_data(update.effective_chat.id)
    logger.info("A delegate erased their data: %d rows deleted or made anonymous", erased.total)
    await show(update, views.erased(lang))
