"""JSON programmes from own fixtures: frab schedule.json v2 (state CANCELED), pretalx quirks, Sessionize "All"."""

from __future__ import annotations

from datetime import date

import pytest

from bot.programme.errors import ProgrammeError
from bot.programme.loader import load_programme
from tests.conftest import FIXTURES

IMPORT = FIXTURES / "import"


def test_frab_v2_reads_declared_rooms_and_canceled_state() -> None:
    p = load_programme(IMPORT / "frab-v2.json")
    assert p.format == "frab-json" and str(p.timezone) == "Europe/Amsterdam"
    assert {r.name: r.capacity for r in p.rooms} == {"Hall A": 300, "Hall B": None}
    withdrawn = p.session("bbbbbbbb-0000-4000-8000-000000000002")
    assert withdrawn is not None and withdrawn.is_cancelled
    keynote = p.session("bbbbbbbb-0000-4000-8000-000000000001")
    assert keynote is not None and not keynote.is_cancelled
    assert keynote.duration.total_seconds() == 45 * 60  # HH:MM:SS duration
    assert [sp.name for sp in p.speakers_of(keynote)] == ["Ada Lovelace"]


def test_pretalx_code_ids_multilingual_titles_and_html_abstracts() -> None:
    p = load_programme(IMPORT / "pretalx.json", "Europe/Berlin")
    assert [s.id for s in p.sessions] == ["ABCDEF", "GHIJKL", "MNOPQR"]  # code, not the re-numberable id
    first = p.sessions[0]
    assert first.title == "First talk"
    assert first.description == "An HTML abstract."
    assert first.track == ""
    assert str(p.timezone) == "Europe/Berlin"
    assert p.extra["time_zone_source"] == "EVENT_TIMEZONE, matching the offsets in the file"
    assert p.days == (date(2020, 12, 27), date(2020, 12, 28))


def test_pretalx_without_zone_name_or_event_timezone_uses_the_offsets() -> None:
    p = load_programme(IMPORT / "pretalx.json")
    assert p.extra["time_zone_source"] == "the UTC offsets in the file's dates"
    assert p.local(p.sessions[0].start).strftime("%H:%M") == "11:30"


def test_sessionize_wall_clock_times_in_event_timezone() -> None:
    p = load_programme(IMPORT / "sessionize.json", "Europe/Madrid")
    assert p.format == "sessionize" and p.extra["metadata"] == "none"
    assert "EVENT_TIMEZONE" in p.extra["time_zone_source"]
    assert [s.id for s in p.sessions] == ["5001", "5002", "svc-lunch", "5003"]
    assert p.extra["skipped"] == "1 sessions without a time"
    keynote = p.sessions[0]
    assert p.local(keynote.start).isoformat() == "2024-06-25T09:00:00+02:00"  # "…Z" is local, not UTC
    assert (keynote.type, keynote.track) == ("Keynote", "Policy")
    assert p.room(keynote.room_id).name == "Sala Iturbi"
    workshop = p.sessions[1]
    assert [sp.name for sp in p.speakers_of(workshop)] == ["Ada Lovelace", "Grace Hopper"]
    assert p.sessions[2].type == "service"
    assert p.sessions[3].is_cancelled and p.sessions[3].day == date(2024, 6, 26)


def test_sessionize_without_a_time_zone_says_how_to_give_one() -> None:
    with pytest.raises(ProgrammeError) as info:
        load_programme(IMPORT / "sessionize.json")
    assert "Sessionize exports carry no time zone: set EVENT_TIMEZONE or pass --timezone" in str(info.value)
