"""A programme kept in a spreadsheet, saved as CSV (comma, semicolon or tab; UTF-8).

The columns are documented in the README and shown in `data/programme-template.csv`. Times are local to
the `timezone` column, else EVENT_TIMEZONE / --timezone. An `id` keeps a session's identity when its
title or time changes; without one the id is a hash of title and start, so editing either makes it a
new session (bookmarks then stay with the old one).
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from bot.programme.errors import Problem, ProgrammeError
from bot.programme.importing import (
    VALUE_ERRORS,
    YEARS,
    ZoneChoice,
    cancelled_by_title,
    conference_day,
    default_zone,
    fallback_id,
    file_zone,
    parse_clock,
    parse_duration,
    require_sessions,
    slug,
    unreadable,
)
from bot.programme.model import Programme, Room, Session, SessionStatus, Speaker, Venue

logger = logging.getLogger(__name__)

FORMAT = "csv"
COLUMNS = (
    "id",
    "title",
    "date",
    "start",
    "end",
    "duration",
    "room",
    "speakers",
    "type",
    "track",
    "description",
    "status",
    "url",
    "language",
    "day",
    "conference",
    "venue",
    "timezone",
)
REQUIRED = ("title", "start", "room")
_ALIASES = {
    "session_id": "id",
    "speaker": "speakers",
    "location": "room",
    "minutes": "duration",
    "time_zone": "timezone",
}
_STATUSES = {s.value for s in SessionStatus} | {"canceled"}


def sniff(data: bytes, source: str) -> bool:
    if source.lower().endswith(".csv"):
        return True
    first = data[:2048].lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].lower()
    return b"title" in first and b"start" in first and any(d in first for d in (b",", b";", b"\t"))


@dataclass
class _Sheet:
    source: str
    problems: list[Problem] = field(default_factory=list)
    rooms: dict[str, Room] = field(default_factory=dict)
    speakers: dict[str, Speaker] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)


def parse(data: bytes, source: str, default_tz: str | None = None) -> Programme:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProgrammeError.single(
            source, "", f"not UTF-8 text ({exc.reason}); save the sheet as 'CSV UTF-8'"
        ) from exc
    rows = _rows(text, source)
    header, body = rows[0], rows[1:]
    columns = [_column(h) for h in header]
    ignored = [h for h, c in zip(header, columns, strict=False) if c not in COLUMNS and h.strip()]
    if ignored:
        logger.info("%s: ignoring unknown column(s) %s", source, ", ".join(ignored))
    missing = [c for c in REQUIRED if c not in columns]
    if missing or ("end" not in columns and "duration" not in columns):
        needed = ", ".join(missing + ([] if "end" in columns or "duration" in columns else ["end or duration"]))
        raise ProgrammeError.single(source, "line 1", f"missing column(s): {needed} (found: {', '.join(header)})")
    _check_widths(source, len(header), body)
    records = [(n + 2, dict(zip(columns, (c.strip() for c in row), strict=False))) for n, row in enumerate(body)]
    records = [(line, r) for line, r in records if any(r.values())]
    require_sessions(source, len(records), "line 2")
    choice = _time_zone(records, source, default_tz)
    sheet = _Sheet(source)
    sessions = [s for line, r in records if (s := _read_row(sheet, line, r, choice.zone)) is not None]
    if sheet.problems:
        raise ProgrammeError(sheet.problems)
    require_sessions(source, len(sessions), "line 2")
    name = _first(records, "conference") or PurePosixPath(source).stem
    return Programme(
        name=name,
        timezone=choice.zone,
        days=tuple(sorted({s.day for s in sessions})),
        venue=Venue(name=_first(records, "venue") or name),
        rooms=tuple(sheet.rooms.values()),
        speakers=tuple(sheet.speakers.values()),
        sessions=tuple(sessions),
        source=source,
        format=FORMAT,
        extra={"time_zone_source": choice.source} | ({} if _first(records, "conference") else {"metadata": "none"}),
    )


def _rows(text: str, source: str) -> list[list[str]]:
    # Only the delimiter is guessed, from the header: the sniffer also guesses the quoting from that one line,
    # which has no quotes, and then reads a doubled quote ("Say ""hi""") as two values. Sheets write RFC 4180.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter))
    except csv.Error as exc:
        raise ProgrammeError.single(source, "", f"malformed CSV: {exc}") from exc
    if not rows or not any(c.strip() for c in rows[0]):
        raise ProgrammeError.single(source, "line 1", "no header row")
    return rows


def _check_widths(source: str, width: int, body: list[list[str]]) -> None:
    """Spreadsheets write every column on every row: a short row is a cut file, a long one an unquoted delimiter."""
    problems = []
    for n, row in enumerate(body):
        if any(c.strip() for c in row) and len(row) != width:
            hint = "the file looks cut short" if len(row) < width else "quote values that contain the delimiter"
            problems.append(Problem(source, f"line {n + 2}", f"{len(row)} values for {width} columns: {hint}"))
    if problems:
        raise ProgrammeError(problems)


