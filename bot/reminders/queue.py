"""The periodic tick: from bookmarks, settings and the programme in force, keep reminders and digests queued.

Everything is recomputed from the database on each tick (the JobQueue only wakes this up), so a restart loses
nothing, the outbox's idempotency keys make a second enqueue a no-op, and a jump of the clock behaves. Rows
are queued a little ahead of their `not_before` (the horizon) so a tick that comes late never makes a
reminder late; until the outbox sender sends them they are kept in line with later changes.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot import i18n
from bot.i18n import Lang
from bot.programme.model import Programme, Session
from bot.reminders.due import (
    DueReminder,
    due_reminders,
    early_room,
    reminder_sessions,
    sessions_entering,
    snooze_moment,
)
from bot.reminders.morning import queue_mornings, skip_missed_mornings
from bot.runup import Morning, RunupPlan
from bot.services import Services
from bot.storage import bookmarks, preferences
from bot.storage.db import transaction
from bot.storage.outbox import OutgoingMessage, enqueue
from bot.storage.reminders import (
    REMINDER,
    SNOOZE,
    SyncReport,
    muted_snoozes,
    parse_reminder_key,
    queue_snooze,
    settle_muted_snoozes,
    snooze_key,
    spent_keys,
    sync_pending,
)
from bot.views.reminders import reminder_view

logger = logging.getLogger(__name__)

TICK_SECONDS = 30.0  # real seconds between ticks at normal clock speed
SNOOZE_GRACE = timedelta(minutes=5)  # a snoozed reminder held up longer than this (the bot was down) is stale


def tick_interval(speed: float) -> float:
    """Real seconds between ticks: shorter when a rehearsal clock runs fast, so ticks stay 30 clock-seconds apart."""
    return max(1.0, TICK_SECONDS / speed)


def horizon(speed: float) -> timedelta:
    """How far ahead of now rows are queued: three ticks of clock time, so a late tick is never late."""
    return timedelta(seconds=3 * tick_interval(speed) * speed)


def _reminder(
    programme: Programme, due: DueReminder, cache: dict[tuple[str, str, timedelta], dict[str, Any]]
) -> OutgoingMessage:
    # The text depends on the session, the language and the lead (the snooze button's label) only: rendered
    # once for all its followers with that language and lead.
    lead = due.session.start - due.deadline
    payload = cache.get((due.session.id, due.language, lead))
    if payload is None:
        payload = reminder_view(programme, due.session, i18n.lang(due.language), lead).to_payload()
        cache[(due.session.id, due.language, lead)] = payload
    return OutgoingMessage(
        due.key, due.user_id, REMINDER, payload, due.not_before, deadline=due.deadline, expires_at=due.expires_at
    )


async def queue_due_messages(
    db: aiosqlite.Connection,
    programme: Programme,
    now: datetime,
    *,
    speed: float = 1.0,
    plan: RunupPlan | None = None,
    morning: Morning | None = None,
    user_id: int | None = None,
) -> SyncReport:
    """Queue the reminders and morning messages due by now (+ the horizon); drop or update pending ones that changed."""
    ahead, early = horizon(speed), early_room(speed)
    plan, morning = plan or RunupPlan(), morning or Morning()
    sessions = reminder_sessions(programme, now, ahead, early)
    for_reminders = await bookmarks.followers(db, [s.id for s in sessions], user_id) if sessions else []
    prefs = await preferences.preferences_of(db, {f.user_id for f in for_reminders})
    reminders = due_reminders(programme, for_reminders, prefs, now, ahead, early)
    spent = await spent_keys(db, [r.key for r in reminders])
    texts: dict[tuple[str, str, timedelta], dict[str, Any]] = {}
    wanted = [_reminder(programme, r, texts) for r in reminders if r.key not in spent]
    # One user's change is one transaction; everyone's morning messages commit a chunk of delegates at a time.
    async with transaction(db) if user_id is not None else contextlib.nullcontext(db):
        report = await sync_pending(db, wanted, now, kinds=(REMINDER,), chat_id=user_id)
        report += await queue_mornings(db, programme, plan, morning, now, ahead, user_id=user_id)
    if user_id is None:
        await skip_missed_mornings(db, programme, plan, morning, now)
    return report


async def queue_newly_due(
    db: aiosqlite.Connection,
    programme: Programme,
    now: datetime,
    since: datetime,
    *,
    speed: float = 1.0,
    plan: RunupPlan | None = None,
    morning: Morning | None = None,
) -> SyncReport:
    """Queue what became due since the edge `since` (an earlier `now + horizon`); change nothing already queued.

    What changes a queued row (a bookmark, a setting, a programme update) runs the full sync for that user or
    everyone at that moment, so between those the only news time brings is rows that enter the horizon:
    reading the followers of just those sessions keeps the periodic tick small however many delegates follow
    the sessions ahead.
    """
    ahead, early = horizon(speed), early_room(speed)
    plan, morning = plan or RunupPlan(), morning or Morning()
    edge = now + ahead
    sessions = sessions_entering(programme, since, edge, early)
    for_reminders = await bookmarks.followers(db, [s.id for s in sessions]) if sessions else []
    queued = 0
    if for_reminders:
        prefs = await preferences.preferences_of(db, {f.user_id for f in for_reminders})
        texts: dict[tuple[str, str, timedelta], dict[str, Any]] = {}
        due = due_reminders(programme, for_reminders, prefs, now, ahead, early)
        queued = await enqueue(db, [_reminder(programme, r, texts) for r in due if r.not_before > since], now)
    # Only mornings not yet marked done: until their moment has come, every tick queues the newcomers.
    mornings = await queue_mornings(db, programme, plan, morning, now, ahead, new_only=True)
    return SyncReport(queued=queued + mornings.queued)


@dataclass
class TickEdge:
    """How far ahead the running bot's last periodic tick queued (its `now + horizon`), and on which programme."""

    until: datetime | None = None
    programme: Programme | None = None


