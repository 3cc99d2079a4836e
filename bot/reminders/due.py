"""Which reminders are due at an instant, from bookmarks, settings and the programme.

Pure: no Telegram, no database. The periodic tick (bot/reminders/queue.py) feeds it what storage holds and
turns the answer into outbox rows.

Timing of one reminder for a session starting at `start`, with the user's lead (10 minutes by default):
- `deadline = start − lead`: it must have arrived by then;
- `not_before = deadline − early`: the earliest it still makes sense. The outbox sender (bot/outbox_plan.py) holds
  it back until the latest moment at which the whole burst of that deadline (2,000 delegates following one
  plenary take about 70 s at 30/s) still arrives in time, but never sends before `not_before`; `early` leaves
  it that room, scaled by the clock's speed in a rehearsal;
- `expires_at = start`: a reminder still queued when the session starts (the bot was down) is never sent.
The idempotency key names the user, the session and its start, so a session that moves gets a fresh reminder
at its new time while the row for the old start is dropped, and a restart never reminds twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.programme.model import Programme, Session
from bot.programme.timeline import starting_between
from bot.storage.bookmarks import Follower
from bot.storage.preferences import REMINDER_CHOICES, Preferences
from bot.storage.reminders import reminder_key

# How long before its deadline a reminder may already go out (at normal clock speed): room for a burst of
# about 9,000 at 30/s. The outbox sender sends as late as it can, so the room costs nothing when unused.
EARLY = timedelta(minutes=5)
SNOOZE_BEFORE = timedelta(minutes=5)  # "⏰ Remind me again 5 min before"


@dataclass(frozen=True)
class DueReminder:
    key: str
    user_id: int
    language: str
    session: Session
    not_before: datetime
    deadline: datetime
    expires_at: datetime


def early_room(speed: float) -> timedelta:
    """`deadline − not_before` on the bot's clock: Telegram's pace is in real seconds, a rehearsal clock runs faster."""
    return EARLY * max(1.0, speed)


def reminder_sessions(
    programme: Programme, now: datetime, horizon: timedelta, early: timedelta = EARLY
) -> list[Session]:
    """Sessions whose reminder may be due by `now + horizon` for some lead: not cancelled, not started."""
    longest = timedelta(minutes=max(REMINDER_CHOICES)) + early
    return list(starting_between(programme, now, now + horizon + longest))


def sessions_entering(
    programme: Programme, since: datetime, until: datetime, early: timedelta = EARLY
) -> list[Session]:
    """Sessions whose reminder becomes due, for some lead, between the instants `since` and `until`."""
    leads = [timedelta(minutes=m) + early for m in REMINDER_CHOICES]
    candidates = starting_between(programme, since + min(leads), until + max(leads))
    return [s for s in candidates if any(since < s.start - lead <= until for lead in leads)]


def due_reminders(
    programme: Programme,
    followers: Iterable[Follower],
    preferences: Mapping[int, Preferences],
    now: datetime,
    horizon: timedelta,
    early: timedelta = EARLY,
) -> list[DueReminder]:
    """The reminders that should be queued at `now`: their earliest moment falls before `now + horizon`."""
    due: list[DueReminder] = []
    for f in followers:
        session = programme.session(f.session_id)
        if session is None or session.is_cancelled or session.start <= now:
            continue
        prefs = preferences.get(f.user_id) or Preferences(f.user_id)
        lead = prefs.reminder_lead
        if lead is None or prefs.muted_on(programme.local(session.start).date()):
            continue
        deadline = session.start - lead
        # Bookmarked after its reminder moment: the delegate has just chosen it and needs no reminder.
        if f.created_at > deadline:
            continue
        not_before = deadline - early
        if not_before > now + horizon:
            continue
        key = reminder_key(f.user_id, session)
        due.append(DueReminder(key, f.user_id, f.language, session, not_before, deadline, session.start))
    return due


def snooze_moment(session: Session, now: datetime) -> datetime | None:
    """When a snoozed reminder goes out: 5 minutes before the start, or at the start when that is past; None once
    the session has started."""
    if session.start - SNOOZE_BEFORE > now:
        return session.start - SNOOZE_BEFORE
    return session.start if session.start > now else None
