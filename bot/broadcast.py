"""An organiser broadcast's life: create a draft → choose the audience → schedule or send now → stop → finish.

Each step is one transaction that writes the state change, its outbox rows and its audit row together, so a
crash leaves a broadcast either before a step or after it, never half-way (a broadcast marked as sending
always has its messages queued). Every message gets an idempotency key (`broadcast:<id>:<user>`), so nothing
is queued twice by a double tap or two organisers. Scripts (`python -m bot broadcast`) and the Telegram
dialogue go through the same steps.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.audience import Audience
from bot.programme.model import Programme
from bot.services import Services
from bot.storage import audiences, audit, outbox
from bot.storage import broadcasts as store
from bot.storage.audiences import Recipient
from bot.storage.broadcasts import Broadcast, Delivery
from bot.storage.db import transaction
from bot.storage.outbox import OutgoingMessage
from bot.views.reply import Reply

logger = logging.getLogger(__name__)


def audience_of(broadcast: Broadcast, programme: Programme) -> Audience:
    """The broadcast's audience (a session or room that has since left the programme is still read)."""
    return Audience.parse(broadcast.audience, programme, known_only=False)


async def recipients(services: Services, audience: Audience) -> list[Recipient]:
    """Who the audience stands for now."""
    return await audiences.recipients(services.database, audience, services.programme)


async def create_draft(
    services: Services,
    organiser_id: int,
    text: str,
    *,
    media_kind: str = "",
    media_id: str = "",
    audience: tuple[Audience, int] | None = None,
) -> Broadcast:
    """A new draft; its audience (with the count of people it reaches) now, or chosen next."""
    async with transaction(services.database) as db:
        draft = await store.create(
            db, organiser_id, text, services.clock.now(), media_kind=media_kind, media_id=media_id
        )
        if audience is None:
            return draft
        await store.set_audience(db, draft.id, audience[0].spec, audience[1])
        return await store.get(db, draft.id) or draft


async def choose_audience(services: Services, broadcast: Broadcast, audience: Audience) -> int | None:
    """Set a draft's audience; how many people it reaches now, or None when it is no longer a draft."""
    async with transaction(services.database) as db:
        count = len(await recipients(services, audience))
        return count if await store.set_audience(db, broadcast.id, audience.spec, count) else None


async def schedule(services: Services, broadcast: Broadcast, at: datetime, organiser_id: int, how: str = "") -> bool:
    """Schedule a draft with an audience for `at`; False when it is no longer a draft."""
    async with transaction(services.database) as db:
        if not await store.schedule(db, broadcast.id, at):
            return False
        await audit.record(
            db,
            organiser_id,
            "broadcast.schedule",
            services.clock.now(),
            audience=broadcast.audience,
            count=broadcast.recipients,
            detail=f"#{broadcast.id} at {at.isoformat()}{how}",
        )
    return True


@dataclass(frozen=True)
class Sent:
    """What 'send now' did: queued for `recipients` people, or nothing (`gone`: not a draft or scheduled)."""

    recipients: int
    gone: bool = False


async def send_now(services: Services, broadcast: Broadcast, organiser_id: int, *, due: bool = False) -> Sent:
    """Queue a draft or scheduled broadcast for its audience as of now: state, messages and audit in one go.

    An audience of no one changes nothing when an organiser presses Send (the draft stays, Sent(0)); a
    scheduled broadcast that is `due` goes out to no one and finishes. One already sent, stopped or cancelled
    is Sent(0, gone=True).
    """
    now = services.clock.now()
    async with transaction(services.database) as db:
        people = await recipients(services, audience_of(broadcast, services.programme))
        if not people and not due:
            current = await store.get(db, broadcast.id)
            return Sent(0, gone=current is None or current.state not in (store.DRAFT, store.SCHEDULED))
        if not await store.start_sending(db, broadcast.id, len(people), now):
            return Sent(0, gone=True)
        await outbox.enqueue(db, _messages(broadcast, people, now), now)
        await audit.record(
            db,
            organiser_id,
            "broadcast.send",
            now,
            audience=broadcast.audience,
            count=len(people),
            detail=f"#{broadcast.id}",
        )
    logger.info("Broadcast #%d queued for %d people (%s)", broadcast.id, len(people), broadcast.audience)
    return Sent(len(people))