async def periodic_tick(services: Services, edge: TickEdge) -> SyncReport:
    """The job's tick: only what entered the horizon since the last one, or everything when that is unknown.

    Everything: the first tick of a process, after a programme change, or when the clock went back or jumped
    far ahead (a rehearsal clock set by hand).
    """
    now, speed = services.clock.now(), services.clock.speed
    until = now + horizon(speed)
    since, programme = edge.until, services.programme
    if since is None or edge.programme is not programme or until < since or until - since > 4 * horizon(speed):
        report = await tick(services)
    else:
        report = await queue_newly_due(
            services.database, programme, now, since, speed=speed, plan=services.runup.plan, morning=services.morning
        )
    edge.until, edge.programme = until, programme
    return report


async def tick(services: Services, user_id: int | None = None) -> SyncReport:
    """One tick on the running bot's services (everyone's messages, or one user's after they changed something)."""
    return await queue_due_messages(
        services.database,
        services.programme,
        services.clock.now(),
        speed=services.clock.speed,
        plan=services.runup.plan,
        morning=services.morning,
        user_id=user_id,
    )


async def snooze(services: Services, user_id: int, session: Session, lang: Lang) -> tuple[datetime | None, bool]:
    """Queue `session`'s reminder again for 5 minutes before it starts (or its start): (when, newly queued?);
    (None, False) once it has started. Its own idempotency key makes a second press a no-op."""
    now = services.clock.now()
    at = snooze_moment(session, now)
    if at is None:
        return None, False
    payload = reminder_view(services.programme, session, lang).to_payload()
    key = snooze_key(user_id, session)
    message = OutgoingMessage(key, user_id, SNOOZE, payload, at, deadline=at, expires_at=at + SNOOZE_GRACE)
    return at, await queue_snooze(services.database, message, now)


async def unmute_snoozes(services: Services, user_id: int) -> tuple[int, int]:
    """After Unmute or Turn on: queue again the snoozed reminders that muting dropped, while still ahead and still
    wanted (bookmarked, not moved or cancelled, reminders on that day); (restored, missed: due while muted)."""
    db, programme, now = services.database, services.programme, services.clock.now()
    prefs = await preferences.get_preferences(db, user_id)
    marked = await bookmarks.bookmarked_ids(db, user_id)
    restore, missed = [], []
    for snoozed in await muted_snoozes(db, user_id):
        parsed = parse_reminder_key(snoozed.key, (SNOOZE,))
        session = programme.session(parsed.session_id) if parsed is not None else None
        if parsed is None or session is None or session.start != parsed.start or session.is_cancelled:
            continue  # moved, cancelled or gone: the tick reminds of the new time, if any
        if (
            session.id not in marked
            or prefs.reminder_lead is None
            or prefs.muted_on(programme.local(session.start).date())
        ):
            continue
        if session.start <= now or (snoozed.expires_at is not None and snoozed.expires_at <= now):
            missed.append(snoozed.key)
        else:
            restore.append(snoozed.key)
    restored = await settle_muted_snoozes(db, restore, missed, "due while reminders were muted or off")
    return restored, len(missed)
