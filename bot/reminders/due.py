"""Which reminders and morning digests are due at an instant, from bookmarks, settings and the programme.

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

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.programme.model import Programme, Session
from bot.programme.timeline import starting_between
from bot.storage.bookmarks import Follower
from bot.storage.preferences import REMINDER_CHOICES, Preferences
from bot.storage.reminders import digest_key, reminder_key

# How long before its deadline a reminder may already go out (at normal clock speed): room for a burst of
# about 9,000 at 30/s. The outbox sender sends as late as it can, so the room costs nothing when unused.
EARLY = timedelta(minutes=5)
DEFAULT_DIGEST_AT = time(8, 0)


@dataclass(frozen=True)
class DueReminder:
    key: str
    user_id: int
    language: str
    session: Session
    not_before: datetime
    deadline: datetime
    expires_at: datetime


@dataclass(frozen=True)
class DueDigest:
    key: str
    user_id: int
    language: str
    day: date
    sessions: tuple[Session, ...]  # that day's bookmarks in time order, cancelled ones included
    not_before: datetime
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


def digest_moment(programme: Programme, day: date, at: time = DEFAULT_DIGEST_AT) -> datetime:
    """`at` on `day` in the event's time zone."""
    return datetime.combine(day, at, tzinfo=programme.timezone)


def digest_days(programme: Programme, now: datetime, horizon: timedelta, at: time = DEFAULT_DIGEST_AT) -> list[date]:
    """Conference days whose digest moment has come (or comes within the horizon) and whose day is not over."""
    return [
        d
        for d in programme.days
        if digest_moment(programme, d, at) <= now + horizon and now < digest_moment(programme, d, at) + timedelta(1)
    ]


def due_digests(
    programme: Programme,
    followers: Iterable[Follower],
    preferences: Mapping[int, Preferences],
    now: datetime,
    days: Iterable[date],
    at: time = DEFAULT_DIGEST_AT,
) -> list[DueDigest]:
    """One digest per user and day among `days`, listing that day's bookmarks, while one of them is ahead."""
    wanted_days = set(days)
    by_user: dict[tuple[int, date], list[Session]] = defaultdict(list)
    languages: dict[int, str] = {}
    for f in followers:
        session = programme.session(f.session_id)
        if session is None or session.day not in wanted_days:
            continue
        by_user[(f.user_id, session.day)].append(session)
        languages[f.user_id] = f.language
    due: list[DueDigest] = []
    for (user_id, day), sessions in sorted(by_user.items(), key=lambda item: item[0]):
        prefs = preferences.get(user_id) or Preferences(user_id)
        active = [s for s in sessions if not s.is_cancelled]
        if not prefs.digest or not active:
            continue
        # Useful until the last bookmarked session of the day has started; after that it is stale news.
        expires_at = max(s.start for s in active)
        if expires_at <= now:
            continue
        ordered = tuple(sorted(sessions, key=lambda s: (s.start, s.end, s.room_id)))
        moment = digest_moment(programme, day, at)
        due.append(DueDigest(digest_key(user_id, day), user_id, languages[user_id], day, ordered, moment, expires_at))
    return due