async def cancel(services: Services, broadcast: Broadcast, organiser_id: int) -> bool:
    """Cancel a draft or scheduled broadcast (nothing of it was queued); False when it had already gone."""
    now = services.clock.now()
    async with transaction(services.database) as db:
        if not await store.cancel(db, broadcast.id, now):
            return False
        await audit.record(
            db, organiser_id, "broadcast.cancel", now, audience=broadcast.audience, detail=f"#{broadcast.id}"
        )
    return True


async def cancel_drafts(services: Services, organiser_id: int) -> list[Broadcast]:
    """Cancel every draft the organiser left open (the /cancel of any step); the ones cancelled now."""
    cancelled = []
    for draft in await store.drafts_of(services.database, organiser_id):
        if await cancel(services, draft, organiser_id):
            cancelled.append(draft)
    return cancelled


async def stop(services: Services, broadcast: Broadcast, organiser_id: int) -> int | None:
    """Halt a broadcast being sent; how many messages were dropped, or None when it had already ended.

    One whose every message is already handled, but not yet marked done by the report, is finished as done:
    nothing was left to stop.
    """
    now = services.clock.now()
    async with transaction(services.database) as db:
        delivery = await store.delivery(db, broadcast.batch)
        if delivery.total and not delivery.remaining:
            current = await store.get(db, broadcast.id)
            if current is not None:
                await finish_if_delivered(services, current, delivery)
            return None
        if not await store.finish(db, broadcast.id, store.STOPPED, now):
            return None
        dropped = await outbox.stop_batch(db, broadcast.batch, "stopped by an organiser")
        await audit.record(
            db,
            organiser_id,
            "broadcast.stop",
            now,
            audience=broadcast.audience,
            count=dropped,
            detail=f"#{broadcast.id}",
        )
    return dropped


async def finish_if_delivered(services: Services, broadcast: Broadcast, delivery: Delivery) -> bool:
    """Mark a sending broadcast done once nothing of it is left to send; True when this call did."""
    if broadcast.state != store.SENDING or delivery.remaining:
        return False
    now = services.clock.now()
    async with transaction(services.database) as db:
        if not await store.finish(db, broadcast.id, store.DONE, now):
            return False
        await audit.record(
            db,
            broadcast.organiser_id,
            "broadcast.done",
            now,
            audience=broadcast.audience,
            count=delivery.sent,
            detail=f"#{broadcast.id}: {delivery.sent} sent, {delivery.failed} failed, {delivery.blocked} blocked",
        )
    return True


async def start_due(services: Services) -> list[Broadcast]:
    """Send the scheduled broadcasts whose time has come; returns those started now."""
    started = []
    for broadcast in await store.due(services.database, services.clock.now()):
        if not (await send_now(services, broadcast, broadcast.organiser_id, due=True)).gone:
            fresh = await store.get(services.database, broadcast.id)
            if fresh is not None:
                started.append(fresh)
    return started


def payload(broadcast: Broadcast) -> dict[str, Any]:
    """What each recipient gets: the organiser's text, and the photo or document re-sent by file id."""
    body = Reply(broadcast.text).to_payload()
    if broadcast.media_kind:
        body["media"] = {"kind": broadcast.media_kind, "file_id": broadcast.media_id}
    return body


def _messages(broadcast: Broadcast, people: list[Recipient], now: datetime) -> list[OutgoingMessage]:
    body = payload(broadcast)
    return [
        OutgoingMessage(
            key=f"broadcast:{broadcast.id}:{p.user_id}",
            chat_id=p.user_id,
            kind="broadcast",
            payload=body,
            not_before=now,
            batch=broadcast.batch,
        )
        for p in people
    ]


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
