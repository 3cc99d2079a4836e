"""/venue: the venue, its address and a map link."""

from __future__ import annotations

from telegram import Update

from bot.views.venue import venue_view
from handlers.common import send, user_lang
from handlers.context import BotContext


async def venue(update: Update, context: BotContext) -> None:
    """Send the venue card."""
    if update.callback_query:
        await update.callback_query.answer()
    await send(update, venue_view(context.services.programme, user_lang(update, context)))
