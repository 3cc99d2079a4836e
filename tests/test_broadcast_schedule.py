"""End to end: scheduling a broadcast in the event time zone, /scheduled, cancel, send now, the due time."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.storage import broadcasts
from bot.storage.audit import entries as audit_entries
from tests.conftest import BotHarness
from tests.support.organisers import (
    ORGANISER,
    choose,
    compose,
    delegates,
    organiser_harness,
    outbox_rows,
    press,
    sent,
    shown,
)

START = datetime.fromisoformat("2024-06-20T10:00:00+02:00")


@pytest.fixture
async def h(tmp_path: Path) -> BotHarness:  # type: ignore[misc]
    async with organiser_harness(tmp_path, now=START) as harness:
        await delegates(harness, 11, 12)
        yield harness


async def schedule(h: BotHarness, text: str, when: str) -> list[str]:
    """Compose a broadcast to everyone, press Schedule… and answer with `when`; returns the bot's answers."""
    _, control = await compose(h, text)
    await choose(h, control, "👥 Everyone")
    start = len(h.api.calls)
    keyboard = shown(h, control)["reply_markup"]["inline_keyboard"]
    data = next(b["callback_data"] for row in keyboard for b in row if b["text"] == "🕒 Schedule…")
    h.api.press(ORGANISER, control.result, data)
    await h.api.wait_for(lambda c: c.method == "sendMessage", start=start, timeout=10)
    assert "When should it go out?" in sent(h.api.calls[start:])[-1].shown
    return [c.shown for c in sent(await h.say(when, user_id=ORGANISER))]


async def test_a_time_in_the_past_or_unreadable_is_refused_and_asked_again(h: BotHarness) -> None:
    answers = await schedule(h, "Reminder", "2024-06-19 18:00")
    assert answers == ["That time has already passed (it is now 2024-06-20 10:00). Send a later time, or /cancel."]
    (again,) = [c.shown for c in sent(await h.say("next tuesday-ish", user_id=ORGANISER))]
    assert again == "I could not read that time. Write it like 2024-06-24 18:00, or /cancel."
    (done,) = [c.shown for c in sent(await h.say("2024-06-24 18:00", user_id=ORGANISER))]
    assert "Broadcast #1 scheduled for Mon 24 June 18:00 (Europe/Madrid), to everyone." in done
    b = await broadcasts.get(h.services.database, 1)
    assert b is not None and b.state == "scheduled"
    assert b.scheduled_at == datetime.fromisoformat("2024-06-24T18:00:00+02:00")
    assert await outbox_rows(h, "broadcast:1") == []


async def test_scheduled_broadcast_goes_out_at_its_time_and_not_before(h: BotHarness) -> None:
    await schedule(h, "Tomorrow: doors at 08:30", "2024-06-24 18:00")
    h.clock.set(datetime.fromisoformat("2024-06-24T17:59:00+02:00"))
    await h.run_job("broadcast-tick")  # what the next tick does at 17:59
    assert await outbox_rows(h, "broadcast:1") == []
    h.clock.set(datetime.fromisoformat("2024-06-24T18:00:30+02:00"))
    await h.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 12 and "doors" in c.text, timeout=10)
    rows = await outbox_rows(h, "broadcast:1")
    assert [r["chat_id"] for r in rows] == [ORGANISER, 11, 12]
    b = await broadcasts.get(h.services.database, 1)
    assert b is not None and b.state in ("sending", "done")


async def test_scheduled_lists_it_and_cancel_removes_it(h: BotHarness) -> None:
    await schedule(h, "To be cancelled", "2024-06-24 18:00")
    (listing,) = sent(await h.say("/scheduled", user_id=ORGANISER))
    assert "#1 · Mon 24 June 18:00 · everyone" in listing.shown and "To be cancelled" in listing.shown
    assert listing.button_labels[:2] == ["▶ Send #1 now", "✖ Cancel #1"]
    after = await press(h, listing, "sc|bx|1")
    assert "#1 ·" not in after.shown and "Scheduled broadcasts\nNone." in after.shown
    h.clock.set(datetime.fromisoformat("2024-06-24T18:01:00+02:00"))
    await h.run_job("broadcast-tick")
    assert await outbox_rows(h, "broadcast:1") == []
    (b,) = [a for a in await audit_entries(h.services.database) if a.action == "broadcast.cancel"]
    assert b.organiser_id == ORGANISER and b.detail == "#1"


async def test_send_now_from_scheduled(h: BotHarness) -> None:
    await schedule(h, "Right away after all", "2024-06-24 18:00")
    (listing,) = sent(await h.say("/scheduled", user_id=ORGANISER))
    await press(h, listing, "sc|bn|1")
    await h.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 11 and "Right away" in c.text, timeout=10)
    again = await press(h, listing, "sc|bn|1")
    assert again.method == "answerCallbackQuery" or "#1 ·" not in again.shown
    assert len(await outbox_rows(h, "broadcast:1")) == 3


async def test_a_restart_while_the_bot_waits_for_the_time_keeps_the_step(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=START) as h:
        _, control = await compose(h, "Doors open at 08:30")
        await choose(h, control, "👥 Everyone")
        keyboard = shown(h, control)["reply_markup"]["inline_keyboard"]
        data = next(b["callback_data"] for row in keyboard for b in row if b["text"] == "🕒 Schedule…")
        await h.press(control, data, user_id=ORGANISER)
    async with organiser_harness(tmp_path, now=START) as again:
        (done,) = [c.shown for c in sent(await again.say("2024-06-24 18:00", user_id=ORGANISER))]
        assert "Broadcast #1 scheduled for Mon 24 June 18:00 (Europe/Madrid), to everyone." in done
        b = await broadcasts.get(again.services.database, 1)
        assert b is not None and b.state == "scheduled"


async def test_a_dialogue_abandoned_longer_than_half_an_hour_is_not_resumed_by_a_restart(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=START) as h:
        await h.say("/broadcast", user_id=ORGANISER)
    async with organiser_harness(tmp_path, now=START + timedelta(minutes=31)) as later:
        replies = [c.shown for c in sent(await later.say("where is the venue?", user_id=ORGANISER))]
        assert replies and not any("Who should get it?" in r for r in replies)
        assert any("Palau de la Música" in r for r in replies)  # answered as the question it is
        assert await broadcasts.get(later.services.database, 1) is None
