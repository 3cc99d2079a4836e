"""Reminders and digests: the periodic tick that keeps them queued, and the buttons under them (open the card,
remind me again, mute reminders for today, stop them, and undo)."""

from __future__ import annotations

from telegram import Update

from bot.programme.model import Session
from bot.reminders.queue import TickEdge, periodic_tick, snooze, tick, unmute_snoozes
from bot.storage import bookmarks, preferences
from bot.storage import reminders as store
from bot.views import callback_data as cb
from bot.views import reminders as views
from bot.views.agenda import bookmark_rows
from bot.views.browse import session_card, unknown_session
from bot.views.callback_data import RemindAction as Act
from bot.views.reply import Reply
from handlers.common import markup, pressed, send, unless_unchanged, user_lang
from handlers.context import BotContext

_STATE_AFTER = {
    Act.MUTE_TODAY: "muted",
    Act.STOP: "stopped",
    Act.UNMUTE: "",
    Act.TURN_ON: "",
    Act.SNOOZE: "snoozed",  # no second snooze button
}


async def reminder_button(update: Update, context: BotContext) -> None:
    """Open a reminded session's card as a new message, or mute/stop reminders from the reminder itself."""
    query, user = pressed(update)
    lang = user_lang(update, context)
    services = context.services
    programme = services.programme
    parsed = cb.parse_remind(query.data or "")
    if parsed is None:
        await query.answer(unknown_session(lang), show_alert=True)
        return
    action, key = parsed
    session = programme.session(key)
    if action == Act.OPEN_CARD:
        if session is None:
            await query.answer(unknown_session(lang), show_alert=True)
            return
        await query.answer()
        ids = await bookmarks.bookmarked_ids(services.database, user.id)
        await send(update, session_card(programme, session, lang, extra_buttons=bookmark_rows(session, ids, lang)))
        return
    db = services.database
    now = services.clock.now()
    if action == Act.SNOOZE:
        await _snooze(update, context, session)
        return
    if action in (Act.MUTE_TODAY, Act.STOP):
        await store.drop_pending_snoozes(db, user.id)
    if action == Act.MUTE_TODAY:
        await preferences.update_preferences(db, user.id, now, muted_day=programme.local(now).date())
    elif action == Act.UNMUTE:
        await preferences.update_preferences(db, user.id, now, muted_day="clear")
    else:
        await preferences.update_preferences(db, user.id, now, reminders=action == Act.TURN_ON)
    restored = missed = 0
    if action in (Act.UNMUTE, Act.TURN_ON):  # the undo brings back a "remind me again" the mute dropped
        restored, missed = await unmute_snoozes(services, user.id)
        if restored:
            context.outbox.wake()
    await tick(services, user.id)
    await query.answer(views.reminder_toast(action, lang, restored=restored, missed=missed))
    if session is None:
        return
    buttons = Reply("", views.reminder_buttons(session, lang, _STATE_AFTER[action]))
    await unless_unchanged(query.edit_message_reply_markup(markup(buttons)))


async def _snooze(update: Update, context: BotContext, session: Session | None) -> None:
    """Queue the reminder again for 5 minutes before the start (or the start), once however often pressed."""
    query, user = pressed(update)
    lang, services = user_lang(update, context), context.services
    if session is None:
        await query.answer(unknown_session(lang), show_alert=True)
        return
    at, queued = await snooze(services, user.id, session, lang)
    if queued:
        context.outbox.wake()
    await query.answer(views.snooze_toast(at, session, services.programme, lang))
    if at is None:
        return
    buttons = Reply("", views.reminder_buttons(session, lang, _STATE_AFTER[Act.SNOOZE]))
    await unless_unchanged(query.edit_message_reply_markup(markup(buttons)))


async def queue_reminders(context: BotContext) -> None:
    """Queue the reminders and digests now due (the JobQueue only wakes this up; the state is in SQLite)."""
    job = context.job
    edge = job.data if job is not None and isinstance(job.data, TickEdge) else TickEdge()
    report = await periodic_tick(context.services, edge)
    if report.queued or report.updated:
        context.outbox.wake()