def _column(header: str) -> str:
    name = "_".join(header.strip().lower().split())
    return _ALIASES.get(name, name)


def _first(records: list[tuple[int, dict[str, str]]], column: str) -> str:
    return next((r[column] for _, r in records if r.get(column)), "")


def _time_zone(records: list[tuple[int, dict[str, str]]], source: str, default_tz: str | None) -> ZoneChoice:
    names = {r["timezone"]: line for line, r in records if r.get("timezone")}
    if len(names) > 1:
        listed = ", ".join(f"{n!r} (line {line})" for n, line in names.items())
        raise ProgrammeError.single(source, "timezone", f"more than one time zone: {listed}")
    if names:
        ((name, line),) = names.items()
        return ZoneChoice(file_zone(source, name, f"line {line}, timezone"), "the sheet's timezone column")
    return default_zone(source, default_tz, "timezone", "the sheet has no timezone column")


def _read_row(sheet: _Sheet, line: int, r: dict[str, str], tz: ZoneInfo) -> Session | None:
    try:
        return _session(sheet, line, r, tz)
    except VALUE_ERRORS as exc:
        sheet.problems.append(unreadable(sheet.source, f"line {line}", exc))
        return None


def _session(sheet: _Sheet, line: int, r: dict[str, str], tz: ZoneInfo) -> Session | None:
    where = f"line {line}"
    before = len(sheet.problems)
    title = r.get("title", "")
    if not title:
        sheet.problems.append(Problem(sheet.source, where + ", title", "required value is empty"))
    start = _when(r.get("date", ""), r.get("start", ""), tz)
    if start is None:
        sheet.problems.append(Problem(sheet.source, where + ", start", "needs date + HH:MM, or 'YYYY-MM-DD HH:MM'"))
    end = _end(r, start, tz) if start else None
    if start and (end is None or end <= start):
        column = "end" if r.get("end") or not r.get("duration") else "duration"
        sheet.problems.append(
            Problem(sheet.source, f"{where}, {column}", "missing, unreadable, or not after the start")
        )
    room = r.get("room", "")
    if not room:
        sheet.problems.append(Problem(sheet.source, where + ", room", "required value is empty"))
    status = (r.get("status") or "confirmed").lower()
    if status not in _STATUSES:
        sheet.problems.append(
            Problem(sheet.source, where + ", status", f"{status!r}: use confirmed, provisional or cancelled")
        )
    day = _date(r.get("day", ""))
    if r.get("day") and day is None:
        sheet.problems.append(Problem(sheet.source, where + ", day", "not a date (YYYY-MM-DD)"))
    if len(sheet.problems) > before or start is None or end is None:
        return None
    ident = r.get("id") or fallback_id(title, start)
    if ident in sheet.seen:
        sheet.problems.append(
            Problem(sheet.source, where + ", id", f"duplicate id {ident!r} (first on line {sheet.seen[ident]})")
        )
        return None
    sheet.seen[ident] = line
    sheet.rooms.setdefault(room, Room(id=room, name=room))
    if cancelled_by_title(title) or status.startswith("cancel"):
        status = "cancelled"
    return Session(
        id=ident,
        title=title,
        start=start,
        end=end,
        room_id=room,
        day=day or conference_day(start),
        type=r.get("type", ""),
        track=r.get("track", ""),
        speaker_ids=_speakers(sheet, r.get("speakers", "")),
        description=r.get("description", ""),
        language=r.get("language", ""),
        status=SessionStatus(status),
        url=r.get("url", ""),
    )


def _when(day_text: str, clock_text: str, tz: ZoneInfo) -> datetime | None:
    clock_text = clock_text.replace("T", " ").strip()
    if " " in clock_text:
        day_text, clock_text = clock_text.split(" ", 1)
    day, clock = _date(day_text), parse_clock(clock_text)
    return datetime.combine(day, clock, tzinfo=tz) if day and clock else None


def _end(r: dict[str, str], start: datetime, tz: ZoneInfo) -> datetime | None:
    text = r.get("end", "").replace("T", " ").strip()
    if text and " " in text:
        return _when("", text, tz)
    clock = parse_clock(text) if text else None
    if clock is not None:
        end = datetime.combine(start.date(), clock, tzinfo=tz)
        return end + timedelta(days=1) if clock < start.time() else end  # a session running past midnight
    minutes = r.get("duration", "")
    duration = parse_duration(int(minutes) if minutes.isdigit() else minutes) if minutes else None
    return start + duration if duration else None


def _date(text: str) -> date | None:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if day.year in YEARS else None


def _speakers(sheet: _Sheet, text: str) -> tuple[str, ...]:
    ids: list[str] = []
    for name in (n.strip() for n in text.split(";")):
        if name:
            pid = "p:" + slug(name)
            sheet.speakers.setdefault(pid, Speaker(id=pid, name=name))
            if pid not in ids:
                ids.append(pid)
    return tuple(ids)
