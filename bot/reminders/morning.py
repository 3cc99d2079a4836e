"""Each delegate's one morning message per conference day: the run-up plan's morning text and their sessions.

The rows are queued a little ahead of DIGEST_TIME, like reminders, and kept in line with bookmarks and settings
until sent. The first full tick at or after DIGEST_TIME marks the day done (under the plan's morning entry id,
so /scheduled shows it); from then on rows are only updated, dropped or revived, never created, so a bookmark
made later in the day never brings a morning message. A bot that was down at DIGEST_TIME queues the day's
messages on start-up until DIGEST_LATEST, and marks the day missed after that.

Delegates are rendered and queued a chunk at a time, one transaction each, and the day is marked done after
the last chunk: a crash half-way leaves it unmarked, so the next run creates the rest, while each row's key
(one per delegate and day) keeps anyone from getting a second one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import aiosqlite

from bot import i18n
from bot.programme.model import Programme, Session
from bot.runup import Morning, RunupEntry, RunupPlan, is_urgent
from bot.storage import audiences, bookmarks, preferences, runup
from bot.storage.audiences import Recipient
from bot.storage.db import transaction
from bot.storage.outbox import DROPPED, PENDING, OutgoingMessage, enqueue
from bot.storage.reminders import DIGEST, SyncReport, digest_key, drop_pending_outside, key_states, sync_pending
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


# Delegates rendered and queued at once: what a tick holds in memory follows this, not the crowd (20,000 morning
# messages rendered together took the bot to 343 MB; by 1,000, 115 MB), and updates are answered in between.
CHUNK = 250
RENDER_BATCH = 50  # messages rendered between two looks at the updates waiting


@dataclass(frozen=True)
class _Day:
    """A day whose morning messages are wanted now, and what every delegate's message of it shares."""

    day: date
    entry: RunupEntry | None
    marker: str
    done: bool  # marked done: pending rows are updated or dropped, none is created
    with_text: bool
    urgent: bool


@dataclass
class _Run:
    """What every chunk of one run shares: the days, the settings read once, the organisers' texts rendered."""

    programme: Programme
    plan: RunupPlan
    morning: Morning
    now: datetime
    days: list[_Day]
    no_runup: set[int]  # they turned run-up messages off: no organisers' text
    no_digest: set[int]  # they turned the morning list off: no sessions
    edits: dict[tuple[str, str], str]
    new_only: bool
    texts: dict[tuple[date, str], str] = field(default_factory=dict)  # the text depends on the day and language
    counts: Counter[str] = field(default_factory=Counter)  # marker → delegates with a morning message


async def _days(
    db: aiosqlite.Connection, programme: Programme, plan: RunupPlan, morning: Morning, now: datetime, ahead: timedelta
) -> list[_Day]:
    candidates = morning_days(programme, morning, now, ahead)
    states = await runup.states(db) if candidates else {}
    days = []
    for day in candidates:
        entry = plan.morning_entry(programme, day, morning)
        state = states.get(marker(entry, day))
        with_text = entry is not None and not (state is not None and state.skipped)
        urgent = entry is not None and is_urgent(entry, state)
        done = state is not None and bool(state.outcome)
        days.append(_Day(day, entry, marker(entry, day), done, with_text, urgent))
    return days


def _message(run: _Run, day: _Day, person: Recipient, mine: list[Session]) -> OutgoingMessage | None:
    text = None
    if day.entry is not None and day.with_text and (day.urgent or person.user_id not in run.no_runup):
        text = run.texts.get((day.day, person.language))
        if text is None:
            text = runup_message(day.entry, person.language, run.plan, run.programme, [], run.now, run.edits)
            run.texts[(day.day, person.language)] = text
    sessions = tuple(sorted(mine, key=lambda s: (s.start, s.end, s.room_id)))
    reply = morning_view(run.programme, day.day, text, sessions, i18n.lang(person.language))
    if reply is None:
        return None
    return OutgoingMessage(
        digest_key(person.user_id, day.day),
        person.user_id,
        DIGEST,
        reply.to_payload(),
        run.morning.moment(day.day, run.programme),
        expires_at=run.morning.deadline(day.day, run.programme),
    )


