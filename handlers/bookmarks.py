"""☆/★ on any session card, list or answer, and the overlap prompt: keep both, or replace the other one."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.agenda import overlapping
from bot.programme.model import Session
from bot.reminders.queue import tick
from bot.storage import bookmarks
from bot.storage.reminders import drop_pending_reminders
from bot.views import agenda as views
from bot.views import callback_data as cb
from bot.views.browse import unknown_session
from handlers.common import pressed, private_only, send, show, unless_unchanged, user_lang
from handlers.context import BotContext

logger = logging.getLogger(__name__)


@private_only
async def toggle_bookmark(update: Update, context: BotContext) -> None:
    """Add or remove a bookmark from a ☆/★ button and show the new state where it was pressed."""
    query, user = pressed(update)
    lang = user_lang(update, context)
    services = context.services
    programme = services.programme
    parsed = cb.parse_bookmark(query.data or "")
    session = programme.session(parsed[2]) if parsed else None
    if parsed is None or session is None:
        await query.answer(unknown_session(lang), show_alert=True)
        return
    add, where, _key = parsed
    if add and session.is_cancelled:
        await query.answer(views.cancelled_not_bookmarkable(lang), show_alert=True)
        return
    db = services.database
    before = await bookmarks.bookmarked_ids(db, user.id)
    if add:
        changed = await bookmarks.add_bookmark(db, user.id, session.id, services.clock.now())
    else:
        changed = await bookmarks.remove_bookmarks(db, user.id, [session.id]) > 0
        await drop_pending_reminders(db, session.id, user_id=user.id, reason="bookmark removed")
    await query.answer(views.toast(add, lang))
    if where.startswith("m"):
        ids = await bookmarks.bookmarked_ids(db, user.id)
        await show(update, views.agenda_view(programme, ids, lang, int(where[1:])))
    else:
        await _redraw_toggles(update, session, add, context)
    if changed:
        await tick(services, user.id)
    # Only a new bookmark asks, once: a double tap changes nothing and asks nothing.
    others = overlapping(programme, session, before) if add and changed else []
    if others:
        await send(update, views.overlap_prompt(programme, session, others, lang))


async def _redraw_toggles(update: Update, session: Session, bookmarked: bool, context: BotContext) -> None:
    """Flip every ☆/★ of `session` in the pressed message's keyboard, and the ★ of its rows, whatever view drew it."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    lang = user_lang(update, context)
    rows = []
    for row in message.reply_markup.inline_keyboard:
        new_row = []
        for button in row:
            data = button.callback_data if isinstance(button.callback_data, str) else None
            parsed = cb.parse_bookmark(data) if data else None
            if parsed is not None and parsed[2] == session.key:
                flipped = views.bookmark_button(session, bookmarked, lang, parsed[1])
                button = InlineKeyboardButton(flipped.label, callback_data=flipped.data)
            elif data == cb.session(session.key):  # the session's row in a list: ★ opens its label when bookmarked
                button = InlineKeyboardButton(views.starred(button.text, bookmarked), callback_data=data)
            new_row.append(button)
        rows.append(new_row)
    await unless_unchanged(query.edit_message_reply_markup(InlineKeyboardMarkup(rows)))


@private_only
async def overlap_choice(update: Update, context: BotContext) -> None:
    """Keep both overlapping sessions, or replace the other ones with the session just bookmarked."""
    query, user = pressed(update)
    lang = user_lang(update, context)
    services = context.services
    programme = services.programme
    parsed = cb.parse_overlap_choice(query.data or "")
    session = programme.session(parsed[1]) if parsed else None
    if parsed is None or session is None:
        await query.answer(unknown_session(lang), show_alert=True)
        return
    if not parsed[0]:
        await query.answer()
        await show(update, views.kept_both(programme, session, lang))
        return
    if session.is_cancelled:
        await query.answer(views.cancelled_not_bookmarkable(lang), show_alert=True)
        return
    db = services.database
    others = overlapping(programme, session, await bookmarks.bookmarked_ids(db, user.id))
    await bookmarks.add_bookmark(db, user.id, session.id, services.clock.now())
    await bookmarks.remove_bookmarks(db, user.id, [o.id for o in others])
    for other in others:
        await drop_pending_reminders(db, other.id, user_id=user.id, reason="replaced by an overlapping session")
    await tick(services, user.id)
    await query.answer()
    await show(update, views.replaced(programme, session, others, lang))
