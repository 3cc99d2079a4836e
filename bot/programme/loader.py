"""Load a programme from a file of any supported format, chosen by its content."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.programme import csv_sheet, frab_json, frab_xml, ical, native, sessionize
from bot.programme.errors import Problem, ProgrammeError
from bot.programme.importing import YEARS
from bot.programme.model import Programme

logger = logging.getLogger(__name__)

# Refuse absurd inputs before parsing them; the largest real exports are a few MB.
MAX_PROGRAMME_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Format:
    name: str
    sniff: Callable[[bytes, str], bool]
    parse: Callable[[bytes, str, str | None], Programme]


# Order matters: the first format whose sniff accepts the content reads it.
FORMATS: list[Format] = [
    Format(sessionize.FORMAT, sessionize.sniff, sessionize.parse),  # before frab-json: both are JSON objects
    Format(frab_json.FORMAT, frab_json.sniff, frab_json.parse),
    Format(frab_xml.FORMAT, frab_xml.sniff, frab_xml.parse),
    Format(ical.FORMAT, ical.sniff, ical.parse),
    Format(native.FORMAT, native.sniff, native.parse),
    Format(csv_sheet.FORMAT, csv_sheet.sniff, csv_sheet.parse),  # last: it sniffs a header line
]


def parse_programme(data: bytes, source: str, default_tz: str | None = None) -> Programme:
    """Parse bytes of any known format into a Programme, or raise ProgrammeError naming every problem."""
    if len(data) > MAX_PROGRAMME_BYTES:
        raise ProgrammeError.single(source, "", f"file is larger than {MAX_PROGRAMME_BYTES // 2**20} MB")
    if not data.strip():
        raise ProgrammeError.single(source, "", "the file is empty")
    for fmt in FORMATS:
        if fmt.sniff(data, source):
            programme = _parse(fmt, data, source, default_tz)
            _check_years(programme, source)
            logger.info(
                "Loaded %s (%s): %d sessions, %d rooms, %d days",
                source,
                fmt.name,
                len(programme.sessions),
                len(programme.rooms),
                len(programme.days),
            )
            return programme
    names = ", ".join(f.name for f in FORMATS)
    raise ProgrammeError.single(source, "", f"unrecognised programme format (supported: {names})")


def _parse(fmt: Format, data: bytes, source: str, default_tz: str | None) -> Programme:
    """`fmt.parse`, whose every failure is a ProgrammeError naming the file.

    The importers name the place of every problem they foresee. A file can still find one they do not: the
    organiser then hears which file failed (not "something went wrong"), the log keeps the traceback.
    """
    try:
        return fmt.parse(data, source, default_tz)
    except ProgrammeError:
        raise
    except Exception as exc:
        logger.exception("The %s importer failed on %s", fmt.name, source)
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else 'no detail'}"
        raise ProgrammeError.single(source, "", f"cannot be read as {fmt.name} ({reason})") from exc


def _check_years(programme: Programme, source: str) -> None:
    """Refuse times that the bot's date arithmetic could not handle (9999-12-31 plus a day overflows)."""
    years = f"{YEARS.start}–{YEARS.stop - 1}"
    problems = [
        Problem(source, f"session {s.id!r} ({s.title[:40]})", f"{s.start:%Y-%m-%d %H:%M} is outside the years {years}")
        for s in programme.sessions
        if not (s.start.year in YEARS and s.end.year in YEARS and s.day.year in YEARS)
    ]
    problems += [
        Problem(source, "days", f"{day} is outside the years {years}")
        for day in programme.days
        if day.year not in YEARS
    ]
    if problems:
        raise ProgrammeError(problems)


def load_programme(path: str | Path, default_tz: str | None = None) -> Programme:
    """Read and parse a programme file."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ProgrammeError.single(str(p), "", f"cannot read the file ({exc.strerror or exc})") from exc
    return parse_programme(data, str(p), default_tz)
