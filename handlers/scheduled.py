"""/scheduled: scheduled broadcasts (cancel, send now) and the run-up plan (skip, edit, urgent)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot import broadcast as lifecycle
from bot.runup import LANGUAGES, RunupEntry, is_urgent, placeholder_problem, placeholders_of
from bot.storage import audit, runup
from bot.storage import broadcasts as store
from bot.views import broadcast as broadcast_views
from bot.views import callback_data as cb
from bot.views import scheduled as views
from bot.views.callback_data import ScheduledAction as Act
from bot.views.reply import Reply
from handlers.common import send, show, user_lang
from handlers.context import BotContext
from handlers.organiser_jobs import refresh_report
from handlers.organisers import organiser_only, organiser_step

EDIT = "edit"


async def _overview(context: BotContext, update: Update) -> Reply:
    services = context.services
    services.runup.refresh()
    db, programme, lang = services.database, services.programme, user_lang(update, context)
    pending = await store.in_state(db, store.SCHEDULED)
    labels = {
        b.id: broadcast_views.audience_label(lifecycle.audience_of(b, programme), programme, lang) for b in pending
    }
    return views.scheduled_view(
        programme,
        pending,
        services.runup.plan.schedule(programme, services.morning),
        await runup.states(db),
        services.runup.problems,
        services.clock.now(),
        labels,
        lang,
    )


@organiser_only
async def scheduled_command(update: Update, context: BotContext) -> None:
    """List what will go out on its own."""
    await send(update, await _overview(context, update))


def _entry(context: BotContext, entry_id: str) -> RunupEntry | None:
    services = context.services
    return services.runup.plan.entry(services.programme, entry_id, services.morning)


@organiser_only
async def scheduled_button(update: Update, context: BotContext) -> None:
    """Cancel or send a scheduled broadcast; skip, make urgent or pick a run-up entry to edit."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    services, lang = context.services, user_lang(update, context)
    db, now, who = services.database, services.clock.now(), update.effective_user.id
    parsed = cb.parse_scheduled(query.data or "")
    action, arg = parsed or ("", "")
    if action in (Act.CANCEL_BROADCAST, Act.SEND_BROADCAST):
        broadcast = await store.get(db, int(arg)) if arg.isdigit() and len(arg) < 12 else None
        if broadcast is None or broadcast.state != store.SCHEDULED:
            await query.answer(broadcast_views.not_a_draft(broadcast, lang), show_alert=True)
            return
        if action == Act.CANCEL_BROADCAST:
            await lifecycle.cancel(services, broadcast, who)
        elif not (await lifecycle.send_now(services, broadcast, who, due=True)).gone:
            context.outbox.wake()
            fresh = await store.get(db, broadcast.id)
            if fresh is not None:
                await refresh_report(context, fresh)
    elif action in (Act.SKIP_ENTRY, Act.URGENT_ENTRY, Act.EDIT_ENTRY):
        entry = _entry(context, arg)
        state = (await runup.states(db)).get(arg)
        if entry is None:
            await query.answer(views.unknown_entry(lang), show_alert=True)
            return
        if state is not None and state.outcome:
            await query.answer(views.entry_done(lang), show_alert=True)
            return
        if action == Act.EDIT_ENTRY:
            await query.answer()
            await show(update, views.choose_edit_language(entry, lang))
            return
        if action == Act.SKIP_ENTRY:
            skip = not (state is not None and state.skipped)
            await runup.set_skipped(db, entry.id, skip)
            await audit.record(db, who, "runup.skip" if skip else "runup.unskip", now, detail=entry.id)
        else:
            urgent = not is_urgent(entry, state)
            await runup.set_urgent(db, entry.id, urgent)
            await audit.record(db, who, "runup.urgent" if urgent else "runup.not_urgent", now, detail=entry.id)
    elif action != Act.LIST:
        await query.answer(broadcast_views.unknown_choice(lang), show_alert=True)
        return
    await query.answer()
    await show(update, await _overview(context, update))


@organiser_only
async def edit_start(update: Update, context: BotContext) -> str | None:
    """Ask for the new text of a run-up entry in one language."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(update, context)
    entry_id, _, code = (cb.parse_scheduled(query.data or "") or ("", ""))[1].partition(":")
    entry = _entry(context, entry_id)
    if entry is None or code not in LANGUAGES:
        await query.answer(views.unknown_entry(lang), show_alert=True)
        return None
    state = (await runup.states(context.services.database)).get(entry.id)
    if state is not None and state.outcome:
        await query.answer(views.entry_done(lang), show_alert=True)
        return None
    await query.answer()
    current = (await runup.edits(context.services.database)).get((entry.id, code), entry.text(code))
    if context.user_data is not None:
        context.user_data["editing"] = (entry.id, code)
    await send(update, views.ask_for_entry_text(entry, code, current, lang))
    return EDIT


@organiser_step
async def edit_receive(update: Update, context: BotContext) -> str | int:
    """Store the organiser's text for the entry and show it as a delegate will see it."""
    message = update.effective_message
    assert message is not None and message.text is not None and update.effective_user is not None
    services, lang = context.services, user_lang(update, context)
    entry_id, code = (context.user_data or {}).get("editing", ("", ""))
    entry = _entry(context, entry_id)
    if entry is None:
        await message.reply_text(views.unknown_entry(lang))
        return ConversationHandler.END
    problem = placeholder_problem(message.text_html, placeholders_of(entry))
    if problem is not None:
        await message.reply_text(views.bad_placeholder(problem, lang, placeholders_of(entry)))
        return EDIT
    now = services.clock.now()
    await runup.set_edit(services.database, entry.id, code, message.text_html, update.effective_user.id, now)
    await audit.record(services.database, update.effective_user.id, "runup.edit", now, detail=f"{entry.id} ({code})")
    preview = views.runup_message(
        entry, code, services.runup.plan, services.programme, [], now, await runup.edits(services.database)
    )
    await send(update, views.entry_saved(entry.id, code, preview, lang))
    return ConversationHandler.END
