"""End to end: the /broadcast dialogue through the Bot API — message, audience, preview, send, cancel."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.storage import bookmarks, users
from bot.storage.audit import entries as audit_entries
from tests.conftest import BotHarness
from tests.support.organisers import (
    ORGANISER,
    choose,
    compose,
    delegates,
    last_broadcast,
    organiser_harness,
    outbox_rows,
    sent,
    shown,
)

NOW = datetime(2024, 6, 1, 8, tzinfo=UTC)


@pytest.fixture
async def h(tmp_path: Path) -> BotHarness:  # type: ignore[misc]
    async with organiser_harness(tmp_path) as harness:
        await delegates(harness, 11, 12, 13)
        yield harness


async def test_everyone_preview_exactly_as_recipients_see_it_then_send(h: BotHarness) -> None:
    formatting = [
        {"type": "bold", "offset": 0, "length": 5},
        {"type": "italic", "offset": 14, "length": 5},
        {"type": "text_link", "offset": 22, "length": 3, "url": "https://x.example/"},
    ]
    preview, control = await compose(h, "Doors open at 08:30 — map <3", entities=formatting)
    assert preview.text == '<b>Doors</b> open at <i>08:30</i> — <a href="https://x.example/">map</a> &lt;3'
    assert preview.shown == "Doors open at 08:30 — map <3"
    assert "Who should get it?" in control.shown
    assert control.button_labels[0] == "👥 Everyone (4)"  # three delegates and the organiser

    options = await choose(h, control, "👥 Everyone")
    assert "Audience: everyone." in options.shown and "4 people will get it." in options.shown
    assert options.button_labels == ["✅ Send to 4 people", "🕒 Schedule…", "👥 Change audience", "✖ Cancel"]

    report = await choose(h, control, "✅ Send to 4 people")
    assert report.params["message_id"] == control.result["message_id"]  # the preview turned into the report
    assert "Sending broadcast #1 to everyone" in report.shown and "remaining 4 of 4" in report.shown
    assert report.button_labels == ["⏹ Stop"]

    b = await last_broadcast(h)
    rows = await outbox_rows(h, b.batch)
    assert [r["key"] for r in rows] == [f"broadcast:{b.id}:{uid}" for uid in (ORGANISER, 11, 12, 13)]
    assert all(r["kind"] == "broadcast" for r in rows)
    assert '"text": "<b>Doors</b> open at' in rows[0]["payload"]
    (audit,) = [a for a in await audit_entries(h.services.database) if a.action == "broadcast.send"]
    assert (audit.organiser_id, audit.audience, audit.count) == (ORGANISER, "all", 4)


async def test_session_audience_counts_only_its_bookmarkers(h: BotHarness) -> None:
    db, now = h.services.database, h.services.clock.now()
    await bookmarks.add_bookmark(db, 11, "cmc24-d1-inaugural", now)
    await bookmarks.add_bookmark(db, 12, "cmc24-d1-inaugural", now)
    await bookmarks.add_bookmark(db, 13, "cmc24-d1-ws-ccc", now)
    _, control = await compose(h, "The inaugural session moves to the Sala Iturbi.")
    await choose(h, control, "🔖 People who bookmarked a session")
    await choose(h, control, "Tue 25 June")
    options = await choose(h, control, "09:30")
    assert "people who bookmarked “Inaugural session" in options.shown or "people who bookmarked “" in options.shown
    assert "2 people will get it." in options.shown
    await choose(h, control, "✅ Send to 2 people")
    rows = await outbox_rows(h, (await last_broadcast(h)).batch)
    assert [r["chat_id"] for r in rows] == [11, 12]


async def test_language_audience(h: BotHarness) -> None:
    await users.set_language(h.services.database, 12, "es")
    await users.set_language(h.services.database, 13, "es")
    _, control = await compose(h, "Hola a todos")
    menu = await choose(h, control, "🌐 People by language")
    assert menu.button_labels[:2] == ["English (2)", "Spanish (2)"]
    options = await choose(h, control, "Spanish")
    assert "people whose language is Spanish" in options.shown and "2 people will get it." in options.shown
    await choose(h, control, "✅ Send to 2 people")
    assert [r["chat_id"] for r in await outbox_rows(h, (await last_broadcast(h)).batch)] == [12, 13]


async def test_room_and_day_audience(h: BotHarness) -> None:
    db, now = h.services.database, h.services.clock.now()
    await bookmarks.add_bookmark(db, 11, "cmc24-d1-inaugural", now)  # Sala Joaquín Rodrigo, day 1
    await bookmarks.add_bookmark(db, 12, "cmc24-d1-wrapup", now)  # same room, same day
    await bookmarks.add_bookmark(db, 13, "cmc24-connecting-missions", now)  # Iturbi
    _, control = await compose(h, "The Rodrigo hall is too warm: bring water.")
    await choose(h, control, "🏛 Bookmarks in a room")
    await choose(h, control, "Tue 25 June")
    options = await choose(h, control, "Sala Joaquín Rodrigo")
    assert "people with a bookmark in Sala Joaquín Rodrigo on Tue 25 June" in options.shown
    await choose(h, control, "✅ Send to 2 people")
    assert [r["chat_id"] for r in await outbox_rows(h, (await last_broadcast(h)).batch)] == [11, 12]


async def test_cancel_at_the_preview_sends_nothing_and_old_buttons_say_so(h: BotHarness) -> None:
    _, control = await compose(h, "Never mind")
    await choose(h, control, "👥 Everyone")
    cancelled = await choose(h, control, "✖ Cancel")
    assert "Broadcast #1 cancelled. Nothing was sent." in cancelled.shown and cancelled.button_labels == []
    calls = await h.press(control, "bc|go|1|", user_id=ORGANISER)
    (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params["text"] == "That broadcast was cancelled."
    assert await outbox_rows(h, "broadcast:1") == []


async def test_change_audience_goes_back_to_the_menu(h: BotHarness) -> None:
    _, control = await compose(h, "Hello")
    await choose(h, control, "👥 Everyone")
    menu = await choose(h, control, "👥 Change audience")
    assert "Who should get it?" in menu.shown
    await choose(h, control, "🌐 People by language")
    back = await choose(h, control, "⬅ Back")
    assert "Who should get it?" in back.shown


async def test_cancel_command_leaves_the_dialogue(h: BotHarness) -> None:
    await h.say("/broadcast", user_id=ORGANISER)
    (reply,) = sent(await h.say("/cancel", user_id=ORGANISER))
    assert reply.shown == "Cancelled. Nothing was sent."
    (after,) = sent(await h.say("hello there", user_id=ORGANISER))
    assert "New broadcast" not in after.shown and "Who should get it" not in after.shown


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([], id="audience-menu"),
        pytest.param(["👥 Everyone"], id="preview"),
        pytest.param(["🌐 People by language"], id="language-menu"),
        pytest.param(["👥 Everyone", "🕒 Schedule…"], id="asking-for-a-time"),
    ],
)
async def test_cancel_at_every_step_of_the_broadcast_cancels_the_draft(h: BotHarness, steps: list[str]) -> None:
    _, control = await compose(h, "Never mind")
    for label in steps:
        if label != "🕒 Schedule…":
            await choose(h, control, label)
            continue
        # Schedule… asks for the time in a new message rather than editing the control message.
        buttons = [b for row in shown(h, control)["reply_markup"]["inline_keyboard"] for b in row]
        (schedule,) = [b["callback_data"] for b in buttons if b["text"] == label]
        asked = sent(await h.press(control, schedule, user_id=ORGANISER))
        assert "When should it go out?" in asked[-1].shown
    start = len(h.api.calls)
    (reply,) = sent(await h.say("/cancel", user_id=ORGANISER))
    assert reply.shown == "Cancelled. Nothing was sent."
    await h.api.wait_for(lambda c: c.method == "editMessageText", timeout=10, start=start)
    assert shown(h, control)["text"] == "✖ Broadcast #1 cancelled. Nothing was sent."
    assert "reply_markup" not in shown(h, control)
    assert (await last_broadcast(h)).state == "cancelled"
    (after,) = sent(await h.say("/cancel", user_id=ORGANISER))
    assert after.shown == "There is nothing to cancel."


async def test_cancel_with_nothing_open_says_so_to_anyone(h: BotHarness) -> None:
    (organiser,) = sent(await h.say("/cancel", user_id=ORGANISER))
    (delegate,) = sent(await h.say("/cancel", user_id=11))
    assert organiser.shown == delegate.shown == "There is nothing to cancel."
