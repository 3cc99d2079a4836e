"""A burst of 5xx answers from the Bot API while the bot replies: the reply is sent again after a short backoff,
nobody else waits for it, and no "something went wrong" follows a fault that is not the delegate's."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from bot.console.api import ApiError
from bot.runtime import pacer
from tests.conftest import make_harness

ASKER, BYSTANDER = 42, 43
WRONG = "something went wrong"
BURST = [ApiError(502, "Bad Gateway"), ApiError(500, "Internal Server Error: restart")]


async def test_a_reply_refused_with_5xx_is_sent_again_once_and_holds_no_one_else(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with make_harness(tmp_path) as h:
        h.api.failures["sendMessage"] = list(BURST)
        start = len(h.api.calls)
        h.api.send_text(ASKER, "/venue")
        await h.api.wait_for(lambda c: c.chat_id == ASKER and c.error.startswith("Internal"), start=start)
        asked = time.monotonic()
        h.api.send_text(BYSTANDER, "/venue")  # while the asker's reply waits for its next try
        other = await h.api.wait_for(lambda c: c.chat_id == BYSTANDER and not c.error, start=start)
        assert other.at - asked < 0.5
        delivered = await h.api.wait_for(lambda c: c.chat_id == ASKER and not c.error, start=start)
        attempts = [c for c in h.api.calls[start:] if c.chat_id == ASKER]
        assert [c.error for c in attempts] == [e.description for e in BURST] + [""]
        assert "Albereda" in delivered.shown and delivered.at > other.at  # the bystander did not wait for it
        assert attempts[1].at - attempts[0].at >= pacer.REPLY_BACKOFF  # not hammered
        await asyncio.sleep(0.3)
        assert len(h.api.sent(ASKER)) == 1
        assert not any(WRONG in c.text.lower() for c in h.api.calls)
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_5xx_burst_longer_than_the_retries_costs_that_reply_only(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pacer, "REPLY_BACKOFF", 0.05)  # the same retries, quicker
    async with make_harness(tmp_path) as h:
        h.api.failures["sendMessage"] = [ApiError(502, "Bad Gateway")] * (pacer.REPLY_RETRIES + 1)
        start = len(h.api.calls)
        h.api.send_text(ASKER, "/venue")
        await h.api.wait_for(lambda c: len([c for c in h.api.calls[start:] if c.error]) > pacer.REPLY_RETRIES)
        await asyncio.sleep(0.3)
        assert not h.api.sent(ASKER)  # given up: Telegram kept failing
        assert not any(WRONG in c.text.lower() for c in h.api.calls)  # an apology would only fail the same way
        assert [r.getMessage() for r in caplog.records if r.name == "handlers.errors"] == [
            f"No reply for update 1 (message, chat {ASKER}, user {ASKER}): NetworkError"
        ]
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
        calls = await h.say("/venue", user_id=ASKER)  # Telegram is back: the next question is answered
        assert [c.error for c in calls if c.method == "sendMessage"] == [""]


async def test_a_reply_that_timed_out_is_not_sent_again(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with make_harness(tmp_path) as h:
        h.api.lost_answers["sendMessage"] = 1  # it lands, but its answer never comes back
        start = len(h.api.calls)
        h.api.send_text(ASKER, "/venue")
        await h.api.wait_for(lambda c: c.chat_id == ASKER, start=start)
        await asyncio.sleep(pacer.REPLY_BACKOFF * 2)  # past the first retry, had there been one
        assert len(h.api.sent(ASKER)) == 1  # the delegate has it once: a retry could only show it twice
        assert not any(WRONG in c.text.lower() for c in h.api.calls)
        assert [r.getMessage() for r in caplog.records if r.name == "handlers.errors"] == [
            f"No reply for update 1 (message, chat {ASKER}, user {ASKER}): TimedOut"
        ]
