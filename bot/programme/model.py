"""Frozen domain objects for a conference programme, whatever format it came from."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from zoneinfo import ZoneInfo

# Telegram allows 64 bytes of callback data; ids longer than this are replaced by a short stable hash.
MAX_KEY_BYTES = 24
# A note that only repeats the status: programme files (the bundled one among them) used to write the bot's own
# provisional label into the note, which delegates then read twice, once in English.
STATUS_ONLY_NOTE = re.compile(r"\W*provisional\W*(the official programme will replace it\W*)?", re.IGNORECASE)


class SessionStatus(StrEnum):
    CONFIRMED = "confirmed"
    PROVISIONAL = "provisional"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Speaker:
    id: str
    name: str
    role: str = ""
    organisation: str = ""
    bio: str = ""

    @property
    def key(self) -> str:
        """A short id that fits in callback data; stable for the same speaker id."""
        return session_key(self.id)


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    capacity: int | None = None


@dataclass(frozen=True)
class Venue:
    name: str
    address: str = ""
    map_url: str = ""
    description: str = ""


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    start: datetime  # timezone-aware
    end: datetime
    room_id: str
    day: date  # the conference day it belongs to (an event at 01:00 may belong to the previous day)
    type: str = ""
    track: str = ""
    speaker_ids: tuple[str, ...] = ()
    subtitle: str = ""
    description: str = ""
    language: str = ""
    status: SessionStatus = SessionStatus.CONFIRMED
    source_url: str = ""
    url: str = ""
    note: str = ""  # what is or is not confirmed, shown to delegates

    @property
    def key(self) -> str:
        """A short id that fits in callback data; stable for the same session id."""
        return session_key(self.id)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def is_provisional(self) -> bool:
        return self.status is SessionStatus.PROVISIONAL

    @property
    def is_cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED

    @property
    def organisers_note(self) -> str:
        """The note as written, or nothing when it only says what the status already says."""
        return "" if STATUS_ONLY_NOTE.fullmatch(self.note) else self.note


def session_key(session_id: str) -> str:
    if len(session_id.encode()) <= MAX_KEY_BYTES and "|" not in session_id:
        return session_id
    return "h" + hashlib.sha1(session_id.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Programme:
    """A whole conference: metadata, rooms, speakers and sessions in time order."""

    name: str
    timezone: ZoneInfo
    days: tuple[date, ...]
    venue: Venue
    rooms: tuple[Room, ...]
    speakers: tuple[Speaker, ...]
    sessions: tuple[Session, ...]
    acronym: str = ""
    description: str = ""
    url: str = ""
    organiser: str = ""
    # Programme-wide: the official agenda has not been published in full yet.
    provisional: bool = False
    source: str = ""  # where it was loaded from, for messages and logs
    format: str = ""  # which importer read it
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.sessions, key=lambda s: (s.start, s.end, s.room_id, s.title)))
        object.__setattr__(self, "sessions", ordered)

    @cached_property
    def active(self) -> tuple[Session, ...]:
        """The sessions not cancelled, in time order (computed once: /now and every reminder tick read it)."""
        return tuple(s for s in self.sessions if not s.is_cancelled)

    @cached_property
    def active_starts(self) -> tuple[datetime, ...]:
        """The start of each active session, for bisecting by time."""
        return tuple(s.start for s in self.active)

    @cached_property
    def longest_active(self) -> timedelta:
        """The longest active session: a session running at an instant started at most this long before it."""
        return max((s.end - s.start for s in self.active), default=timedelta(0))

    @cached_property
    def active_room_count(self) -> int:
        """How many rooms hold an active session (rooms named only by sessions included)."""
        return len({s.room_id for s in self.active})

    @cached_property
    def active_end(self) -> datetime | None:
        """When the last active session ends (None without any): /now and every question ask it."""
        return max((s.end for s in self.active), default=None)

    @cached_property
    def _by_day(self) -> dict[date, tuple[Session, ...]]:
        by_day: dict[date, list[Session]] = {}
        for s in self.sessions:
            by_day.setdefault(s.day, []).append(s)
        return {d: tuple(sessions) for d, sessions in by_day.items()}

    @cached_property
    def _order(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.sessions)}

    @cached_property
    def _by_key(self) -> dict[str, Session]:
        return {s.key: s for s in self.sessions}

    @cached_property
    def _by_id(self) -> dict[str, Session]:
        return {s.id: s for s in self.sessions}

    @cached_property
    def _rooms(self) -> dict[str, Room]:
        return {r.id: r for r in self.rooms}

    @cached_property
    def _speakers(self) -> dict[str, Speaker]:
        return {s.id: s for s in self.speakers}

    @cached_property
    def _speakers_by_key(self) -> dict[str, Speaker]:
        return {s.key: s for s in self.speakers}

    @property
    def start_date(self) -> date:
        return self.days[0]

    @property
    def end_date(self) -> date:
        return self.days[-1]

    @property
    def has_provisional(self) -> bool:
        return self.provisional or any(s.is_provisional for s in self.sessions)

    def session(self, id_or_key: str) -> Session | None:
        return self._by_id.get(id_or_key) or self._by_key.get(id_or_key)

    def room(self, room_id: str) -> Room:
        return self._rooms.get(room_id) or Room(id=room_id, name=room_id)

    def speaker(self, id_or_key: str) -> Speaker | None:
        return self._speakers.get(id_or_key) or self._speakers_by_key.get(id_or_key)

    def speakers_of(self, session: Session) -> list[Speaker]:
        return [sp for sid in session.speaker_ids if (sp := self._speakers.get(sid))]

    def sessions_on(self, day: date) -> list[Session]:
        return list(self._by_day.get(day, ()))

    def in_order(self, session_ids: Iterable[str]) -> list[Session]:
        """The sessions of `session_ids` that are in the programme, in programme order (unknown ids skipped)."""
        order = self._order
        found = sorted((order[i], i) for i in set(session_ids) if i in order)
        return [self.sessions[n] for n, _ in found]

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.timezone)
