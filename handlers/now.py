"""/now and /next, by command or button."""

from __future__ import annotations

from telegram import Update

from bot.storage.bookmarks import bookmarked_ids
from bot.views import now as views
from handlers.common import show, user_lang
from handlers.context import BotContext


async def now(update: Update, context: BotContext) -> None:
    """Show what runs now (a countdown before the conference, a goodbye after)."""
    if update.callback_query:
        await update.callback_query.answer()
    services = context.services
    ids = await _bookmarks(update, context)
    await show(update, views.now_view(services.programme, services.clock.now(), user_lang(update, context), ids))


async def next_up(update: Update, context: BotContext) -> None:
    """Show what starts next in each room."""
    if update.callback_query:
        await update.callback_query.answer()
    services = context.services
    ids = await _bookmarks(update, context)
    await show(update, views.next_view(services.programme, services.clock.now(), user_lang(update, context), ids))


async def _bookmarks(update: Update, context: BotContext) -> frozenset[str] | None:
    user = update.effective_user
    return await bookmarked_ids(context.services.database, user.id) if user else None
