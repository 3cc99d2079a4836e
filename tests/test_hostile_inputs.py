"""The hostile corpus (tests/support/hostile.py) through the real Application: every input answered as it
should be, nothing reaching the error handler, every request valid for Telegram, no user text unescaped.

Each test sends one family of the corpus at once, each input from a person (and chat) of its own, so that the
input limit admits them all and every call can be traced to its input; one harness per test keeps it quick.
"""

from __future__ import annotations

import logging
import random
from pathlib import Path

import pytest

from bot import i18n
from bot.console.api import Call
from bot.storage import users
from tests.conftest import make_harness
from tests.support.hostile import (
    CHANNEL,
    GROUP,
    NO_SENDER,
    SENDS,
    Hostile,
    Sent,
    buttons,
    corpus,
    menus,
    problems,
    send_all,
)

PRIVATE = ("text", "name", "command", "media", "edited")
ORGANISERS = range(800_000, 800_200)


def _family(*names: str) -> list[Hostile]:
    return [item for item in corpus() if item.family in names]


def _verdict(calls: list[Call], sent: Sent, caplog: pytest.LogCaptureFixture) -> None:
    """No problem with any answer, and nothing that reached the error handler or was logged as an error."""
    found = problems(calls, sent)
    found += [
        f"logged {r.levelname}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.name == "handlers.errors"
    ]
    assert not found, "\n".join(found)


async def test_hostile_messages_in_private_each_get_a_clear_valid_reply(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    items = _family(*PRIVATE)
    assert {i.family for i in items} == set(PRIVATE) and len(items) > 150
    async with make_harness(tmp_path) as h:
        sent = await send_all(h.api, items, first=10_000)
        _verdict(h.api.calls, sent, caplog)
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
        items = buttons(random.Random(12), h.services.programme.sessions[0].key, organiser=organiser)
        assert 150 < len(items) <= len(ORGANISERS)
        pressed = await menus(h.api, range(first, first + len(items)))
        sent = await send_all(h.api, items, first, pressed)
        assert len(sent.by_query) == len(items)
        _verdict(h.api.calls, sent, caplog)
        for table in ("bookmarks", "broadcasts", "outbox"):
            (count,) = next(iter(await h.services.database.execute_fetchall(f"SELECT COUNT(*) FROM {table}")))
            assert count == 0, f"forged buttons left {count} row(s) in {table}"


async def test_groups_channels_and_updates_without_a_sender_crash_nothing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    items = _family(GROUP, CHANNEL, NO_SENDER)
    async with make_harness(tmp_path) as h:
        sent = await send_all(h.api, items, first=30_000)
        _verdict(h.api.calls, sent, caplog)
        # Nothing is posted into a channel, and nobody who only spoke in a group became a delegate.
        assert not [c for c in h.api.calls[sent.start :] if c.method in SENDS and (c.chat_id or 0) < -(10**12)]
        assert await users.count_users(h.services.database) == {}
