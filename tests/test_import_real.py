"""Every real export in ../shared/schedules imports with the counts the file itself gives (skipped when absent).

Rooms: every room the file names (frab XML declares empty rooms per day); `used` counts rooms with sessions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from bot.programme.errors import ProgrammeError
from bot.programme.loader import load_programme
from tests.conftest import shared_schedule


@dataclass(frozen=True)
class Expected:
    name: str
    timezone: str | None  # passed as EVENT_TIMEZONE; None when the file must name its own zone
    format: str
    sessions: int
    rooms: int
    used_rooms: int
    days: int
    zone: str
    cancelled: int = 0


REAL = [
    Expected("camp2019-frab.json", None, "frab-json", 79, 2, 2, 5, "Europe/Berlin"),
    Expected("rc3-2020-pretalx.json", "Europe/Berlin", "frab-json", 48, 5, 5, 4, "Europe/Berlin"),
    Expected("fosdem-2019-pentabarf.xml", "Europe/Brussels", "frab-xml", 775, 34, 33, 2, "Europe/Brussels", 4),
    Expected("fosdem-2025-pentabarf.xml", None, "frab-xml", 943, 40, 29, 2, "Europe/Brussels"),
    Expected("38c3-frab.xml", None, "frab-xml", 1007, 72, 72, 4, "Europe/Berlin"),
    Expected("debconf23-wafer-frab.xml", None, "frab-xml", 117, 5, 5, 8, "Asia/Kolkata"),
    Expected("lca2020.ics", None, "icalendar", 262, 7, 7, 6, "Australia/Brisbane"),
    Expected("sessionize-demo-all.json", "Europe/Madrid", "sessionize", 11, 3, 3, 2, "Europe/Madrid"),
]


@pytest.mark.parametrize("expected", REAL, ids=[e.name for e in REAL])
def test_real_export_imports_with_the_files_counts(expected: Expected) -> None:
    p = load_programme(shared_schedule(expected.name), expected.timezone)
    assert p.format == expected.format
    assert len(p.sessions) == expected.sessions
    assert len({s.id for s in p.sessions}) == expected.sessions, "stable ids are unique"
    assert len(p.rooms) == expected.rooms
    assert len({s.room_id for s in p.sessions if s.room_id}) == expected.used_rooms
    assert len(p.days) == expected.days
    assert {s.day for s in p.sessions} <= set(p.days)
    assert str(p.timezone) == expected.zone
    assert p.extra["time_zone_source"]
    assert sum(s.is_cancelled for s in p.sessions) == expected.cancelled


def test_38c3_after_midnight_belongs_to_the_evening_before() -> None:
    p = load_programme(shared_schedule("38c3-frab.xml"))
    assert p.days == tuple(date(2024, 12, d) for d in (27, 28, 29, 30))
    late = [s for s in p.sessions if p.local(s.start).date() != s.day]
    assert late and all(p.local(s.start).hour < 6 for s in late)
    assert all(p.local(s.start).date() == s.day + (p.days[1] - p.days[0]) for s in late)
    opening = next(s for s in p.sessions if s.title == "38C3: Opening Ceremony")
    assert p.local(opening.start) == datetime.fromisoformat("2024-12-27T10:30:00+01:00")
    assert [sp.name for sp in p.speakers_of(opening)] == ["Gabriela Bogk", "Senficon", "Aline Blankertz"]


def test_debconf_days_are_local_although_the_file_writes_utc_dates() -> None:
    p = load_programme(shared_schedule("debconf23-wafer-frab.xml"))
    assert p.days[0] == date(2023, 9, 10) and p.days[-1] == date(2023, 9, 17)  # the file's day dates say 9–16
    opening = next(s for s in p.sessions if s.title == "Opening Ceremony")
    assert p.local(opening.start).strftime("%Y-%m-%d %H:%M") == "2023-09-10 10:30"  # <start>10:30</start>
    assert opening.day == date(2023, 9, 10)


def test_fosdem_legacy_takes_its_citys_zone_and_marks_title_cancellations() -> None:
    path = shared_schedule("fosdem-2019-pentabarf.xml")
    by_city = load_programme(path)
    assert by_city.timezone.key == "Europe/Brussels" and "city" in by_city.extra["time_zone_source"]
    p = load_programme(path, "Europe/Brussels")
    cancelled = [s.title for s in p.sessions if s.is_cancelled]
    assert all("CANCELED" in t or "CANCELLED" in t for t in cancelled)
    assert "EVENT_TIMEZONE" in p.extra["time_zone_source"]
    welcome = p.session("8967")
    assert welcome is not None and p.local(welcome.start).strftime("%a %H:%M") == "Sat 09:30"
    assert "<p>" not in welcome.description and "FOSDEM welcome" in welcome.description


def test_fosdem_modern_lowercase_cancelling_is_not_a_cancellation() -> None:
    p = load_programme(shared_schedule("fosdem-2025-pentabarf.xml"))
    talk = next(s for s in p.sessions if s.title.startswith("Cancelling POSIX syscalls"))
    assert not talk.is_cancelled
    assert talk.id == talk.id.lower() and len(talk.id) == 36  # the guid


def test_lca_reads_speakers_from_description_and_the_undefined_tzid() -> None:
    p = load_programme(shared_schedule("lca2020.ics"))
    assert "VTIMEZONE" in p.extra["time_zone_source"]
    per_day = Counter(s.day for s in p.sessions)
    assert per_day[date(2020, 1, 13)] == 73
    talk = next(s for s in p.sessions if s.title == "Wednesday Welcome")
    assert [sp.name for sp in p.speakers_of(talk)] == ["Joel Addison"]
    assert talk.description == "Opening Remarks and Housekeeping"


def test_sessionize_refuses_to_guess_a_time_zone() -> None:
    path = shared_schedule("sessionize-demo-all.json")
    with pytest.raises(ProgrammeError, match="no time zone"):
        load_programme(path)
    p = load_programme(path, "America/New_York")
    assert p.local(p.sessions[0].start).strftime("%H:%M") == "09:00"  # wall-clock time, the "Z" is not UTC
