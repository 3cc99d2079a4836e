"""Which reminders and digests are due at an instant (pure domain), and the agenda helpers they use."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.agenda import agenda_sessions, clashes, next_in_room, overlapping
from bot.i18n import lang
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.reminders.due import EARLY, due_reminders, early_room, reminder_sessions, snooze_moment
from bot.reminders.morning import morning_days
from bot.runup import Morning
from bot.storage.bookmarks import Follower
from bot.storage.preferences import Preferences
from bot.storage.reminders import digest_key, parse_reminder_key, reminder_key
from bot.views.reminders import morning_view, reminder_buttons
from tests.conftest import FIXTURES

HORIZON = timedelta(seconds=90)
LONG_AGO = datetime(2024, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def programme() -> Programme:
    return load_programme(FIXTURES / "agenda.yaml")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def follower(session_id: str, user_id: int = 1, created: datetime = LONG_AGO) -> Follower:
    return Follower(user_id, session_id, created, "en")


def test_reminder_key_round_trips_ids_with_colons(programme: Programme) -> None:
    keynote = programme.session("keynote")
    assert keynote is not None
    key = reminder_key(7, keynote)
    assert key == "reminder:7:keynote:20240625T070000Z"
    parsed = parse_reminder_key(key)
    assert parsed is not None and (parsed.user_id, parsed.session_id) == (7, "keynote")
    assert parsed.start == keynote.start
    odd = parse_reminder_key("reminder:7:pretalx:ABC:1:20240625T070000Z")
    assert odd is not None and odd.session_id == "pretalx:ABC:1"
    for bad in ("digest:7:2024-06-25", "reminder:x:keynote:20240625T070000Z", "reminder:7:keynote:soon", "reminder"):
        assert parse_reminder_key(bad) is None
    assert digest_key(7, date(2024, 6, 25)) == "digest:7:2024-06-25"


def test_default_reminder_timing(programme: Programme) -> None:
    now = at("2024-06-25T08:44:00+02:00")  # keynote 09:00, lead 10 → deadline 08:50, not before 08:45
    (due,) = due_reminders(programme, [follower("keynote")], {}, now, HORIZON)
    assert due.deadline == at("2024-06-25T08:50:00+02:00")
    assert due.not_before == due.deadline - EARLY
    assert due.expires_at == at("2024-06-25T09:00:00+02:00")
    assert due.key == "reminder:1:keynote:20240625T070000Z"


def test_nothing_due_before_the_horizon_reaches_not_before(programme: Programme) -> None:
    assert due_reminders(programme, [follower("keynote")], {}, at("2024-06-25T08:40:00+02:00"), HORIZON) == []


def test_a_missed_reminder_is_still_due_until_the_session_starts(programme: Programme) -> None:
    late = at("2024-06-25T08:58:00+02:00")
    assert [d.session.id for d in due_reminders(programme, [follower("keynote")], {}, late, HORIZON)] == ["keynote"]
    started = at("2024-06-25T09:00:00+02:00")
    assert due_reminders(programme, [follower("keynote")], {}, started, HORIZON) == []


def test_lead_off_muted_and_cancelled(programme: Programme) -> None:
    now = at("2024-06-25T08:35:00+02:00")
    thirty = {1: Preferences(1, reminder_minutes=30)}
    (due,) = due_reminders(programme, [follower("keynote")], thirty, now, HORIZON)
    assert due.deadline == at("2024-06-25T08:30:00+02:00")
    off = {1: Preferences(1, reminder_minutes=30, reminders=False)}
    assert due_reminders(programme, [follower("keynote")], off, now, HORIZON) == []
    muted = {1: Preferences(1, reminder_minutes=30, muted_day=date(2024, 6, 25))}
    assert due_reminders(programme, [follower("keynote")], muted, now, HORIZON) == []
    muted_yesterday = {1: Preferences(1, reminder_minutes=30, muted_day=date(2024, 6, 24))}
    assert len(due_reminders(programme, [follower("keynote")], muted_yesterday, now, HORIZON)) == 1
    cancelled_soon = at("2024-06-25T10:50:00+02:00")
    assert due_reminders(programme, [follower("dropped")], {}, cancelled_soon, HORIZON) == []
    assert due_reminders(programme, [follower("no-such-session")], {}, cancelled_soon, HORIZON) == []


def test_no_reminder_for_a_bookmark_made_after_its_moment(programme: Programme) -> None:
    now = at("2024-06-25T08:55:00+02:00")
    fresh = follower("keynote", created=at("2024-06-25T08:54:00+02:00"))
    assert due_reminders(programme, [fresh], {}, now, HORIZON) == []


def test_a_fast_rehearsal_clock_leaves_the_burst_more_room() -> None:
    assert early_room(1.0) == EARLY
    assert early_room(0.5) == EARLY
    assert early_room(60) == EARLY * 60


def test_reminder_sessions_window(programme: Programme) -> None:
    assert reminder_sessions(programme, at("2024-06-25T08:20:00+02:00"), HORIZON) == []  # 40 min > 30 + 5 + 1.5
    ids = [s.id for s in reminder_sessions(programme, at("2024-06-25T08:25:00+02:00"), HORIZON)]
    assert ids == ["keynote"]  # the 09:30 workshop is 65 min away
    later = [s.id for s in reminder_sessions(programme, at("2024-06-25T10:40:00+02:00"), HORIZON)]
    assert "dropped" not in later and later == []


def test_morning_days_from_digest_time_until_the_latest(programme: Programme) -> None:
    morning = Morning(time(8, 0), time(11, 0))
    assert morning.moment(date(2024, 6, 25), programme) == at("2024-06-25T08:00:00+02:00")
    assert morning_days(programme, morning, at("2024-06-25T07:58:00+02:00"), HORIZON) == []
    assert morning_days(programme, morning, at("2024-06-25T07:59:00+02:00"), HORIZON) == [date(2024, 6, 25)]
    assert morning_days(programme, morning, at("2024-06-25T10:59:00+02:00"), HORIZON) == [date(2024, 6, 25)]
    assert morning_days(programme, morning, at("2024-06-25T11:00:00+02:00"), HORIZON) == []  # no longer morning
    assert morning_days(programme, morning, at("2024-06-26T08:30:00+02:00"), HORIZON) == [date(2024, 6, 26)]
    assert morning_days(programme, morning, at("2024-06-27T09:00:00+02:00"), HORIZON) == []


def test_morning_view_merges_the_organisers_text_with_the_sessions(programme: Programme) -> None:
    en, day = lang("en"), date(2024, 6, 25)
    keynote, dropped = programme.session("keynote"), programme.session("dropped")
    assert keynote is not None and dropped is not None
    merged = morning_view(programme, day, "☀️ Good morning!", (keynote,), en)
    assert merged is not None and merged.text.count("Good morning") == 1
    assert merged.text.startswith("☀️ Good morning!\n\n⭐ Your sessions today:")
    assert "<b>09:00–10:00</b> Keynote" in merged.text and "🕘 Times in Europe/Madrid" in merged.text
    alone = morning_view(programme, day, None, (keynote,), en)
    assert alone is not None and alone.text.startswith("🌅 Good morning! Your sessions today, Tuesday 25 June 2024:")
    pointer = morning_view(programme, day, "☀️ Good morning!", (dropped,), en)  # only a cancelled one
    assert pointer is not None and "bookmarked" not in pointer.text.split("\n")[0]
    assert pointer.text == "☀️ Good morning!\n\n📅 Nothing bookmarked for today: the whole programme is in /programme."
    assert morning_view(programme, day, None, (), en) is None  # neither text nor session: no message


def test_overlaps_clashes_and_what_follows(programme: Programme) -> None:
    keynote, workshop, panel = (programme.session(i) for i in ("keynote", "workshop", "panel"))
    assert keynote is not None and workshop is not None and panel is not None
    assert [s.id for s in overlapping(programme, workshop, {"keynote", "panel", "d2-opening"})] == ["keynote", "panel"]
    assert overlapping(programme, keynote, {"panel", "dropped"}) == []  # back to back, and cancelled
    assert clashes(agenda_sessions(programme, {"keynote", "workshop", "d2-opening"})) == {"keynote", "workshop"}
    after = next_in_room(programme, keynote)
    assert after is not None and after.id == "panel"
    assert next_in_room(programme, panel) is None
    assert [s.id for s in agenda_sessions(programme, ["panel", "gone", "keynote"])] == ["keynote", "panel"]


def test_the_snooze_button_follows_the_lead(programme: Programme) -> None:
    keynote = programme.session("keynote")
    assert keynote is not None
    en = lang("en")

    def labels(lead: timedelta | None) -> list[str]:
        return [b.label for row in reminder_buttons(keynote, en, lead=lead) for b in row]

    assert "⏰ Remind me again 5 min before" in labels(timedelta(minutes=10))
    assert "⏰ Remind me again at start" in labels(timedelta(minutes=5))  # 5 min before is already now
    assert not any(label.startswith("⏰") for label in labels(None))  # the snoozed reminder itself
    assert snooze_moment(keynote, at("2024-06-25T08:50:00+02:00")) == at("2024-06-25T08:55:00+02:00")
    assert snooze_moment(keynote, at("2024-06-25T08:56:00+02:00")) == keynote.start
    assert snooze_moment(keynote, keynote.start) is None
