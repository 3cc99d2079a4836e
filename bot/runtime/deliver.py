"""Deliver one outbox batch from this process (the command line, when no bot runs), with the same outbox sender."""

from __future__ import annotations

import asyncio
from typing import TextIO

from bot.runtime.outbox_sender import OutboxSender
from bot.runtime.telegram_bot import build_bot, build_pacer
from bot.services import Services
from bot.storage import broadcasts
from bot.storage.broadcasts import Delivery

REPORT_SECONDS = 5.0


async def deliver_batch(services: Services, batch: str, out: TextIO, timeout: float | None = None) -> Delivery:
    """Send the batch's rows at the configured rate until none is left; print progress every few seconds."""
    pacer = build_pacer(services.settings)
    bot = build_bot(services.settings, services.programme.timezone, pacer)
    await bot.initialize()
    sender = OutboxSender(bot, pacer, services.clock, services.database)
    await sender.start()
    loop = asyncio.get_running_loop()
    deadline = None if timeout is None else loop.time() + timeout
    reported = loop.time()
    try:
        while True:
            delivery = await broadcasts.delivery(services.database, batch)
            if delivery.remaining == 0 or (deadline is not None and loop.time() > deadline):
                return delivery
            if loop.time() - reported >= REPORT_SECONDS:
                print(f"  {delivery.sent} sent, {delivery.remaining} to go…", file=out, flush=True)
                reported = loop.time()
            await asyncio.sleep(0.25)
    finally:
        await sender.stop()
        await bot.shutdown()
