"""End to end through the Bot API protocol: questions in the delegate's own words, /search, paging, groups."""

from __future__ import annotations

from pathlib import Path

from bot.console.api import Call
from bot.programme.model import session_key
from tests.conftest import FIXTURES, BotHarness, make_harness

GROUP = {"id": -1001, "type": "supergroup", "title": "Delegates"}


def sends(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method in ("sendMessage", "editMessageText") and not c.error]


async def test_a_question_gets_the_session_with_its_button_and_the_button_opens_the_card(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("When is the panel on multi-level governance?"))
    assert "Wed 26 June 11:30–12:30" in reply.shown
    assert "Sala José Iturbi" in reply.shown
    label = reply.button_labels[0]
    assert label.startswith("Wed 26 June 11:30 ")
    data = reply.buttons[0][0]["callback_data"]
    assert data == "ses|" + session_key("cmc24-d2-governance-panel")

    (card,) = sends(await harness.press(reply, data))
    assert card.method == "editMessageText" and card.params["message_id"] == reply.result["message_id"]
    assert "Leveraging multi-level governance" in card.shown
    assert "🗓 Wed 26 June 11:30–12:30" in card.shown


async def test_a_question_in_spanish(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("¿A qué hora es el panel de gobernanza multinivel?", language="es"))
    assert "11:30–12:30" in reply.shown and "Sala José Iturbi" in reply.shown
    (venue,) = sends(await harness.say("¿Dónde es la conferencia?", language="es"))
    assert "Palau de la Música" in venue.shown
    assert venue.buttons[0][0]["url"].startswith("https://www.openstreetmap.org/")


async def test_a_question_with_no_answer_says_so_and_points_to_help(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("what's the weather like in Valencia?"))
    assert "I found nothing in the programme about “weather”." in reply.shown
    assert "/help" in reply.shown
    assert not any(b.get("callback_data", "").startswith("ses|") for row in reply.buttons for b in row)


async def test_time_relative_questions_read_the_bot_clock(harness: BotHarness) -> None:
    from datetime import datetime

    harness.clock.set(datetime.fromisoformat("2024-06-26T11:40:00+02:00"))
    (now,) = sends(await harness.say("what's happening now?"))
    assert "On now" in now.shown and "multi-level governance" in now.shown
    (nxt,) = sends(await harness.say("and what's next?"))
    assert "12:30" in nxt.shown and "Carta Verde" in nxt.shown


async def test_search_command_and_its_usage(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("/search capital hub"))
    assert "Launch of the Climate City Capital Hub" in reply.shown
    assert reply.buttons[0][0]["callback_data"] == "ses|cmc24-capital-hub"
    (usage,) = sends(await harness.say("/search"))
    assert "/search" in usage.shown and "opening" in usage.shown


async def test_more_pages_through_the_matches_in_place(harness: BotHarness) -> None:
    (first,) = sends(await harness.say("workshops"))
    assert "page 1 of 2" in first.shown
    more = first.buttons[-1][0]
    assert more["text"] == "More ▶" and len(more["callback_data"].encode()) <= 64
    (second,) = sends(await harness.press(first, more["callback_data"]))
    assert second.method == "editMessageText" and "page 2 of 2" in second.shown
    (back,) = sends(await harness.press(first, second.buttons[-1][0]["callback_data"]))
    assert back.shown == first.shown


async def test_unknown_commands_still_go_to_the_fallback(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("/frobnicate"))
    assert "Sorry, I did not understand that" in reply.shown


async def test_in_groups_the_bot_answers_only_when_addressed(harness: BotHarness) -> None:
    start = len(harness.api.calls)
    harness.api.send_text(42, "when is the opening panel?", chat=GROUP)
    calls = await harness.say("@conference_companion_bot when is the opening panel?", chat=GROUP)
    replies = [c for c in sends(harness.api.calls[start:]) if c.chat_id == GROUP["id"]]
    assert len(replies) == 1 and replies[0] in calls
    assert "Opening panel" in replies[0].shown and "Tue 25 June 10:15–11:30" in replies[0].shown


async def test_another_programme_is_answered_the_same_way(tmp_path: Path) -> None:
    async with make_harness(tmp_path, programme_path=FIXTURES / "answer-fest.yaml") as h:
        (reply,) = sends(await h.say("talks by Ivan"))
        assert "Ivan Petrenko — Security researcher" in reply.shown
        assert "Thu 15 May 10:00–10:45" in reply.shown and "Anchor Room" in reply.shown
        (venue,) = sends(await h.say("where is the venue?"))
        assert "Dock Hall" in venue.shown and "Cities Mission" not in venue.shown


async def test_each_answered_session_can_be_bookmarked_in_place(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("when is the launch of the capital hub?"))
    ((open_card,), (star,)) = reply.buttons[:2]
    assert open_card["callback_data"] == "ses|cmc24-capital-hub" and star["text"] == "☆ Add to my agenda"
    calls = await harness.press(reply, star["callback_data"])
    (edit,) = [c for c in calls if c.method == "editMessageReplyMarkup"]
    rows = edit.params["reply_markup"]["inline_keyboard"]
    assert rows[0][0]["text"] == "★ " + open_card["text"]  # the row's star, redrawn with the toggle
    assert rows[1][0]["text"] == "★ In my agenda · remove"
    (again,) = sends(await harness.say("capital hub"))
    assert again.buttons[0][0]["text"].startswith("★ ") and again.buttons[1][0]["text"] == "★ In my agenda · remove"


async def test_a_question_in_another_language_is_answered_in_it_and_the_setting_stays(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("¿Cuándo es la sesión de clausura?", language="en"))
    assert "Closing session" in reply.shown
    assert "mié, 26 de junio 14:30" in reply.shown  # the date in Spanish
    assert "Horas en Europe/Madrid" in reply.shown
    (english,) = sends(await harness.say("when is the closing session?", language="en"))
    assert "Wed 26 June 14:30" in english.shown and "Times in Europe/Madrid" in english.shown
    (menu,) = sends(await harness.say("/help", language="en"))
    assert "/programme — Browse the programme by day" in menu.shown  # /help stays in the delegate's English


async def test_that_room_means_the_room_last_looked_at(tmp_path: Path) -> None:
    from datetime import datetime

    async with make_harness(tmp_path, now=datetime.fromisoformat("2024-06-25T10:00:00+02:00")) as h:
        (which,) = sends(await h.say("what's next in that room?"))
        assert which.shown.startswith("Which room do you mean?")
        assert which.button_labels == ["Tue 25 June", "Wed 26 June"]

        (found,) = sends(await h.say("When is the panel on multi-level governance?"))
        assert "Sala José Iturbi" in found.shown
        (after,) = sends(await h.say("what's next in that room?"))
        assert "📍 Sala José Iturbi" in after.shown
        assert "Opening session: mayors on integrated climate action" in after.shown
        assert "Sala Joaquín Rodrigo" not in after.shown

        # A card opened by a button changes what 'that room' is; in German too.
        (rodrigo,) = sends(await h.say("closing session"))
        (card,) = sends(await h.press(rodrigo, rodrigo.buttons[0][0]["callback_data"]))
        assert "Sala Joaquín Rodrigo" in card.shown
        (german,) = sends(await h.say("Was kommt als Nächstes in diesem Raum?", language="de"))
        assert "📍 Sala Joaquín Rodrigo" in german.shown and "Sala José Iturbi ·" not in german.shown
        assert "weggelassen" not in german.shown  # 'diesem' is understood, not left out
