"""What is personal stays private: /my, /settings and /stats answer in groups with a pointer to the private
chat; only people who talk to the bot in private count as delegates; an update without a sender crashes nothing."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.console.api import Call
from bot.storage import bookmarks, users
from tests.conftest import BotHarness
from tests.support.organisers import ORGANISER, organiser_harness

GROUP = {"id": -1001, "type": "supergroup", "title": "Delegates"}
POINTER = "I answer that only in our private chat: write to me at @conference_companion_bot."
WRONG = "Sorry, something went wrong"


@pytest.fixture
async def h(tmp_path: Any) -> BotHarness:  # type: ignore[misc]
    async with organiser_harness(tmp_path) as harness:
        yield harness


def shown(calls: list[Call]) -> list[str]:
    return [c.shown for c in calls if c.method in ("sendMessage", "editMessageText") and not c.error]


def files(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method in ("sendPhoto", "sendDocument")]


@pytest.mark.parametrize(("command", "user_id"), [("/my", 42), ("/settings", 42), ("/stats", ORGANISER)])
async def test_personal_commands_in_a_group_point_to_the_private_chat(
    h: BotHarness, command: str, user_id: int
) -> None:
    await h.say("/start", user_id=user_id)
    await bookmarks.add_bookmark(h.services.database, user_id, "cmc24-d1-inaugural", h.clock.now())
    calls = await h.say(command, user_id=user_id, chat=GROUP)
    assert shown(calls) == [POINTER]
    assert files(calls) == []
    assert {c.chat_id for c in calls if c.method == "sendMessage"} == {GROUP["id"]}
    in_private = shown(await h.say(command, user_id=user_id))  # the same command in private shows it all
    assert in_private and POINTER not in in_private


@pytest.mark.parametrize("data", ["my", "my|1", "set", "set|r|15", "ics"])
async def test_personal_buttons_pressed_in_a_group_point_to_the_private_chat(h: BotHarness, data: str) -> None:
    await h.say("/start", user_id=42)
    await bookmarks.add_bookmark(h.services.database, 42, "cmc24-d1-inaugural", h.clock.now())
    in_group = {"message_id": 900, "date": 0, "chat": GROUP, "text": "a menu someone forwarded"}
    calls = await h.press(in_group, data, user_id=42)
    alerts = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
    assert alerts == [POINTER]
    assert shown(calls) == [] and files(calls) == []


@pytest.mark.parametrize(
    "text", ["/my", "/settings", "/stats", "/start", "/help", "/now", "/next", "/venue", "/search opening", "hi"]
)
@pytest.mark.parametrize("chat", [GROUP, {"id": 42, "type": "private", "first_name": "Ana"}], ids=["group", "private"])
async def test_a_message_without_a_sender_crashes_nothing(
    h: BotHarness, caplog: pytest.LogCaptureFixture, text: str, chat: dict[str, Any]
) -> None:
    start = len(h.api.calls)
    update = h.api.send_text(42, f"{text} @conference_companion_bot", chat=chat)
    del update["message"]["from"]  # a channel's post, or a message Telegram sent without one
    h.api.send_text(43, "/venue")  # then someone else, so that the test knows the first was handled
    await h.api.wait_for(lambda c: c.chat_id == 43, start=start)
    calls = await h.replies(start)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert not [s for s in shown(calls) if WRONG in s]


async def test_people_who_only_spoke_in_a_group_are_not_delegates(h: BotHarness) -> None:
    db = h.services.database
    await h.say("/start", user_id=42)
    await h.say("hello @conference_companion_bot, where is the venue?", user_id=77, chat=GROUP)
    await h.say("/venue", user_id=78, chat=GROUP)
    assert await users.get_user(db, 77) is None and await users.get_user(db, 78) is None
    assert await users.count_users(db) == {"active": 1}
    (figures, *_) = shown(await h.say("/stats", user_id=ORGANISER))
    assert "Delegates: 2 active, 0 blocked the bot" in figures  # 42 and the organiser, who wrote in private
    await h.say("/start", user_id=77)  # once they write in private, they are
    assert await users.get_user(db, 77) is not None
