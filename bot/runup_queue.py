"""The run-up plan at its instants: queue each entry whose time has come for the delegates it is meant for.

Every message gets an idempotency key (`runup:<entry>:<user>`), so queuing again after a crash, a restart or a
clock jump never sends anything twice; an entry's messages and its 'done' mark are written together.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.programme.model import Programme
from bot.runup import RunupEntry, RunupPlan, is_urgent
from bot.services import Services
from bot.storage import audiences, outbox, runup
from bot.storage.audiences import Recipient
from bot.storage.db import transaction
from bot.storage.outbox import OutgoingMessage
from bot.views.reply import Reply
from bot.views.scheduled import runup_message

logger = logging.getLogger(__name__)


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
    for entry in plan.schedule(programme, services.morning):
        state = states.get(entry.id)
        if entry.morning:
            continue  # part of each delegate's morning message (bot/reminders/morning.py)
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
        people = await audiences.runup_recipients(db, entry.at, urgent=is_urgent(entry, state))
        if edits is None:
            edits = await runup.edits(db)
        messages = await _messages(services, plan, entry, people, edits, programme, now)
        async with transaction(db):
            await outbox.enqueue(db, messages, now)
            marked = await runup.mark_done(db, entry.id, runup.ENQUEUED, len(people), now)
        if marked:
            logger.info("Run-up entry %s queued for %d delegates", entry.id, len(people))
            done.append(RunupOutcome(entry.id, runup.ENQUEUED, len(people)))
    return done


async def _messages(
    services: Services,
    plan: RunupPlan,
    entry: RunupEntry,
    people: list[Recipient],
    edits: dict[tuple[str, str], str],
    programme: Programme,
    now: datetime,
) -> list[OutgoingMessage]:
    day_sessions = programme.sessions_on(entry.day) if entry.day else []
    marks = await audiences.bookmarks_of(services.database, (p.user_id for p in people)) if day_sessions else {}
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
    return messages
