"""End to end: ☆/★ on cards and lists, the overlap prompt, /my, the .ics file, /settings and bad input."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from bot.console.api import Call
from bot.storage import bookmarks, preferences
from tests.conftest import FIXTURES, BotHarness, make_harness

BEFORE = datetime.fromisoformat("2024-06-24T18:00:00+02:00")


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with make_harness(tmp_path, programme_path=FIXTURES / "agenda.yaml", now=BEFORE) as harness:
        yield harness


def sends(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method in ("sendMessage", "editMessageText") and not c.error]


def answers(calls: list[Call]) -> list[str]:
    return [str(c.params.get("text") or "") for c in calls if c.method == "answerCallbackQuery"]


def current(h: BotHarness, call: Call) -> dict[str, Any]:
    """The message as the user sees it now (after edits)."""
    return h.api.messages[(call.chat_id or 0, call.result["message_id"])]


def keyboard(message: dict[str, Any]) -> list[tuple[str, str]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


def data_of(message: dict[str, Any], label: str) -> str:
    found = [d for text, d in keyboard(message) if text == label or text.startswith(label)]
    assert found, f"no {label!r} in {keyboard(message)}"
    return found[0]


async def open_card(h: BotHarness, key: str, user_id: int = 42) -> Call:
    (menu,) = sends(await h.say("/programme", user_id=user_id))
    (card,) = sends(await h.press(menu, f"ses|{key}", user_id=user_id))
    return card


async def ids(h: BotHarness, user_id: int = 42) -> frozenset[str]:
    return await bookmarks.bookmarked_ids(h.services.database, user_id)


async def test_bookmark_and_unbookmark_from_a_card(h: BotHarness) -> None:
    card = await open_card(h, "keynote")
    assert card.button_labels[0] == "☆ Add to my agenda"
    calls = await h.press(current(h, card), data_of(current(h, card), "☆ Add"))
    assert answers(calls) == ["★ Added to your agenda"]
    assert [c.method for c in calls if c.method.startswith("edit")] == ["editMessageReplyMarkup"]
    assert keyboard(current(h, card))[0][0] == "★ In my agenda · remove"
    assert "Keynote <& welcome>" in current(h, card)["text"]  # the card itself stays
    assert await ids(h) == {"keynote"}

    calls = await h.press(current(h, card), data_of(current(h, card), "★ In my agenda"))
    assert answers(calls) == ["Removed from your agenda"]
    assert keyboard(current(h, card))[0][0] == "☆ Add to my agenda"
    assert await ids(h) == frozenset()
    # Reopening the card shows the stored state.
    await bookmarks.add_bookmark(h.services.database, 42, "keynote", BEFORE)
    assert (await open_card(h, "keynote")).button_labels[0] == "★ In my agenda · remove"


async def test_bookmark_from_a_card_opened_from_the_day_list_and_now(h: BotHarness) -> None:
    (menu,) = sends(await h.say("/programme"))
    (day,) = sends(await h.press(menu, "day|20240625|0"))
    rows = day.buttons
    assert all(len(r) == 1 for r in rows)  # a row is one button that opens the card: titles keep the width
    assert rows[0][0]["text"] == "09:00 Keynote <& welcome>"
    assert rows[0][0]["callback_data"] == "ses|keynote"
    (card,) = sends(await h.press(current(h, day), rows[0][0]["callback_data"]))
    await h.press(current(h, card), data_of(current(h, card), "☆ Add"))
    assert await ids(h) == {"keynote"}
    (again,) = sends(await h.press(current(h, card), data_of(current(h, card), "⬅ Back to")))
    labels = [b for b, _ in keyboard(current(h, again))]
    assert labels[0] == "★ 09:00 Keynote <& welcome>"  # the row's label carries the star
    assert not [label for label in labels[1:] if label.startswith("★")]

    h.clock.set(datetime.fromisoformat("2024-06-25T09:10:00+02:00"))
    (now,) = sends(await h.say("/now"))
    on_now = {b["text"]: b for row in now.buttons for b in row}
    assert on_now["★ 09:00 Keynote <& welcome>"]["callback_data"] == "ses|keynote"
    (nxt,) = sends(await h.say("/next"))
    assert not [label for label in nxt.button_labels if label.startswith("★")]


async def test_old_list_toggles_still_work(h: BotHarness) -> None:
    # Messages sent before rows became one button carry a compact ☆ beside the title: it still toggles in place.
    (card,) = sends(await h.say("/programme"))
    calls = await h.press(current(h, card), "bm|1l|keynote")
    assert answers(calls) == ["★ Added to your agenda"] and await ids(h) == {"keynote"}


async def test_overlap_prompt_keep_both(h: BotHarness) -> None:
    await h.press(current(h, await open_card(h, "keynote")), "bm|1c|keynote")
    card = await open_card(h, "workshop")
    calls = await h.press(current(h, card), "bm|1c|workshop")
    (prompt,) = [c for c in sends(calls) if c.method == "sendMessage"]
    assert "Hands-on workshop" in prompt.shown and "overlaps with your agenda" in prompt.shown
    assert "09:00–10:00 Keynote <& welcome>" in prompt.shown
    assert prompt.button_labels == ["✅ Keep both", "🔁 Replace the other one"]
    (kept,) = sends(await h.press(prompt, prompt.buttons[0][0]["callback_data"]))
    assert kept.method == "editMessageText" and "Kept both" in kept.shown
    assert await ids(h) == {"keynote", "workshop"}
    # A double tap on the toggle neither duplicates nor asks again.
    again = await h.press(current(h, card), "bm|1c|workshop")
    assert not [c for c in sends(again) if c.method == "sendMessage"]
    assert await ids(h) == {"keynote", "workshop"}


async def test_overlap_prompt_replace_the_others(h: BotHarness) -> None:
    for key in ("keynote", "panel"):
        await h.press(current(h, await open_card(h, key)), f"bm|1c|{key}")
    calls = await h.press(current(h, await open_card(h, "workshop")), "bm|1c|workshop")
    (prompt,) = [c for c in sends(calls) if c.method == "sendMessage"]
    assert prompt.button_labels == ["✅ Keep both", "🔁 Replace the other ones"]
    (done,) = sends(await h.press(prompt, prompt.buttons[1][0]["callback_data"]))
    assert "Hands-on workshop is in your agenda" in done.shown
    assert "Removed:" in done.shown and "Keynote" in done.shown and "Panel on engines" in done.shown
    assert await ids(h) == {"workshop"}
    calls = await h.press(current(h, done), prompt.buttons[1][0]["callback_data"])  # a stale second tap
    assert await ids(h) == {"workshop"} and not [c for c in calls if c.error and "not modified" not in c.error]


async def test_my_agenda_by_day_with_overlaps_and_cards(h: BotHarness) -> None:
    (empty,) = sends(await h.say("/my"))
    assert "Your agenda is empty" in empty.shown
    db = h.services.database
    for key in ("d2-late", "workshop", "keynote", "dropped"):
        await bookmarks.add_bookmark(db, 42, key, BEFORE)
    await bookmarks.add_bookmark(db, 42, "vanished-session", BEFORE)
    (agenda,) = sends(await h.say("/my"))
    text = agenda.shown
    assert "My agenda · 4 sessions" in text
    assert text.index("Tue 25 June") < text.index("09:00–10:00") < text.index("09:30–10:30") < text.index("Wed 26")
    assert text.count("Overlaps another session in your agenda") == 2
    assert "(cancelled)" in text and "1 bookmarked session is no longer in the programme" in text
    labels = agenda.button_labels
    assert labels[:2] == ["★ Tue 25 June 09:00 Keynote <& welcome>", "★ Tue 25 June 09:30 Hands-on workshop"]
    assert "📆 Add to calendar" in labels
    (card,) = sends(await h.press(agenda, agenda.buttons[0][0]["callback_data"]))
    assert "Keynote <& welcome>" in card.shown and card.button_labels[0] == "★ In my agenda · remove"
    # Removing from /my redraws the agenda.
    (again,) = sends(await h.say("/my"))
    (redrawn,) = sends(await h.press(again, "bm|0m0|workshop"))
    assert "My agenda · 3 sessions" in redrawn.shown and "Overlaps" not in redrawn.shown


async def test_add_to_calendar_sends_the_ics(h: BotHarness) -> None:
    for key in ("keynote", "workshop", "d2-opening"):
        await bookmarks.add_bookmark(h.services.database, 42, key, BEFORE)
    (agenda,) = sends(await h.say("/my"))
    calls = await h.press(agenda, data_of(current(h, agenda), "📆"))
    (doc,) = [c for c in calls if c.method == "sendDocument" and not c.error]
    assert doc.result["document"]["file_name"] == "atd24-my-agenda.ics"
    assert "add 3 sessions to your calendar" in doc.result["caption"]
    (_name, content, _mime) = next(iter(doc.files.values()))
    cal = Calendar.from_ical(content)
    events = cal.walk("VEVENT")
    assert sorted(str(e["summary"]) for e in events) == ["Day two opening", "Hands-on workshop", "Keynote <& welcome>"]
    assert {e["dtstart"].params["TZID"] for e in events} == {"Europe/Madrid"}
    assert {str(e["location"]).split(",")[0] for e in events} == {"Main Hall", "Side Room"}
    assert [str(z["tzid"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Madrid"]


async def test_add_to_calendar_with_an_empty_agenda(h: BotHarness) -> None:
    (menu,) = sends(await h.say("/start"))
    calls = await h.press(menu, "ics")
    assert not [c for c in calls if c.method == "sendDocument"]
    assert "Your agenda is empty" in sends(calls)[-1].shown


async def test_settings_change_and_persist(h: BotHarness) -> None:
    (view,) = sends(await h.say("/settings"))
    assert "Reminders: 10 minutes before each session in your agenda" in view.shown
    assert "Morning digest at 08:00: on" in view.shown
    assert "✓ 10 min" in view.button_labels
    (changed,) = sends(await h.press(view, data_of(current(h, view), "15 min")))
    assert changed.method == "editMessageText" and "Reminders: 15 minutes before" in changed.shown
    assert "✓ 15 min" in changed.button_labels
    (off,) = sends(await h.press(view, data_of(current(h, view), "🌅 Morning digest")))
    assert "Morning digest at 08:00: off" in off.shown
    (no_reminders,) = sends(await h.press(view, data_of(current(h, view), "Off")))
    assert "Reminders: off" in no_reminders.shown and "✓ Off" in no_reminders.button_labels
    for label in ("📣 Run-up messages", "🔔 Change alerts"):
        await h.press(view, data_of(current(h, view), label))
    prefs = await preferences.get_preferences(h.services.database, 42)
    assert (prefs.reminder_minutes, prefs.reminders, prefs.digest, prefs.runup, prefs.change_alerts) == (
        15,
        False,
        False,
        False,
        False,
    )
    assert (await preferences.get_preferences(h.services.database, 43)).reminders  # another user's are untouched


async def test_forged_stale_and_foreign_bookmark_buttons(h: BotHarness) -> None:
    await bookmarks.add_bookmark(h.services.database, 43, "keynote", BEFORE)
    card = await open_card(h, "keynote")
    for data, expected in (
        ("bm|1c|no-such-session", "That session is no longer in the programme."),
        ("bm|1c|dropped", "This session is cancelled, so it cannot be added to your agenda."),
        ("bm|9z|keynote", "That session is no longer in the programme."),
        ("bm|1m99999999|keynote", "That session is no longer in the programme."),
        ("bmo|r|no-such-session", "That session is no longer in the programme."),
        ("bmo|x|keynote", "That session is no longer in the programme."),
        ("set|r|7", "That setting is not available any more. Here are your current settings."),
        ("rem|z|keynote", "That session is no longer in the programme."),
        ("rem|c|gone", "That session is no longer in the programme."),
    ):
        calls = await h.press(current(h, card), data)
        assert answers(calls) == [expected], data
        assert not [c for c in calls if c.error and "not modified" not in c.error], data
        assert not [c for c in sends(calls) if "went wrong" in c.text], data
    # User 42 "removing" the keynote touches only their own (empty) bookmarks, never user 43's.
    await h.press(current(h, card), "bm|0c|keynote")
    assert await ids(h, 43) == {"keynote"} and await ids(h, 42) == frozenset()
    assert (await preferences.get_preferences(h.services.database, 42)).reminder_minutes == 10
