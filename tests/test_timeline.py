"""now/next at instants before, during, between and after sessions, across midnight and day boundaries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.programme import timeline
from bot.programme.loader import load_programme
from bot.programme.model import Programme, Session
from bot.programme.timeline import Phase
from tests.conftest import BUNDLED, FIXTURES, shared_schedule

P = load_programme(FIXTURES / "mini.yaml")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def titles(sessions: object) -> list[str]:
    return [s.title for s in sessions]  # type: ignore[attr-defined]


def test_before_the_conference() -> None:
    m = timeline.moment(P, at("2024-06-20T12:00:00+02:00"))
    assert m.phase is Phase.BEFORE
    assert m.running == ()
    assert titles(m.upcoming)[0] == "Opening"
    assert m.until_start is not None and m.until_start.days == 4


def test_during_a_session_start_inclusive_end_exclusive() -> None:
    assert titles(timeline.running_at(P, at("2024-06-25T09:00:00+02:00"))) == ["Opening"]
    assert titles(timeline.running_at(P, at("2024-06-25T09:59:59+02:00"))) == ["Opening"]
    assert timeline.running_at(P, at("2024-06-25T10:00:00+02:00")) == []


def test_between_sessions_nothing_runs_and_next_is_the_following_one() -> None:
    instant = at("2024-06-25T10:15:00+02:00")
    assert timeline.phase_at(P, instant) is Phase.DURING
    assert timeline.running_at(P, instant) == []
    # Room A's next session is 13 hours away: "next" shows the coming slot, not the whole evening.
    assert titles(timeline.upcoming_after(P, instant)) == ["Workshop"]
    assert titles(timeline.upcoming_after(P, at("2024-06-25T12:00:00+02:00"))) == ["Late talk"]


def test_across_midnight_the_late_session_runs_and_belongs_to_its_day() -> None:
    instant = at("2024-06-26T00:10:00+02:00")
    running = timeline.running_at(P, instant)
    assert titles(running) == ["Late talk"]
    assert timeline.current_day(P, instant) == date(2024, 6, 25)
    assert titles(timeline.upcoming_after(P, instant)) == ["Day two"]


def test_at_the_day_boundary_the_next_day_is_current() -> None:
    instant = at("2024-06-26T00:30:00+02:00")  # the late talk has just ended
    assert timeline.running_at(P, instant) == []
    assert timeline.current_day(P, instant) == date(2024, 6, 26)


def test_after_the_conference() -> None:
    m = timeline.moment(P, at("2024-06-26T10:00:00+02:00"))
    assert m.phase is Phase.AFTER
    assert m.running == () and m.upcoming == ()


def test_instants_in_other_zones_compare_correctly() -> None:
    # 07:30 UTC is 09:30 in Madrid (CEST)
    assert titles(timeline.running_at(P, at("2024-06-25T07:30:00+00:00"))) == ["Opening"]


def test_cancelled_sessions_are_neither_running_nor_next() -> None:
    frab = load_programme(FIXTURES / "mini-frab.json")
    assert timeline.upcoming_after(frab, at("2024-03-02T10:00:00+00:00")) == []
    assert timeline.phase_at(frab, at("2024-03-02T10:00:00+00:00")) is Phase.AFTER


def test_an_after_midnight_session_is_labelled_with_its_real_date_and_its_night() -> None:
    from bot import i18n
    from bot.programme.loader import parse_programme
    from bot.views.format import when

    en = i18n.lang("en")
    late = next(s for s in P.sessions if s.title == "Late talk")  # starts before midnight: its own day
    assert when(late, P, en) == "Tue 25 June 23:30–00:30"
    # Listed under 1 March, starting at 01:30 on 2 March: the real date first, then the night it belongs to.
    data = (FIXTURES / "mini-frab.json").read_text()
    frab = parse_programme(data.replace("2024-03-01T23:30:00+00:00", "2024-03-02T01:30:00+00:00").encode(), "f.json")
    owls = next(s for s in frab.sessions if s.title == "Night owls")
    assert owls.day == date(2024, 3, 1)
    assert when(owls, frab, en) == "Sat 2 March 01:30–02:30 (night of Fri 1)"


def _upcoming_by_reading_everything(programme: Programme, instant: datetime) -> list[Session]:
    """upcoming_after's definition, read off every session: the next in each room, within 12 h of the first."""
    per_room: dict[str, Session] = {}
    for s in programme.sessions:
        if not s.is_cancelled and s.start > instant:
            per_room.setdefault(s.room_id, s)
    ordered = sorted(per_room.values(), key=lambda s: (s.start, s.room_id))
    return [s for s in ordered if s.start < ordered[0].start + timedelta(hours=12)] if ordered else []


@pytest.mark.parametrize("export", ["fosdem-2025-pentabarf.xml", "38c3-frab.xml", None])
def test_upcoming_after_stops_reading_early_yet_finds_what_reading_everything_finds(export: str | None) -> None:
    programme = load_programme(shared_schedule(export)) if export else load_programme(BUNDLED)
    first, last = programme.sessions[0].start, max(s.end for s in programme.sessions)
    instant = first - timedelta(hours=1)
    checked = 0
    while instant <= last:
        assert timeline.upcoming_after(programme, instant) == _upcoming_by_reading_everything(programme, instant)
        instant += timedelta(minutes=17)
        checked += 1
    assert checked > 10
