"""The hostile corpus (tests/support/hostile.py) through the real Application: every input answered as it
should be, nothing reaching the error handler, every request valid for Telegram, no user text unescaped.

Each test sends one family of the corpus at once, each input from a person (and chat) of its own, so that the
input limit admits them all and every call can be traced to its input; one harness per test keeps it quick.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from pathlib import Path
from typing import Any

import pytest

from bot import i18n
from bot.console.api import Call, LocalBotApi
from bot.storage import users
from tests.conftest import BotHarness, make_harness
from tests.support.hostile import CHANNEL, GROUP, NO_SENDER, Expect, Hostile, buttons, chat_of, corpus, push, unescaped

SENDS = ("sendMessage", "sendPhoto", "sendDocument")
WRONG = "something went wrong"
PRIVATE = ("text", "name", "command", "media", "edited")
ORGANISERS = range(800_000, 800_200)


def _family(*names: str) -> list[Hostile]:
    return [item for item in corpus() if item.family in names]


async def _quiet(api: LocalBotApi, seconds: float = 0.3) -> None:
    """Wait until the bot has made no call for `seconds`."""
    while True:
        seen = len(api.calls)
        await asyncio.sleep(seconds)
        if len(api.calls) == seen:
            return


async def _answered(api: LocalBotApi, expected: dict[int, Any], queries: dict[str, Hostile], start: int) -> None:
    """Wait (at most 15 s) until every input that expects an answer has one, then until the bot is quiet."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        calls = api.calls[start:]
        chats = {c.chat_id for c in calls if c.method in SENDS}
        answered = {str(c.params.get("callback_query_id")) for c in calls if c.method == "answerCallbackQuery"}
        if set(expected) <= chats and set(queries) <= answered:
            break
        await asyncio.sleep(0.05)
    await _quiet(api)


def _problems(
    api: LocalBotApi,
    start: int,
    by_chat: dict[int, Hostile],
    by_query: dict[str, Hostile],
    caplog: pytest.LogCaptureFixture,
) -> list[str]:
    """Everything wrong with the bot's calls since `start`, and with what it logged, input by input."""
    found: list[str] = []
    got: dict[int, list[Call]] = {}
    for call in api.calls[start:]:
        item = by_query.get(str(call.params.get("callback_query_id"))) or by_chat.get(call.chat_id or 0)
        label = item.label if item else f"{call.method} to chat {call.chat_id}"
        if call.error and "not modified" not in call.error:
            found.append(f"{label}: Telegram would refuse {call.method}: {call.error}")
        if WRONG in call.text.lower():
            found.append(f"{label}: answered {WRONG!r}")
        if item and str(call.params.get("parse_mode")).upper() == "HTML" and (raw := unescaped(item, call.text)):
            found.append(f"{label}: {raw!r} sent unescaped in {call.text[:120]!r}")
        if call.method in SENDS and not call.error and call.chat_id is not None:
            got.setdefault(call.chat_id, []).append(call)
    answered = {str(c.params.get("callback_query_id")) for c in api.calls[start:] if c.method == "answerCallbackQuery"}
    for chat, item in by_chat.items():
        if item.expect is Expect.REPLY and not got.get(chat):
            found.append(f"{item.label}: no reply")
        if item.expect is Expect.SILENT and got.get(chat):
            found.append(f"{item.label}: answered in a chat it should keep quiet in: {got[chat][0].shown[:80]!r}")
    found += [f"{item.label}: the press was never answered" for q, item in by_query.items() if q not in answered]
    for record in caplog.records:
        if record.levelno >= logging.ERROR or record.name == "handlers.errors":
            found.append(f"logged {record.levelname}: {record.getMessage()}")
    return found


async def _send_all(h: BotHarness, items: list[Hostile], first: int, menus: dict[int, Any] | None = None) -> Any:
    """Push every item from a person of its own (`first`, `first + 1`, ...); returns what traces calls back."""
    by_chat: dict[int, Hostile] = {}
    by_query: dict[str, Hostile] = {}
    start = len(h.api.calls)
    for person, item in enumerate(items, first):
        update = push(h.api, item, person, (menus or {}).get(person))
        if item.family == "button":
            by_query[update["callback_query"]["id"]] = item
        else:
            by_chat[chat_of(item, person)] = item
    expected = {chat: item for chat, item in by_chat.items() if item.expect is Expect.REPLY}
    await _answered(h.api, expected, by_query, start)
    return start, by_chat, by_query


async def _menus(h: BotHarness, people: range) -> dict[int, Any]:
    """A /start menu for each person: the message the bot sent them, on which they press forged buttons."""
    start = len(h.api.calls)
    for person in people:
        h.api.send_text(person, "/start")
    await _answered(h.api, dict.fromkeys(people), {}, start)
    sent = [c for c in h.api.calls[start:] if c.method == "sendMessage" and not c.error]
    return {c.chat_id: c.result for c in sent if c.chat_id in people}


async def test_hostile_messages_in_private_each_get_a_clear_valid_reply(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    items = _family(*PRIVATE)
    assert {i.family for i in items} == set(PRIVATE) and len(items) > 150
    async with make_harness(tmp_path) as h:
        start, by_chat, by_query = await _send_all(h, items, first=10_000)
        found = _problems(h.api, start, by_chat, by_query, caplog)
        assert not found, "\n".join(found)
        names = [c.shown[len("Hello ") : c.shown.index("!")] for c in h.api.sent() if c.shown.startswith("Hello ")]
        assert len(names) >= len([i for i in items if i.family == "name"])  # every /start was welcomed ...
        assert all(any(c.isprintable() and not c.isspace() for c in n) for n in names)  # ... by a name one sees
        assert "there" in names  # (blank ones by "there")
        stored = await h.services.database.execute_fetchall("SELECT DISTINCT language FROM users")
        assert {row[0] for row in stored} <= set(i18n.available_languages())  # whatever code Telegram sent


@pytest.mark.parametrize("organiser", [False, True], ids=["delegates", "organisers"])
async def test_forged_buttons_are_each_answered_and_change_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, organiser: bool
) -> None:
    first = ORGANISERS.start if organiser else 20_000
    async with make_harness(tmp_path, admin_ids=frozenset(ORGANISERS)) as h:
        key = h.services.programme.sessions[0].key
        items = buttons(random.Random(12), key, organiser=organiser)
        assert len(items) <= len(ORGANISERS)
        menus = await _menus(h, range(first, first + len(items)))
        start, by_chat, by_query = await _send_all(h, items, first, menus)
        assert len(by_query) == len(items) > 150
        found = _problems(h.api, start, by_chat, by_query, caplog)
        assert not found, "\n".join(found)
        for table in ("bookmarks", "broadcasts", "outbox"):
            (count,) = next(iter(await h.services.database.execute_fetchall(f"SELECT COUNT(*) FROM {table}")))
            assert count == 0, f"forged buttons left {count} row(s) in {table}"


async def test_groups_channels_and_updates_without_a_sender_crash_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    items = _family(GROUP, CHANNEL, NO_SENDER)
    async with make_harness(tmp_path) as h:
        start, by_chat, by_query = await _send_all(h, items, first=30_000)
        found = _problems(h.api, start, by_chat, by_query, caplog)
        assert not found, "\n".join(found)
        # Nothing is posted into a channel, and nobody who only spoke in a group became a delegate.
        assert not [c for c in h.api.calls[start:] if c.method in SENDS and (c.chat_id or 0) < -(10**12)]
        assert await users.count_users(h.services.database) == {}
