"""/now and /next, by command or button: paged, and narrowed to a track or room from their buttons."""

from __future__ import annotations

from telegram import Update

from bot.views import callback_data as cb
from bot.views import now as views
from handlers import fallback
from handlers.common import own_bookmarks, pressed, show, user_lang
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


async def page_button(update: Update, context: BotContext) -> None:
    """Show a page of /now or /next, narrowed or not, in place."""
    query, _user = pressed(update)
    parsed = cb.parse_now_page(query.data or "")
    if parsed is None:
        await fallback.stale_button(update, context)
        return
    upcoming, page, narrow = parsed
    await query.answer()
    services = context.services
    ids = await _bookmarks(update, context)
    view = views.next_view if upcoming else views.now_view
    await show(update, view(services.programme, services.clock.now(), user_lang(update, context), ids, page, narrow))


async def narrow_button(update: Update, context: BotContext) -> None:
    """Show the tracks or rooms to narrow /now or /next to, in place."""
    query, _user = pressed(update)
    parsed = cb.parse_now_narrow(query.data or "")
    if parsed is None:
        await fallback.stale_button(update, context)
        return
    upcoming, by, page = parsed
    await query.answer()
    services = context.services
    lang = user_lang(update, context)
    await show(update, views.narrow_view(services.programme, services.clock.now(), upcoming, by, page, lang))


async def _bookmarks(update: Update, context: BotContext) -> frozenset[str] | None:
    return await own_bookmarks(update, context)
