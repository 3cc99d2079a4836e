"""`python -m bot broadcast`: queue an organiser broadcast from a script; deliver it when no bot runs."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TextIO

from bot import announce
from bot.clock import Clock
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.services import ProgrammeHolder, Services
from bot.settings import Settings
from bot.storage import audiences, dispatch_lease
from bot.storage import broadcasts as store
from bot.storage.audiences import Audience
from bot.storage.db import open_database

logger = logging.getLogger(__name__)

MAX_TEXT = 4096


def parse_audience(text: str, programme: Programme) -> Audience:
    """all | session:ID | lang:CODE | room:ROOM:YYYY-MM-DD; raises ValueError with a clear reason."""
    kind, _, rest = text.partition(":")
    if kind == "all" and not rest:
        return Audience(audiences.ALL)
    if kind == "session" and rest:
        session = programme.session(rest)
        if session is None:
            raise ValueError(f"no session with id {rest!r} in {programme.source or 'the programme'}")
        return Audience(audiences.SESSION, session_id=session.id)
    if kind == "lang" and rest.isalpha():
        return Audience(audiences.LANGUAGE, language=rest.lower())
    if kind == "room" and rest:
        room, _, day = rest.rpartition(":")
        days = {d.isoformat(): d for d in programme.days}
        if room in {r.id for r in programme.rooms} and day in days:
            return Audience(audiences.ROOM, room_id=room, day=days[day])
        raise ValueError(f"room:ROOM:DAY needs a room id and a conference day, not {rest!r}")
    raise ValueError(f"unknown audience {text!r} (use all, session:ID, lang:CODE or room:ROOM:YYYY-MM-DD)")


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
        audience = parse_audience(audience_text, programme)
    except ValueError as exc:
        print(f"Audience: {exc}.", file=out)
        return 2
    clock = Clock(start=settings.bot_clock_start, speed=settings.bot_clock_speed)
    at: datetime | None = None
    if at_text:
        at = announce.parse_when(at_text, programme)
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


async def _queue(services: Services, text: str, audience: Audience, at: datetime | None, out: TextIO) -> int:
    db, now = services.database, services.clock.now()
    people = await audiences.recipients(db, audience, services.programme)
    if not people:
        print(f"No one matches the audience {audience.spec}: nothing was queued.", file=out)
        return 1
    draft = await store.create(db, store.CLI_ORGANISER, text, now, audience=audience.spec)
    await store.set_audience(db, draft.id, audience.spec, len(people))
    if at is not None:
        await store.schedule(db, draft.id, at)
        await store.audit(
            db,
            store.CLI_ORGANISER,
            "broadcast.schedule",
            now,
            audience=audience.spec,
            count=len(people),
            detail=f"#{draft.id} at {at.isoformat()} (command line)",
        )
        print(
            f"Scheduled broadcast #{draft.id} for {at.isoformat()} to {audience.spec} "
            f"({len(people)} people now); the bot sends it then.",
            file=out,
        )
        return 0
    count = await announce.send_broadcast(services, draft, store.CLI_ORGANISER)
    print(f"Queued broadcast #{draft.id} to {audience.spec}: {count} messages.", file=out)
    lease = await dispatch_lease.current(db)
    if lease is not None and lease.seconds_left > 0:
        print(f"The running bot ({lease.holder}) is sending them.", file=out)
        return 0
    print("No bot is running on this database: delivering now.", file=out)
    from bot.runtime.deliver import deliver_batch  # Telegram glue, only when this process sends

    delivery = await deliver_batch(services, draft.batch, out)
    await store.finish(db, draft.id, store.DONE, services.clock.now())
    print(
        f"Done: {delivery.sent} sent, {delivery.failed} failed, {delivery.blocked} blocked, "
        f"{delivery.remaining} not sent.",
        file=out,
    )
    return 0 if delivery.remaining == 0 else 1
