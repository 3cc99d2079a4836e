"""The diff between two programme versions: added, removed, cancelled, restored, changed (time, room, title,
speakers), by stable id."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.programme.diff import Field, Kind, diff_programmes
from bot.programme.loader import load_programme
from bot.programme.model import Programme, Room, Session, SessionStatus, Speaker
from tests.conftest import FIXTURES

BASE = load_programme(FIXTURES / "mini.yaml")


def _edit(programme: Programme, session_id: str, **changes: object) -> Programme:
    return replace(
        programme, sessions=tuple(replace(s, **changes) if s.id == session_id else s for s in programme.sessions)
    )


def _session(programme: Programme, session_id: str) -> Session:
    found = programme.session(session_id)
    assert found is not None
    return found


def test_identical_versions_have_no_changes() -> None:
    diff = diff_programmes(BASE, load_programme(FIXTURES / "mini.yaml"))
    assert diff.is_empty and diff.other_edits == 0
    assert diff.counts() == dict.fromkeys(Kind, 0)


def test_added_and_removed() -> None:
    s1 = _session(BASE, "s1")
    new = replace(BASE, sessions=(*(s for s in BASE.sessions if s.id != "s2"), replace(s1, id="s9", title="New one")))
    diff = diff_programmes(BASE, new)
    assert [(c.kind, c.session_id) for c in diff.changes] == [(Kind.ADDED, "s9"), (Kind.REMOVED, "s2")]
    removed = diff.change("s2")
    assert removed is not None and removed.new is None and removed.current.title == "Workshop"
    assert diff.affected_ids == {"s2"}  # nobody can have bookmarked a new session


def test_cancelled_and_restored_by_status() -> None:
    cancelled = _edit(BASE, "s1", status=SessionStatus.CANCELLED)
    (change,) = diff_programmes(BASE, cancelled).changes
    assert change.kind is Kind.CANCELLED and change.fields == frozenset()
    (back,) = diff_programmes(cancelled, BASE).changes
    assert back.kind is Kind.RESTORED and back.old is not None and back.old.is_cancelled


def test_a_removed_session_that_comes_back_is_restored_not_added() -> None:
    without = replace(BASE, sessions=tuple(s for s in BASE.sessions if s.id != "s4"))
    again = diff_programmes(without, BASE, seen_before={"s1", "s2", "s3", "s4"})
    assert [(c.kind, c.session_id) for c in again.changes] == [(Kind.RESTORED, "s4")]
    assert diff_programmes(without, BASE).of(Kind.ADDED)[0].session_id == "s4"  # never seen: added


def test_time_room_title_and_speaker_changes_are_named() -> None:
    s1 = _session(BASE, "s1")
    hour = timedelta(hours=1)
    new = _edit(BASE, "s1", start=s1.start + hour, end=s1.end + hour, room_id="b", title="Opening!", speaker_ids=())
    (change,) = diff_programmes(BASE, new).changes
    assert change.kind is Kind.CHANGED
    assert change.fields == {Field.TIME, Field.ROOM, Field.TITLE, Field.SPEAKERS}
    assert change.old == s1 and change.new is not None and change.new.room_id == "b"


def test_end_time_alone_is_a_time_change() -> None:
    s2 = _session(BASE, "s2")
    (change,) = diff_programmes(BASE, _edit(BASE, "s2", end=s2.end + timedelta(minutes=15))).changes
    assert change.fields == {Field.TIME}


def test_rooms_and_speakers_compare_by_name_across_formats() -> None:
    renamed_ids = replace(
        BASE,
        rooms=(Room("room-a", "Room A", 100), Room("room-b", "Room B")),
        speakers=(Speaker("p:ada-lovelace", "Ada Lovelace"),),
    )
    moved = replace(
        renamed_ids,
        sessions=tuple(
            replace(s, room_id="room-" + s.room_id, speaker_ids=tuple("p:ada-lovelace" for _ in s.speaker_ids))
            for s in BASE.sessions
        ),
    )
    assert diff_programmes(BASE, moved).is_empty


def test_description_only_edits_are_counted_but_not_alerted() -> None:
    diff = diff_programmes(BASE, _edit(BASE, "s3", description="Now with details"))
    assert diff.is_empty and diff.other_edits == 1


def test_affecting_lists_only_the_followed_sessions() -> None:
    new = _edit(_edit(BASE, "s1", status=SessionStatus.CANCELLED), "s4", title="Day two (renamed)")
    diff = diff_programmes(BASE, new)
    assert [c.session_id for c in diff.affecting(["s4", "s2"])] == ["s4"]
    assert [c.session_id for c in diff.affecting(["s1", "nope"])] == ["s1"]
    assert diff.counts()[Kind.CANCELLED] == 1 and diff.counts()[Kind.CHANGED] == 1
