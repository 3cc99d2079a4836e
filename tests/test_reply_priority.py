"""Replies go before bulk: during a broadcast, delegates' questions take the next turns of the shared pace."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bot import broadcast as lifecycle
from bot.audience import ALL, Audience
from bot.storage import users
from tests.conftest import make_harness

NOW = datetime.fromisoformat("2024-06-20T10:00:00+02:00")
RECIPIENTS = range(100, 130)
ASKERS = range(200, 208)


async def test_questions_during_a_broadcast_are_answered_before_the_rest_of_it(tmp_path: Path) -> None:
    # Five messages a second for the whole bot: the broadcast alone would need six seconds.
    async with make_harness(tmp_path, now=NOW, send_rate_per_second=5) as h:
        services = h.services
        for uid in RECIPIENTS:
            await users.record_contact(services.database, uid, "D", "en", datetime(2024, 6, 1, tzinfo=UTC))
        draft = await lifecycle.create_draft(services, 1, "Buses at 18:00", audience=(Audience(ALL), len(RECIPIENTS)))
        assert (await lifecycle.send_now(services, draft, 1)).recipients == len(RECIPIENTS)
        await h.api.wait_for(lambda c: c.shown == "Buses at 18:00", timeout=5)
        start = len(h.api.calls)
        # One question after another, as they trickle in: each finds the broadcast's next turn already queued.
        for uid in ASKERS:
            h.api.send_text(uid, "/help")
            await h.api.wait_for(lambda c, u=uid: c.chat_id == u and c.method == "sendMessage", timeout=5, start=start)
        calls = h.api.calls[start:]
        first = min(i for i, c in enumerate(calls) if c.chat_id in ASKERS)
        last = max(i for i, c in enumerate(calls) if c.chat_id in ASKERS)
        between = [c for c in calls[first:last] if c.shown == "Buses at 18:00"]
        # Taking turns in arrival order, a broadcast message would go between every two replies (7 here); a
        # bulk turn yields to a waiting reply, so only one whose turn came in the instant between a reply and
        # the next question slips in.
        assert len(between) <= 2, f"{len(between)} broadcast messages went between the replies"
        # ... and the broadcast goes on afterwards.
        await h.api.wait_for(lambda c: c.shown == "Buses at 18:00", timeout=5, start=start + last + 1)


async def test_replies_are_not_held_to_the_bulk_pace(tmp_path: Path) -> None:
    # Two messages a second for bulk: paced like a broadcast, ten answers would take five seconds.
    async with make_harness(tmp_path, now=NOW, send_rate_per_second=2) as h:
        start = len(h.api.calls)
        began = time.monotonic()
        for uid in ASKERS:
            h.api.send_text(uid, "/help")
        for uid in ASKERS:
            await h.api.wait_for(lambda c, u=uid: c.chat_id == u and c.method == "sendMessage", timeout=5, start=start)
        assert time.monotonic() - began < 1.5
