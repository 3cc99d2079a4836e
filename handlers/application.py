"""The composition root: builds the Application, and registers every handler and every periodic job.

The bot's whole surface is on this page: the update handlers in the order they are tried, the periodic jobs
in the order they are scheduled, and what happens at start-up and shutdown. `bot/` never imports this package;
the process entry point (`bot/__main__.py`) hands `build_application` and `run` to the command line.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import i18n
from bot.answer import dictionary, semantic
from bot.input_limit import InputLimit
from bot.programme_updates.apply import sync_from_database
from bot.programme_updates.start_up import start_up
from bot.reminders.queue import TickEdge, tick_interval
from bot.runtime import lifecycle
from bot.runtime.chat_order import ChatOrderedUpdates
from bot.runtime.markup import command_menu
from bot.runtime.outbox_sender import OutboxSender
from bot.runtime.persistence import DIALOGUE_IDLE, DialoguePersistence
from bot.runtime.telegram_bot import build_bot, build_pacer
from bot.services import Services
from bot.views import callback_data as cb
from bot.views.start import COMMANDS
from handlers import (
    agenda,
    ask,
    backups,
    bookmarks,
    broadcast,
    browse,
    errors,
    fallback,
    forget,
    inline,
    my_data,
    now,
    organiser_jobs,
    privacy,
    profile,
    reload,
    reminders,
    retention,
    scheduled,
    settings,
    signs,
    speakers,
    start,
    stats,
    users,
    venue,
)
from handlers.context import BotContext
from handlers.flood import FloodGuard

logger = logging.getLogger(__name__)


# The update kinds the handlers below take (asked of Telegram by setWebhook and getUpdates): messages (edited
# ones too, as MessageHandler takes them), button presses, inline queries ('@bot governance' in any chat), and
# a delegate blocking or unblocking the bot.
ALLOWED_UPDATES = (
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
    Update.MY_CHAT_MEMBER,
)


def _exact(prefix: str) -> str:
    return f"^{prefix}$"


def handler_list() -> list[BaseHandler]:
    """Group 0 handlers; the first that matches an update wins, so specific ones come first."""
    return [
        # Organisers' dialogue first: it only matches /broadcast, its buttons, and the next message of an
        # organiser it is waiting for (the broadcast, a time, a run-up text).
        broadcast.dialogue(),
        # Commands
        CommandHandler("start", start.start),
        CommandHandler("help", start.help_command),
        CommandHandler("privacy", privacy.privacy_command),
        CommandHandler(["programme", "program", "days"], browse.days),
        CommandHandler("now", now.now),
        CommandHandler("next", now.next_up),
        CommandHandler("venue", venue.venue),
        CommandHandler("speakers", speakers.speakers_command),
        CommandHandler("search", ask.search),
        CommandHandler("my", agenda.my_agenda),
        CommandHandler("settings", settings.show_settings),
        CommandHandler("reload", reload.reload_command),
        CommandHandler("scheduled", scheduled.scheduled_command),
        CommandHandler("stats", stats.stats_command),
        CommandHandler("forget", forget.forget_command),
        CommandHandler("mydata", my_data.my_data_command),
        CommandHandler("signs", signs.signs_command),
        # After the organisers' dialogue: its own /cancel ends a step that waits for a message first.
        CommandHandler("cancel", broadcast.cancel_command),
        # Buttons (callback data protocol in bot/views/callback_data.py)
        CallbackQueryHandler(browse.days_button, pattern=_exact(cb.DAYS)),
        CallbackQueryHandler(browse.day_button, pattern=f"^{cb.DAY}\\|"),
        CallbackQueryHandler(browse.session_button, pattern=f"^{cb.SESSION}\\|"),
        CallbackQueryHandler(browse.day_groups_button, pattern=f"^({cb.DAY_TRACKS}|{cb.DAY_ROOMS})\\|"),
        CallbackQueryHandler(browse.group_day_button, pattern=f"^({cb.TRACK}|{cb.ROOM})\\|"),
        CallbackQueryHandler(now.now, pattern=_exact(cb.NOW)),
        CallbackQueryHandler(now.next_up, pattern=_exact(cb.NEXT)),
        CallbackQueryHandler(now.page_button, pattern=f"^{cb.NOW_PAGE}\\|"),
        CallbackQueryHandler(now.narrow_button, pattern=f"^{cb.NOW_NARROW}\\|"),
        CallbackQueryHandler(venue.venue, pattern=_exact(cb.VENUE)),
        CallbackQueryHandler(speakers.letters_button, pattern=_exact(cb.SPEAKER_LETTERS)),
        CallbackQueryHandler(speakers.speakers_button, pattern=f"^{cb.SPEAKERS}\\|"),
        CallbackQueryHandler(speakers.speaker_button, pattern=f"^{cb.SPEAKER}\\|"),
        CallbackQueryHandler(speakers.session_speakers_button, pattern=f"^{cb.SESSION_SPEAKERS}\\|"),
        CallbackQueryHandler(start.help_button, pattern=_exact(cb.HELP)),
        CallbackQueryHandler(privacy.privacy_button, pattern=_exact(cb.PRIVACY)),
        CallbackQueryHandler(ask.answer_page, pattern=f"^{cb.ASK}\\|"),
        CallbackQueryHandler(bookmarks.toggle_bookmark, pattern=f"^{cb.BOOKMARK}\\|"),
        CallbackQueryHandler(bookmarks.overlap_choice, pattern=f"^{cb.OVERLAP}\\|"),
        CallbackQueryHandler(agenda.my_agenda, pattern=f"^{cb.MY}(\\|\\d+)?$"),
        CallbackQueryHandler(agenda.calendar_file, pattern=_exact(cb.ICS)),
        CallbackQueryHandler(settings.show_settings, pattern=_exact(cb.SETTINGS)),
        CallbackQueryHandler(settings.change_setting, pattern=f"^{cb.SETTINGS}\\|"),
        CallbackQueryHandler(reminders.reminder_button, pattern=f"^{cb.REMIND}\\|"),
        CallbackQueryHandler(reload.update_button, pattern=f"^{cb.UPDATE}\\|"),
        CallbackQueryHandler(forget.forget_button, pattern=f"^{cb.FORGET}\\|"),
        # A file from an organiser is a new programme version; other files get the media answer.
        MessageHandler(filters.Document.ALL, reload.programme_document),
        CallbackQueryHandler(broadcast.broadcast_button, pattern=f"^{cb.BROADCAST}\\|"),
        CallbackQueryHandler(scheduled.scheduled_button, pattern=f"^{cb.SCHEDULED}\\|"),
        # Fallbacks last: anything unmatched gets a friendly pointer, never silence.
        MessageHandler(filters.COMMAND, fallback.not_understood),
        # Any other text is a question about the conference (unknown /commands stay with the fallback above).
        MessageHandler(filters.TEXT & ~filters.COMMAND, ask.ask),
        MessageHandler(~filters.StatusUpdate.ALL & ~filters.TEXT, fallback.other_media),
        CallbackQueryHandler(fallback.stale_button),
        # `@bot words` typed in any chat (inline mode, enabled with @BotFather's /setinline).
        InlineQueryHandler(inline.inline_query),
    ]


@dataclass(frozen=True)
class Job:
    """A periodic wake-up: `every` seconds from `first` (or once, at `first`, when `every` is None)."""

    callback: Callable[[BotContext], Coroutine[Any, Any, None]]
    name: str
    first: float
    every: float | None = None
    data: object = None


def job_list(services: Services) -> list[Job]:
    """Every job, in the order it is scheduled; each only wakes code up: what is due is read from SQLite."""
    config = services.settings
    jobs = [
        # `data`: how far ahead the last tick queued, so the next reads only what entered the horizon since.
        Job(
            reminders.queue_reminders, "reminders", first=0, every=tick_interval(services.clock.speed), data=TickEdge()
        ),
        # Versions applied from the command line while the bot runs are picked up here.
        Job(reload.sync_programme, "programme-sync", first=reload.SYNC_SECONDS, every=reload.SYNC_SECONDS),
    ]
    if config.backup_dir is not None:
        # Daily at BACKUP_HOUR (event time): an online copy while the bot goes on, the oldest beyond BACKUP_KEEP out.
        local_now = services.programme.local(services.clock.now())
        first = backups.seconds_until_hour(local_now, config.backup_hour, services.clock.speed)
        every = backups.DAY_SECONDS / services.clock.speed
        jobs.append(Job(backups.backup_database, "backup", first=first, every=every))
    if config.programme_url and config.programme_poll_minutes > 0:
        poll_every = config.programme_poll_minutes * 60
        jobs.append(Job(reload.poll_programme, "programme-poll", first=reload.FIRST_POLL_SECONDS, every=poll_every))
    return [
        *jobs,
        # Once, just after start: broadcasts a crash left unqueued, the run-up plan, the organisers' menus.
        Job(organiser_jobs.organiser_start, "organiser-start", first=0.2),
        # `data` keeps the last report text per broadcast, so a tick with nothing new edits nothing.
        Job(organiser_jobs.broadcast_tick, "broadcast-tick", first=0.5, every=config.broadcast_tick_seconds, data={}),
        Job(organiser_jobs.runup_tick, "runup-tick", first=config.runup_tick_seconds, every=config.runup_tick_seconds),
        # Once, off the start-up path: the bot's name and descriptions per language, only where they changed.
        Job(profile.publish_profile, "profile", first=1.0),
        # Personal data goes RETENTION_DAYS after the conference's last day (bot/retention.py).
        Job(retention.purge_expired, "retention", first=60.0, every=retention.CHECK_SECONDS),
    ]


def register(app: Application, services: Services, guard: FloodGuard) -> None:
    """Every handler, the error handler and every periodic job."""
    # Group -2 runs first: one person's flood is cut here, before it costs a read or a reply.
    app.add_handler(TypeHandler(Update, guard.check), group=-2)
    # Group -1 runs for every update before the handlers: first contact is recorded there.
    app.add_handler(TypeHandler(Update, users.remember_user), group=-1)
    app.add_handlers(handler_list(), group=0)
    app.add_error_handler(errors.on_error)
    queue = app.job_queue
    if queue is None:  # the job-queue extra is a dependency, so this is a broken install
        raise RuntimeError("python-telegram-bot's job queue is missing: reinstall with the [job-queue] extra")
    for job in job_list(services):
        if job.every is None:
            queue.run_once(job.callback, when=job.first, name=job.name, data=job.data)
        else:
            queue.run_repeating(job.callback, interval=job.every, first=job.first, name=job.name, data=job.data)


async def _post_init(app: Application) -> None:
    services: Services = app.bot_data["services"]
    await services.open_database()
    # FreeDict, Apertium and WordNet for topic words in another language; their lookup file is built once.
    settings = services.settings
    dictionary.open_dictionary_soon(
        settings.dictionary_dir, settings.dictionary_cache, settings.apertium_dir, settings.wordnet_dir
    )
    if settings.semantic_answers:
        # The optional model for paraphrases no dictionary links: each programme in force is read into vectors in
        # the background once it is loaded, not at the first question that needs them.
        services.programmes.listeners.append(semantic.prepare)
        semantic.load_soon(settings.dictionary_cache.parent, lambda: services.programme)
    # The newest applied version, or PROGRAMME_PATH when the file has changed since; organisers are told (in the
    # outbox, sent once the sender starts) of a broken file or of a change that waits for their Apply.
    await start_up(services)
    await app.bot_data["outbox"].start(fallback=services.db)
    for code in i18n.available_languages():
        lang = i18n.lang(code)
        await app.bot.set_my_commands(
            command_menu(COMMANDS, lang), language_code=None if code == i18n.DEFAULT_LANGUAGE else code
        )
    logger.info("Bot ready: %s, %d sessions", services.programme.name, len(services.programme.sessions))


async def _post_stop(app: Application) -> None:
    await app.bot_data["outbox"].stop()


async def _post_shutdown(app: Application) -> None:
    services: Services = app.bot_data["services"]
    if services.db is not None:
        await services.db.close()
        services.db = None


def build_application(services: Services, request: BaseRequest | None = None) -> Application:
    """The real Application with every handler and job registered; `request` swaps the HTTP boundary."""
    config = services.settings
    pacer = build_pacer(config, services.metrics)
    bot = build_bot(config, services.programme.timezone, pacer, request)
    guard = FloodGuard(InputLimit(config.input_burst, config.input_per_second))
    builder = Application.builder().bot(bot)
    if config.update_concurrency > 1:  # 1: PTB's own one-at-a-time handling
        updates = ChatOrderedUpdates(config.update_concurrency, guard.arrived, services.metrics.update_handled)
        builder = builder.concurrent_updates(updates)
    app = (
        builder.context_types(ContextTypes(context=BotContext))
        .persistence(DialoguePersistence(services.open_database, services.clock.now, DIALOGUE_IDLE))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    app.bot_data["services"] = services
    app.bot_data["outbox"] = OutboxSender(
        bot,
        pacer,
        services.clock,
        config.database_path,
        max_in_flight=config.send_max_in_flight,
        # A change alert never describes a version the bot does not show yet (one applied by `import`).
        catch_up=lambda: sync_from_database(services),
        on_unreachable=lambda chat_id: users.forget_contact(app.user_data.get(chat_id)),
    )
    register(app, services, guard)
    return app


def run(services: Services) -> None:
    """Serve Telegram until interrupted: webhook when WEBHOOK_URL is set, long polling otherwise."""
    app = build_application(services)
    # The programme, catalogues and PTB live as long as the process: keep them out of the garbage collector's
    # full passes, which otherwise stall the event loop for ~50-90 ms and bunch paced sends into 429s.
    gc.collect()
    gc.freeze()
    lifecycle.serve(app, services, ALLOWED_UPDATES)
