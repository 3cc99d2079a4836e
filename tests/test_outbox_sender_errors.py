"""End to end: what Telegram refuses — blocked users, flood waits, 5xx, bad requests, expiry — and nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.console.api import ApiError
from bot.runtime import outbox_sender
from bot.storage import outbox, users
from tests.conftest import make_harness
from tests.support.outbox import attempts_to, deliveries, drained, get_by_key, message, settled

T0 = datetime.fromisoformat("2024-06-25T09:00:00+02:00")


async def test_a_user_who_blocked_the_bot_is_marked_and_their_messages_dropped(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        for user in (42, 43, 44):
            await users.record_contact(db, user, "Delegate", "en", T0)
        h.api.blocked.add(43)
        queued = [message("to-42", 42, T0), message("to-43", 43, T0), message("to-44", 44, T0)]
        queued += [message("to-43-again", 43, T0), message("to-43-later", 43, T0 + timedelta(minutes=5))]
        await outbox.enqueue(db, queued, T0)
        counts = await drained(db)
        assert counts == {"sent": 2, "dropped": 3}
        assert [len(deliveries(h.api, u)) for u in (42, 43, 44)] == [1, 0, 1]
        assert len(attempts_to(h.api, 43)) == 1  # one refusal, then no more tries
        blocked = await users.get_user(db, 43)
        assert blocked is not None and blocked.status == "blocked"
        row = await get_by_key(db, "to-43-later")
        assert row is not None and row.last_error.startswith("blocked")
        # Queued after the refusal (e.g. by the next reminder tick): dropped without a request.
        await outbox.enqueue(db, [message("to-43-next", 43, T0)], T0)
        await settled(db, "to-43-next", "dropped")
        assert len(attempts_to(h.api, 43)) == 1


async def test_a_flood_wait_for_one_chat_pauses_that_chat_only_then_delivers_once(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        h.api.failures["sendMessage"] = [ApiError(429, "Too Many Requests: retry after 1", retry_after=1)]
        await outbox.enqueue(db, [message("flooded", 42, T0), message("next", 43, T0)], T0)
        row = await settled(db, "flooded", "sent")
        await settled(db, "next", "sent")
        refused, delivered = attempts_to(h.api, 42)
        assert "Too Many Requests" in refused.error and not delivered.error
        assert delivered.at - refused.at >= 1.0  # Telegram's retry_after was honoured
        assert row.attempts == 2
        assert [len(deliveries(h.api, u)) for u in (42, 43)] == [1, 1]
        # One private chat's limit is that chat's: the other chat was not held back.
        (other,) = deliveries(h.api, 43)
        assert other.at - refused.at < 0.5
        assert h.app.bot_data["outbox"].pacer.overall_pauses == 0


async def test_flood_waits_for_several_chats_at_once_pause_every_send(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        h.api.failures["sendMessage"] = [ApiError(429, "Too Many Requests: retry after 1", retry_after=1)] * 3
        await outbox.enqueue(db, [message(f"to-{chat}", chat, T0) for chat in (42, 43, 44, 45)], T0)
        for chat in (42, 43, 44, 45):
            await settled(db, f"to-{chat}", "sent")
        refusals = [c for c in h.api.calls if c.error.startswith("Too Many Requests")]
        assert len(refusals) == 3
        # The third chat refused within a moment is the bot's overall limit: nothing went for a second after it.
        after = [c for c in h.api.calls if c.method == "sendMessage" and not c.error and c.at > refusals[-1].at]
        assert after and min(c.at for c in after) - refusals[-1].at >= 1.0
        assert h.app.bot_data["outbox"].pacer.overall_pauses == 1


async def test_a_long_flood_wait_storm_never_fails_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Fewer attempts allowed, so that a storm longer than them takes seconds, not minutes.
    monkeypatch.setattr(outbox_sender, "MAX_ATTEMPTS", 2)
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        storm = 4
        h.api.failures["sendMessage"] = [ApiError(429, "Too Many Requests: retry after 1", retry_after=1)] * storm
        await outbox.enqueue(db, [message("patient", 42, T0)], T0)
        row = await settled(db, "patient", "sent", timeout=10)
        assert len(attempts_to(h.api, 42)) == storm + 1 and len(deliveries(h.api, 42)) == 1
        assert row.state == "sent" and row.attempts == storm + 1


async def test_a_timed_out_send_that_is_retried_counts_as_a_possible_duplicate(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        h.api.lost_answers["sendMessage"] = 1  # the message lands, the answer does not come back
        await outbox.enqueue(db, [message("timed-out", 42, T0), message("fine", 43, T0)], T0)
        row = await settled(db, "timed-out", "sent")
        fine = await settled(db, "fine", "sent")
        assert len(deliveries(h.api, 42)) == 2  # the delegate did get it twice
        assert row.resends == 1 and fine.resends == 0  # and the delivery report can say so


async def test_server_errors_are_retried_with_backoff_then_delivered_once(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        h.api.failures["sendMessage"] = [
            ApiError(502, "Bad Gateway"),
            ApiError(500, "Internal Server Error: restart"),
        ]
        await outbox.enqueue(db, [message("shaky", 42, T0)], T0)
        row = await settled(db, "shaky", "sent")
        calls = attempts_to(h.api, 42)
        assert [c.error for c in calls] == ["Bad Gateway", "Internal Server Error: restart", ""]
        assert calls[1].at - calls[0].at >= 0.5 and calls[2].at - calls[1].at >= 1.0  # exponential backoff
        assert row.attempts == 3 and len(deliveries(h.api, 42)) == 1


async def test_a_bad_request_is_parked_with_the_reason_and_the_chat_goes_on(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        broken = message("broken", 42, T0, text="Unclosed <b>bold")
        media = message("odd-media", 42, T0)
        media.payload["media"] = {"kind": "sticker", "file_id": "x"}
        await outbox.enqueue(db, [broken, media, message("fine", 42, T0)], T0)
        counts = await drained(db, timeout=8)
        assert counts == {"parked": 2, "sent": 1}
        parked = await get_by_key(db, "broken")
        assert parked is not None and "can't parse entities" in parked.last_error.lower() and parked.attempts == 1
        odd = await get_by_key(db, "odd-media")
        assert odd is not None and "unsupported media kind" in odd.last_error
        assert [c.shown for c in deliveries(h.api, 42)] == ["Message fine"]


async def test_photos_and_documents_go_by_file_id_with_the_text_as_caption(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=T0) as h:
        db = h.services.database
        photo, document = message("photo", 42, T0), message("doc", 43, T0)
        photo.payload.update(media={"kind": "photo", "file_id": "AgACphoto"}, silent=True)
        document.payload["media"] = {"kind": "document", "file_id": "BQACdoc"}
        await outbox.enqueue(db, [photo, document], T0)
        await drained(db)
        (sent_photo,) = deliveries(h.api, 42)
        (sent_doc,) = deliveries(h.api, 43)
        assert sent_photo.method == "sendPhoto" and sent_photo.params["photo"] == "AgACphoto"
        assert sent_photo.params["caption"] == "Message <b>photo</b>" and sent_photo.params["parse_mode"] == "HTML"
        assert sent_photo.params["disable_notification"] is True
        assert sent_doc.method == "sendDocument" and sent_doc.params["document"] == "BQACdoc"


async def test_nothing_is_sent_at_or_after_its_expiry(tmp_path: Path) -> None:
    start = T0 + timedelta(minutes=10)
    async with make_harness(tmp_path, now=start) as h:
        db = h.services.database
        # The bot was down through the reminder's moment and the session has started: skipped.
        await outbox.enqueue(db, [message("too-late", 42, T0, deadline=T0, expires_at=start)], T0)
        late = await settled(db, "too-late", "expired")
        assert late.attempts == 0
        # A reminder whose moment passed but whose session has not started is still sent.
        await outbox.enqueue(db, [message("late-but-useful", 43, T0, deadline=T0, expires_at=start + timedelta(1))], T0)
        await settled(db, "late-but-useful", "sent")
        # Expiring while Telegram is failing: never sent afterwards.
        h.api.failures["sendMessage"] = [ApiError(502, "Bad Gateway")]
        await outbox.enqueue(db, [message("failing", 44, start, expires_at=start + timedelta(seconds=30))], start)
        await h.api.wait_for(lambda c: c.chat_id == 44 and bool(c.error))
        h.clock.set(start + timedelta(seconds=30))
        expired = await settled(db, "failing", "expired")
        assert "Bad Gateway" in expired.last_error
        await h.settle()
        assert deliveries(h.api, 42) == [] and deliveries(h.api, 44) == [] and len(deliveries(h.api, 43)) == 1
