"""`python -m bot broadcast`: queue an organiser broadcast from a script; deliver it when no bot runs."""

from __future__ import annotations

import html
from datetime import datetime
from typing import TextIO

from bot import broadcast as lifecycle
from bot.audience import Audience
from bot.clock import Clock
from bot.i18n import lang
from bot.programme.loader import load_programme
from bot.services import ProgrammeHolder, Services
from bot.settings import Settings
from bot.storage import broadcasts as store
from bot.storage import outbox_lease
from bot.storage.db import open_database
from bot.views.broadcast import audience_label
from bot.views.format import MAX_TEXT

NO_DELIVERY = (
    "No bot is running on this database and TELEGRAM_BOT_TOKEN is not set, so nothing can deliver it now.\n"
    "It waits in the outbox until a bot with a token runs on this database ({database})."
)
NOT_SENT_WITHOUT_A_BOT = (
    "No bot is running on this database now: a bot with a token must run on it ({database}) to send it."
)


async def broadcast_command(settings: Settings, text: str, audience_text: str, at_text: str | None, out: TextIO) -> int:
    """Queue (or schedule) a broadcast; deliver it here when no running bot holds the outbox."""
    text = text.strip()
    if not text:
        print("The text is empty: nothing to broadcast.", file=out)
        return 2
    if len(text) > MAX_TEXT:
        print(f"The text is {len(text)} characters; Telegram allows {MAX_TEXT}.", file=out)
        return 2
    programme = load_programme(settings.programme_path, settings.event_timezone)
    try:
        audience = Audience.parse(audience_text, programme)
    except ValueError as exc:
        print(f"Audience: {exc}.", file=out)
        return 2
    clock = Clock(start=settings.bot_clock_start, speed=settings.bot_clock_speed)
    at: datetime | None = None
    if at_text:
        at = lifecycle.parse_when(at_text, programme)
        if at is None:
            print(f"--at: cannot read {at_text!r}; write it like 2024-06-24T18:00 (event time zone).", file=out)
            return 2
        if at <= clock.now():
            print(f"--at: {at.isoformat()} has already passed (now: {clock.now().isoformat()}).", file=out)
            return 2
    db = await open_database(settings.database_path)
    try:
        services = Services(settings=settings, clock=clock, programmes=ProgrammeHolder(programme), db=db)
        return await _queue(services, text, audience, at, out)
    finally:
        await db.close()


async def _bot_running(services: Services) -> bool:
    lease = await outbox_lease.current(services.database)
    return lease is not None and lease.seconds_left > 0


def count(n: int, one: str, many: str) -> str:
    """'1 message', '2 messages'."""
    return f"{n} {one if n == 1 else many}"


def who(audience: Audience, services: Services) -> str:
    """The audience in words, as the Telegram dialogue names it in English."""
    label = html.unescape(audience_label(audience, services.programme, lang("en")))
    return label[:1].upper() + label[1:]


async def _queue(services: Services, text: str, audience: Audience, at: datetime | None, out: TextIO) -> int:
    people = len(await lifecycle.recipients(services, audience))
    if not people:
        print(f"{who(audience, services)}: no one matches this audience, so nothing was queued.", file=out)
        return 1
    draft = await lifecycle.create_draft(services, store.CLI_ORGANISER, text, audience=(audience, people))
    if at is not None:
        await lifecycle.schedule(services, draft, at, store.CLI_ORGANISER, how=" (command line)")
        print(
            f"Scheduled broadcast #{draft.id} for {at.isoformat()}. "
            f"{who(audience, services)}: {count(people, 'person', 'people')} now; the bot sends it then.",
            file=out,
        )
        if not await _bot_running(services):
            print(NOT_SENT_WITHOUT_A_BOT.format(database=services.settings.database_path), file=out)
        return 0
    sent = await lifecycle.send_now(services, draft, store.CLI_ORGANISER)
    print(
        f"Queued broadcast #{draft.id}. {who(audience, services)}: {count(sent.recipients, 'message', 'messages')}.",
        file=out,
    )
    lease = await outbox_lease.current(services.database)
    if lease is not None and lease.seconds_left > 0:
        print(f"The running bot ({lease.holder}) is sending them.", file=out)
        return 0
    if not services.settings.token:
        print(NO_DELIVERY.format(database=services.settings.database_path), file=out)
        return 3
    print("No bot is running on this database: delivering now.", file=out)
    from bot.runtime.deliver import deliver_batch  # Telegram glue, only when this process sends

    delivery = await deliver_batch(services, draft.batch, out)
    fresh = await store.get(services.database, draft.id) or draft
    await lifecycle.finish_if_delivered(services, fresh, delivery)
    print(
        f"Done: {delivery.sent} sent, {delivery.failed} failed, {delivery.blocked} blocked, "
        f"{delivery.remaining} not sent.",
        file=out,
    )
    return 0 if delivery.remaining == 0 else 1
