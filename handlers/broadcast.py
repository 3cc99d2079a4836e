"""/broadcast: the message, the audience, a preview as recipients see it, then send, schedule or cancel."""

from __future__ import annotations

import logging
import warnings

from telegram import Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import broadcast as lifecycle
from bot.audience import ALL, Audience
from bot.i18n import Lang
from bot.programme_updates import apply as updates
from bot.runtime.persistence import DIALOGUE_IDLE
from bot.storage import audiences
from bot.storage import broadcasts as store
from bot.storage.broadcasts import Broadcast
from bot.views import broadcast as views
from bot.views import broadcast_report as report_views
from bot.views import callback_data as cb
from bot.views.callback_data import BroadcastAction as Act
from bot.views.format import MAX_CAPTION, MAX_TEXT
from bot.views.reply import Reply
from handlers import scheduled
from handlers.common import send, show, user_lang
from handlers.context import BotContext
from handlers.organiser_jobs import refresh_report, replace_controls
from handlers.organisers import is_organiser, organiser_only, organiser_step

logger = logging.getLogger(__name__)

COMPOSE, TIME = "compose", "time"


@organiser_only
async def compose_start(update: Update, context: BotContext) -> str:
    """Ask the organiser for the message to broadcast."""
    await send(update, views.ask_for_message(user_lang(update, context)))
    return COMPOSE


def _content(message: Message) -> tuple[str, str, int, int] | None:
    """(media kind, file id, length limit, length) of what can be broadcast; None for other media."""
    if message.photo:
        return "photo", message.photo[-1].file_id, MAX_CAPTION, len(message.caption or "")
    if message.document:
        return "document", message.document.file_id, MAX_CAPTION, len(message.caption or "")
    if message.text is not None:
        return "", "", MAX_TEXT, len(message.text)
    return None


@organiser_step
async def compose_receive(update: Update, context: BotContext) -> str | int:
    """Take the text, photo or document; show it as recipients will see it, then the audience choice."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    lang = user_lang(update, context)
    content = _content(message)
    if content is None:
        await message.reply_text(views.unsupported_media(lang))
        return COMPOSE
    kind, media_id, limit, length = content
    if not kind and not (message.text or "").strip():
        await message.reply_text(views.empty_message(lang))
        return COMPOSE
    if length > limit:
        await message.reply_text(views.too_long(length, limit, lang))
        return COMPOSE
    text = message.text_html if message.text else (message.caption_html or "")
    services = context.services
    draft = await lifecycle.create_draft(services, user.id, text, media_kind=kind, media_id=media_id)
    await send_copy(context, message.chat_id, draft)
    everyone = len(await lifecycle.recipients(services, Audience(ALL)))
    control = await send(update, views.audience_menu(draft.id, everyone, lang))
    if control is not None:
        await store.set_report_message(services.database, draft.id, message.chat_id, control)
    return ConversationHandler.END


async def send_copy(context: BotContext, chat_id: int, broadcast: Broadcast) -> None:
    """The broadcast exactly as a recipient gets it."""
    caption = broadcast.text or None
    if broadcast.media_kind == "photo":
        await context.bot.send_photo(chat_id, broadcast.media_id, caption=caption)
    elif broadcast.media_kind == "document":
        await context.bot.send_document(chat_id, broadcast.media_id, caption=caption)
    else:
        await context.bot.send_message(chat_id, broadcast.text)


async def cancel_dialogue(update: Update, context: BotContext) -> int:
    """Leave the dialogue at a step that waits for a message; nothing is sent."""
    _, discarded = await _cancel_open_work(update, context)
    await send(update, Reply(views.dialogue_cancelled(user_lang(update, context), programme_discarded=discarded)))
    return ConversationHandler.END


async def cancel_command(update: Update, context: BotContext) -> None:
    """/cancel between steps (a preview, an update waiting for Apply): cancel what the organiser left open."""
    lang = user_lang(update, context)
    drafts, discarded = await _cancel_open_work(update, context)
    if drafts or discarded:
        await send(update, Reply(views.dialogue_cancelled(lang, programme_discarded=discarded)))
    else:
        await send(update, Reply(views.nothing_to_cancel(lang)))


async def _cancel_open_work(update: Update, context: BotContext) -> tuple[int, int]:
    """Cancel the organiser's open drafts and discard the programme updates shown to them: (drafts, updates)."""
    user = update.effective_user
    if user is None or not is_organiser(update, context):
        return 0, 0
    services, lang = context.services, user_lang(update, context)
    drafts = await lifecycle.cancel_drafts(services, user.id)
    for draft in drafts:
        await replace_controls(context, draft, views.cancelled(draft.id, lang))
    discarded = await updates.discard_pending_of(services, f"telegram:{user.id}")
    return len(drafts), discarded


