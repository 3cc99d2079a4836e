"""Run a built Application inside a block, as `run_polling` would: for the console, tests and benches."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import Application


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
