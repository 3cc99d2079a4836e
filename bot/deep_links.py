"""Deep links `https://t.me/<bot>?start=<payload>`: what each payload opens, and the payload of each screen.

Telegram allows a start payload of 1–64 characters from `A-Za-z0-9_-`. Payloads outlive programme updates:
a session by its id (or a short hash of an id with other characters), a room by the hash of its id, a track by
the hash of its name, a speaker by their id, as browsing's buttons already key them (bot/browse.py).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from bot.browse import in_room, in_track, short_key
from bot.programme import timeline
from bot.programme.memo import per_programme
from bot.programme.model import Programme, Session, Speaker
from bot.storage import programme_versions

MAX_PAYLOAD = 64
ALLOWED = re.compile(r"[A-Za-z0-9_-]{1,64}")
PLAIN_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")

# Kinds: the payload is `<kind>_<key>` for the first four, the bare word for the others.
SESSION, ROOM, TRACK, SPEAKER = "s", "r", "t", "p"
PROGRAMME, VENUE, MENU = "programme", "venue", "menu"  # MENU: the welcome, e.g. from a group's pointer
INLINE_SESSION = "s:"  # the inline query that finds exactly one session (the card's Share button)


@dataclass(frozen=True)
class Target:
    """What a payload asks for: a kind, and the key of the session, room, track or speaker."""

    kind: str
    key: str = ""


def link_key(identifier: str) -> str:
    """A session's or speaker's id as it stands in a payload: itself when Telegram allows it, else a hash."""
    if PLAIN_ID.fullmatch(identifier):
        return identifier
    return "h" + hashlib.sha1(identifier.encode()).hexdigest()[:16]


def session_payload(session: Session) -> str:
    return f"{SESSION}_{link_key(session.id)}"


def room_payload(room_id: str) -> str:
    return f"{ROOM}_{short_key(room_id)}"


def track_payload(track: str) -> str:
    return f"{TRACK}_{short_key(track)}"


def speaker_payload(speaker: Speaker) -> str:
    return f"{SPEAKER}_{link_key(speaker.id)}"


def url(bot_username: str, payload: str = "") -> str:
    """The t.me link that opens the bot (and, with a payload, that screen)."""
    return f"https://t.me/{bot_username}" + (f"?start={payload}" if payload else "")


def parse(payload: str) -> Target | None:
    """The target of a start payload; None for anything this bot never made."""
    if not ALLOWED.fullmatch(payload):
        return None
    if payload in (PROGRAMME, VENUE, MENU):
        return Target(payload)
    kind, sep, key = payload.partition("_")
    if sep and key and kind in (SESSION, ROOM, TRACK, SPEAKER):
        return Target(kind, key)
    return None


def inline_session_query(session: Session) -> str:
    """What the Share button types after the bot's name: a query that finds exactly this session."""
    return INLINE_SESSION + link_key(session.id)


def shared_key(query: str) -> str | None:
    """The session key an `s:<key>` inline query (a Share button's) names; None for any other query."""
    return query[len(INLINE_SESSION) :].strip() if query.startswith(INLINE_SESSION) else None


class _Keys:
    """Each session's, speaker's, room's and track's link key in one programme."""

    def __init__(self, programme: Programme) -> None:
        self.sessions = {link_key(s.id): s for s in programme.sessions}
        self.speakers = {link_key(s.id): s for s in programme.speakers}
        self.rooms = {short_key(s.room_id): s.room_id for s in programme.sessions}
        self.tracks = {short_key(s.track): s.track for s in programme.sessions if s.track}


_keys = per_programme(_Keys)


def find_session(programme: Programme, key: str) -> Session | None:
    return _keys(programme).sessions.get(key)


def find_speaker(programme: Programme, key: str) -> Speaker | None:
    return _keys(programme).speakers.get(key)


def room_id_of(programme: Programme, key: str) -> str | None:
    """The room a room payload names, while it holds a session."""
    return _keys(programme).rooms.get(key)


def track_of(programme: Programme, key: str) -> str | None:
    return _keys(programme).tracks.get(key)


def _day_to_show(programme: Programme, sessions_by_day: dict[date, list[Session]], now: datetime) -> date | None:
    """Today when the room or track has sessions today, else its next day with sessions, else its last."""
    days = sorted(d for d, found in sessions_by_day.items() if found)
    if not days:
        return None
    today = timeline.current_day(programme, now) or programme.local(now).date()
    return today if today in days else next((d for d in days if d > today), days[-1])


def room_day(programme: Programme, room_id: str, now: datetime) -> date | None:
    """The day a room's link shows: today's sessions in it (what is on now), else its next or last day."""
    key = short_key(room_id)
    return _day_to_show(programme, {d: in_room(programme, d, key) for d in programme.days}, now)


def track_day(programme: Programme, track: str, now: datetime) -> date | None:
    key = short_key(track)
    return _day_to_show(programme, {d: in_track(programme, d, key) for d in programme.days}, now)


def at_the_same_time(programme: Programme, gone: Session) -> list[Session]:
    """What the programme holds while a removed session would have run (sessions overlapping its time)."""
    return [s for s in programme.sessions if s.start < gone.end and s.end > gone.start and s.id != gone.id]


async def last_known_session(db: aiosqlite.Connection, key: str) -> Session | None:
    """A session a link names that the programme no longer holds, as the latest version that had it showed it."""
    for version_id in await programme_versions.applied_newest_first(db):
        old = await programme_versions.load_snapshot(db, version_id)
        found = find_session(old, key) if old is not None else None
        if found is not None:
            return found
    return None