@organiser_only
async def schedule_start(update: Update, context: BotContext) -> str | None:
    """Ask when a previewed broadcast should go out."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(update, context)
    parsed = cb.parse_broadcast(query.data or "")
    draft = await store.get(context.services.database, parsed[1]) if parsed else None
    if draft is None or draft.state != store.DRAFT or not draft.audience:
        await query.answer(views.not_a_draft(draft, lang), show_alert=True)
        return None
    await query.answer()
    if context.user_data is not None:
        context.user_data["scheduling"] = draft.id
    await send(update, views.ask_for_time(context.services.programme, context.services.clock.now(), lang))
    return TIME


@organiser_step
async def schedule_receive(update: Update, context: BotContext) -> str | int:
    """Schedule the broadcast at the time the organiser typed (event time zone)."""
    message = update.effective_message
    assert message is not None and message.text is not None
    services, lang = context.services, user_lang(update, context)
    programme, now = services.programme, services.clock.now()
    at = lifecycle.parse_when(message.text, programme)
    if at is None:
        await message.reply_text(views.time_unreadable(lang))
        return TIME
    if at <= now:
        await message.reply_text(views.time_in_past(now, programme, lang))
        return TIME
    broadcast_id = int((context.user_data or {}).get("scheduling", 0))
    draft = await store.get(services.database, broadcast_id)
    assert update.effective_user is not None
    if draft is None or not await lifecycle.schedule(services, draft, at, update.effective_user.id):
        await message.reply_text(views.not_a_draft(draft, lang))
        return ConversationHandler.END
    scheduled_one = await store.get(services.database, broadcast_id)
    assert scheduled_one is not None
    who = views.audience_label(lifecycle.audience_of(draft, programme), programme, lang)
    note = views.scheduled_note(scheduled_one, who, programme, lang)
    await replace_controls(context, scheduled_one, note)
    await send(update, note)
    return ConversationHandler.END


def dialogue() -> ConversationHandler:
    """The steps that wait for the organiser's next message: the broadcast, a time, a run-up text."""
    anything = filters.ALL & ~filters.COMMAND
    # Button entry points are tracked per chat and user, not per message: that is intended here.
    warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
    return ConversationHandler(
        entry_points=[
            CommandHandler("broadcast", compose_start),
            CallbackQueryHandler(schedule_start, pattern=f"^{cb.BROADCAST}\\|{Act.SCHEDULE}\\|"),
            CallbackQueryHandler(
                scheduled.edit_start, pattern=f"^{cb.SCHEDULED}\\|{cb.ScheduledAction.EDIT_LANGUAGE}\\|"
            ),
        ],
        states={
            COMPOSE: [MessageHandler(anything, compose_receive)],
            TIME: [MessageHandler(filters.TEXT & ~filters.COMMAND, schedule_receive)],
            scheduled.EDIT: [MessageHandler(filters.TEXT & ~filters.COMMAND, scheduled.edit_receive)],
        },
        fallbacks=[CommandHandler("cancel", cancel_dialogue)],
        allow_reentry=True,
        conversation_timeout=DIALOGUE_IDLE,
        persistent=True,  # a restart mid-dialogue keeps the step: bot/runtime/persistence.py
        name="organiser_dialogue",
    )


