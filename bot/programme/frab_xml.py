"""frab / Pentabarf `schedule.xml` (FOSDEM legacy and modern, CCC, wafer/DebConf), parsed safely with defusedxml.

Real exports disagree on what the elements mean, so the reader trusts the most precise field present:
- an event's start is its `<date>` when that carries an offset (wafer writes it in UTC while `<start>` is
  local), else the day's date plus `<start>` in the conference zone (FOSDEM ≤ 2024 has no `<date>`);
- an event belongs to the conference day it is listed under (CCC lists 01:00 talks under the evening
  before); that day is the local date of the day's `start` attribute when present, because wafer's
  `date` attribute is the UTC date.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from bot.programme.errors import Problem, ProgrammeError
from bot.programme.importing import (
    VALUE_ERRORS,
    ZoneChoice,
    cancelled_by_title,
    default_zone,
    fallback_id,
    file_zone,
    localise,
    parse_clock,
    parse_duration,
    parse_instant,
    plain_text,
    require_sessions,
    slug,
    unreadable,
)
from bot.programme.model import Programme, Room, Session, SessionStatus, Speaker, Venue
from bot.programme.timezones import zone, zone_for_offset, zone_for_place

logger = logging.getLogger(__name__)

FORMAT = "frab-xml"
_CANCELLED_STATES = {"canceled", "cancelled", "withdrawn", "rejected"}


def sniff(data: bytes, source: str) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and b"<schedule" in head


def parse(data: bytes, source: str, default_tz: str | None = None) -> Programme:
    root = _root(data, source)
    conf = root.find("conference")
    days = root.findall("day")
    if conf is None:
        raise ProgrammeError.single(source, "schedule/conference", "missing: this is not a frab/Pentabarf schedule")
    if not days:
        raise ProgrammeError.single(source, "schedule/day", "no days in the schedule")
    choice = _time_zone(conf, days, source, default_tz)
    logger.info("%s: time zone %s (%s)", source, choice.zone, choice.source)
    reader = _Reader(source, choice)
    for index, day in enumerate(days):
        reader.read_day(index, day)
    if reader.problems:
        raise ProgrammeError(reader.problems)
    require_sessions(source, len(reader.sessions), "schedule/day/room/event")
    title = _text(conf, "title") or _text(conf, "acronym") or "Conference"
    return Programme(
        name=title,
        acronym=_text(conf, "acronym"),
        description=_text(conf, "subtitle"),
        url=_text(conf, "url") or _text(conf, "base_url"),
        timezone=choice.zone,
        days=tuple(sorted(reader.days)),
        venue=Venue(name=_text(conf, "venue") or title, address=_text(conf, "city")),
        rooms=tuple(reader.rooms.values()),
        speakers=tuple(reader.speakers.values()),
        sessions=tuple(reader.sessions),
        source=source,
        format=FORMAT,
        extra={"time_zone_source": choice.source},
    )


def _root(data: bytes, source: str) -> Element:
    try:
        root = SafeET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise ProgrammeError.single(source, f"line {line}, column {column}", f"malformed XML: {exc}") from exc
    except DefusedXmlException as exc:
        raise ProgrammeError.single(source, "", f"unsafe XML refused ({exc})") from exc
    if root.tag != "schedule":
        raise ProgrammeError.single(source, root.tag, "the root element is not <schedule>")
    return root


def _time_zone(conf: Element, days: list[Element], source: str, default_tz: str | None) -> ZoneChoice:
    name = _text(conf, "time_zone_name")
    if name:
        return ZoneChoice(file_zone(source, name, "conference/time_zone_name"), "the file's time_zone_name")
    sample = _first_aware(days)
    fallback = zone(default_tz) if default_tz else None
    place = zone_for_place(_text(conf, "city"), _text(conf, "venue")) if not default_tz else None
    # Pentabarf names the city ('<city>Brussels</city>'): its zone, unless the file's own offsets disagree.
    if place is not None and (sample is None or sample.astimezone(place[0]).utcoffset() == sample.utcoffset()):
        return ZoneChoice(place[0], f"the file's city or venue ({place[1]})")
    if sample is not None:
        if fallback is not None and sample.astimezone(fallback).utcoffset() == sample.utcoffset():
            return ZoneChoice(fallback, "EVENT_TIMEZONE, matching the offsets in the file")
        return ZoneChoice(zone_for_offset(sample.utcoffset() or timedelta(0)), "the UTC offsets in the file's dates")
    city = _text(conf, "city")
    why = f"no time zone in the file, and its city {city!r} names none" if city else "no time zone in the file"
    return default_zone(source, default_tz, "conference/time_zone_name", why)


def _first_aware(days: list[Element]) -> datetime | None:
    for day in days:
        for el in day.iter("date"):
            stamp = parse_instant(el.text)
            # A UTC stamp says nothing about the local zone (wafer writes every date in UTC).
            if stamp is not None and stamp.tzinfo is not None and stamp.utcoffset():
                return stamp
    return None


class _Reader:
    def __init__(self, source: str, choice: ZoneChoice) -> None:
        self.source = source
        self.tz = choice.zone
        self.sessions: list[Session] = []
        self.speakers: dict[str, Speaker] = {}
        self.rooms: dict[str, Room] = {}
        self.days: set[date] = set()
        self.problems: list[Problem] = []
        self._seen: dict[str, str] = {}

    def read_day(self, index: int, day: Element) -> None:
        where = f"day[{index + 1}]"
        listed = _date(day.get("date"))
        start = parse_instant(day.get("start"))
        if start is not None and start.tzinfo is not None:
            conf_day = start.astimezone(self.tz).date()
        elif listed is not None:
            conf_day = listed
        else:
            self.problems.append(Problem(self.source, where, "the day has no date"))
            return
        self.days.add(conf_day)
        for room in day.findall("room"):
            name = (room.get("name") or "").strip()
            if name:
                self.rooms.setdefault(name, Room(id=name, name=name))
            for e_index, event in enumerate(room.findall("event")):
                place = f"{where}/room[{name}]/event[{e_index + 1}]"
                try:
                    self.read_event(place, event, conf_day, listed, name)
                except VALUE_ERRORS as exc:
                    self.problems.append(unreadable(self.source, place, exc))

    def read_event(self, where: str, ev: Element, conf_day: date, listed: date | None, room: str) -> None:
        title = _text(ev, "title")
        start = self._start(ev, listed or conf_day)
        if start is None:
            self.problems.append(Problem(self.source, where + "/start", f"cannot read the start of {title!r}"))
            return
        ident = (ev.get("guid") or ev.get("id") or _text(ev, "guid") or "").strip() or fallback_id(title, start)
        duration = parse_duration(_text(ev, "duration"))
        if duration is None or duration <= timedelta(0):
            self.problems.append(Problem(self.source, where + "/duration", f"{ident!r} has no positive duration"))
            return
        if ident in self._seen:
            self.problems.append(Problem(self.source, where, f"duplicate id {ident!r} (first at {self._seen[ident]})"))
            return
        self._seen[ident] = where
        cancelled = cancelled_by_title(title) or _text(ev, "state").lower() in _CANCELLED_STATES
        room_id = _text(ev, "room") or room
        self.rooms.setdefault(room_id, Room(id=room_id, name=room_id))
        self.sessions.append(
            Session(
                id=ident,
                title=title or "(untitled)",
                start=start,
                end=start + duration,
                room_id=room_id,
                day=conf_day,
                type=_text(ev, "type"),
                track=_text(ev, "track"),
                speaker_ids=self._persons(ev),
                subtitle=_text(ev, "subtitle"),
                description=_join(plain_text(_text(ev, "abstract")), plain_text(_text(ev, "description"))),
                language=_text(ev, "language"),
                status=SessionStatus.CANCELLED if cancelled else SessionStatus.CONFIRMED,
                url=_text(ev, "url"),
            )
        )

    def _start(self, ev: Element, listed: date) -> datetime | None:
        text = _text(ev, "date")
        stamp = parse_instant(text) if "T" in text else None
        if stamp is not None:
            return localise(stamp, self.tz)
        clock = parse_clock(_text(ev, "start"))
        return datetime.combine(listed, clock, tzinfo=self.tz) if clock is not None else None

    def _persons(self, ev: Element) -> tuple[str, ...]:
        ids: list[str] = []
        persons = ev.find("persons")
        for person in persons.findall("person") if persons is not None else []:
            name = " ".join((person.text or "").split())
            if not name:
                continue
            pid = "p:" + ((person.get("guid") or person.get("id") or "").strip() or slug(name))
            self.speakers.setdefault(pid, Speaker(id=pid, name=name))
            if pid not in ids:
                ids.append(pid)
        return tuple(ids)


def _text(el: Element, tag: str) -> str:
    return (el.findtext(tag) or "").strip()


def _join(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None
