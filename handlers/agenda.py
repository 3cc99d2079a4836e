"""/my: the personal agenda, paged, and "Add to calendar" sending it as an .ics file."""

from __future__ import annotations

from telegram import Update

from bot.agenda import agenda_sessions
from bot.calendar_export import agenda_calendar, calendar_filename
from bot.storage import bookmarks
from bot.views import agenda as views
from bot.views import callback_data as cb
from bot.views.reply import Reply
from handlers.common import private_only, send, show, user_lang
from handlers.context import BotContext


@private_only
async def my_agenda(update: Update, context: BotContext) -> None:
    """Show the bookmarked sessions by day (a new message for /my, in place for a button)."""
    user = update.effective_user
    assert user is not None
    page = 0
    if update.callback_query is not None:
        await update.callback_query.answer()
        page = cb.parse_my_page(update.callback_query.data or "")
    services = context.services
    ids = await bookmarks.bookmarked_ids(services.database, user.id)
    await show(update, views.agenda_view(services.programme, ids, user_lang(update, context), page))


@private_only
async def calendar_file(update: Update, context: BotContext) -> None:
    """Send the agenda as an iCalendar file that phones import."""
    user = update.effective_user
    chat = update.effective_chat
    assert user is not None and chat is not None
    if update.callback_query is not None:
        await update.callback_query.answer()
    lang = user_lang(update, context)
    services = context.services
    programme = services.programme
    sessions = agenda_sessions(programme, await bookmarks.bookmarked_ids(services.database, user.id))
    if not sessions:
        await send(update, Reply(views.nothing_to_export(lang)))
        return
    await chat.send_document(
        document=agenda_calendar(programme, sessions, services.clock.now()),
        filename=calendar_filename(programme),
        caption=views.calendar_caption(programme, len(sessions), lang),
    )
