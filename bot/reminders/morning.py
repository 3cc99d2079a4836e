"""Each delegate's one morning message per conference day: the run-up plan's morning text and their sessions.

The rows are queued a little ahead of DIGEST_TIME, like reminders, and kept in line with bookmarks and settings
until sent. The first full tick at or after DIGEST_TIME marks the day done (under the plan's morning entry id,
so /scheduled shows it); from then on rows are only updated, dropped or revived, never created, so a bookmark
made later in the day never brings a morning message. A bot that was down at DIGEST_TIME queues the day's
messages on start-up until DIGEST_LATEST, and marks the day missed after that.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import aiosqlite

from bot import i18n
from bot.programme.model import Programme, Session
from bot.runup import Morning, RunupEntry, RunupPlan, is_urgent
from bot.storage import audiences, bookmarks, preferences, runup
from bot.storage.audiences import Recipient
from bot.storage.outbox import OutgoingMessage
from bot.storage.reminders import DIGEST, digest_key, queued_keys, spent_keys
from bot.storage.runup import EntryState
from bot.views.reminders import morning_view
from bot.views.scheduled import runup_message

logger = logging.getLogger(__name__)


def morning_days(programme: Programme, morning: Morning, now: datetime, ahead: timedelta) -> list[date]:
    """Conference days whose morning message is due by `now + ahead` and may still go out (before DIGEST_LATEST)."""
    return [
        d
        for d in programme.days
        if morning.moment(d, programme) <= now + ahead and now < morning.deadline(d, programme)
    ]


def marker(entry: RunupEntry | None, day: date) -> str:
    """The run-up state id that records a day's morning as done: the plan's morning entry of that day, if any."""
    return entry.id if entry is not None else f"morning-{day:%m%d}"


@dataclass
class MorningBatch:
    messages: list[OutgoingMessage] = field(default_factory=list)
    done: dict[str, int] = field(default_factory=dict)  # marker → recipients, for days whose moment has come


@dataclass(frozen=True)
class _Audience:
    people: list[Recipient]
    no_runup: set[int]  # they turned run-up messages off: no organisers' text
    sessions: dict[tuple[int, date], list[Session]]  # (user, day) → bookmarked sessions, for those with the digest on


async def _audience(
    db: aiosqlite.Connection, programme: Programme, days: list[date], now: datetime, user_id: int | None
) -> _Audience:
    people = await audiences.runup_recipients(db, now, urgent=True, user_id=user_id)  # every active delegate
    no_digest = await preferences.opted_out(db, "digest")
    day_ids = [s.id for d in days for s in programme.sessions_on(d)]
    sessions: dict[tuple[int, date], list[Session]] = defaultdict(list)
    for f in await bookmarks.followers(db, day_ids, user_id):
        session = programme.session(f.session_id)
        if session is not None and f.user_id not in no_digest:
            sessions[(f.user_id, session.day)].append(session)
    return _Audience(people, await preferences.opted_out(db, "runup"), sessions)


async def _not_wanted(db: aiosqlite.Connection, keys: set[str], done: bool) -> set[str]:
    """Keys already sent; once the day is done, also those never queued (a late bookmark creates nothing)."""
    skip = await spent_keys(db, keys)
    if done:
        skip |= keys - await queued_keys(db, keys)
    return skip


def _message(
    programme: Programme, day: date, morning: Morning, person: Recipient, text: str | None, mine: list[Session]
) -> OutgoingMessage | None:
    sessions = tuple(sorted(mine, key=lambda s: (s.start, s.end, s.room_id)))
    reply = morning_view(programme, day, text, sessions, i18n.lang(person.language))
    if reply is None:
        return None
    return OutgoingMessage(
        digest_key(person.user_id, day),
        person.user_id,
        DIGEST,
        reply.to_payload(),
        morning.moment(day, programme),
        expires_at=morning.deadline(day, programme),
    )


async def morning_messages(
    db: aiosqlite.Connection,
    programme: Programme,
    plan: RunupPlan,
    morning: Morning,
    now: datetime,
    ahead: timedelta,
    *,
    user_id: int | None = None,
    new_days_only: bool = False,
) -> MorningBatch:
    """The morning messages wanted now (one user's or everyone's), without those already sent."""
    batch = MorningBatch()
    candidates = morning_days(programme, morning, now, ahead)
    states = await runup.states(db) if candidates else {}

    def state_of(day: date) -> EntryState | None:
        return states.get(marker(plan.morning_entry(programme, day, morning), day))

    def is_done(day: date) -> bool:
        state = state_of(day)
        return state is not None and bool(state.outcome)

    days = [d for d in candidates if not (new_days_only and is_done(d))]
    if not days:
        return batch
    audience = await _audience(db, programme, days, now, user_id)
    edits = await runup.edits(db)
    for day in days:
        entry, state, done = plan.morning_entry(programme, day, morning), state_of(day), is_done(day)
        keys = {digest_key(p.user_id, day) for p in audience.people}
        skip = await _not_wanted(db, keys, done)
        with_text = entry is not None and not (state is not None and state.skipped)
        urgent = entry is not None and is_urgent(entry, state)
        texts: dict[str, str] = {}  # the organisers' text depends on the language only
        count = 0 if done else len(skip)  # already sent at the moment, before this tick
        for person in audience.people:
            if digest_key(person.user_id, day) in skip:
                continue
            text = None
            if entry is not None and with_text and (urgent or person.user_id not in audience.no_runup):
                if person.language not in texts:
                    texts[person.language] = runup_message(entry, person.language, plan, programme, [], now, edits)
                text = texts[person.language]
            message = _message(programme, day, morning, person, text, audience.sessions.get((person.user_id, day), []))
            if message is not None:
                batch.messages.append(message)
                count += 1
        if not done and user_id is None and morning.moment(day, programme) <= now:
            batch.done[marker(entry, day)] = count
    return batch


async def mark_mornings_done(db: aiosqlite.Connection, batch: MorningBatch, now: datetime) -> None:
    """Record the days whose morning messages are queued: from now on no new one is created for them."""
    for entry_id, count in batch.done.items():
        if await runup.mark_done(db, entry_id, runup.ENQUEUED, count, now):
            logger.info("Morning messages %s queued for %d delegates", entry_id, count)


async def skip_missed_mornings(
    db: aiosqlite.Connection, programme: Programme, plan: RunupPlan, morning: Morning, now: datetime
) -> None:
    """Mark today's morning missed when the bot came back after DIGEST_LATEST without having sent it."""
    days = [
        d
        for d in programme.days
        if morning.deadline(d, programme) <= now < morning.moment(d, programme) + timedelta(days=1)
    ]
    if not days:
        return
    states = await runup.states(db)
    for day in days:
        entry_id = marker(plan.morning_entry(programme, day, morning), day)
        state = states.get(entry_id)
        if state is not None and state.outcome:
            continue
        if await runup.mark_done(db, entry_id, runup.EXPIRED, 0, now):
            logger.warning(
                "Morning messages %s skipped: the bot was down from DIGEST_TIME until after DIGEST_LATEST", entry_id
            )
