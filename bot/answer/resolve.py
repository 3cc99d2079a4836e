"""Turn what a question says about time into conference days, instants and windows of one programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.answer import lexicon as lx
from bot.answer.text import fold, words
from bot.answer.when import DayRef, When
from bot.programme import timeline
from bot.programme.memo import per_programme
from bot.programme.model import Programme, Session

# Used when a day has no session called lunch.
LUNCH_END = time(14, 0)
LUNCH_START = time(12, 30)
# Where a conference day ends for windows like 'evening': late sessions still belong to their day.
DAY_END = time(6, 0)


@dataclass(frozen=True)
class Scope:
    days: tuple[date, ...] = ()  # the conference days asked about; empty = all
    missing_day: date | None = None  # a day asked about on which nothing is scheduled
    instants: tuple[datetime, ...] = ()  # 'at 11:45' on each day
    windows: tuple[tuple[datetime, datetime], ...] = ()  # 'morning', 'after lunch', 'after 15:00' on each day

    def allows(self, s: Session) -> bool:
        if self.days and s.day not in self.days:
            return False
        if self.instants and not any(s.start <= i < s.end for i in self.instants):
            return False
        return not self.windows or any(a <= s.start < b for a, b in self.windows)

    @property
    def is_open(self) -> bool:
        return not (self.days or self.instants or self.windows)


def _weekday_date(programme: Programme, weekday: int, today: date) -> tuple[date | None, date]:
    """The conference day on that weekday (the next one from today if several), else the nearest date."""
    matching = [d for d in programme.days if d.weekday() == weekday]
    if matching:
        upcoming = [d for d in matching if d >= today]
        return (upcoming or matching)[0], (upcoming or matching)[0]
    first = programme.start_date
    after = first + timedelta(days=(weekday - first.weekday()) % 7)
    before = first - timedelta(days=(first.weekday() - weekday) % 7)
    return None, before if (first - before) < (after - programme.end_date) else after


def _explicit_days(when: When, programme: Programme, today: date) -> tuple[list[date], date | None]:
    found: list[date] = []
    missing: date | None = None
    years = sorted({d.year for d in programme.days})
    for year, month, day in when.dates:
        candidates = [year] if year else years
        dates = [d for d in (_safe_date(y, month, day) for y in candidates) if d]
        hit = next((d for d in dates if d in programme.days), None)
        if hit:
            found.append(hit)
        elif dates:
            missing = dates[0]
    for day in when.month_days:
        hits = [d for d in programme.days if d.day == day]
        found += hits
        if not hits:
            first = programme.start_date
            missing = _safe_date(first.year, first.month, day) or missing
    for weekday in when.weekdays:
        hit, nearest = _weekday_date(programme, weekday, today)
        if hit:
            found.append(hit)
        else:
            missing = nearest
    if when.day_ref is not None:
        offset = {DayRef.TODAY: 0, DayRef.TOMORROW: 1, DayRef.YESTERDAY: -1, DayRef.DAY_AFTER_TOMORROW: 2}
        d = today + timedelta(days=offset[when.day_ref])
        if d in programme.days:
            found.append(d)
        else:
            missing = d
    if when.day_number:
        n = when.day_number
        if n == -1 or 1 <= n <= len(programme.days):
            found.append(programme.days[n - 1 if n > 0 else -1])
        else:
            missing = programme.start_date + timedelta(days=n - 1)
    return list(dict.fromkeys(found)), (missing if not found else None)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _lunch(programme: Programme, day: date) -> Session | None:
    return _lunches(programme).get(day)


@per_programme  # each day's sessions read once, not at every 'after lunch' (a day of 350 titles folded)
def _lunches(programme: Programme) -> dict[date, Session]:
    """The first lunch break of each day."""
    found: dict[date, Session] = {}
    for s in programme.sessions:
        if s.day not in found and set(words(fold(f"{s.title} {s.type}"))) & lx.LUNCH:
            found[s.day] = s
    return found


def _at(programme: Programme, day: date, t: time) -> datetime:
    instant = datetime.combine(day, t, tzinfo=programme.timezone)
    # 01:00 "on Friday" at an event running past midnight means the night after Friday.
    if t < DAY_END and _runs_past_midnight(programme, day):
        instant += timedelta(days=1)
    return instant


def _runs_past_midnight(programme: Programme, day: date) -> bool:
    return any(programme.local(s.start).date() > day for s in programme.sessions_on(day))


def _window(programme: Programme, day: date, when: When) -> tuple[datetime, datetime]:
    tz = programme.timezone
    # 'After 1am' at an event running past midnight is that night; a morning (05:00–12:00) is not.
    night = when.start is not None and when.start < DAY_END and (when.end is None or when.end < DAY_END)
    start = (
        _at(programme, day, when.start)
        if night and when.start
        else datetime.combine(day, when.start or time(0), tzinfo=tz)
    )
    end = datetime.combine(day + timedelta(days=1), DAY_END, tzinfo=tz)
    if when.end and when.end != time(23, 59):
        end = _at(programme, day, when.end)
        if end <= start:  # 'until midnight' ends in the night after the day, not at its start
            end += timedelta(days=1)
    lunch = _lunch(programme, day) if (when.after_lunch or when.before_lunch) else None
    if when.after_lunch:
        start = lunch.end if lunch else datetime.combine(day, LUNCH_END, tzinfo=tz)
    if when.before_lunch:
        end = lunch.start if lunch else datetime.combine(day, LUNCH_START, tzinfo=tz)
    return start, end


def resolve(when: When, programme: Programme, now: datetime) -> Scope:
    """The days, instants and windows a question means, seen from `now`."""
    if not programme.days or when.is_empty:
        return Scope()
    today = timeline.current_day(programme, now) or programme.local(now).date()
    days, missing = _explicit_days(when, programme, today)
    if missing is not None:
        return Scope(missing_day=missing)
    if not days and when.has_time:
        # No day named: the conference day we are in, else every day.
        days = [today] if today in programme.days else list(programme.days)
    if when.at is not None:
        return Scope(days=tuple(days), instants=tuple(_at(programme, d, when.at) for d in days))
    if when.start or when.end or when.after_lunch or when.before_lunch:
        return Scope(days=tuple(days), windows=tuple(_window(programme, d, when) for d in days))
    return Scope(days=tuple(days))
