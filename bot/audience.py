"""Who receives an organiser message, and its one textual form, shared by the command line, buttons and storage.

    all                            everyone who started the bot
    session:<session>              people who bookmarked that session
    lang:<code>                    people whose language is <code>
    room:<room>:<YYYY-MM-DD>       people with a bookmark in that room on that day

A session or room is written by its id, or by its short key where the id is too long for a button
(`session_key`: the same as the id for every id of up to 24 bytes), so the text always fits Telegram's 64-byte
callback data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.programme.model import Programme, session_key

ALL, SESSION, LANGUAGE, ROOM = "all", "session", "lang", "room"
FORMS = "all, session:ID, lang:CODE or room:ROOM:YYYY-MM-DD"


@dataclass(frozen=True)
class Audience:
    kind: str
    session_id: str = ""
    language: str = ""
    room_id: str = ""
    day: date | None = None

    @property
    def spec(self) -> str:
        """The textual form (module docstring)."""
        if self.kind == SESSION:
            return f"{SESSION}:{session_key(self.session_id)}"
        if self.kind == LANGUAGE:
            return f"{LANGUAGE}:{self.language}"
        if self.kind == ROOM and self.day is not None:
            return f"{ROOM}:{session_key(self.room_id)}:{self.day.isoformat()}"
        return ALL

    @classmethod
    def parse(cls, text: str, programme: Programme, *, known_only: bool = True) -> Audience:
        """Read the textual form; ValueError says why not.

        `known_only=False` reads a stored audience whose session or room has since left the programme.
        """
        kind, _, rest = text.strip().partition(":")
        if kind == ALL and not rest:
            return cls(ALL)
        if kind == SESSION and rest:
            session = programme.session(rest)
            if session is None and known_only:
                raise ValueError(f"no session with id {rest!r} in {programme.source or 'the programme'}")
            return cls(SESSION, session_id=session.id if session else rest)
        if kind == LANGUAGE and rest.isalpha() and len(rest) <= 8:
            return cls(LANGUAGE, language=rest.lower())
        if kind == ROOM and rest:
            ref, _, day_text = rest.rpartition(":")
            room = next((r.id for r in programme.rooms if ref in (r.id, session_key(r.id))), None)
            day = _day(day_text)
            if (room or not known_only) and day and (day in programme.days or not known_only):
                return cls(ROOM, room_id=room or ref, day=day)
            raise ValueError(f"room:ROOM:DAY needs a room id and a conference day, not {rest!r}")
        raise ValueError(f"unknown audience {text!r} (use {FORMS})")

    def session_ids(self, programme: Programme) -> list[str]:
        """The sessions whose bookmarkers form this audience (none for everyone or a language)."""
        if self.kind == SESSION:
            return [self.session_id]
        if self.kind == ROOM:
            return [s.id for s in programme.sessions if s.day == self.day and s.room_id == self.room_id]
        return []


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None
