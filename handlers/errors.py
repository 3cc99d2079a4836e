"""The one global error handler: log the update with the traceback, answer the user politely."""

from __future__ import annotations

import html
import json
import logging

from telegram import Update
from telegram.error import TelegramError

from bot.views.start import something_went_wrong
from handlers.common import user_lang
from handlers.context import BotContext

logger = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log everything unexpected; tell the user something went wrong instead of going silent."""
    payload = update.to_dict() if isinstance(update, Update) else repr(update)
    logger.error("Unhandled error for update %s", json.dumps(payload, default=str)[:2000], exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query:
            await update.callback_query.answer()
        await update.effective_chat.send_message(html.escape(something_went_wrong(user_lang(update, context))))
    except TelegramError:
        logger.warning("Could not tell the user about the error", exc_info=True)
