"""frab / pretalx `schedule.json` (c3voc schema v1 and v2), read leniently: real exports break their schema."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from bot.programme.errors import Problem, ProgrammeError
from bot.programme.importing import (
    VALUE_ERRORS,
    cancelled_by_title,
    fallback_id,
    load_json,
    parse_clock,
    parse_duration,
    parse_instant,
    plain_text,
    require_sessions,
    unreadable,
)
from bot.programme.model import Programme, Room, Session, SessionStatus, Speaker, Venue
from bot.programme.timezones import zone, zone_for_offset

logger = logging.getLogger(__name__)

FORMAT = "frab-json"
_CANCELLED_STATES = {"canceled", "cancelled", "withdrawn", "rejected"}


def sniff(data: bytes, source: str) -> bool:
    head = data.lstrip()[:2048]
    return head.startswith(b"{") and b'"schedule"' in data[:4096]


def parse(data: bytes, source: str, default_tz: str | None = None) -> Programme:
    raw = load_json(data, source)
    conf = _dict(_dict(raw).get("schedule")).get("conference")
    if not isinstance(conf, dict):
        raise ProgrammeError.single(source, "schedule.conference", "missing: this is not a frab/pretalx schedule")
    days_raw = conf.get("days")
    if not isinstance(days_raw, list) or not days_raw:
        raise ProgrammeError.single(source, "schedule.conference.days", "no days in the schedule")
    tz, tz_from = _time_zone(conf, days_raw, default_tz, source)
    logger.info("%s: time zone %s (%s)", source, tz, tz_from)
    reader = _Reader(source, tz)
    for d_index, day in enumerate(days_raw):
        reader.read_day(d_index, _dict(day))
    if reader.problems:
        raise ProgrammeError(reader.problems)
    require_sessions(source, len(reader.sessions), "schedule.conference.days[].rooms")
    return Programme(
        name=_text(conf.get("title")) or _text(conf.get("acronym")) or "Conference",
        acronym=_text(conf.get("acronym")),
        url=_text(conf.get("url")) or _text(_dict(raw.get("schedule")).get("base_url")),
        timezone=tz,
        days=tuple(sorted(reader.days)),
        venue=Venue(name=_text(conf.get("venue")) or _text(conf.get("title")) or "Venue"),
        rooms=tuple(reader.room_list(conf.get("rooms"))),
        speakers=tuple(reader.speakers.values()),
        sessions=tuple(reader.sessions),
        source=source,
        format=FORMAT,
        extra={"time_zone_source": tz_from},
    )


def _time_zone(conf: dict[str, Any], days: list[Any], default_tz: str | None, source: str) -> tuple[Any, str]:
    name = _text(conf.get("time_zone_name"))
    if name:
        tz = zone(name)
        if tz is None:
            raise ProgrammeError.single(source, "schedule.conference.time_zone_name", f"unknown time zone {name!r}")
        return tz, "the file's time_zone_name"
    offset = _first_offset(days)
    fallback = zone(default_tz) if default_tz else None
    if offset is not None:
        # A named zone reads better than "UTC+01:00"; use EVENT_TIMEZONE when it agrees with the file.
        if fallback is not None:
            sample = _first_instant(days)
            if sample is not None and sample.astimezone(fallback).utcoffset() == offset:
                return fallback, "EVENT_TIMEZONE, matching the offsets in the file"
        return zone_for_offset(offset), "the UTC offsets in the file's dates"
    if fallback is not None:
        return fallback, "EVENT_TIMEZONE"
    raise ProgrammeError.single(
        source, "schedule.conference", "no time zone in the file: set EVENT_TIMEZONE (e.g. Europe/Berlin)"
    )


def _first_instant(days: list[Any]) -> datetime | None:
    for day in days:
        for events in _dict(_dict(day).get("rooms")).values():
            for ev in events if isinstance(events, list) else []:
                stamp = parse_instant(_str(_dict(ev).get("date")))
                if stamp is not None and stamp.tzinfo is not None:
                    return stamp
        stamp = parse_instant(_str(_dict(day).get("day_start")))
        if stamp is not None and stamp.tzinfo is not None:
            return stamp
    return None


def _first_offset(days: list[Any]) -> timedelta | None:
    stamp = _first_instant(days)
    return stamp.utcoffset() if stamp is not None else None


class _Reader:
    def __init__(self, source: str, tz: tzinfo) -> None:
        self.source = source
        self.tz = tz
        self.sessions: list[Session] = []
        self.speakers: dict[str, Speaker] = {}
        self.rooms: dict[str, Room] = {}
        self.days: set[date] = set()
        self.problems: list[Problem] = []
        self._seen: dict[str, str] = {}

    def read_day(self, d_index: int, day: dict[str, Any]) -> None:
        day_date = _parse_date(day.get("date"))
        if day_date is None:
            self.problems.append(Problem(self.source, f"days[{d_index}].date", "missing or not a date"))
            return
        self.days.add(day_date)
        rooms = day.get("rooms")
        for room_name, events in _dict(rooms).items():
            self.rooms.setdefault(str(room_name), Room(id=str(room_name), name=str(room_name)))
            for e_index, ev in enumerate(events if isinstance(events, list) else []):
                where = f"days[{d_index}].rooms[{room_name}][{e_index}]"
                try:
                    self.read_event(where, _dict(ev), day_date, str(room_name))
                except VALUE_ERRORS as exc:
                    self.problems.append(unreadable(self.source, where, exc))

    def read_event(self, where: str, ev: dict[str, Any], day_date: date, room: str) -> None:
        # pretalx's `code` outlives a re-numbered `id`; frab has no code, so its id is used.
        ident = _text(ev.get("guid")) or _text(ev.get("code")) or _text(ev.get("id")) or _text(ev.get("slug"))
        title = _text(ev.get("title"))
        start = self._start(ev, day_date)
        if start is None:
            self.problems.append(Problem(self.source, where + ".start", f"cannot read the start of {ident or title!r}"))
            return
        ident = ident or fallback_id(title, start)
        duration = parse_duration(_number_or_str(ev.get("duration")))
        if duration is None or duration.total_seconds() <= 0:
            self.problems.append(Problem(self.source, where + ".duration", f"{ident!r} has no positive duration"))
            return
        if ident in self._seen:
            self.problems.append(Problem(self.source, where, f"duplicate id {ident!r} (first at {self._seen[ident]})"))
            return
        self._seen[ident] = where
        status = SessionStatus.CONFIRMED
        if _text(ev.get("state")).lower() in _CANCELLED_STATES or cancelled_by_title(title):
            status = SessionStatus.CANCELLED
        self.sessions.append(
            Session(
                id=ident,
                title=title or "(untitled)",
                start=start,
                end=start + duration,
                room_id=_text(ev.get("room")) or room,
                day=day_date,
                type=_text(ev.get("type")),
                track=_text(ev.get("track")),
                speaker_ids=self._persons(ev.get("persons")),
                subtitle=_text(ev.get("subtitle")),
                description=_join(plain_text(_text(ev.get("abstract"))), plain_text(_text(ev.get("description")))),
                language=_text(ev.get("language")),
                status=status,
                url=_text(ev.get("url")),
            )
        )
        room_id = _text(ev.get("room")) or room
        self.rooms.setdefault(room_id, Room(id=room_id, name=room_id))

    def _start(self, ev: dict[str, Any], day_date: date) -> datetime | None:
        stamp = parse_instant(_str(ev.get("date")))
        if stamp is not None:
            return stamp.replace(tzinfo=self.tz) if stamp.tzinfo is None else stamp.astimezone(self.tz)
        hhmm = parse_clock(_str(ev.get("start")))
        if hhmm is None:
            return None
        return datetime.combine(day_date, hhmm, tzinfo=self.tz)

    def _persons(self, persons: Any) -> tuple[str, ...]:
        ids: list[str] = []
        for p in persons if isinstance(persons, list) else []:
            if isinstance(p, str):
                p = {"public_name": p}
            p = _dict(p)
            name = _text(p.get("public_name")) or _text(p.get("name")) or _text(p.get("full_public_name"))
            if not name:
                continue
            pid = _text(p.get("guid")) or _text(p.get("code")) or _text(p.get("id")) or _slug(name)
            pid = f"p:{pid}"
            self.speakers.setdefault(pid, Speaker(id=pid, name=name, bio=_text(p.get("biography"))))
            if pid not in ids:
                ids.append(pid)
        return tuple(ids)

    def room_list(self, declared: Any) -> list[Room]:
        for r in declared if isinstance(declared, list) else []:
            r = _dict(r)
            name = _text(r.get("name"))
            if name:
                cap = r.get("capacity")
                self.rooms[name] = Room(id=name, name=name, capacity=cap if isinstance(cap, int) else None)
        return list(self.rooms.values())


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _number_or_str(value: Any) -> str | int | float | None:
    return value if isinstance(value, (str, int, float)) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    if isinstance(value, dict):
        # pretalx writes multilingual fields as {"en": ..., "de": ...}: take English, else the first.
        value = value.get("en") or next((v for v in value.values() if isinstance(v, str) and v), None)
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).replace("\r\n", "\n").strip()


def _join(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "speaker"


def _parse_date(value: Any) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None
