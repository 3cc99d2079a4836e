"""Browsing a big programme: a day by track or by room, sessions in pages that keep a time slot together."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.programme.model import Programme, Session

NO_TRACK = "-"  # the key of the sessions a programme files under no track


@dataclass(frozen=True)
class Group:
    """A track or a room on one day: its key in callback data, its name and how many sessions it holds."""

    key: str
    name: str
    count: int


@dataclass(frozen=True)
class Page:
    """One page of a session list; `continues`: its last time slot goes on over the next page."""

    sessions: tuple[Session, ...]
    continues: bool = False


def short_key(name: str) -> str:
    """Eight hex digits for a track or room name: short in callback data, stable across restarts."""
    return hashlib.sha1(name.encode()).hexdigest()[:8]


def track_key(session: Session) -> str:
    return short_key(session.track) if session.track else NO_TRACK


def room_key(session: Session) -> str:
    return short_key(session.room_id)


def has_tracks(programme: Programme) -> bool:
    """Whether browsing by track helps: more than one track named."""
    return len({s.track for s in programme.sessions if s.track}) > 1


def has_rooms(programme: Programme) -> bool:
    return len({s.room_id for s in programme.sessions}) > 1


def tracks_on(programme: Programme, day: date) -> list[Group]:
    """The day's tracks A–Z with their sessions' count; untracked sessions last, under `NO_TRACK`."""
    counts: dict[str, int] = {}
    for s in programme.sessions_on(day):
        counts[s.track] = counts.get(s.track, 0) + 1
    named = sorted((t for t in counts if t), key=str.casefold)
    groups = [Group(short_key(t), t, counts[t]) for t in named]
    if "" in counts:
        groups.append(Group(NO_TRACK, "", counts[""]))
    return groups


def rooms_on(programme: Programme, day: date) -> list[Group]:
    """The day's rooms in the programme's order (as its file lists them), with their sessions' count."""
    counts: dict[str, int] = {}
    for s in programme.sessions_on(day):
        counts[s.room_id] = counts.get(s.room_id, 0) + 1
    order = {r.id: i for i, r in enumerate(programme.rooms)}
    ids = sorted(counts, key=lambda r: (order.get(r, len(order)), programme.room(r).name.casefold()))
    return [Group(short_key(r), programme.room(r).name, counts[r]) for r in ids]


def in_track(programme: Programme, day: date, key: str) -> list[Session]:
    return [s for s in programme.sessions_on(day) if track_key(s) == key]


def in_room(programme: Programme, day: date, key: str) -> list[Session]:
    return [s for s in programme.sessions_on(day) if room_key(s) == key]


def slot_pages(sessions: Sequence[Session], size: int) -> list[Page]:
    """Pages of at most `size` sessions that never split a time slot, unless the slot alone exceeds a page."""
    slots: list[list[Session]] = []
    for s in sessions:
        if slots and slots[-1][0].start == s.start:
            slots[-1].append(s)
        else:
            slots.append([s])
    pages: list[Page] = []
    current: list[Session] = []
    for slot in slots:
        if current and len(current) + len(slot) > size:
            pages.append(Page(tuple(current)))
            current = []
        while len(slot) > size:
            pages.append(Page(tuple(slot[:size]), continues=True))
            slot = slot[size:]
        current += slot
    if current or not pages:
        pages.append(Page(tuple(current)))
    return pages


def page_holding(pages: Sequence[Page], session: Session | None) -> int:
    return next((i for i, p in enumerate(pages) if session in p.sessions), 0)


def running_or_next(sessions: Sequence[Session], now: datetime) -> Session | None:
    """The session of a list that runs at `now`, else the next to start; None once all are over."""
    return next((s for s in sessions if s.end > now and not s.is_cancelled), None)


def neighbours(programme: Programme, session: Session) -> tuple[Session | None, Session | None]:
    """The sessions just before and just after `session` in its room on its day."""
    same_room = [s for s in programme.sessions_on(session.day) if s.room_id == session.room_id]
    i = same_room.index(session)
    return (same_room[i - 1] if i > 0 else None, same_room[i + 1] if i + 1 < len(same_room) else None)