async def _chunk_messages(db: aiosqlite.Connection, run: _Run, people: list[Recipient]) -> list[OutgoingMessage]:
    """The morning messages of these delegates to queue or keep in line, without those already sent."""
    ids = [p.user_id for p in people]
    day_ids = [s.id for d in run.days for s in run.programme.sessions_on(d.day)]
    sessions: dict[tuple[int, date], list[Session]] = defaultdict(list)
    for f in await bookmarks.followers(db, day_ids, users=ids) if day_ids else []:
        session = run.programme.session(f.session_id)
        if session is not None and f.user_id not in run.no_digest:
            sessions[(f.user_id, session.day)].append(session)
    states = await key_states(db, [digest_key(i, d.day) for i in ids for d in run.days])
    messages = []
    for day in run.days:
        for n, person in enumerate(people, 1):
            if n % RENDER_BATCH == 0:
                await asyncio.sleep(0)  # rendering a thousand messages would hold every delegate's reply up
            state = states.get(digest_key(person.user_id, day.day))
            if state is not None and state not in (PENDING, DROPPED):
                run.counts[day.marker] += 1  # already sent (or on its way): never rendered again
                continue
            if (day.done and state is None) or (run.new_only and state is not None):
                # Once the day is done a late bookmark creates nothing; the periodic tick changes nothing queued.
                run.counts[day.marker] += state == PENDING
                continue
            message = _message(run, day, person, sessions.get((person.user_id, day.day), []))
            if message is not None:
                messages.append(message)
                run.counts[day.marker] += 1
    return messages


async def queue_mornings(
    db: aiosqlite.Connection,
    programme: Programme,
    plan: RunupPlan,
    morning: Morning,
    now: datetime,
    ahead: timedelta,
    *,
    user_id: int | None = None,
    new_only: bool = False,
) -> SyncReport:
    """Queue the morning messages wanted now (one user's or everyone's) a chunk of delegates at a time, and mark
    the days whose moment has come.

    `new_only` (the periodic tick): only days not marked done, only rows not queued yet. Otherwise (a full sync)
    pending rows are also updated, revived or dropped to match.
    """
    days = [d for d in await _days(db, programme, plan, morning, now, ahead) if not (new_only and d.done)]
    if not days:
        if new_only:
            return SyncReport()
        # No morning due (the clock went back, or past DIGEST_LATEST): nothing pending may wait.
        return SyncReport(dropped=await drop_pending_outside(db, (DIGEST,), [], now, chat_id=user_id))
    started = time.perf_counter()
    people = await audiences.runup_recipients(db, now, urgent=True, user_id=user_id)  # every active delegate
    no_runup, no_digest = await preferences.opted_out(db, "runup"), await preferences.opted_out(db, "digest")
    run = _Run(programme, plan, morning, now, days, no_runup, no_digest, await runup.edits(db), new_only)
    report = SyncReport()
    for first in range(0, len(people), CHUNK):
        if first:
            await asyncio.sleep(0)  # let the updates that came meanwhile be answered before the next chunk
        chunk = people[first : first + CHUNK]
        messages = await _chunk_messages(db, run, chunk)
        async with transaction(db):
            if new_only:
                report += SyncReport(queued=await enqueue(db, messages, now))
            else:
                chats = [p.user_id for p in chunk]
                report += await sync_pending(db, messages, now, kinds=(DIGEST,), chats=chats)
    if not new_only:
        # Those no longer among the delegates (they blocked the bot): what waits for them is dropped.
        keep = [p.user_id for p in people]
        report += SyncReport(dropped=await drop_pending_outside(db, (DIGEST,), keep, now, chat_id=user_id))
    if user_id is None:
        await _mark_done(db, run, now)
        if report.changed:
            logger.info(
                "Morning messages for %d delegates in %.2f s: %d queued, %d updated, %d dropped",
                len(people), time.perf_counter() - started, report.queued, report.updated, report.dropped,
            )  # fmt: skip
    return report


async def _mark_done(db: aiosqlite.Connection, run: _Run, now: datetime) -> None:
    """Record the days whose moment has come: from now on no new morning message is created for them."""
    for day in run.days:
        if day.done or run.morning.moment(day.day, run.programme) > now:
            continue
        if await runup.mark_done(db, day.marker, runup.ENQUEUED, run.counts[day.marker], now):
            logger.info("Morning messages %s queued for %d delegates", day.marker, run.counts[day.marker])


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
