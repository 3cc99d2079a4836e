"""Running a built Application: `serve` for the real bot (until interrupted), and `running` inside a block, as
`run_polling` would, for the console, tests and benches."""

from __future__ import annotations

import asyncio
import secrets
import signal
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import Application

from bot import logs
from bot.runtime.telegram_bot import ConferenceBot
from bot.runtime.web import Webhook, WebServer, web_app, webhook_path
from bot.services import Services
from bot.settings import Settings

REFUSED_AT_START = (
    "Telegram refused the bot's token ({reason}), so the bot will not start: it is mistyped or was revoked. "
    "Put the token @BotFather gave you in TELEGRAM_BOT_TOKEN (and check TELEGRAM_API_BASE_URL), then start "
    "the bot again."
)
REFUSED_WHILE_POLLING = (
    "Telegram has refused the bot's token for {seconds:g} s ({reason}), so the bot stops: the token was "
    "revoked or replaced. Put the current token from @BotFather in TELEGRAM_BOT_TOKEN and start the bot again."
)


def serve(app: Application, services: Services, allowed_updates: Sequence[str]) -> None:
    """Serve Telegram until interrupted (webhook when WEBHOOK_URL is set); exit 1 saying why on a refused token.

    With WEBHOOK_URL or HTTP_PORT the bot's web server (bot/runtime/web.py) runs beside it on the same loop.
    """
    # Refused at start-up: exit at once, as nothing is served yet and a supervisor's restart is the retry.
    # Refused while polling: only once it has lasted TELEGRAM_TOKEN_REFUSED_SECONDS (bot/runtime/token_watch.py),
    # as Telegram also refuses good tokens for a moment now and then.
    settings = services.settings
    bot = app.bot
    assert isinstance(bot, ConferenceBot)  # build_application builds no other
    _fast_event_loop()
    try:
        if settings.webhook_url or settings.http_port is not None:
            asyncio.run(_serve_http(app, services, allowed_updates))
        else:
            bot.token_watch.when_revoked(app.stop_running)
            app.run_polling(allowed_updates=allowed_updates)
    except InvalidToken as exc:
        # PTB's own message quotes the token; Telegram's answer is the cause.
        reason = exc.__cause__.message if isinstance(exc.__cause__, InvalidToken) else exc.message
        raise SystemExit(REFUSED_AT_START.format(reason=logs.SECRETS.redact(reason))) from None
    if bot.token_watch.revoked:
        watch = bot.token_watch
        raise SystemExit(REFUSED_WHILE_POLLING.format(seconds=watch.grace, reason=watch.reason))


def _fast_event_loop() -> None:
    """uvloop's event loop for the loop PTB creates: its C callbacks and sockets take about a twentieth less of the
    bot's CPU under a crowd (bench/crowd.py). Where uvloop is not installed (it has no Windows build), asyncio's."""
    try:
        import uvloop
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def webhook_of(settings: Settings) -> Webhook | None:
    """The webhook this run serves, if WEBHOOK_URL is set: its path, secret and body limit."""
    if not settings.webhook_url:
        return None
    # Without a secret anyone who finds the URL could post updates in an organiser's name: make one up for
    # this run (Telegram's alphabet: A-Z a-z 0-9 _ -); setWebhook hands it to Telegram.
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
    logs.hide(secret)  # PTB writes setWebhook's parameters at DEBUG
    return Webhook(webhook_path(settings.webhook_url), secret, settings.webhook_max_body_kb * 1024)


async def _serve_http(app: Application, services: Services, allowed_updates: Sequence[str]) -> None:
    """The Application and the web server on one loop until SIGINT/SIGTERM (or a revoked token while polling)."""
    settings = services.settings
    webhook = webhook_of(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    bot = app.bot
    assert isinstance(bot, ConferenceBot)
    bot.token_watch.when_revoked(stop.set)
    if webhook is not None:
        host, port = settings.webhook_listen, settings.webhook_port
    else:
        host, port = settings.http_listen, settings.http_port or 0
    server = WebServer(web_app(app, services, webhook), host, port)
    async with running(app, poll=webhook is None, allowed_updates=allowed_updates):
        await server.start()
        try:
            if webhook is not None and settings.webhook_url:
                await bot.set_webhook(
                    settings.webhook_url,
                    secret_token=webhook.secret,
                    allowed_updates=list(allowed_updates),
                    drop_pending_updates=False,  # updates sent while the bot was down are still answered
                )
            await stop.wait()
        finally:
            await server.stop()


@asynccontextmanager
async def running(
    app: Application, *, poll: bool = True, allowed_updates: Sequence[str] = Update.ALL_TYPES
) -> AsyncIterator[Application]:
    """Start the Application as run_polling would (post_init included), and stop it cleanly after."""
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    try:
        if poll:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=list(allowed_updates))
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
