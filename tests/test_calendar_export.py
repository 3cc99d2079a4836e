"""The .ics export parsed back with icalendar: zone, one event per bookmark, room, description, stable UIDs."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.agenda import agenda_sessions
from bot.calendar_export import agenda_calendar, calendar_filename
from bot.programme.loader import load_programme
from tests.conftest import BUNDLED, FIXTURES

NOW = datetime(2024, 6, 20, 12, tzinfo=UTC)


def test_events_carry_the_event_zone_room_and_description() -> None:
    programme = load_programme(FIXTURES / "agenda.yaml")
    sessions = agenda_sessions(programme, {"keynote", "workshop", "dropped"})
    cal = Calendar.from_ical(agenda_calendar(programme, sessions, NOW))
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 3
    keynote = events["keynote@atd24.conference-companion"]
    assert str(keynote["summary"]) == "Keynote <& welcome>"
    assert keynote["dtstart"].params["TZID"] == "Europe/Madrid"
    start = keynote.decoded("dtstart")
    assert start == datetime(2024, 6, 25, 9, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    assert start.utcoffset().total_seconds() == 7200
    assert keynote.decoded("dtend") == datetime(2024, 6, 25, 10, 0, tzinfo=ZoneInfo("Europe/Madrid"))
    assert str(keynote["location"]) == "Main Hall, Test Hall, 1 Test Street, Valencia"
    description = str(keynote["description"])
    assert "Ada Lovelace (Countess, Analytical Engines)" in description and "Why engines matter." in description
    assert str(keynote["status"]) == "CONFIRMED"
    assert str(events["workshop@atd24.conference-companion"]["status"]) == "TENTATIVE"
    assert str(events["dropped@atd24.conference-companion"]["status"]) == "CANCELLED"
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Madrid"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert str(cal["x-wr-timezone"]) == "Europe/Madrid"


def test_uids_are_stable_across_exports() -> None:
    programme = load_programme(FIXTURES / "agenda.yaml")
    sessions = agenda_sessions(programme, {"keynote", "panel"})
    first = Calendar.from_ical(agenda_calendar(programme, sessions, NOW))
    later = Calendar.from_ical(agenda_calendar(programme, sessions[:1], datetime(2024, 6, 24, tzinfo=UTC)))
    assert [str(e["uid"]) for e in later.walk("VEVENT")] == [str(e["uid"]) for e in first.walk("VEVENT")][:1]
    assert calendar_filename(programme) == "atd24-my-agenda.ics"


def test_the_whole_bundled_programme_exports() -> None:
    programme = load_programme(BUNDLED)
    cal = Calendar.from_ical(agenda_calendar(programme, programme.sessions, NOW))
    events = cal.walk("VEVENT")
    assert len(events) == len(programme.sessions) == len({str(e["uid"]) for e in events})
    assert all(e["dtstart"].params["TZID"] == "Europe/Madrid" for e in events)
    assert cal.get_missing_tzids() == set()
