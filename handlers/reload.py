"""/reload and programme files sent by organisers: show what a new version changes, apply it on confirmation.

Also the two programme jobs: picking up versions applied by the command line, and polling PROGRAMME_URL.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.programme_updates import apply as updates
from bot.programme_updates.fetch import ReadLimits, shown_url
from bot.programme_updates.poll import poll
from bot.storage import audit
from bot.views import callback_data as cb
from bot.views import changes as views
from handlers import fallback
from handlers.common import send, show, user_lang
from handlers.context import BotContext
from handlers.organisers import is_organiser, organiser_only

logger = logging.getLogger(__name__)

SYNC_SECONDS = 30.0  # how often the bot looks for a version applied from the command line
FIRST_POLL_SECONDS = 15.0


@organiser_only
async def reload_command(update: Update, context: BotContext) -> None:
    """Read PROGRAMME_URL (or PROGRAMME_PATH) and show what it would change, with Apply / Discard."""
    settings = context.services.settings
    location = settings.programme_url or str(settings.programme_path)
    limits = ReadLimits.of(settings)
    until = limits.deadline()  # one deadline for the download and the parsing
    try:
        data = await updates.read_location(location, limits, until=until)
    except updates.UpdateError as exc:
        await send(update, views.update_failed("\n".join(exc.problems), user_lang(update, context)))
        return
    await _offer(update, context, data, shown_url(location), until=until)


async def programme_document(update: Update, context: BotContext) -> None:
    """Read a programme file an organiser sent and show what it would change; anyone else's file is just media."""
    message = update.effective_message
    document = message.document if message else None
    if document is None or not is_organiser(update, context):
        await fallback.other_media(update, context)
        return
    name = document.file_name or "document"
    max_bytes = ReadLimits.of(context.services.settings).max_bytes
    if document.file_size and document.file_size > max_bytes:
        lang = user_lang(update, context)
        await send(update, views.update_failed(views.file_too_large(name, max_bytes, lang), lang))
        return
    try:
        data = bytes(await (await document.get_file()).download_as_bytearray())
    except TelegramError as exc:
        logger.warning("Could not download the programme file %s: %s", name, exc)
        lang = user_lang(update, context)
        await send(update, views.update_failed(views.download_failed(name, lang), lang))
        return
    await _offer(update, context, data, name)


async def _offer(update: Update, context: BotContext, data: bytes, source: str, until: float | None = None) -> None:
    lang = user_lang(update, context)
    services = context.services
    user = update.effective_user
    try:
        prepared = await updates.prepare(
            services, data, source, timezone=None, created_by=f"telegram:{user.id if user else 0}", until=until
        )
    except updates.UpdateError as exc:
        await send(update, views.update_failed("\n".join(exc.problems), lang))
        return
    await send(update, views.prepared_summary(prepared, lang))


@organiser_only
async def update_button(update: Update, context: BotContext) -> None:
    """Apply or discard a programme version from the buttons under its summary."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(update, context)
    services = context.services
    parsed = cb.parse_update(query.data or "")
    if parsed is None:
        await fallback.stale_button(update, context)
        return
    action, version_id = parsed
    state = await updates.version_state(services, version_id)
    if state != "pending":
        await query.answer(views.not_pending(state, lang), show_alert=True)
        return
    if action == "d":
        await updates.discard(services, version_id)
        await query.answer()
        await show(update, views.discarded(lang))
        return
    pending = await updates.pending_programme(services, version_id)
    if action == "a" and pending is not None and updates.another_conference(services.programme, pending):
        await query.answer()  # one more step: Apply alone never replaces the conference
        await show(update, views.confirm_replace(version_id, services.programme, pending, lang))
        return
    try:
        done = await updates.apply(services, version_id, check_base=True)
    except updates.StaleUpdate:
        await _rebase(update, context, version_id)
        return
    except updates.UpdateError as exc:
        await query.answer("\n".join(exc.problems)[:190], show_alert=True)
        return
    await query.answer()
    debounce = services.settings.change_alert_debounce_minutes
    await show(update, views.applied(done.version_id, done.diff, done.alerts.queued, debounce, lang))
    context.outbox.wake()
    user = update.effective_user
    await audit.record(
        services.database,
        user.id if user else 0,
        "programme.apply",
        services.clock.now(),
        count=done.alerts.queued,
        detail=f"version {done.version_id}: {len(done.diff.changes)} changes",
    )


async def _rebase(update: Update, context: BotContext, version_id: int) -> None:
    """Another version was applied since this summary: compare again and ask again."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(update, context)
    services = context.services
    programme = await updates.pending_programme(services, version_id)
    await updates.discard(services, version_id)
    if programme is None:
        await query.answer(views.not_pending("discarded", lang), show_alert=True)
        return
    await query.answer(views.stale_update(lang), show_alert=True)
    user = update.effective_user
    prepared = await updates.compare(services, programme, created_by=f"telegram:{user.id if user else 0}")
    await show(update, views.prepared_summary(prepared, lang))


async def sync_programme(context: BotContext) -> None:
    """Put in force a version the command line applied while the bot runs."""
    if await updates.sync_from_database(context.services):
        logger.info("Programme version %s picked up from the database", context.services.programme.extra)


async def poll_programme(context: BotContext) -> None:
    """Fetch PROGRAMME_URL (conditional GET); apply or ask the organisers when it changed."""
    outcome = await poll(context.services)
    if outcome is not None and (outcome.told_organisers or outcome.applied):
        context.outbox.wake()
