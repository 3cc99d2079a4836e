"""End to end: the real Application behind a local Bot API — /start, browsing, /now, /venue, bad input."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.console.api import Call
from tests.conftest import FIXTURES, BotHarness, make_harness


def sends(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method in ("sendMessage", "editMessageText") and not c.error]


async def test_start_greets_with_dates_venue_and_main_buttons(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("/start", first_name="Ana"))
    assert reply.method == "sendMessage"
    assert "Hello Ana!" in reply.text
    assert "Cities Mission Conference 2024" in reply.text
    assert "25 June" in reply.text and "26 June 2024" in reply.text
    assert "Palau de la Música" in reply.text
    assert "provisional" in reply.text
    assert reply.button_labels == [
        "📅 Programme",
        "⭐ My agenda",
        "⏱ Now",
        "⏭ Next",
        "🎤 Speakers",
        "📍 Venue",
        "⚙️ Settings",
        "❓ Help",
    ]
    assert all(len(row) <= 2 for row in reply.buttons)  # a phone's width
    assert reply.params["parse_mode"] == "HTML"


async def test_the_main_menu_opens_the_agenda_and_the_settings(harness: BotHarness) -> None:
    (menu,) = sends(await harness.say("/start"))
    (agenda,) = sends(await harness.press(menu, "my"))
    assert agenda.method == "editMessageText"
    assert "agenda" in agenda.shown.lower()
    (settings,) = sends(await harness.press(menu, "set"))
    assert "10 min" in settings.shown or "10 minutes" in settings.shown


async def test_commands_are_registered_at_start_up(harness: BotHarness) -> None:
    registered = [c for c in harness.api.calls if c.method == "setMyCommands"]
    assert registered
    names = [c["command"] for c in registered[0].params["commands"]]
    # Later features add their commands; the foundation's keep their order.
    foundation = ["start", "programme", "now", "next", "venue", "help"]
    assert [n for n in names if n in foundation] == foundation
    assert {"my", "settings"} <= set(names)


async def test_first_contact_records_the_user(harness: BotHarness) -> None:
    from bot.storage.users import get_user

    await harness.say("/help", user_id=77, language="es")
    user = await get_user(harness.services.database, 77)
    assert user is not None and user.status == "active" and user.language == "es"


async def test_browse_day_session_and_back_edits_one_message(harness: BotHarness) -> None:
    (menu,) = sends(await harness.say("/start"))
    (days,) = sends(await harness.press(menu, "days"))
    assert days.method == "editMessageText"
    assert days.params["message_id"] == menu.result["message_id"]
    assert days.button_labels == ["Tue 25 June · 15 sessions", "Wed 26 June · 10 sessions"]

    (tracks,) = sends(await harness.press(menu, days.buttons[1][0]["callback_data"]))
    assert "Wednesday 26 June 2024</b> · Tracks" in tracks.text
    by_time = next(b["callback_data"] for row in tracks.buttons for b in row if b["text"] == "🕘 By time")
    (day,) = sends(await harness.press(menu, by_time))
    assert "Wednesday 26 June 2024" in day.text
    assert "Times in Europe/Madrid, CEST (UTC+02:00)" in day.text
    labels = day.button_labels
    panel_index = next(i for i, label in enumerate(labels) if label.startswith("11:30 "))
    panel_data = [b for row in day.buttons for b in row][panel_index]["callback_data"]
    assert len(panel_data.encode()) <= 64

    (card,) = sends(await harness.press(menu, panel_data))
    assert card.params["message_id"] == menu.result["message_id"]
    assert "Leveraging multi-level governance" in card.text
    assert "Wed 26 June 11:30–12:30" in card.text
    assert "Europe/Madrid" in card.text
    assert "Sala José Iturbi" in card.text
    assert "Provisional" not in card.text  # this one has a published time and room
    assert card.button_labels[0] == "☆ Add to my agenda" and card.button_labels[-2] == "⬅ Back to Wed 26 June"

    (back,) = sends(await harness.press(menu, card.buttons[-1][0]["callback_data"]))
    assert back.text == day.text


async def test_provisional_session_card_says_so(harness: BotHarness) -> None:
    (menu,) = sends(await harness.say("/start"))
    (card,) = sends(await harness.press(menu, "ses|cmc24-d1-inaugural"))
    assert "🗓 Tue 25 June 09:30–10:15\n" in card.shown
    assert "⚠️ Provisional: the official programme will replace it.\n📝 Organisers' note: Reported" in card.shown
    assert card.shown.lower().count("provisional") == 1
    assert "María José Catalá" in card.text and "Patrick Child" in card.text


async def test_day_pages_never_exceed_telegram_limits(harness: BotHarness) -> None:
    (menu,) = sends(await harness.say("/start"))
    (page1,) = sends(await harness.press(menu, "day|20240625|0"))
    assert "page 1 of 3" in page1.text  # 7 sessions a page at most, time slots kept whole
    assert page1.button_labels[-2:] == ["Later ▶", "⬅ Tue 25 June"]
    (page2,) = sends(await harness.press(menu, "day|20240625|1"))
    assert "page 2 of 3" in page2.text and "◀ Earlier" in page2.button_labels


async def test_now_at_a_set_clock(harness: BotHarness) -> None:
    harness.clock.set(datetime.fromisoformat("2024-06-26T11:40:00+02:00"))
    (reply,) = sends(await harness.say("/now"))
    assert "On now" in reply.text
    assert "11:30–12:30" in reply.text and "multi-level governance" in reply.text
    assert reply.text.endswith("🕘 Times in Europe/Madrid, CEST (UTC+02:00)")
    (upcoming,) = sends(await harness.say("/next"))
    assert "Starting next" in upcoming.text and upcoming.text.endswith("🕘 Times in Europe/Madrid, CEST (UTC+02:00)")


async def test_now_before_and_after_the_conference(harness: BotHarness) -> None:
    harness.clock.set(datetime.fromisoformat("2024-06-23T08:30:00+02:00"))
    (before,) = sends(await harness.say("/now"))
    assert "starts in 2 days" in before.text and "First up" in before.text
    assert "🕘 Times in Europe/Madrid, CEST (UTC+02:00)" in before.text
    assert "08:30" in before.button_labels[0]
    harness.clock.set(datetime.fromisoformat("2024-06-27T09:00:00+02:00"))
    (after,) = sends(await harness.say("/next"))
    assert "is over" in after.text and "Times in" not in after.text  # no time shown, no zone line


async def test_venue_has_address_and_map_link(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("/venue"))
    assert "Palau de la Música" in reply.text and "Albereda" in reply.text
    assert reply.buttons[0][0]["url"].startswith("https://www.openstreetmap.org/")


async def test_unknown_text_and_command_point_to_help(harness: BotHarness) -> None:
    for text in ("/frobnicate", "x" * 4096):
        (reply,) = sends(await harness.say(text))
        assert "/help" in reply.text


async def test_sticker_and_photo_get_a_friendly_answer(harness: BotHarness) -> None:
    start = len(harness.api.calls)
    harness.api.send_other(
        42,
        {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "s",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
    )
    (reply,) = sends(await harness.replies(start))
    assert "text messages" in reply.text


async def test_group_chat_silence_unless_addressed(harness: BotHarness) -> None:
    group = {"id": -100123, "type": "supergroup", "title": "Delegates"}
    start = len(harness.api.calls)
    harness.api.send_text(42, "hello everyone", chat=group)
    harness.api.send_text(42, f"@{harness.api.bot_username} hello", chat=group)
    calls = sends(await harness.replies(start))
    assert len(calls) == 1 and calls[0].chat_id == -100123 and "/help" in calls[0].text


async def test_forged_and_stale_buttons_are_answered_gracefully(harness: BotHarness) -> None:
    (menu,) = sends(await harness.say("/start"))
    for data in ("ses|no-such-session", "day|20990101|0", "day|garbage", "🤖" * 10, "x|" * 20):
        calls = await harness.press(menu, data)
        answers = [c for c in calls if c.method == "answerCallbackQuery"]
        assert answers, f"{data!r} was not answered"
        # Re-showing the menu the user already sees is refused as "not modified", harmlessly.
        refused = [c for c in calls if c.error and "not modified" not in c.error]
        assert not refused, f"{data!r} caused a refused call"
        assert not [c for c in sends(calls) if "went wrong" in c.text]


async def test_double_tap_on_the_same_button_is_harmless(harness: BotHarness) -> None:
    (menu,) = sends(await harness.say("/start"))
    await harness.press(menu, "days")
    calls = await harness.press(menu, "days")
    assert not [c for c in calls if c.method == "sendMessage"], "no error message for a double tap"


async def test_programme_text_is_escaped(tmp_path: Path) -> None:
    async with make_harness(
        tmp_path, programme_path=FIXTURES / "mini-frab.json", now=datetime.fromisoformat("2024-03-01T10:10:00+00:00")
    ) as h:
        (reply,) = sends(await h.say("/now"))
        assert "Opening <b>&amp;</b> welcome" in h.last_message()["text"]
        assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in reply.text
        (_start,) = sends(await h.say("/start"))
        assert "Mini Conf <b>&amp;</b>" in h.last_message()["text"]
