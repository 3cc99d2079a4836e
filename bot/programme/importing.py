"""What every importer shares: stable ids, time zones, conference days, cancelled titles, HTML to text."""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from bot.programme.errors import Problem, ProgrammeError
from bot.programme.timezones import zone

# Formats without day grouping (iCalendar, Sessionize, CSV): a session starting before this local hour
# belongs to the previous conference day, as a late-night party does in a frab export.
DAY_CHANGE = time(5, 0)

# FOSDEM marks cancellations only in the title ("CANCELLED Foo", "Foo (CANCELED)"); "Cancelling POSIX
# syscalls" is a real title that is not a cancellation, so only the upper-case word counts.
_CANCELLED_TITLE = re.compile(r"\bCANCELL?ED\b")


def fallback_id(title: str, start: datetime | str) -> str:
    """The documented id of a session that has no guid, code, id or UID: a hash of title and first start."""
    stamp = start.isoformat() if isinstance(start, datetime) else start
    return "x" + hashlib.sha1(f"{title.strip()}|{stamp}".encode()).hexdigest()[:15]


def cancelled_by_title(title: str) -> bool:
    return bool(_CANCELLED_TITLE.search(title))


def conference_day(local_start: datetime, day_change: time = DAY_CHANGE) -> date:
    """The conference day of a session from its local start: before `day_change` it is the previous day."""
    day = local_start.date()
    return day - timedelta(days=1) if local_start.time() < day_change else day


@dataclass(frozen=True)
class ZoneChoice:
    zone: ZoneInfo
    source: str  # said to organisers: which time zone the import used and why


def default_zone(source: str, default_tz: str | None, where: str, why_needed: str) -> ZoneChoice:
    """EVENT_TIMEZONE / --timezone for a file that names no zone; a clear error when it is unset or unknown."""
    if not default_tz:
        raise ProgrammeError.single(
            source, where, f"{why_needed}: set EVENT_TIMEZONE or pass --timezone (e.g. Europe/Madrid)"
        )
    tz = zone(default_tz)
    if tz is None:
        raise ProgrammeError.single(source, where, f"unknown time zone {default_tz!r} (EVENT_TIMEZONE / --timezone)")
    return ZoneChoice(tz, "EVENT_TIMEZONE / --timezone (the file names no time zone)")


def file_zone(source: str, name: str, where: str) -> ZoneInfo:
    tz = zone(name)
    if tz is None:
        raise ProgrammeError.single(source, where, f"unknown time zone {name!r}")
    return tz


def localise(value: datetime, tz: tzinfo) -> datetime:
    """An aware instant in `tz`: naive wall-clock times are read as local to `tz`."""
    return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)


class _Text(HTMLParser):
    _BREAKS = frozenset({"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "tr", "blockquote", "pre"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


_LOOKS_HTML = re.compile(r"<(p|br|div|a|em|strong|ul|li|b|i|h\d)[\s>/]", re.IGNORECASE)


def plain_text(text: str) -> str:
    """Programme text as plain text: exports often carry HTML paragraphs and links in abstracts."""
    text = text.replace("\r\n", "\n").strip()
    if not _LOOKS_HTML.search(text):
        return text
    parser = _Text()
    parser.feed(text)
    parser.close()
    joined = "".join(parser.parts)
    lines = [" ".join(line.split()) for line in joined.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def load_json(data: bytes, source: str) -> Any:
    """Decode a JSON export, or raise ProgrammeError naming the line and column."""
    try:
        text = data.decode("utf-8-sig")
        return json.loads(text)
    except UnicodeDecodeError as exc:
        raise ProgrammeError.single(source, "", f"not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise ProgrammeError.single(
            source, f"line {exc.lineno}, column {exc.colno}", f"invalid JSON: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise ProgrammeError.single(source, _json_too_deep(text), TOO_DEEP) from exc


# Real exports nest a few levels; the JSON and YAML parsers recurse, and give up somewhere below 1,000 levels.
MAX_NESTING = 100
TOO_DEEP = f"nested too deeply (more than {MAX_NESTING} levels of lists and objects)"
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _json_too_deep(text: str) -> str:
    """'line L, column C' of the bracket that opens level MAX_NESTING + 1 (strings skipped); '' if none does."""
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                return place_of(text, token.start())
        elif bracket in ("]", "}"):
            depth -= 1
    return ""


def place_of(text: str, index: int) -> str:
    """'line L, column C' of a character of `text`, both counted from 1."""
    line = text.count("\n", 0, index) + 1
    column = index - text.rfind("\n", 0, index)
    return f"line {line}, column {column}"


# What reading one session of a hostile file can raise besides ProgrammeError: reported at the session's place.
VALUE_ERRORS = (ValueError, TypeError, OverflowError, AttributeError, KeyError, IndexError)


def unreadable(source: str, where: str, exc: Exception) -> Problem:
    """A value an importer could not use, at its place: a date out of range, a broken iCalendar value…"""
    reason = "a date or duration out of range" if isinstance(exc, OverflowError) else str(exc).split("\n")[0][:160]
    return Problem(source, where, f"unreadable value ({reason})")


def slug(name: str) -> str:
    return re.sub(r"\W+", "-", name.lower()).strip("-") or "x"


def require_sessions(source: str, count: int, where: str = "") -> None:
    if count == 0:
        raise ProgrammeError.single(source, where, "the file contains no sessions")


def parse_clock(value: str | None) -> time | None:
    """'HH:MM' or 'HH:MM:SS' as a time of day."""
    m = re.fullmatch(r"\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*", value or "")
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        return None
    return time(int(m[1]), int(m[2]))


MAX_MINUTES = 366 * 24 * 60  # longer than a year is not a session but a typo


def parse_duration(value: str | int | float | None) -> timedelta | None:
    """frab durations: 'HH:MM', 'HH:MM:SS' (some exports), or a number of minutes."""
    if isinstance(value, (int, float)):
        # JSON allows 1e300 and NaN, which timedelta refuses with an exception rather than an answer.
        return timedelta(minutes=value) if math.isfinite(value) and abs(value) <= MAX_MINUTES else None
    m = re.fullmatch(r"\s*(?:(\d+):)?(\d{1,3}):(\d{2})\s*", value or "")
    if not m:
        return None
    if m[1] is not None:
        hours, minutes, seconds = int(m[1]), int(m[2]), int(m[3])
    else:
        hours, minutes, seconds = int(m[2]), int(m[3]), 0
    return timedelta(hours=hours, minutes=minutes, seconds=seconds) if hours * 60 <= MAX_MINUTES else None


def parse_instant(value: str | None) -> datetime | None:
    """An ISO 8601 date-time, aware when the text has an offset or Z, in YEARS."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.year in YEARS else None


# Sessions happen in these years: beyond them, a time zone or a duration overflows Python's datetime.
YEARS = range(1900, 2200)
