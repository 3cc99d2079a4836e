"""End to end: a broadcast goes out through the outbox with a live report; Stop; two organisers at once."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.console.api import Call
from bot.storage import users
from bot.storage.audit import entries as audit_entries
from tests.conftest import BotHarness
from tests.support.organisers import (
    ORGANISER,
    SECOND_ORGANISER,
    choose,
    compose,
    last_broadcast,
    organiser_harness,
    outbox_rows,
    shown,
)
from tests.support.outbox import as_if_killed


async def add_delegates(h: BotHarness, ids: range) -> None:
    """Delegates who started the bot earlier (stored directly: the dialogue is not what is tested here)."""
    for uid in ids:
        await users.record_contact(h.services.database, uid, f"D{uid}", "en", datetime(2024, 5, 1, tzinfo=UTC))


def received(h: BotHarness, uid: int, text: str) -> int:
    return sum(1 for c in h.api.sent(uid) if c.shown == text)


async def send_to_everyone(h: BotHarness, delegates: range, text: str) -> Call:
    """Delegates `delegates` (and the organiser) get `text` by /broadcast; returns the control message."""
    await add_delegates(h, delegates)
    _, control = await compose(h, text)
    await choose(h, control, "👥 Everyone")
    await choose(h, control, f"✅ Send to {len(delegates) + 1} people")
    return control


async def wait_for_report(h: BotHarness, control: Call, words: str, timeout: float = 15.0) -> str:
    """Wait until the organiser's control message reads `words` (it changes with every Bot API call)."""
    await h.api.wait_for(lambda _call: words in shown(h, control)["text"], timeout=timeout)
    return str(shown(h, control)["text"])


async def test_live_report_then_final_report_and_each_delegate_gets_it_once(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, send_rate_per_second=10) as h:
        control = await send_to_everyone(h, range(100, 125), "Coffee is served in the foyer.")
        final = await wait_for_report(h, control, "delivered")
        # Call.text is what the bot asked for at that moment (`shown` is the message as it is now).
        edits = [c.text for c in h.api.calls if c.method == "editMessageText" and not c.error]
        progress = [t for t in edits if "Sending broadcast #1</b>" in t]
        assert len(progress) >= 2, "the report was edited in place while sending"
        assert any("remaining 0 of 26" not in t and "Estimated finish" in t for t in progress)
        assert "✅ Broadcast #1 delivered (everyone)." in final
        assert "Sent 26 · failed 0 · blocked 0 · remaining 0 of 26" in final and "▓▓▓▓▓▓▓▓▓▓ 100%" in final
        for uid in range(100, 125):
            assert received(h, uid, "Coffee is served in the foyer.") == 1
        b = await last_broadcast(h)
        assert b.state == "done"
        done = [a for a in await audit_entries(h.services.database) if a.action == "broadcast.done"]
        assert done and done[0].count == 26


async def test_blocked_delegates_are_counted_in_the_report(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path) as h:
        await add_delegates(h, range(100, 104))
        h.api.blocked.add(101)
        _, control = await compose(h, "Hello")
        await choose(h, control, "👥 Everyone")
        await choose(h, control, "✅ Send to 5 people")
        final = await wait_for_report(h, control, "delivered")
        assert "Sent 4 · failed 0 · blocked 1 · remaining 0 of 5" in final


async def test_stop_halts_the_rest(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, send_rate_per_second=4) as h:
        control = await send_to_everyone(h, range(100, 140), "A long broadcast")
        await h.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id in range(100, 140))  # under way
        await choose(h, control, "⏹ Stop")
        report = await wait_for_report(h, control, "stopped")
        assert "⏹ Broadcast #1 stopped (everyone)." in report
        assert "reply_markup" not in shown(h, control)
        rows = await outbox_rows(h, "broadcast:1")
        not_sent = [r for r in rows if r["state"] == "dropped"]
        assert len(not_sent) >= 30
        assert f"{len(not_sent)} messages were not sent." in report
        delivered = sum(1 for uid in range(100, 140) if received(h, uid, "A long broadcast"))
        await h.settle()
        assert sum(1 for uid in range(100, 140) if received(h, uid, "A long broadcast")) <= delivered + 1
        assert delivered + len(not_sent) <= 41
        assert (await last_broadcast(h)).state == "stopped"


