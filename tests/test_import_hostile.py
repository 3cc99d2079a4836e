"""Hostile programme files, generated here: every one is refused with a ProgrammeError naming the file and the
place, never another exception (which /reload could only answer with "Something went wrong")."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.programme import loader
from bot.programme.errors import ProgrammeError
from bot.programme.loader import parse_programme
from bot.programme.model import Programme


def frab(event: dict[str, object], *, zone: str | None = "UTC") -> bytes:
    conference: dict[str, object] = {"title": "X", "days": [{"date": "2024-01-01", "rooms": {"A": [event]}}]}
    if zone:
        conference["time_zone_name"] = zone
    return json.dumps({"schedule": {"conference": conference}}).encode()


def talk(**fields: object) -> dict[str, object]:
    return {"guid": "g1", "date": "2024-01-01T10:00:00+00:00", "duration": "00:30", "title": "Talk"} | fields


def sessionize(starts: str, ends: str) -> bytes:
    return json.dumps({"sessions": [{"id": "1", "title": "T", "startsAt": starts, "endsAt": ends}]}).encode()


SESSIONIZE = sessionize("2024-06-25T09:00:00", "2024-06-25T10:00:00")


def native(day: str, start: str, end: str, zone: str = "UTC") -> bytes:
    return (
        f"conference: {{name: X, timezone: {zone}, days: [{day}]}}\nvenue: {{name: V}}\nrooms: [{{id: a, name: A}}]\n"
        f'sessions: [{{id: s1, title: T, start: "{start}", end: "{end}", room: a}}]\n'
    ).encode()


def xml(day: str, start: str, duration: str) -> bytes:
    return (
        "<schedule><conference><title>X</title><time_zone_name>UTC</time_zone_name></conference>"
        f"<day date='{day}'><room name='A'><event guid='g1'><start>{start}</start>"
        f"<duration>{duration}</duration><title>T</title></event></room></day></schedule>"
    ).encode()


def ics(*lines: str, zone: str = "UTC") -> bytes:
    event = ["BEGIN:VEVENT", "UID:1", "SUMMARY:Talk", *lines, "END:VEVENT"]
    return "\r\n".join(
        ["BEGIN:VCALENDAR", "VERSION:2.0", f"X-WR-TIMEZONE:{zone}", *event, "END:VCALENDAR", ""]
    ).encode()


DEEP = 50_000

HOSTILE: list[tuple[str, bytes, list[str]]] = [
    # Nesting that the parsers' recursion cannot follow
    ("deep.json", b'{"schedule": ' + b"[" * DEEP + b"]" * DEEP + b"}", ["line 1, column 113", "nested"]),
    (
        "deep-sessionize.json",
        b'{"sessions":\n [' + b"[" * DEEP + b"]" * DEEP + b'], "startsAt": 0}',
        ["line 2, column 101", "nested"],
    ),
    ("deep.yaml", b"conference:\n  name: " + b"[" * DEEP + b"]" * DEEP + b"\nsessions: []\n", ["line 2", "nested"]),
    (
        "deep-block.yaml",
        b"conference:\n" + b"".join(b" " * (i + 1) + b"a:\n" for i in range(3000)) + b"sessions: []\n",
        ["line", "nested"],
    ),
    ("deep.ics", ics(*["BEGIN:X-NEST"] * 3000, *["END:X-NEST"] * 3000), ["the file contains no sessions"]),
    # Durations and dates that overflow Python's datetime
    ("huge-duration.json", frab(talk(duration=1e300)), ["days[0].rooms[A][0]", "duration"]),
    ("nan-duration.json", frab(talk()).replace(b'"00:30"', b"NaN"), ["days[0].rooms[A][0]", "duration"]),
    ("year-9999.json", frab(talk(date="9999-12-31T23:30:00+00:00", duration="02:00")), ["days[0].rooms[A][0]"]),
    ("year-1.json", frab(talk(date="0001-01-01T00:10:00+05:00"), zone=None), ["days[0].rooms[A][0].start"]),
    ("year-1-sessionize.json", sessionize("0001-01-01T00:00:00", "0001-01-01T00:30:00"), ["sessions[0]"]),
    ("year-9999-sessionize.json", sessionize("9999-12-31T23:00:00", "9999-12-31T23:30:00"), ["sessions[0]"]),
    ("year-9999.csv", b"id,title,start,end,room\nc1,T,9999-12-31 23:00,00:30,A\n", ["line 2"]),
    ("long.csv", b"title,start,duration,room\nT,2024-06-25 09:00,999999999999,A\n", ["line 2", "duration"]),
    ("year-1.csv", b"title,start,end,room\nT,0001-01-01 01:00,02:00,A\n", ["line 2"]),
    ("year-9999.xml", xml("9999-12-31", "23:00", "02:00"), ["day[1]/room[A]/event[1]"]),
    ("year-9999.yaml", native("9999-12-31", "9999-12-31T23:00", "9999-12-31T23:59"), ["'s1'", "9999"]),
    ("year-1.yaml", native("0001-01-01", "0001-01-01T00:00+05:00", "0001-01-01T01:00+05:00", "Europe/Madrid"), ["s1"]),
    # iCalendar values the library cannot use
    ("bad-dtstart.ics", ics("DTSTART:garbage", "DTEND:20240101T110000Z"), ["VEVENT[1] (Talk)", "DTSTART"]),
    ("bad-duration.ics", ics("DTSTART:20240101T100000Z", "DURATION:garbage"), ["VEVENT[1] (Talk)", "DURATION"]),
    (
        "bad-recurrence-id.ics",
        ics("DTSTART:20240101T100000Z", "DTEND:20240101T110000Z", "RECURRENCE-ID:garbage"),
        ["VEVENT[1] (Talk)", "RECURRENCE-ID"],
    ),
    ("year-9999.ics", ics("DTSTART:99991231T230000Z", "DURATION:PT2H"), ["VEVENT[1] (Talk)"]),
    ("huge-duration.ics", ics("DTSTART:20240101T100000Z", "DURATION:P999999999D"), ["VEVENT[1] (Talk)"]),
    ("year-1.ics", ics("DTSTART:00010101T000000Z", "DTEND:00010101T010000Z", zone="Europe/Madrid"), ["VEVENT[1]"]),
]


@pytest.mark.parametrize(("name", "data", "places"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_refused_with_its_place(name: str, data: bytes, places: list[str]) -> None:
    with pytest.raises(ProgrammeError) as info:
        parse_programme(data, name, "Europe/Madrid")
    text = str(info.value)
    assert text.startswith(name + ": "), text
    for place in places:
        assert place in text, text


def test_an_importer_failure_nobody_foresaw_still_names_the_file(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(data: bytes, source: str, default_tz: str | None) -> Programme:
        raise KeyError("room")

    monkeypatch.setattr(loader, "FORMATS", [replace(loader.FORMATS[0], parse=broken)])
    with pytest.raises(ProgrammeError) as info:
        parse_programme(SESSIONIZE, "odd.json", "Europe/Madrid")
    assert str(info.value) == "odd.json: cannot be read as sessionize (KeyError: 'room')"
    assert "Traceback" in caplog.text, "the log keeps what a developer needs"
