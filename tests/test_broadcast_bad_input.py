"""Bad input to /broadcast: empty, too long, unsupported media, nobody in the audience — a clear answer each."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import BotHarness
from tests.support.organisers import ORGANISER, choose, compose, delegates, organiser_harness, outbox_rows, press, sent

STICKER = {
    "sticker": {
        "file_id": "s",
        "file_unique_id": "s",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
}


@pytest.fixture
async def h(tmp_path: Path) -> BotHarness:  # type: ignore[misc]
    async with organiser_harness(tmp_path) as harness:
        await delegates(harness, 11, 12)
        yield harness


async def _draft_count(h: BotHarness) -> int:
    async with h.services.database.execute("SELECT COUNT(*) FROM broadcasts") as cur:
        row = await cur.fetchone()
    return int(row[0])


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("   ", "That message is empty. Send the text to broadcast, or /cancel."),
        ("x" * 5000, "That is 5000 characters; Telegram allows 4096. Shorten it and send it again, or /cancel."),
    ],
)
async def test_empty_or_too_long_text_is_refused_and_the_dialogue_waits(h: BotHarness, text: str, answer: str) -> None:
    await h.say("/broadcast", user_id=ORGANISER)
    (reply,) = sent(await h.say(text, user_id=ORGANISER))
    assert reply.shown == answer
    assert await _draft_count(h) == 0
    preview, control = await compose(h, "Fine now")  # /broadcast again, then a good text
    assert preview.shown == "Fine now" and "Who should get it?" in control.shown


async def test_unsupported_media_is_refused(h: BotHarness) -> None:
    await h.say("/broadcast", user_id=ORGANISER)
    start = len(h.api.calls)
    h.api.send_other(ORGANISER, STICKER)
    (reply,) = sent(await h.replies(start))
    assert reply.shown == "I can broadcast text, a photo or a document (with a caption). Send one of those, or /cancel."
    assert await _draft_count(h) == 0


async def test_photo_with_caption_is_previewed_and_sent_as_a_photo(h: BotHarness) -> None:
    await h.say("/broadcast", user_id=ORGANISER)
    start = len(h.api.calls)
    photo = {"photo": [{"file_id": "PHOTO-1", "file_unique_id": "p1", "width": 10, "height": 10}], "caption": "Map"}
    h.api.send_other(ORGANISER, photo)
    await h.api.wait_for(lambda c: c.method == "sendMessage", start=start, timeout=10)
    calls = await h.replies(start)
    (copy,) = [c for c in calls if c.method == "sendPhoto"]
    assert copy.params["photo"] == "PHOTO-1" and copy.params["caption"] == "Map"
    control = next(c for c in calls if c.method == "sendMessage")
    await choose(h, control, "👥 Everyone")
    await choose(h, control, "✅ Send to 3 people")
    await h.api.wait_for(lambda c: c.method == "sendPhoto" and c.chat_id == 12, timeout=10)
    rows = await outbox_rows(h, "broadcast:1")
    assert '"media": {"kind": "photo", "file_id": "PHOTO-1"}' in rows[0]["payload"]


async def test_caption_longer_than_telegram_allows_is_refused(h: BotHarness) -> None:
    await h.say("/broadcast", user_id=ORGANISER)
    start = len(h.api.calls)
    doc = {"document": {"file_id": "DOC", "file_unique_id": "d"}, "caption": "y" * 1100}
    h.api.send_other(ORGANISER, doc)
    (reply,) = sent(await h.replies(start))
    assert "1100 characters; Telegram allows 1024" in reply.shown


async def test_an_audience_that_matches_nobody_offers_no_send_button(h: BotHarness) -> None:
    _, control = await compose(h, "Only for the bookmarkers of the coffee break")
    await choose(h, control, "🔖 People who bookmarked a session")
    await choose(h, control, "Wed 26 June")
    nobody = await choose(h, control, "11:00 Coffee break")
    assert "No one matches this audience" in nobody.shown
    assert not any(label.startswith("✅") for label in nobody.button_labels)
    # A forged Send for it is refused with the same clear answer, and nothing is queued.
    answer = await press(h, control, "bc|go|1|")
    assert (
        answer.params["text"] == "No one matches this audience, so there is nothing to send. Choose another audience."
    )
    assert await outbox_rows(h, "broadcast:1") == []
