"""The periodic tick: from bookmarks, settings and the programme in force, keep reminders and digests queued.

Everything is recomputed from the database on each tick (the JobQueue only wakes this up), so a restart loses
nothing, the outbox's idempotency keys make a second enqueue a no-op, and a jump of the clock behaves. Rows
are queued a little ahead of their `not_before` (the horizon) so a tick that comes late never makes a
reminder late; until the outbox sender sends them they are kept in line with later changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import aiosqlite

from bot import i18n
from bot.programme.model import Programme, Session
from bot.reminders.due import (
    DEFAULT_DIGEST_AT,
    DueDigest,
    DueReminder,
    digest_days,
    digest_moment,
    due_digests,
    due_reminders,
    early_room,
    reminder_sessions,
    sessions_entering,
)
from bot.services import Services
from bot.storage import bookmarks, preferences
from bot.storage.outbox import OutgoingMessage, enqueue
from bot.storage.reminders import DIGEST, REMINDER, SyncReport, drop_pending_outside, spent_keys, sync_pending
from bot.views.reminders import digest_view, reminder_view

logger = logging.getLogger(__name__)

TICK_SECONDS = 30.0  # real seconds between ticks at normal clock speed


def tick_interval(speed: float) -> float:
    """Real seconds between ticks: shorter when a rehearsal clock runs fast, so ticks stay 30 clock-seconds apart."""
    return max(1.0, TICK_SECONDS / speed)


def horizon(speed: float) -> timedelta:
    """How far ahead of now rows are queued: three ticks of clock time, so a late tick is never late."""
    return timedelta(seconds=3 * tick_interval(speed) * speed)


def _reminder(programme: Programme, due: DueReminder, cache: dict[tuple[str, str], dict[str, Any]]) -> OutgoingMessage:
    # The text depends on the session and the language only: rendered once for all its followers.
    payload = cache.get((due.session.id, due.language))
    if payload is None:
        payload = reminder_view(programme, due.session, i18n.lang(due.language)).to_payload()
        cache[(due.session.id, due.language)] = payload
    return OutgoingMessage(
        due.key, due.user_id, REMINDER, payload, due.not_before, deadline=due.deadline, expires_at=due.expires_at
    )


def _digest(programme: Programme, due: DueDigest) -> OutgoingMessage:
    payload = digest_view(programme, due.day, due.sessions, i18n.lang(due.language)).to_payload()
    return OutgoingMessage(due.key, due.user_id, DIGEST, payload, due.not_before, expires_at=due.expires_at)


# Delegates handled at once by a sync: what a tick holds in memory (followers, rendered digests) is bounded by
# this, not by the crowd (20,000 digests rendered at once took a bot of 85 MB to 370 MB).
CHUNK = 1_000


async def queue_due_messages(
    db: aiosqlite.Connection,
    programme: Programme,
    now: datetime,
    *,
    speed: float = 1.0,
    digest_at: time = DEFAULT_DIGEST_AT,
    user_id: int | None = None,
) -> SyncReport:
    """Queue the reminders and digests due by now (+ the horizon), and drop or update pending ones that changed."""
    ahead, early = horizon(speed), early_room(speed)
    window = _Window(programme, now, ahead, early, digest_at, reminder_sessions(programme, now, ahead, early))
    window.days = digest_days(programme, now, ahead, digest_at)
    if user_id is not None:
        return await _sync(db, window, [user_id], chat_id=user_id)
    everyone = await bookmarks.follower_ids(db, window.session_ids()) if window.session_ids() else []
    total = SyncReport()
    for chunk in _chunks(everyone):
        total = total + await _sync(db, window, chunk, chats=chunk)
    # Delegates no longer following anything due (all bookmarks removed, blocked): drop what waits for them.
    dropped = await drop_pending_outside(db, (REMINDER, DIGEST), everyone, now)
    return total + SyncReport(dropped=dropped)


async def _sync(
    db: aiosqlite.Connection,
    window: _Window,
    users: list[int],
    *,
    chat_id: int | None = None,
    chats: list[int] | None = None,
) -> SyncReport:
    """The full sync for `users`: what is due for them, rendered unless already sent, and their pending rows."""
    reminders, digests = await window.due(db, users)
    # Rendering is the costly part (20,000 digests on a conference morning): skip rows already sent.
    spent = await spent_keys(db, [r.key for r in reminders] + [d.key for d in digests])
    texts: dict[tuple[str, str], dict[str, Any]] = {}
    wanted = [_reminder(window.programme, r, texts) for r in reminders if r.key not in spent]
    wanted += [_digest(window.programme, d) for d in digests if d.key not in spent]
    return await sync_pending(db, wanted, window.now, kinds=(REMINDER, DIGEST), chat_id=chat_id, chats=chats)


async def queue_newly_due(
    db: aiosqlite.Connection,
    programme: Programme,
    now: datetime,
    since: datetime,
    *,
    speed: float = 1.0,
    digest_at: time = DEFAULT_DIGEST_AT,
) -> SyncReport:
    """Queue what became due since the edge `since` (an earlier `now + horizon`); change nothing already queued.

    What changes a queued row (a bookmark, a setting, a programme update) runs the full sync for that user or
    everyone at that moment, so between those the only news time brings is rows that enter the horizon:
    reading the followers of just those sessions keeps the periodic tick small however many delegates follow
    the sessions ahead.
    """
    ahead, early = horizon(speed), early_room(speed)
    edge = now + ahead
    window = _Window(programme, now, ahead, early, digest_at, sessions_entering(programme, since, edge, early))
    window.days = [
        d for d in digest_days(programme, now, ahead, digest_at) if since < digest_moment(programme, d, digest_at)
    ]
    if not window.session_ids():
        return SyncReport()
    queued = 0
    for chunk in _chunks(await bookmarks.follower_ids(db, window.session_ids())):
        reminders, digests = await window.due(db, chunk)
        texts: dict[tuple[str, str], dict[str, Any]] = {}
        wanted = [_reminder(programme, r, texts) for r in reminders if r.not_before > since]
        wanted += [_digest(programme, d) for d in digests]
        queued += await enqueue(db, wanted, now)
    return SyncReport(queued=queued)


@dataclass
class _Window:
    """What a sync looks at: the sessions whose reminders may be due, the days whose digests may be."""

    programme: Programme
    now: datetime
    ahead: timedelta
    early: timedelta
    digest_at: time
    sessions: list[Session]
    days: list[date] = field(default_factory=list)

    def day_ids(self) -> list[str]:
        return [s.id for s in self.programme.sessions if s.day in self.days]

    def session_ids(self) -> list[str]:
        return sorted({s.id for s in self.sessions} | set(self.day_ids()))

    async def due(self, db: aiosqlite.Connection, users: list[int]) -> tuple[list[DueReminder], list[DueDigest]]:
        """The reminders and digests due for `users` in this window."""
        ids = [s.id for s in self.sessions]
        for_reminders = await bookmarks.followers(db, ids, users=users) if ids else []
        day_ids = self.day_ids()
        for_digests = await bookmarks.followers(db, day_ids, users=users) if day_ids else []
        prefs = await preferences.preferences_of(db, {f.user_id for f in (*for_reminders, *for_digests)})
        reminders = due_reminders(self.programme, for_reminders, prefs, self.now, self.ahead, self.early)
        digests = due_digests(self.programme, for_digests, prefs, self.now, self.days, self.digest_at)
        return reminders, digests


def _chunks(users: list[int]) -> list[list[int]]:
    return [users[i : i + CHUNK] for i in range(0, len(users), CHUNK)]


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
            services.database, programme, now, since, speed=speed, digest_at=services.settings.digest_time
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
        digest_at=services.settings.digest_time,
        user_id=user_id,
    )
