"""Build the PTB Application around the services, and run it by polling or webhook."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackContext, ContextTypes, Defaults, ExtBot
from telegram.request import BaseRequest

from bot import i18n
from bot.outbox_plan import Pacing
from bot.programme_updates.apply import start_up
from bot.runtime.dispatcher import Dispatcher
from bot.runtime.markup import command_menu
from bot.runtime.pacer import SendPacer
from bot.runtime.persistence import DIALOGUE_IDLE, DialoguePersistence
from bot.services import Services
from bot.views.start import COMMANDS

logger = logging.getLogger(__name__)

# Any syntactically valid token works against a local Bot API; it is never sent anywhere else.
LOCAL_TOKEN = "1000000:LOCAL-CONSOLE-TOKEN"


class BotContext(CallbackContext[ExtBot[None], dict, dict, dict]):
    """The handler context, with typed access to the services instead of string keys."""

    @property
    def services(self) -> Services:
        services: Services = self.application.bot_data["services"]
        return services

    @property
    def dispatcher(self) -> Dispatcher:
        """The outbox dispatcher: `wake()` it after enqueuing so the rows go out without waiting for a poll."""
        dispatcher: Dispatcher = self.application.bot_data["dispatcher"]
        return dispatcher


async def _post_init(app: Application) -> None:
    services: Services = app.bot_data["services"]
    await services.open_database()
    await start_up(services)  # the newest applied version, or PROGRAMME_PATH when the file has changed since
    await app.bot_data["dispatcher"].start(fallback=services.db)
    for code in i18n.available_languages():
        lang = i18n.lang(code)
        await app.bot.set_my_commands(
            command_menu(COMMANDS, lang), language_code=None if code == i18n.DEFAULT_LANGUAGE else code
        )
    logger.info("Bot ready: %s, %d sessions", services.programme.name, len(services.programme.sessions))


async def _post_stop(app: Application) -> None:
    await app.bot_data["dispatcher"].stop()


async def _post_shutdown(app: Application) -> None:
    services: Services = app.bot_data["services"]
    if services.db is not None:
        await services.db.close()
        services.db = None


def build_application(services: Services, request: BaseRequest | None = None) -> Application:
    """The real Application with every handler registered; `request` swaps the HTTP boundary."""
    from handlers import register_handlers  # the glue depends on the runtime, not the other way round

    token = services.settings.token or LOCAL_TOKEN
    # The one throttle of every message the bot sends (replies and the outbox); see bot/runtime/pacer.py.
    pacer = SendPacer(Pacing(rate_per_second=services.settings.send_rate_per_second))
    builder = (
        Application.builder()
        .token(token)
        .base_url(services.settings.telegram_api_base_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=services.programme.timezone,
            )
        )
        .context_types(ContextTypes(context=BotContext))
        .rate_limiter(pacer)
        .persistence(DialoguePersistence(services.open_database, services.clock.now, DIALOGUE_IDLE))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    app = builder.build()
    app.bot_data["services"] = services
    app.bot_data["dispatcher"] = Dispatcher(
        app.bot,
        pacer,
        services.clock,
        services.settings.database_path,
        max_in_flight=services.settings.send_max_in_flight,
    )
    register_handlers(app)
    return app


def run(services: Services) -> None:
    """Serve Telegram until interrupted: webhook when WEBHOOK_URL is set, long polling otherwise."""
    settings = services.settings
    app = build_application(services)
    # The programme, catalogues and PTB live as long as the process: keep them out of the garbage collector's
    # full passes, which otherwise stall the event loop for ~50-90 ms and bunch paced sends into 429s.
    gc.collect()
    gc.freeze()
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        path = settings.webhook_url.rstrip("/").rsplit("/", 1)[-1]
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=path,
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES)


@asynccontextmanager
async def running(app: Application, *, poll: bool = True) -> AsyncIterator[Application]:
    """Start the Application as run_polling would (post_init included), and stop it cleanly after."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    try:
        if poll:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
        yield app
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        await app.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
