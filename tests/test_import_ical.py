"""iCalendar from an own fixture: STATUS:CANCELLED, folds inside UTF-8 characters, TZIDs without VTIMEZONE,
speakers inside DESCRIPTION, all-day events skipped, and the documented fallback id."""

from __future__ import annotations

from datetime import date

import pytest

from bot.programme.errors import ProgrammeError
from bot.programme.importing import fallback_id
from bot.programme.loader import load_programme, parse_programme
from tests.conftest import FIXTURES

ICS = FIXTURES / "import" / "programme.ics"


def test_calendar_imports_with_zone_rooms_days_and_speakers() -> None:
    p = load_programme(ICS)
    assert p.format == "icalendar" and p.name == "Calendar Conf 2020"
    assert str(p.timezone) == "Australia/Brisbane"
    assert "TZID Australia/Brisbane" in p.extra["time_zone_source"]
    assert "no VTIMEZONE" in p.extra["time_zone_source"]
    assert p.days == (date(2020, 1, 13), date(2020, 1, 14))
    assert [r.name for r in p.rooms] == ["Arena", "Room 5", "Room 6"]
    assert len(p.sessions) == 4  # the all-day "Conference day 1" is not a session
    assert p.extra["skipped"] == "1 all-day or undated events"
    opening = p.session("1@cal.example")
    assert opening is not None
    assert p.local(opening.start).isoformat() == "2020-01-13T09:00:00+10:00"
    assert [sp.name for sp in p.speakers_of(opening)] == ["Joel Addison"]
    assert opening.description == "Opening remarks and housekeeping."


def test_status_cancelled_and_several_speakers() -> None:
    talk = load_programme(ICS).session("2@cal.example")
    assert talk is not None and talk.is_cancelled
    assert talk.speaker_ids == ("p:ana-pérez", "p:bo-li")


def test_lines_folded_inside_a_utf8_character_are_rejoined() -> None:
    p = load_programme(ICS)
    cafe = p.session("3@cal.example")
    assert cafe is not None
    assert cafe.title == "Café chat on naïve code"
    assert "folded in the middle of a word" in cafe.description
    assert [sp.name for sp in p.speakers_of(cafe)] == ["Dr Seán Brady"]


def test_event_without_uid_gets_the_documented_fallback_id() -> None:
    p = load_programme(ICS)
    lunch = next(s for s in p.sessions if s.title == "Lunch")
    assert lunch.id == fallback_id("Lunch", lunch.start)
    assert lunch.duration.total_seconds() == 3600  # DURATION instead of DTEND
    assert load_programme(ICS).session(lunch.id) is not None, "the same id on every import"


def test_unknown_tzid_falls_back_to_event_timezone_or_says_so() -> None:
    data = ICS.read_bytes().replace(b"Australia/Brisbane", b"Gold Coast Standard Time")
    with pytest.raises(ProgrammeError) as info:
        parse_programme(data, "odd.ics")
    assert "'Gold Coast Standard Time'" in str(info.value) and "EVENT_TIMEZONE" in str(info.value)
    p = parse_programme(data, "odd.ics", "Australia/Brisbane")
    assert p.local(p.sessions[0].start).strftime("%H:%M") == "09:00"
    assert "EVENT_TIMEZONE" in p.extra["time_zone_source"]


def calendar(*events: list[str]) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "X-WR-TIMEZONE:Europe/Madrid"]
    for event in events:
        lines += ["BEGIN:VEVENT", *event, "END:VEVENT"]
    return "\r\n".join([*lines, "END:VCALENDAR", ""]).encode()


COFFEE = [
    "UID:coffee",
    "SUMMARY:Coffee",
    "DTSTART;TZID=Europe/Madrid:20240625T103000",
    "DTEND;TZID=Europe/Madrid:20240625T110000",
    "RRULE:FREQ=DAILY;COUNT=4",
    "EXDATE;TZID=Europe/Madrid:20240627T103000",
    "LOCATION:Foyer",
]
LATE_COFFEE = [
    "UID:coffee",
    "RECURRENCE-ID;TZID=Europe/Madrid:20240626T103000",
    "SUMMARY:Coffee (late)",
    "DTSTART;TZID=Europe/Madrid:20240626T110000",
    "DTEND;TZID=Europe/Madrid:20240626T113000",
    "LOCATION:Foyer",
]
TALK = ["UID:talk", "SUMMARY:Talk", "DTSTART;TZID=Europe/Madrid:20240625T090000", "DURATION:PT1H"]


def test_a_recurring_event_is_every_occurrence_with_its_exceptions() -> None:
    p = parse_programme(calendar(TALK, COFFEE, LATE_COFFEE), "daily.ics")
    shown = [(s.id, s.title, p.local(s.start).strftime("%d %H:%M")) for s in p.sessions]
    assert shown == [
        ("talk", "Talk", "25 09:00"),  # not recurring: its id stays the UID
        ("coffee#2024-06-25T10:30:00+02:00", "Coffee", "25 10:30"),
        ("coffee#2024-06-26T10:30:00+02:00", "Coffee (late)", "26 11:00"),  # RECURRENCE-ID moved it
        ("coffee#2024-06-28T10:30:00+02:00", "Coffee", "28 10:30"),  # the 27th is an EXDATE
    ]
    assert all(p.room(s.room_id).name == "Foyer" for s in p.sessions[1:])
    again = parse_programme(calendar(TALK, COFFEE, LATE_COFFEE), "daily.ics")
    assert [s.id for s in again.sessions] == [s.id for s in p.sessions], "the same ids on every import"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["UID:coffee", "RRULE:FREQ=WEEKLY"], "VEVENT[2] (Coffee).RRULE: repeats without end"),
        (
            ["UID:coffee", "RRULE:FREQ=MINUTELY;UNTIL=20250101T000000Z"],
            "VEVENT[2] (Coffee).RRULE: more than 1000 occurrences",
        ),
        (["UID:coffee", "RRULE:FREQ=SOMETIMES"], "VEVENT[2] (Coffee).RRULE: unreadable value"),
        (["RRULE:FREQ=DAILY;COUNT=2"], "VEVENT[2] (Coffee).UID: a recurring event needs a UID"),
    ],
)
def test_a_recurrence_the_bot_cannot_list_is_refused_naming_the_event(lines: list[str], expected: str) -> None:
    coffee = [line for line in COFFEE if not line.startswith(("RRULE", "EXDATE", "UID"))] + lines
    with pytest.raises(ProgrammeError) as info:
        parse_programme(calendar(TALK, coffee), "daily.ics")
    assert expected in str(info.value)
