"""frab/Pentabarf XML from own fixtures: FOSDEM legacy and modern, CCC after midnight, wafer's UTC dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.programme.errors import ProgrammeError
from bot.programme.loader import load_programme, parse_programme
from tests.conftest import FIXTURES

XML = FIXTURES / "import"


def test_a_file_without_a_zone_takes_its_citys_else_refuses_naming_the_city(tmp_path: Path) -> None:
    by_city = load_programme(XML / "frab-legacy.xml")  # <city>Brussels</city>
    assert by_city.timezone.key == "Europe/Brussels"
    assert by_city.extra["time_zone_source"] == "the file's city or venue (Brussels)"
    legacy = (XML / "frab-legacy.xml").read_text()
    elsewhere = tmp_path / "valencia.xml"
    elsewhere.write_text(legacy.replace("<city>Brussels</city>", "<city>Valencia</city>"))
    with pytest.raises(ProgrammeError) as info:
        load_programme(elsewhere)  # Valencia is in Europe/Madrid, but no zone is named after it: no guessing
    assert "its city 'Valencia' names none: set EVENT_TIMEZONE or pass --timezone" in str(info.value)
    german = tmp_path / "brussel.xml"
    german.write_text(legacy.replace("<city>Brussels</city>", "<city>Brüssel</city>"))
    assert load_programme(german).timezone.key == "Europe/Brussels"


def test_legacy_without_guid_date_or_zone_uses_event_timezone() -> None:
    p = load_programme(XML / "frab-legacy.xml", "Europe/Brussels")
    assert p.format == "frab-xml" and p.name == "Legacy Fest"
    assert "EVENT_TIMEZONE" in p.extra["time_zone_source"]
    assert [s.id for s in p.sessions] == ["101", "102", "103", "201"]
    assert p.days == (date(2019, 2, 2), date(2019, 2, 3))
    assert [r.name for r in p.rooms] == ["Janson", "H.2111", "K.1.105"]  # the empty room is declared too
    welcome = p.session("101")
    assert welcome is not None
    assert p.local(welcome.start).isoformat() == "2019-02-02T09:30:00+01:00"
    assert welcome.description == "Opening & welcome.\n\nSecond paragraph."  # HTML paragraphs → text
    assert [sp.name for sp in p.speakers_of(welcome)] == ["FOSDEM Staff"]


def test_cancelled_or_canceled_in_a_title_is_a_cancellation_but_cancelling_is_not() -> None:
    p = load_programme(XML / "frab-legacy.xml", "Europe/Brussels")
    status = {s.title: s.is_cancelled for s in p.sessions}
    assert status == {
        "Welcome": False,
        "CANCELLED Restoring a Minitel server": True,
        "Cancelling POSIX syscalls in a microkernel": False,
        "Closing (CANCELED)": True,
    }


def test_modern_export_names_its_zone_and_keeps_guids() -> None:
    p = load_programme(XML / "frab-modern.xml", "Asia/Tokyo")  # the file's zone wins over EVENT_TIMEZONE
    assert str(p.timezone) == "Europe/Berlin"
    assert p.extra["time_zone_source"] == "the file's time_zone_name"
    assert p.sessions[0].id == "aaaaaaaa-0000-4000-8000-000000000001"
    day_two = p.session("aaaaaaaa-0000-4000-8000-000000000003")
    assert day_two is not None
    assert [sp.id for sp in p.speakers_of(day_two)] == ["p:p-1", "p:p-2"]


def test_event_after_midnight_belongs_to_the_previous_conference_day() -> None:
    p = load_programme(XML / "frab-modern.xml")
    late = p.session("aaaaaaaa-0000-4000-8000-000000000002")
    assert late is not None
    assert p.local(late.start).isoformat() == "2024-12-28T01:30:00+01:00"
    assert late.day == date(2024, 12, 27)
    assert [s.title for s in p.sessions_on(date(2024, 12, 27))] == ["Opening", "Late night lightning"]


def test_wafer_utc_dates_and_local_starts_give_local_days() -> None:
    p = load_programme(XML / "wafer.xml")
    assert p.days == (date(2023, 9, 10), date(2023, 9, 11))  # the file's day dates are 9 and 10 (UTC)
    yoga = next(s for s in p.sessions if s.title == "Sunrise yoga")
    assert p.local(yoga.start).isoformat() == "2023-09-10T04:00:00+05:30"  # not 9 September
    assert yoga.day == date(2023, 9, 10)
    bof = next(s for s in p.sessions if s.title == "Packaging BoF")
    assert p.local(bof.start).strftime("%d %H:%M") == "11 14:00" and bof.day == date(2023, 9, 11)


def test_xml_entities_are_refused_safely() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE schedule [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<schedule><conference><title>&b;</title></conference><day date='2024-01-01'/></schedule>"
    )
    with pytest.raises(ProgrammeError, match="unsafe XML refused"):
        parse_programme(bomb, "bomb.xml", "UTC")