async def test_stop_after_every_message_went_out_says_it_had_already_finished(tmp_path: Path) -> None:
    # A slow report tick: every message is sent before the report would notice and mark the broadcast done.
    async with organiser_harness(tmp_path, broadcast_tick_seconds=600) as h:
        control = await send_to_everyone(h, range(100, 103), "Short one")
        for uid in (100, 101, 102):
            await h.api.wait_for(lambda c, uid=uid: c.chat_id == uid and c.shown == "Short one", timeout=10)
        # The organiser gets it too, besides the preview they were shown.
        await h.api.wait_for(lambda _c: received(h, ORGANISER, "Short one") == 2, timeout=10)
        await h.settle()
        start = len(h.api.calls)
        await choose(h, control, "⏹ Stop")
        answers = [c.params.get("text") for c in h.api.calls[start:] if c.method == "answerCallbackQuery"]
        assert answers == [
            "That broadcast had already finished: every message was handled, so there was nothing to stop."
        ]
        final = await wait_for_report(h, control, "delivered")
        assert "stopped" not in final and "reply_markup" not in shown(h, control)
        assert (await last_broadcast(h)).state == "done"
        actions = [a.action for a in await audit_entries(h.services.database)]
        assert "broadcast.done" in actions and "broadcast.stop" not in actions


async def test_two_organisers_at_once_each_broadcast_reaches_each_delegate_once(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path) as h:
        await add_delegates(h, range(100, 106))
        await users.record_contact(
            h.services.database, SECOND_ORGANISER, "Org2", "en", datetime(2024, 5, 1, tzinfo=UTC)
        )
        # Both open the dialogue before either has finished it.
        await h.say("/broadcast", user_id=ORGANISER)
        await h.say("/broadcast", user_id=SECOND_ORGANISER)
        first = [c for c in await h.say("From the first organiser", user_id=ORGANISER) if c.method == "sendMessage"]
        second = [c for c in await h.say("From the second one", user_id=SECOND_ORGANISER) if c.method == "sendMessage"]
        c1, c2 = first[-1], second[-1]
        await choose(h, c1, "👥 Everyone", organiser=ORGANISER)
        await choose(h, c2, "👥 Everyone", organiser=SECOND_ORGANISER)
        await choose(h, c1, "✅ Send to 8 people", organiser=ORGANISER)
        # The second organiser is told that another broadcast is going out at the same time.
        calls = await h.press(
            c2, shown(h, c2)["reply_markup"]["inline_keyboard"][0][0]["callback_data"], user_id=SECOND_ORGANISER
        )
        notes = [c.shown for c in calls if c.method == "sendMessage"]
        assert any("Another broadcast is being sent right now" in n for n in notes)
        # A double tap, or the other organiser pressing the same (now stale) Send button, sends nothing again.
        again = await h.press(c1, "bc|go|1|", user_id=SECOND_ORGANISER)
        (answer,) = [c for c in again if c.method == "answerCallbackQuery"]
        assert answer.params["text"] in ("That broadcast is already being sent.", "That broadcast was already sent.")
        await wait_for_report(h, c1, "delivered")
        await wait_for_report(h, c2, "delivered")
        for uid in range(100, 106):
            assert received(h, uid, "From the first organiser") == 1
            assert received(h, uid, "From the second one") == 1
        assert len(await outbox_rows(h, "broadcast:1")) == len(await outbox_rows(h, "broadcast:2")) == 8


async def test_the_final_report_admits_what_a_crash_may_have_sent_twice(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, send_rate_per_second=2) as h:
        await send_to_everyone(h, range(100, 104), "Lunch moves to 13:30.")
        await h.api.wait_for(lambda c: c.method == "sendMessage" and "Lunch" in c.text, timeout=10)
    last_pending = "UPDATE outbox SET state = 'sending' WHERE id = (SELECT MAX(id) FROM outbox WHERE state = 'pending')"
    await as_if_killed(tmp_path / "bot.sqlite3", last_pending)
    async with organiser_harness(tmp_path, send_rate_per_second=2) as again:
        report = await again.api.wait_for(lambda c: c.method == "editMessageText" and "delivered" in c.text, timeout=20)
        # Call.text: what the bot asked for (this fake, fresh after the restart, no longer holds the message)
        assert "Sent 5 · failed 0 · blocked 0 · remaining 0 of 5" in report.text
        assert "1 message may have arrived twice: the bot restarted while it was on its way." in report.text
