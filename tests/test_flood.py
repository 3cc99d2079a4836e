"""One delegate's flood never stalls anyone else: an input limit at the door, 429s per chat, no error replies.

The fake Bot API here refuses like Telegram (30 messages a second overall, one a second per chat, 429 with
retry_after), as in the audit that found one flooder holding every delegate up for a minute.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.console.api import ApiError, Call, LocalBotApi, RateLimits
from bot.input_limit import NOTICE_EVERY, Admission, InputLimit
from tests.conftest import make_harness

FLOODER, BYSTANDER = 42, 43
SLOW_DOWN = "faster than I can answer"
SORRY = "something went wrong"


def answers_to(api: LocalBotApi, chat: int, start: int = 0) -> list[Call]:
    return [c for c in api.calls[start:] if c.method == "sendMessage" and c.chat_id == chat and not c.error]


async def test_a_flood_is_cut_at_the_door_and_a_bystander_is_answered_at_once(tmp_path: Path) -> None:
    async with make_harness(tmp_path, input_burst=4) as h:
        h.api.limits = RateLimits(overall_per_second=30, per_chat_interval=1.0)
        for i in range(60):
            h.api.send_text(FLOODER, f"keynote {i}")
        await asyncio.sleep(0.3)  # the flood is being answered: its first reply went, the second met a 429
        asked = time.monotonic()
        h.api.send_text(BYSTANDER, "/help")
        reply = await h.api.wait_for(lambda c: c.chat_id == BYSTANDER and c.method == "sendMessage", timeout=5)
        assert reply.at - asked < 1.0 and not reply.error
        # The flooder gets the answers the input limit admitted, then one notice, and nothing is lost on the way.
        await h.api.wait_for(lambda c: c.chat_id == FLOODER and SLOW_DOWN in c.shown and not c.error, timeout=15)
        await asyncio.sleep(1.5)
        got = answers_to(h.api, FLOODER)
        assert sum(SLOW_DOWN in c.shown for c in got) == 1
        assert 4 <= len(got) - 1 <= 5  # the burst (and what refilled meanwhile), not 60
        assert not any(SORRY in c.text for c in h.api.calls)
        pacer = h.app.bot_data["outbox"].pacer
        assert pacer.flood_waits >= 1 and pacer.overall_pauses == 0  # the 429s paused the flooder's chat only
        assert h.api.limits.refused <= 3


async def test_one_at_a_time_handling_limits_input_too(tmp_path: Path) -> None:
    async with make_harness(tmp_path, input_burst=2, update_concurrency=1) as h:
        for i in range(6):
            h.api.send_text(FLOODER, f"/help {i}")
        await h.api.wait_for(lambda c: c.chat_id == FLOODER and SLOW_DOWN in c.shown, timeout=5)
        await asyncio.sleep(0.3)
        got = answers_to(h.api, FLOODER)
        assert len(got) == 3 and SLOW_DOWN in got[-1].shown


async def test_a_flood_of_button_presses_gets_one_toast_and_no_messages(tmp_path: Path) -> None:
    async with make_harness(tmp_path, input_burst=2) as h:
        (menu,) = [c for c in await h.say("/start", user_id=FLOODER) if c.method == "sendMessage"]
        start = len(h.api.calls)
        for _ in range(10):
            h.api.press(FLOODER, menu.result, "now")
        await h.api.wait_for(lambda c: c.method == "answerCallbackQuery" and SLOW_DOWN in c.text, start=start)
        await asyncio.sleep(0.3)
        toasts = [c for c in h.api.calls[start:] if c.method == "answerCallbackQuery" and SLOW_DOWN in c.text]
        assert len(toasts) == 1
        assert not any(SLOW_DOWN in c.shown for c in answers_to(h.api, FLOODER, start))


async def test_a_reply_refused_with_a_flood_wait_is_sent_again_after_it(tmp_path: Path) -> None:
    async with make_harness(tmp_path) as h:
        h.api.failures["sendMessage"] = [ApiError(429, "Too Many Requests: retry after 1", retry_after=1)]
        start = len(h.api.calls)
        h.api.send_text(FLOODER, "/help")
        delivered = await h.api.wait_for(lambda c: c.method == "sendMessage" and not c.error, start=start)
        refused = next(c for c in h.api.calls[start:] if c.error)
        assert delivered.at - refused.at >= 1.0 and "/programme" in delivered.shown
        await asyncio.sleep(0.2)
        assert not any(SORRY in c.text for c in h.api.calls)


async def test_a_long_flood_wait_on_a_reply_brings_no_error_message_and_holds_no_one_else(tmp_path: Path) -> None:
    async with make_harness(tmp_path) as h:
        h.api.failures["sendMessage"] = [ApiError(429, "Too Many Requests: retry after 300", retry_after=300)]
        await h.say("/help", user_id=FLOODER)
        # Telegram asked this chat to wait five minutes: no "sorry" into it (that would only meet the same
        # limit), and the other delegates are answered as usual.
        calls = await h.say("/help", user_id=BYSTANDER)
        assert [c.chat_id for c in calls if c.method == "sendMessage" and not c.error] == [BYSTANDER]
        assert not any(SORRY in c.text for c in h.api.calls)


def test_the_input_limit_admits_a_burst_then_its_pace_and_tells_once_a_minute() -> None:
    now = [0.0]
    limit = InputLimit(burst=3, per_second=0.5, monotonic=lambda: now[0])
    assert [limit.arrive(1) for _ in range(5)] == [Admission.ADMIT] * 3 + [Admission.NOTIFY, Admission.DROP]
    assert limit.arrive(2) is Admission.ADMIT  # someone else is not affected
    now[0] = 2.0  # one update refilled
    assert [limit.arrive(1) for _ in range(2)] == [Admission.ADMIT, Admission.DROP]
    now[0] = NOTICE_EVERY + 1  # a minute on, flooding again: a full bucket, then told again, once
    assert [limit.arrive(1) for _ in range(5)] == [Admission.ADMIT] * 3 + [Admission.NOTIFY, Admission.DROP]
    assert [limit.arrive(1) for _ in range(3)] == [Admission.DROP] * 3
    assert limit.dropped == 8
