"""Browsing a big programme: a day by track or by room, sessions in pages that keep a time slot together."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.programme.memo import per_programme
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


@functools.lru_cache(maxsize=8192)
def _key(name: str) -> str:
    return short_key(name)


def track_key(session: Session) -> str:
    return _key(session.track) if session.track else NO_TRACK


def room_key(session: Session) -> str:
    return _key(session.room_id)


class _Lookup:
    """What browsing asks of one programme again and again (every card, every list), computed once."""

    def __init__(self, programme: Programme) -> None:
        self.has_tracks = len({s.track for s in programme.sessions if s.track}) > 1
        self.has_rooms = len({s.room_id for s in programme.sessions}) > 1
        self.by_track: dict[tuple[date, str], list[Session]] = {}
        self.by_room: dict[tuple[date, str], list[Session]] = {}
        for s in programme.sessions:
            self.by_track.setdefault((s.day, track_key(s)), []).append(s)
            self.by_room.setdefault((s.day, room_key(s)), []).append(s)
        self.day_pages: dict[tuple[date, int], tuple[list[Page], dict[str, int]]] = {}


_lookup = per_programme(_Lookup)  # the lookup of this very Programme object (a replaced programme gets its own)


def has_tracks(programme: Programme) -> bool:
    """Whether browsing by track helps: more than one track named."""
    return _lookup(programme).has_tracks


def has_rooms(programme: Programme) -> bool:
    return _lookup(programme).has_rooms


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
    return list(_lookup(programme).by_track.get((day, key), ()))


def in_room(programme: Programme, day: date, key: str) -> list[Session]:
    return list(_lookup(programme).by_room.get((day, key), ()))


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


def day_page_of(programme: Programme, session: Session, size: int) -> int:
    """The page of its day's list (pages of `size`, slots kept whole) that holds `session`; 0 when none does."""
    lookup = _lookup(programme)
    key = (session.day, size)
    if key not in lookup.day_pages:
        pages = slot_pages(programme.sessions_on(session.day), size)
        lookup.day_pages[key] = (pages, {s.id: i for i, p in enumerate(pages) for s in p.sessions})
    return lookup.day_pages[key][1].get(session.id, 0)


def page_holding(pages: Sequence[Page], session: Session | None) -> int:
    if session is None:
        return 0
    # By id: comparing whole sessions field by field made every card's lookup cost a scan of its day.
    return next((i for i, p in enumerate(pages) if any(s.id == session.id for s in p.sessions)), 0)


def running_or_next(sessions: Sequence[Session], now: datetime) -> Session | None:
    """The session of a list that runs at `now`, else the next to start; None once all are over."""
    return next((s for s in sessions if s.end > now and not s.is_cancelled), None)


def neighbours(programme: Programme, session: Session) -> tuple[Session | None, Session | None]:
    """The sessions just before and just after `session` in its room on its day."""
    in_its_room = _lookup(programme).by_room.get((session.day, room_key(session)), [])
    same_room = [s for s in in_its_room if s.room_id == session.room_id]
    i = same_room.index(session)
    return (same_room[i - 1] if i > 0 else None, same_room[i + 1] if i + 1 < len(same_room) else None)
