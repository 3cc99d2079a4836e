"""Organiser pushes through the outbox: broadcasts to an audience, and the run-up plan at its instants.

Every message gets an idempotency key (`broadcast:<id>:<user>`, `runup:<entry>:<user>`), so queuing again after
a crash, a restart, a double tap or a clock jump never sends anything twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.programme.model import Programme
from bot.runup import RunupEntry, RunupPlan
from bot.services import Services
from bot.storage import audiences, outbox, runup
from bot.storage import broadcasts as store
from bot.storage.audiences import Audience, Recipient
from bot.storage.broadcasts import Broadcast
from bot.storage.outbox import OutgoingMessage
from bot.views.reply import Reply
from bot.views.scheduled import runup_message

logger = logging.getLogger(__name__)


def broadcast_payload(broadcast: Broadcast) -> dict[str, Any]:
    """What each recipient gets: the organiser's text, and the photo or document re-sent by file id."""
    payload = Reply(broadcast.text).to_payload()
    if broadcast.media_kind:
        payload["media"] = {"kind": broadcast.media_kind, "file_id": broadcast.media_id}
    return payload


async def audience_of(services: Services, broadcast: Broadcast) -> list[Recipient]:
    return await audiences.recipients(services.database, Audience.parse(broadcast.audience), services.programme)


async def send_broadcast(services: Services, broadcast: Broadcast, organiser_id: int) -> int | None:
    """Queue a draft or scheduled broadcast for its audience as of now; None when it had already gone."""
    db, now = services.database, services.clock.now()
    people = await audience_of(services, broadcast)
    if not await store.start_sending(db, broadcast.id, len(people), now):
        return None
    await _enqueue(services, broadcast, people, now)
    await store.audit(
        db,
        organiser_id,
        "broadcast.send",
        now,
        audience=broadcast.audience,
        count=len(people),
        detail=f"#{broadcast.id}",
    )
    logger.info("Broadcast #%d queued for %d people (%s)", broadcast.id, len(people), broadcast.audience)
    return len(people)


async def _enqueue(services: Services, broadcast: Broadcast, people: list[Recipient], now: datetime) -> None:
    payload = broadcast_payload(broadcast)
    await outbox.enqueue(
        services.database,
        (
            OutgoingMessage(
                key=f"broadcast:{broadcast.id}:{p.user_id}",
                chat_id=p.user_id,
                kind="broadcast",
                payload=payload,
                not_before=now,
                batch=broadcast.batch,
            )
            for p in people
        ),
        now,
    )


async def resume_sending(services: Services) -> None:
    """At start-up: a crash between marking a broadcast as sending and queuing it must not lose it."""
    for broadcast in await store.in_state(services.database, store.SENDING):
        progress = await store.delivery(services.database, broadcast.batch)
        if progress.total < broadcast.recipients:
            people = await audience_of(services, broadcast)
            await _enqueue(services, broadcast, people, services.clock.now())
            logger.warning("Broadcast #%d re-queued after an interrupted start", broadcast.id)


async def start_due(services: Services) -> list[Broadcast]:
    """Send scheduled broadcasts whose time has come; returns those started now."""
    started = []
    for broadcast in await store.due(services.database, services.clock.now()):
        if await send_broadcast(services, broadcast, broadcast.organiser_id) is not None:
            fresh = await store.get(services.database, broadcast.id)
            if fresh is not None:
                started.append(fresh)
    return started


@dataclass(frozen=True)
class RunupOutcome:
    entry_id: str
    outcome: str  # enqueued | expired
    recipients: int


async def enqueue_due_runup(services: Services, plan: RunupPlan) -> list[RunupOutcome]:
    """Queue every run-up entry whose instant has come for delegates who had started the bot by then.

    An entry still not done after its expiry (the bot was down) is skipped and logged instead.
    """
    db, now, programme = services.database, services.clock.now(), services.programme
    states = await runup.states(db)
    edits: dict[tuple[str, str], str] | None = None
    done: list[RunupOutcome] = []
    for entry in plan.schedule(programme):
        state = states.get(entry.id)
        if entry.at > now or (state is not None and state.outcome):
            continue
        if now >= entry.expires_at:
            if await runup.mark_done(db, entry.id, runup.EXPIRED, 0, now):
                logger.warning(
                    "Run-up entry %s skipped: its time (%s) passed and it expired before the bot could send it",
                    entry.id,
                    entry.at.isoformat(),
                )
                done.append(RunupOutcome(entry.id, runup.EXPIRED, 0))
            continue
        if state is not None and state.skipped:
            continue
        urgent = entry.urgent if state is None or state.urgent is None else state.urgent
        people = await audiences.runup_recipients(db, entry.at, urgent=urgent)
        if edits is None:
            edits = await runup.edits(db)
        await _enqueue_runup(services, plan, entry, people, edits, programme, now)
        if await runup.mark_done(db, entry.id, runup.ENQUEUED, len(people), now):
            logger.info("Run-up entry %s queued for %d delegates", entry.id, len(people))
            done.append(RunupOutcome(entry.id, runup.ENQUEUED, len(people)))
    return done


async def _enqueue_runup(
    services: Services,
    plan: RunupPlan,
    entry: RunupEntry,
    people: list[Recipient],
    edits: dict[tuple[str, str], str],
    programme: Programme,
    now: datetime,
) -> None:
    db = services.database
    day_sessions = programme.sessions_on(entry.day) if entry.day else []
    marks = await audiences.bookmarks_of(db, (p.user_id for p in people)) if day_sessions else {}
    messages = []
    for person in people:
        mine = [s for s in day_sessions if s.id in marks.get(person.user_id, ()) and not s.is_cancelled]
        text = runup_message(entry, person.language, plan, programme, mine, now, edits)
        messages.append(
            OutgoingMessage(
                key=f"runup:{entry.id}:{person.user_id}",
                chat_id=person.user_id,
                kind="runup",
                payload=Reply(text).to_payload(),
                not_before=entry.at,
                expires_at=entry.expires_at,
                batch=f"runup:{entry.id}",
            )
        )
    await outbox.enqueue(db, messages, now)


_WHEN_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M", "%d/%m/%Y %H:%M")


def parse_when(text: str, programme: Programme) -> datetime | None:
    """A date and time as organisers type it, in the event time zone unless it carries an offset."""
    text = " ".join(text.split())
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
        for fmt in _WHEN_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=programme.timezone)
