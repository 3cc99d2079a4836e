"""Every handler of the bot, registered in one ordered list: the bot's whole surface at a glance."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.reminder_queue import tick_interval
from bot.services import Services
from bot.views import callbacks as cb
from handlers import (
    agenda,
    ask,
    bookmarks,
    broadcast,
    browse,
    errors,
    fallback,
    now,
    organiser_jobs,
    reload,
    reminder_buttons,
    reminder_tick,
    scheduled,
    settings,
    start,
    stats,
    users,
    venue,
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
        CommandHandler(["programme", "program", "days"], browse.days),
        CommandHandler("now", now.now),
        CommandHandler("next", now.next_up),
        CommandHandler("venue", venue.venue),
        CommandHandler("search", ask.search),
        CommandHandler("my", agenda.my_agenda),
        CommandHandler("settings", settings.show_settings),
        CommandHandler("reload", reload.reload_command),
        CommandHandler("scheduled", scheduled.scheduled_command),
        CommandHandler("stats", stats.stats_command),
        # Buttons (callback data protocol in bot/views/callbacks.py)
        CallbackQueryHandler(browse.days_button, pattern=_exact(cb.DAYS)),
        CallbackQueryHandler(browse.day_button, pattern=f"^{cb.DAY}\\|"),
        CallbackQueryHandler(browse.session_button, pattern=f"^{cb.SESSION}\\|"),
        CallbackQueryHandler(now.now, pattern=_exact(cb.NOW)),
        CallbackQueryHandler(now.next_up, pattern=_exact(cb.NEXT)),
        CallbackQueryHandler(venue.venue, pattern=_exact(cb.VENUE)),
        CallbackQueryHandler(start.help_button, pattern=_exact(cb.HELP)),
        CallbackQueryHandler(ask.answer_page, pattern=f"^{cb.ASK}\\|"),
        CallbackQueryHandler(bookmarks.toggle_bookmark, pattern=f"^{cb.BOOKMARK}\\|"),
        CallbackQueryHandler(bookmarks.overlap_choice, pattern=f"^{cb.OVERLAP}\\|"),
        CallbackQueryHandler(agenda.my_agenda, pattern=f"^{cb.MY}(\\|\\d+)?$"),
        CallbackQueryHandler(agenda.calendar_file, pattern=_exact(cb.ICS)),
        CallbackQueryHandler(settings.show_settings, pattern=_exact(cb.SETTINGS)),
        CallbackQueryHandler(settings.change_setting, pattern=f"^{cb.SETTINGS}\\|"),
        CallbackQueryHandler(reminder_buttons.reminder_button, pattern=f"^{cb.REMIND}\\|"),
        CallbackQueryHandler(reload.update_button, pattern=f"^{cb.UPDATE}\\|"),
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
    ]


def register_handlers(app: Application) -> None:
    # Group -1 runs for every update before the handlers above: first contact is recorded there.
    app.add_handler(TypeHandler(Update, users.remember_user), group=-1)
    app.add_handlers(handler_list(), group=0)
    app.add_error_handler(errors.on_error)
    register_jobs(app)


def register_jobs(app: Application) -> None:
    """Periodic ticks: they only wake code up; what is due is read from the database each time."""
    services: Services = app.bot_data["services"]
    if app.job_queue is not None:
        interval = tick_interval(services.clock.speed)
        app.job_queue.run_repeating(reminder_tick.queue_reminders, interval=interval, first=0, name="reminders")
    reload.schedule_jobs(app)
    organiser_jobs.schedule_jobs(app)
