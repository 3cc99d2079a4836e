"""The one global error handler: log what went wrong (ids, never texts), answer the user politely."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.views.start import something_went_wrong
from handlers.common import user_lang
from handlers.context import BotContext

logger = logging.getLogger(__name__)


def describe(update: object) -> str:
    """What an update was, by ids and kind only: logs never carry what delegates wrote or their names."""
    if not isinstance(update, Update):
        return type(update).__name__
    kind = next((k for k in Update.ALL_TYPES if getattr(update, k, None) is not None), "unknown")
    chat = update.effective_chat.id if update.effective_chat else None
    user = update.effective_user.id if update.effective_user else None
    return f"update {update.update_id} ({kind}, chat {chat}, user {user})"


async def on_error(update: object, context: BotContext) -> None:
    """Log everything unexpected; tell the user something went wrong instead of going silent."""
    error = context.error
    if isinstance(error, RetryAfter) or (isinstance(error, NetworkError) and not isinstance(error, BadRequest)):
        # Telegram asked to wait (the pacer has retried the reply already) or did not answer: one more
        # message to the same chat would only meet the same limit or outage, and the fault is not the user's.
        logger.warning("No reply for %s: %s", describe(update), type(error).__name__)
        return
    logger.error("Unhandled error for %s", describe(update), exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query:
            await update.callback_query.answer()
        await update.effective_chat.send_message(html.escape(something_went_wrong(user_lang(update, context))))
    except TelegramError:
        logger.warning("Could not tell the user about the error", exc_info=True)
