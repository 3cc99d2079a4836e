"""A whole Programme as compact bytes and back, so applied versions live in the database whatever their format.

Versions are stored as the model rather than as the file they came from: the file may be edited in place
(PROGRAMME_PATH) or never have existed as a file (a URL, a document sent to the bot).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict, fields
from datetime import date, datetime, tzinfo
from typing import Any

from bot.programme.model import Programme, Room, Session, SessionStatus, Speaker, Venue
from bot.programme.timezones import zone

VERSION = 1
_SESSION_FIELDS = tuple(f.name for f in fields(Session))


def dump(programme: Programme) -> bytes:
    doc = {
        "v": VERSION,
        "name": programme.name,
        "acronym": programme.acronym,
        "description": programme.description,
        "url": programme.url,
        "organiser": programme.organiser,
        "provisional": programme.provisional,
        "source": programme.source,
        "format": programme.format,
        "extra": programme.extra,
        "timezone": str(programme.timezone),
        "days": [d.isoformat() for d in programme.days],
        "venue": asdict(programme.venue),
        "rooms": [asdict(r) for r in programme.rooms],
        "speakers": [asdict(s) for s in programme.speakers],
        # Rows rather than objects: a third of the size for a 1,000-session programme.
        "sessions": [[_plain(getattr(s, name)) for name in _SESSION_FIELDS] for s in programme.sessions],
    }
    return zlib.compress(json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode(), 1)


def load(blob: bytes) -> Programme:
    doc = json.loads(zlib.decompress(blob))
    if doc.get("v") != VERSION:
        raise ValueError(f"programme snapshot version {doc.get('v')!r} is not {VERSION}")
    tz = zone(doc["timezone"])
    if tz is None:
        raise ValueError(f"unknown time zone {doc['timezone']!r} in a stored programme")
    sessions = [_session(dict(zip(_SESSION_FIELDS, row, strict=True)), tz) for row in doc["sessions"]]
    return Programme(
        name=doc["name"],
        acronym=doc["acronym"],
        description=doc["description"],
        url=doc["url"],
        organiser=doc["organiser"],
        provisional=doc["provisional"],
        source=doc["source"],
        format=doc["format"],
        extra=dict(doc["extra"]),
        timezone=tz,
        days=tuple(date.fromisoformat(d) for d in doc["days"]),
        venue=Venue(**doc["venue"]),
        rooms=tuple(Room(**r) for r in doc["rooms"]),
        speakers=tuple(Speaker(**s) for s in doc["speakers"]),
        sessions=tuple(sessions),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _session(raw: dict[str, Any], tz: tzinfo) -> Session:
    raw["start"] = datetime.fromisoformat(raw["start"]).astimezone(tz)
    raw["end"] = datetime.fromisoformat(raw["end"]).astimezone(tz)
    raw["day"] = date.fromisoformat(raw["day"])
    raw["speaker_ids"] = tuple(raw["speaker_ids"])
    raw["status"] = SessionStatus(raw["status"])
    return Session(**raw)
