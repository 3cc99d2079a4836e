"""Browsing the programme: days, a day's tracks or rooms, their sessions (paged), a session's card — in place."""

from __future__ import annotations

from telegram import Update

from bot.views import browse as views
from bot.views import callback_data as cb
from bot.views.agenda import bookmark_rows
from handlers.ask import remember_room
from handlers.common import own_bookmarks, send, show, user_lang
from handlers.context import BotContext


async def days(update: Update, context: BotContext) -> None:
    """Send the list of conference days."""
    await send(update, views.days_menu(context.services.programme, user_lang(update, context)))


async def _unknown_day(update: Update, context: BotContext) -> None:
    """A button for a day the programme no longer has (or a forged one): say so, show the days instead."""
    query, lang = update.callback_query, user_lang(update, context)
    assert query is not None
    await query.answer(views.unknown_day(lang))
    await show(update, views.days_menu(context.services.programme, lang))


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
        await _unknown_day(update, context)
        return
    await query.answer()
    ids = await own_bookmarks(update, context)
    now = context.services.clock.now()
    await show(update, views.day_page(programme, parsed[0], parsed[1], lang, ids, now))


async def day_groups_button(update: Update, context: BotContext) -> None:
    """Show a day's tracks or rooms (their index, or a page of them) in place."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(update, context)
    programme = context.services.programme
    parsed = cb.parse_day_groups(query.data or "")
    if parsed is None or parsed[1] not in programme.days:
        await _unknown_day(update, context)
        return
    prefix, day, page = parsed
    await query.answer()
    by = views.TRACKS if prefix == cb.DAY_TRACKS else views.ROOMS
    await show(update, views.groups_view(programme, day, by, page, lang))


async def group_day_button(update: Update, context: BotContext) -> None:
    """Show a track's or a room's sessions on a day in place."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(update, context)
    services = context.services
    parsed = cb.parse_group_day(query.data or "")
    if parsed is None or parsed[1] not in services.programme.days:
        await _unknown_day(update, context)
        return
    prefix, day, key, page = parsed
    by = views.TRACKS if prefix == cb.TRACK else views.ROOMS
    ids = await own_bookmarks(update, context)
    reply = views.group_day(services.programme, day, by, key, page, lang, ids, services.clock.now())
    if reply is None:  # a track or room renamed or gone since the button was sent
        await query.answer(views.unknown_group(lang))
        await show(update, views.groups_view(services.programme, day, by, None, lang))
        return
    await query.answer()
    remember_room(context, reply.room)
    await show(update, reply)


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
    ids = await own_bookmarks(update, context)
    now = context.services.clock.now()
    remember_room(context, session.room_id)
    await show(update, views.session_card(programme, session, lang, bookmark_rows(session, ids or (), lang), now))
