"""End to end: reminders and digests reach the user through the outbox at the right clock time, exactly once.

The clock is frozen and moved by the test; the tick is run directly (the JobQueue only wakes the same code
up every 30 s) and the running bot's outbox sender delivers through the local Bot API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import Clock
from bot.console.api import Call, LocalBotApi
from bot.console.request import LocalRequest
from bot.programme.model import SessionStatus
from bot.reminders.queue import tick
from bot.services import build_services
from bot.storage import bookmarks, preferences
from bot.storage.db import open_database
from bot.storage.users import record_contact
from handlers.application import build_application
from tests.conftest import FIXTURES, BotHarness, make_harness, make_settings
from tests.support.outbox import get_by_key

EVE = datetime.fromisoformat("2024-06-24T18:00:00+02:00")
KEYNOTE = "reminder:42:keynote:20240625T070000Z"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def agenda_harness(tmp_path: Path, now: datetime = EVE) -> Any:
    return make_harness(tmp_path, programme_path=FIXTURES / "agenda.yaml", now=now)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with agenda_harness(tmp_path) as harness:
        yield harness


def reminders_to(h: BotHarness, user_id: int = 42, marker: str = "Starting soon") -> list[Call]:
    return [c for c in h.api.sent(user_id) if marker in c.shown]


async def bookmark(h: BotHarness, *keys: str, user_id: int = 42) -> None:
    """Bookmark through the ☆ buttons of the cards, as a delegate does."""
    (menu,) = [c for c in await h.say("/programme", user_id=user_id) if c.method == "sendMessage"]
    for key in keys:
        await h.press(menu, f"ses|{key}", user_id=user_id)
        await h.press(h.api.messages[(user_id, menu.result["message_id"])], f"bm|1c|{key}", user_id=user_id)


async def delivered(h: BotHarness, count: int = 1, user_id: int = 42, marker: str = "Starting soon") -> list[Call]:
    """Wait until `count` messages with `marker` reached the user (the outbox sender polls in real time)."""
    await h.api.wait_for(lambda c: len(reminders_to(h, user_id, marker)) >= count, timeout=5)
    await h.settle()  # and nothing more arrives
    return reminders_to(h, user_id, marker)


async def state(h: BotHarness, key: str) -> str | None:
    row = await get_by_key(h.services.database, key)
    return row.state if row else None


async def test_reminder_arrives_at_the_right_clock_time(h: BotHarness) -> None:
    await bookmark(h, "keynote")
    await preferences.update_preferences(h.services.database, 42, EVE, digest=False, runup=False)
    h.clock.set(at("2024-06-25T08:40:00+02:00"))
    assert not (await tick(h.services)).queued  # 09:00 − 10 min − 5 min of burst room is still ahead
    h.clock.set(at("2024-06-25T08:44:00+02:00"))
    assert (await tick(h.services)).queued == 1
    await h.settle(42)  # 42 had the bookmark replies less than a second ago: the outbox sender could send only now
    assert reminders_to(h) == []  # queued, but the outbox sender sends as late as the deadline allows
    h.clock.set(at("2024-06-25T08:49:58+02:00"))
    (reminder,) = await delivered(h)
    text = reminder.shown
    assert "Starting soon: Keynote <& welcome>" in text
    assert "🗓 Tue 25 June 09:00–10:00" in text and "Main Hall" in text
    assert "🕘 Times in Europe/Madrid, CEST (UTC+02:00)" in text and text.count("🕘") == 1  # one clock: the zone
    assert "Then in the same room: 10:00–11:00 Panel on engines" in text
    assert reminder.button_labels == [
        "📄 Open the card",
        "⏰ Remind me again 5 min before",
        "🔕 Mute for today",
        "🛑 Stop reminders",
    ]
    row = await get_by_key(h.services.database, KEYNOTE)
    assert row is not None and row.state == "sent" and row.sent_at is not None
    assert row.deadline is not None and row.sent_at <= row.deadline
    h.clock.set(at("2024-06-25T08:55:00+02:00"))
    assert not (await tick(h.services)).changed  # its key is spent: never queued twice
    assert len(reminders_to(h)) == 1


async def test_morning_digest_at_eight(h: BotHarness) -> None:
    await bookmark(h, "panel", "keynote", "d2-late")
    await preferences.update_preferences(h.services.database, 42, EVE, reminders=False)
    h.clock.set(at("2024-06-25T07:59:00+02:00"))
    assert (await tick(h.services)).queued == 1
    await h.settle(42)
    assert reminders_to(h, marker="Good morning") == []
    h.clock.set(at("2024-06-25T08:00:00+02:00"))
    (digest,) = await delivered(h, marker="Good morning")
    assert digest.shown.startswith("☀️ Good morning! Today, Tuesday 25 June, at ")  # the run-up plan's text
    assert "\n\n⭐ Your sessions today:" in digest.shown
    assert digest.shown.index("09:00–10:00 Keynote") < digest.shown.index("10:00–11:00 Panel on engines")
    assert "Afternoon session" not in digest.shown  # tomorrow's
    assert digest.button_labels[:2] == ["09:00 Keynote <& welcome>", "10:00 Panel on engines"]
    (card,) = [c for c in await h.press(digest, digest.buttons[0][0]["callback_data"]) if c.method == "sendMessage"]
    assert "Why engines matter." in card.shown and card.button_labels[0] == "★ In my agenda · remove"
    h.clock.set(at("2024-06-25T08:30:00+02:00"))
    assert not (await tick(h.services)).changed
    assert await state(h, "digest:42:2024-06-25") == "sent"
    assert len(reminders_to(h, marker="Good morning")) == 1


async def test_a_bot_down_at_eight_sends_the_morning_message_on_start_up_while_still_morning(tmp_path: Path) -> None:
    async with agenda_harness(tmp_path) as h:
        await bookmark(h, "panel")
    async with agenda_harness(tmp_path, now=at("2024-06-25T09:30:00+02:00")) as h:
        await h.run_job("reminders")  # its first run, at start-up (the harness leaves the timing to the test)
        (morning,) = await delivered(h, marker="Good morning")
        assert "10:00–11:00 Panel on engines" in morning.shown
        await bookmark(h, "d2-late")  # and a bookmark later that morning brings no second one
        await tick(h.services)
        await h.settle(42)
        assert len(reminders_to(h, marker="Good morning")) == 1
    async with agenda_harness(tmp_path, now=at("2024-06-26T11:05:00+02:00")) as h:  # day two, after 11:00
        await h.run_job("reminders")
        await h.settle(42)
        assert reminders_to(h, marker="Good morning") == []
        assert await state(h, "digest:42:2024-06-26") is None


async def test_mute_for_today_and_stop_from_the_reminder(h: BotHarness) -> None:
    await bookmark(h, "keynote", "panel", "d2-opening")
    await preferences.update_preferences(h.services.database, 42, EVE, digest=False, runup=False)
    h.clock.set(at("2024-06-25T08:49:58+02:00"))
    await tick(h.services)
    (reminder,) = await delivered(h)

    await h.press(reminder, reminder.buttons[1][0]["callback_data"])  # ⏰ Remind me again 5 min before
    assert await state(h, "snooze:42:keynote:20240625T070000Z") == "pending"
    calls = await h.press(reminder, reminder.buttons[2][0]["callback_data"])  # 🔕 Mute for today
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == ["No more reminders today."]
    assert await state(h, "snooze:42:keynote:20240625T070000Z") == "dropped"  # muted: no snoozed one either
    message = h.api.messages[(42, reminder.result["message_id"])]
    labels = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["📄 Open the card", "🔔 Unmute today"]
    h.clock.set(at("2024-06-25T09:49:58+02:00"))  # the panel, same day: muted
    assert not (await tick(h.services)).changed
    assert await state(h, "reminder:42:panel:20240625T080000Z") is None
    assert len(reminders_to(h)) == 1

    h.clock.set(at("2024-06-26T08:49:58+02:00"))  # the next day: reminded again
    await tick(h.services)
    (_, day_two) = await delivered(h, 2)
    assert "Day two opening" in day_two.shown
    await h.press(day_two, day_two.buttons[2][1]["callback_data"])  # 🛑 Stop reminders
    prefs = await preferences.get_preferences(h.services.database, 42)
    assert not prefs.reminders
    message = h.api.messages[(42, day_two.result["message_id"])]
    assert [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row][-1] == (
        "🔔 Turn reminders back on"
    )
    (settings,) = [c for c in await h.say("/settings") if c.method == "sendMessage"]
    assert "Reminders: off" in settings.shown
    await h.press(message, message["reply_markup"]["inline_keyboard"][-1][0]["callback_data"])
    assert (await preferences.get_preferences(h.services.database, 42)).reminders


async def test_snooze_reminds_again_five_minutes_before_or_at_the_start(h: BotHarness) -> None:
    await bookmark(h, "keynote", "panel")
    await preferences.update_preferences(h.services.database, 42, EVE, digest=False, runup=False)
    h.clock.set(at("2024-06-25T08:49:58+02:00"))
    await tick(h.services)
    (reminder,) = await delivered(h)
    snooze = reminder.buttons[1][0]["callback_data"]
    assert reminder.button_labels[1] == "⏰ Remind me again 5 min before"
    calls = await h.press(reminder, snooze)
    toasts = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
    assert toasts == ["I will remind you again at 08:55, 5 minutes before it starts."]
    message = h.api.messages[(42, reminder.result["message_id"])]
    labels = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["📄 Open the card", "🔕 Mute for today", "🛑 Stop reminders"]  # snoozed once
    await h.press(reminder, snooze)  # a second press queues nothing more
    row = await get_by_key(h.services.database, "snooze:42:keynote:20240625T070000Z")
    assert row is not None and row.not_before == at("2024-06-25T08:55:00+02:00") and row.state == "pending"
    h.clock.set(at("2024-06-25T08:54:00+02:00"))
    await tick(h.services)
    await h.settle(42)
    assert len(reminders_to(h)) == 1  # not before its time
    h.clock.set(at("2024-06-25T08:55:00+02:00"))
    (_, again) = await delivered(h, 2)
    assert "Starting soon: Keynote <& welcome>" in again.shown and "🕘 Times in Europe/Madrid" in again.shown
    assert "⏰ Remind me again 5 min before" not in again.button_labels
    assert await state(h, "snooze:42:keynote:20240625T070000Z") == "sent"

    # Less than 5 minutes before the panel (10:00): again at the start; once it has started, nothing.
    h.clock.set(at("2024-06-25T09:57:00+02:00"))
    calls = await h.press(reminder, "rem|a|panel")
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [
        "I will remind you again when it starts (10:00)."
    ]
    h.clock.set(at("2024-06-25T10:00:00+02:00"))
    (*_, at_start) = await delivered(h, 3)
    assert "Panel on engines" in at_start.shown
    calls = await h.press(reminder, "rem|a|panel")
    assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [
        "This session has already started."
    ]


def toasts(calls: list[Call]) -> list[str]:
    return [c.params.get("text", "") for c in calls if c.method == "answerCallbackQuery"]


async def test_unmute_brings_back_the_snooze_the_mute_dropped_or_says_it_was_missed(h: BotHarness) -> None:
    await bookmark(h, "keynote", "panel")
    await preferences.update_preferences(h.services.database, 42, EVE, digest=False, runup=False)
    h.clock.set(at("2024-06-25T08:49:58+02:00"))
    await tick(h.services)
    (reminder,) = await delivered(h)
    snooze, mute = reminder.buttons[1][0]["callback_data"], reminder.buttons[2][0]["callback_data"]
    await h.press(reminder, snooze)
    await h.press(reminder, mute)
    assert await state(h, "snooze:42:keynote:20240625T070000Z") == "dropped"
    message = h.api.messages[(42, reminder.result["message_id"])]
    unmute = message["reply_markup"]["inline_keyboard"][1][0]
    assert unmute["text"] == "🔔 Unmute today"
    assert toasts(await h.press(reminder, unmute["callback_data"])) == [
        "Reminders are back on for today. The reminder you asked to have again will come too."
    ]
    assert await state(h, "snooze:42:keynote:20240625T070000Z") == "pending"
    h.clock.set(at("2024-06-25T08:55:00+02:00"))
    (_, again) = await delivered(h, 2)
    assert "Starting soon: Keynote <& welcome>" in again.shown

    # Muted again with the panel's snooze pending, unmuted only after the panel started: it cannot come, and
    # the toast says so (once: the snooze is closed).
    h.clock.set(at("2024-06-25T09:49:58+02:00"))
    await tick(h.services)
    (*_, panel) = await delivered(h, 3)
    assert "Panel on engines" in panel.shown
    await h.press(panel, panel.buttons[1][0]["callback_data"])
    await h.press(panel, panel.buttons[2][0]["callback_data"])
    h.clock.set(at("2024-06-25T10:01:00+02:00"))
    assert toasts(await h.press(panel, "rem|u|panel")) == [
        "Reminders are back on for today. The reminder you asked to have again was due while they were off: it "
        "will not come."
    ]
    assert await state(h, "snooze:42:panel:20240625T080000Z") == "expired"
    assert toasts(await h.press(panel, "rem|u|panel")) == ["Reminders are back on for today."]
    await h.settle(42)
    assert len(reminders_to(h)) == 3


async def test_open_the_card_from_a_reminder(h: BotHarness) -> None:
    await bookmark(h, "keynote")
    h.clock.set(at("2024-06-25T08:49:58+02:00"))
    await tick(h.services)
    (reminder,) = await delivered(h)
    calls = await h.press(reminder, reminder.buttons[0][0]["callback_data"])
    (card,) = [c for c in calls if c.method == "sendMessage"]
    assert "Why engines matter." in card.shown and card.button_labels[0] == "★ In my agenda · remove"
    assert "Starting soon" in h.api.messages[(42, reminder.result["message_id"])]["text"]  # the reminder stays


async def test_cancelled_and_moved_sessions(h: BotHarness) -> None:
    await bookmark(h, "keynote", "panel")
    await preferences.update_preferences(h.services.database, 42, EVE, digest=False, runup=False)
    programme = h.services.programme
    h.clock.set(at("2024-06-25T08:44:00+02:00"))
    await tick(h.services)
    # Cancelled after its reminder was queued, moved 30 minutes later: neither the old reminder nor one for a
    # cancelled session is ever sent; the moved panel is reminded at its new time only.
    h.services.programmes.replace(
        replace(
            programme,
            sessions=tuple(
                replace(s, status=SessionStatus.CANCELLED)
                if s.id == "keynote"
                else replace(s, start=s.start + timedelta(minutes=30), end=s.end + timedelta(minutes=30))
                if s.id == "panel"
                else s
                for s in programme.sessions
            ),
        )
    )
    await tick(h.services)
    h.clock.set(at("2024-06-25T08:49:58+02:00"))
    await tick(h.services)
    h.clock.set(at("2024-06-25T09:49:58+02:00"))  # the panel's old reminder moment
    await tick(h.services)
    assert await state(h, KEYNOTE) == "dropped"
    assert await state(h, "reminder:42:panel:20240625T080000Z") is None
    assert reminders_to(h) == []
    h.clock.set(at("2024-06-25T10:19:58+02:00"))
    await tick(h.services)
    (moved,) = await delivered(h)
    assert "Panel on engines" in moved.shown and "10:30–11:30" in moved.shown


async def test_unbookmarked_before_the_moment_is_not_reminded(h: BotHarness) -> None:
    await bookmark(h, "keynote")
    h.clock.set(at("2024-06-25T08:44:00+02:00"))
    await tick(h.services)
    card = h.last_message()
    await h.press(card, "bm|0c|keynote")
    h.clock.set(at("2024-06-25T08:49:58+02:00"))
    assert not (await tick(h.services)).changed
    assert await state(h, KEYNOTE) == "dropped"  # a dropped row is never sent
    assert reminders_to(h) == []


async def test_restart_between_bookmarking_and_the_reminder(tmp_path: Path) -> None:
    async with agenda_harness(tmp_path) as first:
        await bookmark(first, "keynote")
    # Down overnight; back at 08:44: the start-up tick queues it, the outbox sender sends it on time, once.
    async with agenda_harness(tmp_path, now=at("2024-06-25T08:44:00+02:00")) as second:
        await tick(second.services)
        second.clock.set(at("2024-06-25T08:49:58+02:00"))
        (reminder,) = await delivered(second)
        assert "Keynote" in reminder.shown
    async with agenda_harness(tmp_path, now=at("2024-06-25T08:52:00+02:00")) as third:
        assert not (await tick(third.services)).changed
        assert await state(third, KEYNOTE) == "sent"
        assert reminders_to(third) == []


async def test_missed_while_down_sent_if_not_started_else_skipped(tmp_path: Path) -> None:
    async with agenda_harness(tmp_path) as first:
        await bookmark(first, "keynote", "panel")
        await preferences.update_preferences(first.services.database, 42, EVE, digest=False, runup=False)
    # Back at 08:56, after the keynote's 08:50 moment but before its start: still reminded.
    async with agenda_harness(tmp_path, now=at("2024-06-25T08:56:00+02:00")) as second:
        await tick(second.services)
        (late,) = await delivered(second)
        assert "Keynote" in late.shown
    # Back at 10:05: the panel started at 10:00 while the bot was down: skipped, never sent.
    async with agenda_harness(tmp_path, now=at("2024-06-25T10:05:00+02:00")) as third:
        assert not (await tick(third.services)).changed
        assert await state(third, "reminder:42:panel:20240625T080000Z") is None
        assert reminders_to(third) == []


async def test_a_user_who_blocked_the_bot(h: BotHarness) -> None:
    await bookmark(h, "keynote")
    await bookmark(h, "keynote", user_id=43)
    h.api.blocked.add(42)
    h.clock.set(at("2024-06-25T08:49:58+02:00"))
    await tick(h.services)
    (other,) = await delivered(h, user_id=43)
    assert "Keynote" in other.shown
    await h.api.wait_for(lambda c: c.chat_id == 42 and "blocked" in c.error, timeout=5)
    await h.settle()
    assert await state(h, KEYNOTE) == "dropped"
    assert reminders_to(h) == []
    assert not (await tick(h.services)).changed  # a blocked user is not queued again
    assert await bookmarks.bookmarked_ids(h.services.database, 42) == {"keynote"}  # nothing lost


async def test_the_job_queue_runs_the_same_tick(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, programme_path=FIXTURES / "agenda.yaml")
    clock = Clock(start=EVE, speed=60)  # a rehearsal: ticks every real second, 30 clock-seconds apart
    services = build_services(settings, clock=clock)
    app = build_application(services, request=LocalRequest(LocalBotApi()))
    (job,) = [j for j in app.job_queue.jobs() if j.name == "reminders"]
    assert job.trigger.interval == timedelta(seconds=1)
    services.db = await open_database(settings.database_path)
    try:
        await record_contact(services.db, 42, "Ana", "en", EVE)
        await bookmarks.add_bookmark(services.db, 42, "keynote", EVE)
        clock.freeze(at("2024-06-25T06:00:00+02:00"))  # 60 x 5 min of burst room: 08:50 − 5 h
        await job.run(app)
        row = await get_by_key(services.db, KEYNOTE)
        assert row is not None and row.state == "pending"
        assert row.not_before == at("2024-06-25T03:50:00+02:00") and row.deadline == at("2024-06-25T08:50:00+02:00")
    finally:
        await services.db.close()
