"""The project's own YAML programme format (data/programme.yaml), validated with pydantic."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.programme.errors import Problem, ProgrammeError
from bot.programme.importing import TOO_DEEP, unreadable
from bot.programme.model import Programme, Room, Session, SessionStatus, Speaker, Venue
from bot.programme.timezones import zone

FORMAT = "native-yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class ConferenceIn(_Strict):
    name: str = Field(min_length=1)
    acronym: str = ""
    description: str = ""
    url: str = ""
    organiser: str = ""
    timezone: str
    days: list[date] = Field(min_length=1)
    status: Literal["confirmed", "provisional"] = "confirmed"


class VenueIn(_Strict):
    name: str = Field(min_length=1)
    address: str = ""
    map_url: str = ""
    description: str = ""


class RoomIn(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    capacity: int | None = Field(default=None, ge=0)


class SpeakerIn(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    role: str = ""
    organisation: str = ""
    bio: str = ""
    source: str = ""


class SessionIn(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    start: datetime
    end: datetime
    room: str = Field(min_length=1)
    type: str = ""
    track: str = ""
    speakers: list[str] = []
    subtitle: str = ""
    description: str = ""
    language: str = ""
    status: Literal["confirmed", "provisional", "cancelled"] = "confirmed"
    note: str = ""
    source: str = ""
    url: str = ""
    day: date | None = None  # only when a late-night session belongs to the previous day


class ProgrammeIn(_Strict):
    conference: ConferenceIn
    venue: VenueIn
    rooms: list[RoomIn] = Field(min_length=1)
    speakers: list[SpeakerIn] = []
    sessions: list[SessionIn] = []


def sniff(data: bytes, source: str) -> bool:
    head = data.lstrip()[:4096]
    return source.endswith((".yaml", ".yml")) or (b"conference:" in head and b"sessions:" in data)


def parse(data: bytes, source: str, default_tz: str | None = None) -> Programme:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProgrammeError.single(source, "", f"not UTF-8 text ({exc.reason})") from exc
    raw = _load_yaml(text, source)
    if not isinstance(raw, dict):
        raise ProgrammeError.single(source, "", "expected a mapping with conference, venue, rooms, sessions")
    try:
        doc = ProgrammeIn.model_validate(raw)
    except ValidationError as exc:
        raise ProgrammeError([_problem(source, raw, err) for err in exc.errors()]) from exc
    return _build(doc, source)


def _load_yaml(text: str, source: str) -> Any:
    """yaml.safe_load, with the place of a syntax error, or of nesting too deep for the parser to follow."""
    loader = yaml.SafeLoader(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise ProgrammeError.single(source, _where(mark), f"YAML syntax error: {reason}") from exc
    except RecursionError as exc:
        # The parser recurses once per level: where it gave up is where the file nests too deeply.
        raise ProgrammeError.single(source, _where(loader.get_mark()), TOO_DEEP) from exc
    finally:
        loader.dispose()


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""


def _problem(source: str, raw: dict[str, Any], err: Any) -> Problem:
    loc = err["loc"]
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    # Name the session by id as well as index, so an organiser finds it in a long file.
    if len(loc) >= 2 and loc[0] == "sessions" and isinstance(loc[1], int):
        try:
            sid = raw["sessions"][loc[1]].get("id")
        except (KeyError, IndexError, AttributeError, TypeError):
            sid = None
        if sid:
            path += f" (id {sid})"
    reason = err["msg"]
    if err["type"] == "missing":
        reason = "required field is missing"
    elif err["type"] == "extra_forbidden":
        reason = "unknown field (check the spelling)"
    return Problem(source, path, reason)


def _build(doc: ProgrammeIn, source: str) -> Programme:
    problems: list[Problem] = []
    tz = zone(doc.conference.timezone)
    if tz is None:
        problems.append(Problem(source, "conference.timezone", f"unknown time zone {doc.conference.timezone!r}"))
        raise ProgrammeError(problems)
    room_ids = {r.id for r in doc.rooms}
    speaker_ids = {s.id for s in doc.speakers}
    seen: dict[str, int] = {}
    sessions: list[Session] = []
    days = sorted(set(doc.conference.days))
    for i, s in enumerate(doc.sessions):
        where = f"sessions[{i}] (id {s.id})"
        if s.id in seen:
            problems.append(Problem(source, where + ".id", f"duplicate id, first used at sessions[{seen[s.id]}]"))
        seen.setdefault(s.id, i)
        try:
            start = _localise(s.start, tz)
            end = _localise(s.end, tz)
        except OverflowError as exc:  # year 1 with an offset east of the zone
            problems.append(unreadable(source, where + ".start", exc))
            continue
        if end <= start:
            problems.append(Problem(source, where + ".end", f"ends ({s.end:%H:%M}) before it starts"))
        if s.room not in room_ids:
            problems.append(Problem(source, where + ".room", f"unknown room {s.room!r}"))
        for sp in s.speakers:
            if sp not in speaker_ids:
                problems.append(Problem(source, where + ".speakers", f"unknown speaker {sp!r}"))
        day = s.day or start.date()
        if day not in days:
            problems.append(Problem(source, where + ".start", f"{day} is not one of the conference days"))
        sessions.append(
            Session(
                id=s.id,
                title=s.title,
                start=start,
                end=end,
                room_id=s.room,
                day=day,
                type=s.type,
                track=s.track,
                speaker_ids=tuple(s.speakers),
                subtitle=s.subtitle,
                description=s.description,
                language=s.language,
                status=SessionStatus(s.status),
                source_url=s.source,
                url=s.url,
                note=s.note,
            )
        )
    _check_unique(source, "rooms", [r.id for r in doc.rooms], problems)
    _check_unique(source, "speakers", [s.id for s in doc.speakers], problems)
    if problems:
        raise ProgrammeError(problems)
    c = doc.conference
    return Programme(
        name=c.name,
        acronym=c.acronym,
        description=c.description,
        url=c.url,
        organiser=c.organiser,
        timezone=tz,
        days=tuple(days),
        provisional=c.status == "provisional",
        venue=Venue(**doc.venue.model_dump()),
        rooms=tuple(Room(id=r.id, name=r.name, capacity=r.capacity) for r in doc.rooms),
        speakers=tuple(
            Speaker(id=s.id, name=s.name, role=s.role, organisation=s.organisation, bio=s.bio) for s in doc.speakers
        ),
        sessions=tuple(sessions),
        source=source,
        format=FORMAT,
    )


def _localise(value: datetime, tz: Any) -> datetime:
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


def _check_unique(source: str, what: str, ids: list[str], problems: list[Problem]) -> None:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            problems.append(Problem(source, f"{what}[{i}].id", f"duplicate id {ident!r}"))
        seen.add(ident)
