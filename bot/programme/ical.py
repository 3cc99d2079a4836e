"""iCalendar (`.ics`) programmes, read with the icalendar library.

Exports seen in the wild fold long lines in the middle of a UTF-8 character, name a TZID they never define
in a VTIMEZONE, put the speakers in the first line of DESCRIPTION ("Speaker: Ada Lovelace") and mark
cancellations with STATUS:CANCELLED. All-day events (registration desks, "Day 1") are not sessions and
are skipped. Ids are the UID (plus RECURRENCE-ID for an overridden occurrence), else a hash of title and
start.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import datetime, time, tzinfo
from itertools import islice
from pathlib import PurePosixPath
from typing import Any

import icalendar
import recurring_ical_events
from dateutil.rrule import rrulestr

from bot.programme.errors import Problem, ProgrammeError
from bot.programme.importing import (
    VALUE_ERRORS,
    ZoneChoice,
    cancelled_by_title,
    conference_day,
    default_zone,
    fallback_id,
    plain_text,
    require_sessions,
    slug,
    unreadable,
)
from bot.programme.model import Programme, Room, Session, SessionStatus, Speaker, Venue
from bot.programme.timezones import zone

logger = logging.getLogger(__name__)

FORMAT = "icalendar"
_FOLD = re.compile(rb"\r?\n[ \t]")
_SPEAKERS = re.compile(r"^\s*(?:speakers?|presenters?|presented by)\s*:\s*(.+)$", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b)\s*")
_ONCE = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID")  # time properties an event has at most once
_REPEATS = ("RRULE", "RDATE", "EXDATE")
_UNTIL_ZONE = re.compile(r"(UNTIL=\d{8}(?:T\d{6})?)Z")
# A conference's recurring event is a daily coffee break; thousands are a mistake, or a hostile file.
MAX_OCCURRENCES = 1000


def sniff(data: bytes, source: str) -> bool:
    return data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR")


def parse(data: bytes, source: str, default_tz: str | None = None) -> Programme:
    # Unfold before decoding: a fold may split a multi-byte character, which icalendar would mangle.
    unfolded = _FOLD.sub(b"", data)
    try:
        text = unfolded.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = unfolded[: exc.start].count(b"\n") + 1
        raise ProgrammeError.single(source, f"line {line} (unfolded)", f"not UTF-8 text ({exc.reason})") from exc
    if "END:VCALENDAR" not in text.upper():
        raise ProgrammeError.single(source, "", "the calendar is truncated: END:VCALENDAR is missing")
    try:
        cal = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise ProgrammeError.single(source, "", f"malformed iCalendar: {_short(exc)}") from exc
    events = list(cal.walk("VEVENT"))
    choice = _time_zone(cal, events, source, default_tz)
    logger.info("%s: time zone %s (%s)", source, choice.zone, choice.source)
    reader = _Reader(source, choice.zone)
    series = _series(events)
    for index, event in enumerate(events):
        if _str(event.get("UID")) in series:
            continue  # a series is read below, occurrence by occurrence
        if _recurs(event):  # without a UID, its occurrences could not be told from one another across imports
            where = _event_place(index, _str(event.get("SUMMARY")))
            reader.problems.append(Problem(source, where + ".UID", "a recurring event needs a UID"))
            continue
        reader.read_safely(index, event)
    if series and reader.check_series(events, series):
        reader.read_occurrences(cal, series)
    if reader.problems:
        raise ProgrammeError(reader.problems)
    require_sessions(source, len(reader.sessions), "VEVENT")
    name = _str(cal.get("X-WR-CALNAME")) or _str(cal.get("X-WR-CALDESC")) or PurePosixPath(source).stem
    extra = {"time_zone_source": choice.source}
    if reader.skipped:
        extra["skipped"] = f"{reader.skipped} all-day or undated events"
    return Programme(
        name=name,
        description=_str(cal.get("X-WR-CALDESC")) if cal.get("X-WR-CALNAME") else "",
        timezone=choice.zone,
        days=tuple(sorted({s.day for s in reader.sessions})),
        venue=Venue(name=name),
        rooms=tuple(reader.rooms.values()),
        speakers=tuple(reader.speakers.values()),
        sessions=tuple(reader.sessions),
        source=source,
        format=FORMAT,
        extra=extra,
    )


def _time_zone(cal: Any, events: list[Any], source: str, default_tz: str | None) -> ZoneChoice:
    """The zone the events name (even without a VTIMEZONE), else X-WR-TIMEZONE, else EVENT_TIMEZONE."""
    defined = {_str(tz.get("TZID")) for tz in cal.walk("VTIMEZONE")}
    named = Counter(_str(getattr(ev.get("DTSTART"), "params", {}).get("TZID")) for ev in events)
    named.pop("", None)
    for tzid, _count in named.most_common():
        tz = zone(tzid)
        if tz is not None:
            how = "" if tzid in defined else "; the file defines no VTIMEZONE for it"
            return ZoneChoice(tz, f"the events' TZID {tzid}{how}")
    wr = _str(cal.get("X-WR-TIMEZONE"))
    if wr and zone(wr) is not None:
        return ZoneChoice(zone(wr), "the calendar's X-WR-TIMEZONE")  # type: ignore[arg-type]
    unknown = ", ".join(repr(t) for t in named) or "none"
    return default_zone(source, default_tz, "DTSTART", f"no usable time zone in the file (TZIDs: {unknown})")


class _Reader:
    def __init__(self, source: str, tz: tzinfo) -> None:
        self.source = source
        self.tz = tz
        self.sessions: list[Session] = []
        self.rooms: dict[str, Room] = {}
        self.speakers: dict[str, Speaker] = {}
        self.problems: list[Problem] = []
        self.skipped = 0
        self._seen: dict[str, str] = {}

    def read_safely(self, index: int, ev: Any, *, occurrence: str = "") -> None:
        """Read one event; a value the library cannot use is a problem at the event's place."""
        try:
            self.read(index, ev, occurrence=occurrence)
        except VALUE_ERRORS as exc:
            self.problems.append(unreadable(self.source, _event_place(index, _str(ev.get("SUMMARY")), occurrence), exc))

    def check_series(self, events: list[Any], series: dict[str, int]) -> bool:
        """Refuse a recurrence that cannot be listed: a broken rule, or one without end; True if all can."""
        before = len(self.problems)
        for index in series.values():
            master = events[index]
            where = _event_place(index, _str(master.get("SUMMARY")))
            if self._broken(where, master):
                continue
            try:
                reason = _unlisted(master)
            except VALUE_ERRORS as exc:
                self.problems.append(unreadable(self.source, where + ".RRULE", exc))
                continue
            if reason:
                self.problems.append(Problem(self.source, where + ".RRULE", reason))
        return len(self.problems) == before

    def read_occurrences(self, cal: Any, series: dict[str, int]) -> None:
        """Every occurrence of the recurring events, with their EXDATEs and moved occurrences (RECURRENCE-ID)."""
        try:
            for ev in recurring_ical_events.of(cal).all():
                uid = _str(ev.get("UID"))
                if uid in series:
                    start = getattr(ev.get("DTSTART"), "dt", None)
                    self.read_safely(series[uid], ev, occurrence=f"{start:%Y-%m-%d %H:%M}" if start else "")
        except (*VALUE_ERRORS, recurring_ical_events.InvalidCalendar) as exc:
            self.problems.append(unreadable(self.source, "RRULE", exc))

    def read(self, index: int, ev: Any, *, occurrence: str = "") -> None:
        title = _str(ev.get("SUMMARY"))
        where = _event_place(index, title, occurrence)
        if self._broken(where, ev):
            return
        start = self._instant(ev.get("DTSTART"))
        if start is None:
            self.skipped += 1
            return
        end = self._instant(ev.get("DTEND"))
        if end is None and ev.get("DURATION") is not None:
            end = start + ev.decoded("DURATION")
        if end is None or end <= start:
            self.problems.append(Problem(self.source, where + ".DTEND", "missing, or not after DTSTART"))
            return
        uid = _str(ev.get("UID"))
        if uid and ev.get("RECURRENCE-ID") is not None:
            # An occurrence of a series (the library names each one so), or a moved one: the series' UID and
            # the occurrence's original start, the same on every import.
            uid += "#" + ev.decoded("RECURRENCE-ID").isoformat()
        ident = uid or fallback_id(title, start)
        if ident in self._seen:
            self.problems.append(
                Problem(self.source, where + ".UID", f"duplicate UID {ident!r} (first {self._seen[ident]})")
            )
            return
        self._seen[ident] = where
        speakers, description = _speakers_and_text(plain_text(_str(ev.get("DESCRIPTION"))))
        room = _str(ev.get("LOCATION"))
        if room:
            self.rooms.setdefault(room, Room(id=room, name=room))
        cancelled = _str(ev.get("STATUS")).upper() == "CANCELLED" or cancelled_by_title(title)
        categories = ev.get("CATEGORIES")
        self.sessions.append(
            Session(
                id=ident,
                title=title or "(untitled)",
                start=start,
                end=end,
                room_id=room,
                day=conference_day(start),
                track=_first_category(categories),
                speaker_ids=self._speaker_ids(speakers),
                description=description,
                status=SessionStatus.CANCELLED if cancelled else SessionStatus.CONFIRMED,
                url=_str(ev.get("URL")),
            )
        )

    def _broken(self, where: str, ev: Any) -> bool:
        """Record the time properties the library could not read, or that are given twice; True if any."""
        # icalendar keeps a value it cannot parse as text and lists it in `errors` rather than raising.
        found = [
            Problem(self.source, f"{where}.{name}", f"unreadable value ({reason})")
            for name, reason in getattr(ev, "errors", [])
            if name in (*_ONCE, *_REPEATS)
        ]
        found += [
            Problem(self.source, f"{where}.{name}", "given more than once")
            for name in _ONCE
            if isinstance(ev.get(name), list)
        ]
        self.problems += found
        return bool(found)

    def _instant(self, prop: Any) -> datetime | None:
        value = getattr(prop, "dt", None)
        if not isinstance(value, datetime):
            return None  # absent, or an all-day date
        if value.tzinfo is None:
            # A TZID the library could not resolve, or floating time: the conference zone.
            value = value.replace(tzinfo=self.tz)
        return value.astimezone(self.tz)

    def _speaker_ids(self, names: list[str]) -> tuple[str, ...]:
        ids: list[str] = []
        for name in names:
            pid = "p:" + slug(name)
            self.speakers.setdefault(pid, Speaker(id=pid, name=name))
            if pid not in ids:
                ids.append(pid)
        return tuple(ids)


