"""The pure parts of browsing: pages that keep time slots whole, tracks and rooms of a day, a room's neighbours,
and the callback data of the new buttons."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.browse import NO_TRACK, neighbours, running_or_next, slot_pages, tracks_on
from bot.programme.model import Programme, Session, Venue
from bot.views import callback_data as cb

ZONE = ZoneInfo("Europe/Brussels")
DAY = date(2025, 2, 1)


def session(n: int, hour: int, room: str = "a", track: str = "") -> Session:
    start = datetime(2025, 2, 1, hour, tzinfo=ZONE)
    return Session(f"s{n}", f"Talk {n}", start, start + timedelta(minutes=50), room, DAY, track=track)


def programme(*sessions: Session) -> Programme:
    return Programme("Test", ZONE, (DAY,), Venue("Hall"), (), (), sessions)


def test_pages_keep_a_time_slot_whole() -> None:
    slots = [session(1, 9), session(2, 9), session(3, 9), session(4, 10), session(5, 10), session(6, 11)]
    pages = slot_pages(slots, 4)
    assert [[s.id for s in p.sessions] for p in pages] == [["s1", "s2", "s3"], ["s4", "s5", "s6"]]
    assert not any(p.continues for p in pages)


def test_a_slot_larger_than_a_page_is_split_and_says_so() -> None:
    big = [session(n, 9, room=str(n)) for n in range(5)] + [session(9, 10)]
    pages = slot_pages(big, 3)
    assert [len(p.sessions) for p in pages] == [3, 3]
    assert pages[0].continues and not pages[1].continues
    assert [s.id for s in pages[1].sessions] == ["s3", "s4", "s9"]
    assert slot_pages([], 3)[0].sessions == ()


def test_tracks_of_a_day_a_to_z_with_the_untracked_last() -> None:
    p = programme(session(1, 9, track="rust"), session(2, 10, track="Go"), session(3, 11), session(4, 12, track="Go"))
    assert [(g.name, g.count) for g in tracks_on(p, DAY)] == [("Go", 2), ("rust", 1), ("", 1)]
    assert tracks_on(p, DAY)[-1].key == NO_TRACK


def test_neighbours_in_the_same_room_and_what_runs_or_is_next() -> None:
    a1, b1, a2, a3 = session(1, 9), session(2, 9, room="b"), session(3, 10), session(4, 11)
    p = programme(a1, b1, a2, a3)
    assert neighbours(p, a1) == (None, a2)
    assert neighbours(p, a2) == (a1, a3)
    assert neighbours(p, b1) == (None, None)
    assert running_or_next([a1, a2, a3], datetime(2025, 2, 1, 10, 20, tzinfo=ZONE)) == a2
    assert running_or_next([a1, a2, a3], datetime(2025, 2, 1, 10, 55, tzinfo=ZONE)) == a3
    assert running_or_next([a1, a2, a3], datetime(2025, 2, 1, 12, tzinfo=ZONE)) is None


def test_callback_data_round_trips_and_rejects_forgeries() -> None:
    assert cb.parse_day_groups(cb.day_groups(cb.DAY_TRACKS, DAY)) == (cb.DAY_TRACKS, DAY, None)
    assert cb.parse_day_groups(cb.day_groups(cb.DAY_ROOMS, DAY, 3)) == (cb.DAY_ROOMS, DAY, 3)
    assert cb.parse_group_day(cb.group_day(cb.ROOM, DAY, "1a2b3c4d", 2)) == (cb.ROOM, DAY, "1a2b3c4d", 2)
    assert cb.parse_group_day(cb.group_day(cb.TRACK, DAY, NO_TRACK)) == (cb.TRACK, DAY, NO_TRACK, None)
    assert cb.parse_now_page(cb.now_page(True, 2, "tabc")) == (True, 2, "tabc")
    assert cb.parse_now_page(cb.NOW) == (False, 0, "") and cb.now_page(False) == cb.NOW
    assert cb.parse_now_narrow(cb.now_narrow(False, "r", 1)) == (False, "r", 1)
    for forged in ("dt|20251301", "dt|2025020|1", "dr|20250201|x", "tk|20250201|", "rm|20250201|k|99999"):
        assert cb.parse_day_groups(forged) is None and cb.parse_group_day(forged) is None, forged
    for forged in ("nw|y|0|", "nw|n|-1|", "nw|n|0|zz", "nn|n|q|0", "nn|x|t|"):
        assert cb.parse_now_page(forged) is None and cb.parse_now_narrow(forged) is None, forged
    assert cb.parse_day("day|20240625|1") is not None  # buttons sent before this change keep working
