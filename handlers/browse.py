"""Browsing the programme: days, a day's sessions (paged), a session's card — all edited in place."""

from __future__ import annotations

from telegram import Update

from bot.storage.bookmarks import bookmarked_ids
from bot.views import browse as views
from bot.views import callback_data as cb
from bot.views.agenda import bookmark_rows
from handlers.common import send, show, user_lang
from handlers.context import BotContext


async def days(update: Update, context: BotContext) -> None:
    """Send the list of conference days."""
    await send(update, views.days_menu(context.services.programme, user_lang(update, context)))


async def days_button(update: Update, context: BotContext) -> None:
    """Show the list of days in place."""
    assert update.callback_query is not None
    await update.callback_query.answer()
    await show(update, views.days_menu(context.services.programme, user_lang(update, context)))


async def day_button(update: Update, context: BotContext) -> None:
    """Show one page of a day's sessions in place."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(update, context)
    programme = context.services.programme
    parsed = cb.parse_day(query.data or "")
    if parsed is None or parsed[0] not in programme.days:
        await query.answer(views.unknown_day(lang))
        await show(update, views.days_menu(programme, lang))
        return
    await query.answer()
    ids = await bookmarked_ids(context.services.database, query.from_user.id)
    await show(update, views.day_page(programme, parsed[0], parsed[1], lang, ids))


async def session_button(update: Update, context: BotContext) -> None:
    """Open a session's card in place."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(update, context)
    programme = context.services.programme
    key = cb.parse_session(query.data or "")
    session = programme.session(key) if key else None
    if session is None:
        await query.answer(views.unknown_session(lang), show_alert=True)
        return
    await query.answer()
    ids = await bookmarked_ids(context.services.database, query.from_user.id)
    await show(update, views.session_card(programme, session, lang, extra_buttons=bookmark_rows(session, ids, lang)))