def _event_place(index: int, title: str, occurrence: str = "") -> str:
    """'VEVENT[3] (Coffee)', and for an occurrence of a recurring event ' on 2024-06-26 10:30'."""
    return f"VEVENT[{index + 1}]" + (f" ({title[:40]})" if title else "") + (f" on {occurrence}" if occurrence else "")


def _unlisted(master: Any) -> str:
    """Why the occurrences of a recurring event cannot be listed ('' when they can), before anything lists them.

    Counted lazily with dateutil (which the recurrence library uses too): the library itself would compute
    every occurrence of a rule that repeats every minute for a century before saying anything.
    """
    start = master.decoded("DTSTART")
    naive = start.replace(tzinfo=None) if isinstance(start, datetime) else datetime.combine(start, time())
    rules = master.get("RRULE")
    for rule in rules if isinstance(rules, list) else [rules] if rules is not None else []:
        if rule.get("COUNT") is None and rule.get("UNTIL") is None:
            return "repeats without end (no COUNT or UNTIL): give the rule an end, or list the sessions"
        # Counting only: the UNTIL's zone may disagree with DTSTART's, which dateutil refuses, so both go naive.
        text = _UNTIL_ZONE.sub(r"\1", rule.to_ical().decode())
        if next(islice(rrulestr(text, dtstart=naive), MAX_OCCURRENCES, None), None) is not None:
            return f"more than {MAX_OCCURRENCES} occurrences: list the sessions instead"
    return ""


def _recurs(ev: Any) -> bool:
    return ev.get("RECURRENCE-ID") is None and ("RRULE" in ev or "RDATE" in ev)


def _series(events: list[Any]) -> dict[str, int]:
    """UID → index of the events that recur (RRULE or RDATE); their moved occurrences share the UID."""
    return {uid: index for index, ev in enumerate(events) if (uid := _str(ev.get("UID"))) and _recurs(ev)}


def _speakers_and_text(description: str) -> tuple[list[str], str]:
    """'Speaker: Ada Lovelace\\nAbstract…' → (['Ada Lovelace'], 'Abstract…')."""
    first, _, rest = description.partition("\n")
    m = _SPEAKERS.match(first)
    if not m:
        return [], description
    names = [n.strip() for n in _NAME_SPLIT.split(m[1]) if n.strip()]
    return names, rest.strip()


def _first_category(categories: Any) -> str:
    items = categories if isinstance(categories, list) else [categories] if categories is not None else []
    for item in items:
        for cat in getattr(item, "cats", []):
            if str(cat).strip():
                return str(cat).strip()
    return ""


def _str(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _short(exc: Exception) -> str:
    return str(exc).split("\n")[0][:200]
