"""Periodic organiser work: scheduled broadcasts, live progress reports, the run-up plan.

The JobQueue only wakes this code up; everything it acts on is read from SQLite, so a restart loses nothing.
"""

from __future__ import annotations

import logging

from telegram.error import BadRequest, TelegramError

from bot import broadcast as lifecycle
from bot import i18n, runup_queue
from bot.storage import broadcasts as store
from bot.storage import users
from bot.storage.broadcasts import Broadcast
from bot.views import broadcast as views
from bot.views import broadcast_report as report_views
from bot.views.reply import Reply
from handlers.common import markup, unless_unchanged
from handlers.context import BotContext
from handlers.menus import set_chat_menu

logger = logging.getLogger(__name__)


async def replace_controls(context: BotContext, broadcast: Broadcast, reply: Reply) -> None:
    """Turn the broadcast's control message (preview buttons) into `reply`."""
    if broadcast.report_chat is None or broadcast.report_message is None:
        return
    edit = context.bot.edit_message_text(
        reply.text, chat_id=broadcast.report_chat, message_id=broadcast.report_message, reply_markup=markup(reply)
    )
    try:
        await unless_unchanged(edit)
    except BadRequest as exc:  # e.g. the organiser deleted the message: the broadcast goes on regardless
        logger.warning("Could not update the report of broadcast #%d: %s", broadcast.id, exc.message)


async def refresh_report(context: BotContext, broadcast: Broadcast, shown: dict[int, str] | None = None) -> bool:
    """Edit the organiser's report of a broadcast being sent; True once it is complete.

    `shown` remembers the last text per broadcast, so a tick with nothing new makes no call.
    """
    services = context.services
    delivery = await store.delivery(services.database, broadcast.batch)
    organiser = await users.get_user(services.database, broadcast.organiser_id)
    lang = i18n.lang(organiser.language if organiser else None)
    who = views.audience_label(lifecycle.audience_of(broadcast, services.programme), services.programme, lang)
    finished = broadcast.state in (store.DONE, store.STOPPED)
    if broadcast.state == store.SENDING and delivery.remaining == 0:
        await lifecycle.finish_if_delivered(services, broadcast, delivery)
        done = await store.get(services.database, broadcast.id)
        broadcast, finished = done or broadcast, True
    if finished:
        reply = report_views.report(broadcast, delivery, who, lang)
    else:
        now = services.clock.now()
        rate = services.settings.send_rate_per_second
        finish = report_views.estimated_finish(delivery, broadcast.started_at, now, rate)
        reply = report_views.progress(broadcast, delivery, who, finish, services.programme, lang)
    if shown is None or shown.get(broadcast.id) != reply.text:
        await replace_controls(context, broadcast, reply)
        if shown is not None:
            shown[broadcast.id] = reply.text
    if not finished:
        # Stop may have been pressed while this progress edit was on its way: never leave it overwritten.
        now_state = await store.get(services.database, broadcast.id)
        if now_state is not None and now_state.state == store.STOPPED:
            return await refresh_report(context, now_state)
    return finished


async def broadcast_tick(context: BotContext) -> None:
    """Start due scheduled broadcasts and edit the progress report of each broadcast being sent."""
    services = context.services
    if await lifecycle.start_due(services):
        context.outbox.wake()
    shown = context.job.data if context.job is not None and isinstance(context.job.data, dict) else None
    for broadcast in await store.in_state(services.database, store.SENDING):
        try:
            await refresh_report(context, broadcast, shown)
        except TelegramError:
            logger.warning("Could not refresh the report of broadcast #%d", broadcast.id, exc_info=True)


async def runup_tick(context: BotContext) -> None:
    """Re-read the run-up file if it changed and queue the entries whose time has come."""
    services = context.services
    services.runup.refresh()
    if await runup_queue.enqueue_due_runup(services, services.runup.plan):
        context.outbox.wake()


async def organiser_start(context: BotContext) -> None:
    """Once after start-up: the run-up entries that fell due while the bot was down, the organisers' menus."""
    await runup_tick(context)
    await _organiser_menus(context)


async def _organiser_menus(context: BotContext) -> None:
    """Give each organiser's chat a command menu with the organiser commands; the public one lacks them."""
    for admin in sorted(context.services.settings.admin_ids):
        user = await users.get_user(context.services.database, admin)
        await set_chat_menu(context.bot, context.services, admin, user.language if user else None)
