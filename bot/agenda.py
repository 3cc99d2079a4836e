"""A delegate's personal agenda: bookmarked sessions in time order, overlaps, what follows in a room."""

from __future__ import annotations

from collections.abc import Iterable

from bot.programme.model import Programme, Session
from bot.programme.timeline import active_sessions


def agenda_sessions(programme: Programme, session_ids: Iterable[str]) -> list[Session]:
    """The bookmarked sessions still in the programme (cancelled ones included), in programme order."""
    return programme.in_order(session_ids)


def overlap(a: Session, b: Session) -> bool:
    """Two different sessions that would need the delegate in two places at once."""
    return a.id != b.id and not a.is_cancelled and not b.is_cancelled and a.start < b.end and b.start < a.end


def overlapping(programme: Programme, session: Session, session_ids: Iterable[str]) -> list[Session]:
    """Bookmarked sessions (from `session_ids`) that overlap `session`, in time order."""
    return [s for s in agenda_sessions(programme, session_ids) if overlap(s, session)]


def clashes(sessions: list[Session]) -> set[str]:
    """Ids of the sessions in `sessions` that overlap at least one other of them."""
    found: set[str] = set()
    ordered = sorted(sessions, key=lambda s: s.start)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start >= a.end:
                break
            if overlap(a, b):
                found |= {a.id, b.id}
    return found


def next_in_room(programme: Programme, session: Session) -> Session | None:
    """The next session (not cancelled) in the same room on the same day, starting when or after this one ends."""
    for s in active_sessions(programme):
        if s.room_id == session.room_id and s.day == session.day and s.start >= session.end and s.id != session.id:
            return s
    return None
