"""Running a built Application: `serve` for the real bot (until interrupted), and `running` inside a block, as
`run_polling` would, for the console, tests and benches."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import Application

from bot import logs
from bot.runtime.telegram_bot import ConferenceBot
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


def serve(app: Application, settings: Settings) -> None:
    """Serve Telegram until interrupted (webhook when WEBHOOK_URL is set); exit 1 saying why on a refused token."""
    # Refused at start-up: exit at once, as nothing is served yet and a supervisor's restart is the retry.
    # Refused while polling: only once it has lasted TELEGRAM_TOKEN_REFUSED_SECONDS (bot/runtime/token_watch.py),
    # as Telegram also refuses good tokens for a moment now and then.
    bot = app.bot
    assert isinstance(bot, ConferenceBot)  # build_application builds no other
    bot.token_watch.when_revoked(app.stop_running)
    _fast_event_loop()
    try:
        if settings.webhook_url:
            _serve_webhook(app, settings, settings.webhook_url)
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
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


def _serve_webhook(app: Application, settings: Settings, url: str) -> None:
    # Without a secret anyone who finds the URL could post updates in an organiser's name: make one up for
    # this run (Telegram's alphabet: A-Z a-z 0-9 _ -); setWebhook hands it to Telegram.
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
    logs.hide(secret)  # PTB writes setWebhook's parameters at DEBUG
    app.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=url.rstrip("/").rsplit("/", 1)[-1],
        webhook_url=url,
        secret_token=secret,
        allowed_updates=Update.ALL_TYPES,
    )


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
