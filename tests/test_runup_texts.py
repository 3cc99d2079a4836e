"""End to end: an organiser's run-up text may use only the placeholders its entry can fill."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.storage import runup
from tests.support.organisers import ORGANISER, organiser_harness, sent


async def test_an_edit_after_the_conference_cannot_use_day_placeholders(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=datetime.fromisoformat("2024-06-20T09:00:00+02:00")) as h:
        (listing,) = sent(await h.say("/scheduled", user_id=ORGANISER))
        start = len(h.api.calls)
        h.api.press(ORGANISER, listing.result, "sc|rl|after:fr")
        await h.api.wait_for(lambda c: c.method == "sendMessage" and "Send the new fr text" in c.text, start=start)
        (prompt,) = [c for c in h.api.calls[start:] if c.method == "sendMessage" and "Send the new fr text" in c.text]
        assert "{conference}, {days_to_go}, {venue}." in prompt.shown and "{day}" not in prompt.shown

        (refused,) = sent(await h.say("Merci ! Vos sessions du {day} : {bookmarks}", user_id=ORGANISER))
        assert "{bookmarks} needs a conference day, and this message is not about one" in refused.shown
        assert "/cancel" in refused.shown

        (saved,) = sent(await h.say("Merci d’avoir participé à {conference} !", user_id=ORGANISER))
        assert "Saved after (fr)" in saved.shown and "Cities Mission Conference 2024 !" in saved.shown


async def test_cancel_while_a_text_is_awaited_leaves_the_entry_as_it_was(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=datetime.fromisoformat("2024-06-20T09:00:00+02:00")) as h:
        (listing,) = sent(await h.say("/scheduled", user_id=ORGANISER))
        start = len(h.api.calls)
        h.api.press(ORGANISER, listing.result, "sc|rl|after:fr")
        await h.api.wait_for(lambda c: c.method == "sendMessage" and "Send the new fr text" in c.text, start=start)
        (cancelled,) = sent(await h.say("/cancel", user_id=ORGANISER))
        assert cancelled.shown.startswith("Cancelled.")
        replies = sent(await h.say("Merci d’avoir participé à {conference} !", user_id=ORGANISER))
        assert not any("Saved after" in r.shown for r in replies)  # no longer taken as the new text
        assert await runup.edits(h.services.database) == {}
