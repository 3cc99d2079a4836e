"""Bad input of every format: truncated or malformed files, zero sessions, duplicate ids, unknown time zones.

Each must fail with a ProgrammeError that names the file, the place and the problem.
"""

from __future__ import annotations

import pytest

from bot.programme.errors import ProgrammeError
from bot.programme.loader import parse_programme
from tests.conftest import FIXTURES

IMPORT = FIXTURES / "import"
TZ = "Europe/Madrid"


def _error(data: bytes, name: str, tz: str | None = TZ) -> str:
    with pytest.raises(ProgrammeError) as info:
        parse_programme(data, name, tz)
    text = str(info.value)
    assert text.startswith(name), "the message names the file"
    return text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("frab-modern.xml", "malformed XML"),
        ("frab-legacy.xml", "malformed XML"),
        ("frab-v2.json", "invalid JSON"),
        ("pretalx.json", "invalid JSON"),
        ("sessionize.json", "invalid JSON"),
        ("programme.ics", "END:VCALENDAR is missing"),
        ("programme.csv", "line 4: 6 values for 10 columns: the file looks cut short"),
    ],
)
def test_truncated_file_of_each_format(name: str, expected: str) -> None:
    data = (IMPORT / name).read_bytes()
    cut = data[: len(data) * 2 // 3] if not name.endswith(".csv") else data[: data.index(b";;social")]
    assert expected in _error(cut, name)


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("x.xml", b"<?xml version='1.0'?><schedule><conference><title>X</title></conference></schedul>", "line 1"),
        ("x.xml", b"<schedule><day date='2024-01-01'/></schedule>", "schedule/conference: missing"),
        ("x.json", b'{"schedule": {"conference": {"title": "X"}}}', "no days in the schedule"),
        ("x.json", b'{"sessions": [{"startsAt": "nope", "endsAt": "nope", "title": "T"}]}', "sessions[0]"),
        ("x.ics", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n", "malformed iCalendar"),
        ("x.csv", b"name,when\nA,B\n", "missing column(s): title, start, room, end or duration"),
        ("x.csv", b"title,start,end,room\nT,2024-06-25 25:00,10:00,A\n", "line 2, start"),
        ("x.csv", b"title,start,end,room,status\nT,2024-06-25 09:00,10:00,A,maybe\n", "'maybe'"),
        ("x.xml", "<schedule><conference/>é".encode("latin-1"), "malformed XML"),
        ("x.bin", b"\x00\x01\x02 binary", "unrecognised programme format"),
    ],
)
def test_malformed_files_name_the_problem(name: str, data: bytes, expected: str) -> None:
    assert expected in _error(data, name)


EMPTY = {
    "frab-modern.xml": (
        b'<?xml version="1.0"?><schedule><conference><title>X</title>'
        b"<time_zone_name>Europe/Berlin</time_zone_name></conference>"
        b'<day date="2024-01-01" index="1"><room name="A"/></day></schedule>'
    ),
    "frab-v2.json": b'{"schedule": {"conference": {"title": "X", "time_zone_name": "UTC", '
    b'"days": [{"date": "2024-01-01", "rooms": {"A": []}}]}}}',
    "sessionize.json": b'{"sessions": [], "speakers": [], "rooms": [], "startsAt": 0}',
    "programme.ics": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:UTC\r\nEND:VCALENDAR\r\n",
    "programme.csv": b"title,start,end,room\n",
}


@pytest.mark.parametrize("name", sorted(EMPTY))
def test_a_file_with_zero_sessions_is_refused(name: str) -> None:
    assert "the file contains no sessions" in _error(EMPTY[name], name)


DUPLICATES = {
    "frab-modern.xml": (b"aaaaaaaa-0000-4000-8000-000000000002", b"aaaaaaaa-0000-4000-8000-000000000001"),
    "frab-v2.json": (b"bbbbbbbb-0000-4000-8000-000000000003", b"bbbbbbbb-0000-4000-8000-000000000001"),
    "pretalx.json": (b"GHIJKL", b"ABCDEF"),
    "sessionize.json": (b'"5002"', b'"5001"'),
    "programme.ics": (b"UID:2@cal.example", b"UID:1@cal.example"),
    "programme.csv": (b"a2;", b"a1;"),
}


@pytest.mark.parametrize("name", sorted(DUPLICATES))
def test_duplicate_ids_are_refused(name: str) -> None:
    old, new = DUPLICATES[name]
    data = (IMPORT / name).read_bytes().replace(old, new)
    assert "duplicate" in _error(data, name).lower()


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("frab-modern.xml", b"Europe/Berlin", b"Mars/Olympus"),
        ("frab-v2.json", b"Europe/Amsterdam", b"Mars/Olympus"),
        ("data.csv", b"", b""),
    ],
)
def test_a_time_zone_that_does_not_exist_in_the_file(name: str, old: bytes, new: bytes) -> None:
    if name == "data.csv":
        data = b"title,start,end,room,timezone\nT,2024-06-25 09:00,10:00,A,Mars/Olympus\n"
    else:
        data = (IMPORT / name).read_bytes().replace(old, new)
    assert "unknown time zone 'Mars/Olympus'" in _error(data, name)


@pytest.mark.parametrize("name", ["sessionize.json", "frab-legacy.xml", "programme.csv"])
def test_a_time_zone_that_does_not_exist_from_the_settings(name: str) -> None:
    message = _error((IMPORT / name).read_bytes(), name, tz="Mars/Olympus")
    assert "unknown time zone 'Mars/Olympus' (EVENT_TIMEZONE / --timezone)" in message