@organiser_only
async def broadcast_button(update: Update, context: BotContext) -> None:
    """Audience menus, send, cancel and stop of one broadcast."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    lang, services = user_lang(update, context), context.services
    db = services.database
    parsed = cb.parse_broadcast(query.data or "")
    broadcast = await store.get(db, parsed[1]) if parsed else None
    if parsed is None or broadcast is None:
        await query.answer(views.not_a_draft(None, lang), show_alert=True)
        return
    action, bid, arg = parsed
    if action == Act.STOP:
        await stop(update, context, broadcast)
        return
    if broadcast.state != store.DRAFT:
        await query.answer(views.not_a_draft(broadcast, lang), show_alert=True)
        return
    if action == Act.SEND:
        await send_now(update, context, broadcast)
        return
    if action == Act.CANCEL:
        await lifecycle.cancel(services, broadcast, update.effective_user.id)
        await query.answer()
        await show(update, views.cancelled(bid, lang))
        return
    reply = await _menu(context, broadcast, action, arg, lang)
    if reply is None:
        await query.answer(views.unknown_choice(lang), show_alert=True)
        return
    await query.answer()
    await show(update, reply)


async def _menu(context: BotContext, broadcast: Broadcast, action: str, arg: str, lang: Lang) -> Reply | None:
    services = context.services
    programme, db, bid = services.programme, services.database, broadcast.id
    if action == Act.MENU:
        everyone = len(await lifecycle.recipients(services, Audience(ALL)))
        return views.audience_menu(bid, everyone, lang)
    if action == Act.SESSION_DAYS:
        return views.choose_day(bid, programme, Act.SESSIONS, lang)
    if action == Act.ROOM_DAYS:
        return views.choose_day(bid, programme, Act.ROOMS, lang)
    if action == Act.LANGUAGES:
        return views.choose_language(bid, await audiences.language_counts(db), lang)
    if action in (Act.SESSIONS, Act.ROOMS):
        day_text, _, page = arg.partition(".")
        day = next((d for d in programme.days if f"{d:%Y%m%d}" == day_text), None)
        if day is None or (page and not page.isdigit()):
            return None
        if action == Act.SESSIONS:
            return views.choose_session(bid, programme, day, int(page or 0), lang)
        return views.choose_room(bid, programme, day, lang)
    if action == Act.PICK:
        try:
            audience = Audience.parse(arg, programme)
        except ValueError:  # a button of a programme version since replaced, or forged
            return None
        count = await lifecycle.choose_audience(services, broadcast, audience)
        return None if count is None else views.preview_controls(broadcast, audience, count, programme, lang)
    return None


async def send_now(update: Update, context: BotContext, broadcast: Broadcast) -> None:
    """Queue the broadcast; the control message becomes the live progress report."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    lang, services = user_lang(update, context), context.services
    if not broadcast.audience:
        await query.answer(views.unknown_choice(lang), show_alert=True)
        return
    others = len(await store.in_state(services.database, store.SENDING))
    sent = await lifecycle.send_now(services, broadcast, update.effective_user.id)
    fresh = await store.get(services.database, broadcast.id)
    if sent.gone or fresh is None:
        await query.answer(views.not_a_draft(fresh, lang), show_alert=True)
        return
    if not sent.recipients:
        await query.answer(views.no_one(lang), show_alert=True)
        return
    context.outbox.wake()
    await query.answer()
    await refresh_report(context, fresh)
    if others:
        await send(update, Reply(report_views.queued_behind(others, lang)))


async def stop(update: Update, context: BotContext, broadcast: Broadcast) -> None:
    """Halt the rest of a broadcast being sent and show the final report."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    lang, services = user_lang(update, context), context.services
    if await lifecycle.stop(services, broadcast, update.effective_user.id) is None:
        ended = await store.get(services.database, broadcast.id)
        await query.answer(views.already_ended(ended, lang), show_alert=True)
        if ended is not None and ended.state != store.SENDING:
            await refresh_report(context, ended)  # the final report, without the Stop button
        return
    await query.answer()
    stopped = await store.get(services.database, broadcast.id)
    assert stopped is not None
    await refresh_report(context, stopped)
