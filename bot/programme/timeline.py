"""What runs now and what starts next, at any instant before, during or after a conference."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.programme.model import Programme, Session


class Phase(StrEnum):
    BEFORE = "before"  # the first session has not started
    DURING = "during"  # between the first start and the last end
    AFTER = "after"  # the last session has ended


@dataclass(frozen=True)
class Moment:
    """The programme seen from one instant."""

    instant: datetime
    phase: Phase
    running: tuple[Session, ...]
    upcoming: tuple[Session, ...]  # the next session in each room, earliest first

    @property
    def until_start(self) -> timedelta | None:
        return self.upcoming[0].start - self.instant if self.upcoming else None


def active_sessions(programme: Programme) -> Sequence[Session]:
    return programme.active


def starting_between(programme: Programme, after: datetime, until: datetime) -> Sequence[Session]:
    """Active sessions with `after < start <= until`, in time order (a slice, not a scan)."""
    starts = programme.active_starts
    return programme.active[bisect_right(starts, after) : bisect_right(starts, until)]


def bounds(programme: Programme) -> tuple[datetime, datetime] | None:
    sessions = active_sessions(programme)
    if not sessions or programme.active_end is None:
        return None
    return sessions[0].start, programme.active_end


def phase_at(programme: Programme, instant: datetime) -> Phase:
    span = bounds(programme)
    if span is None or instant >= span[1]:
        return Phase.AFTER
    return Phase.BEFORE if instant < span[0] else Phase.DURING


def running_at(programme: Programme, instant: datetime) -> list[Session]:
    """Sessions in progress at `instant` (start inclusive, end exclusive), by start then room."""
    starts = programme.active_starts
    # Only sessions that started within the longest session's length before `instant` can still be running.
    first = bisect_left(starts, instant - programme.longest_active)
    return [s for s in programme.active[first : bisect_right(starts, instant)] if instant < s.end]


def upcoming_after(programme: Programme, instant: datetime, limit: int | None = None) -> list[Session]:
    """The next session to start in each room after `instant`, earliest first."""
    sessions = active_sessions(programme)
    first = bisect_right(programme.active_starts, instant)
    per_room: dict[str, Session] = {}
    # Keep the picture to the next time slot(s): rooms whose next session is 12 hours or more after the first
    # are left out, so reading stops there, or once every room has its next session.
    horizon = sessions[first].start + timedelta(hours=12) if first < len(sessions) else None
    for s in sessions[first:]:
        if (horizon is not None and s.start >= horizon) or len(per_room) == programme.active_room_count:
            break
        per_room.setdefault(s.room_id, s)
    ordered = sorted(per_room.values(), key=lambda s: (s.start, s.room_id))
    return ordered[:limit] if limit else ordered


def moment(programme: Programme, instant: datetime) -> Moment:
    return Moment(
        instant=instant,
        phase=phase_at(programme, instant),
        running=tuple(running_at(programme, instant)),
        upcoming=tuple(upcoming_after(programme, instant)),
    )


def current_day(programme: Programme, instant: datetime) -> date | None:
    """The conference day `instant` falls in: late-night sessions count for the day they belong to."""
    for s in running_at(programme, instant):
        return s.day
    local = programme.local(instant).date()
    if local in programme.days:
        return local
    return None
