"""An organiser removed from ADMIN_IDS while in the middle of a dialogue cannot finish it after the restart:
every step checks, the step is refused, the dialogue ends, and nothing is created, scheduled or sent."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.storage import broadcasts, runup
from tests.conftest import BotHarness
from tests.support.organisers import (
    ORGANISER,
    REFUSAL,
    SECOND_ORGANISER,
    choose,
    compose,
    delegates,
    organiser_harness,
    press,
    sent,
    shown,
)

START = datetime.fromisoformat("2024-06-20T10:00:00+02:00")
DELEGATES = (11, 12)


def without_the_first_organiser(tmp_path: Path) -> object:
    """The same bot restarted with ADMIN_IDS no longer naming ORGANISER."""
    return organiser_harness(tmp_path, now=START, admin_ids=frozenset({SECOND_ORGANISER}))


async def _refused_and_over(h: BotHarness, step: str) -> None:
    """`step` from the former organiser is refused; the dialogue is over, so the next text is a question."""
    replies = [c.shown for c in sent(await h.say(step, user_id=ORGANISER))]
    assert replies == [REFUSAL]
    answer = [c.shown for c in sent(await h.say("where is the venue?", user_id=ORGANISER))]
    assert any("Palau de la Música" in r for r in answer), answer
    for uid in DELEGATES:
        assert h.api.sent(uid, methods=("sendMessage", "sendPhoto", "sendDocument")) == []
    async with h.services.database.execute("SELECT COUNT(*) FROM outbox") as cur:
        assert (await cur.fetchone())[0] == 0  # type: ignore[index]


async def test_a_removed_organiser_cannot_finish_composing_a_broadcast(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=START) as h:
        await delegates(h, *DELEGATES)
        (asked,) = sent(await h.say("/broadcast", user_id=ORGANISER))
        assert "Send me the message" in asked.shown
    async with without_the_first_organiser(tmp_path) as again:
        await _refused_and_over(again, "Doors open at 08:30")
        assert await broadcasts.get(again.services.database, 1) is None  # no draft either


async def test_a_removed_organiser_cannot_schedule_the_broadcast_they_previewed(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=START) as h:
        await delegates(h, *DELEGATES)
        _, control = await compose(h, "Doors open at 08:30")
        await choose(h, control, "👥 Everyone")
        keyboard = shown(h, control)["reply_markup"]["inline_keyboard"]
        data = next(b["callback_data"] for row in keyboard for b in row if b["text"] == "🕒 Schedule…")
        asked = sent(await h.press(control, data, user_id=ORGANISER))
        assert "When should it go out?" in asked[-1].shown
    async with without_the_first_organiser(tmp_path) as again:
        await _refused_and_over(again, "2024-06-24 18:00")
        draft = await broadcasts.get(again.services.database, 1)
        assert draft is not None and draft.state == broadcasts.DRAFT and draft.scheduled_at is None


async def test_a_removed_organiser_cannot_save_a_run_up_text(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=START) as h:
        await delegates(h, *DELEGATES)
        (listing,) = sent(await h.say("/scheduled", user_id=ORGANISER))
        await press(h, listing, "sc|re|eve")
        start = len(h.api.calls)
        h.api.press(ORGANISER, listing.result, "sc|rl|eve:es")
        await h.api.wait_for(lambda c: c.method == "sendMessage" and "Send the new es text" in c.text, start=start)
    async with without_the_first_organiser(tmp_path) as again:
        await _refused_and_over(again, "¡Todo cancelado! No vengáis a {venue}.")
        assert await runup.edits(again.services.database) == {}


def test_every_step_of_the_organiser_dialogue_checks_the_organiser() -> None:
    from handlers import broadcast
    from handlers.organisers import organiser_only

    async def anything(update: object, context: object) -> None:
        return None

    checked = organiser_only(anything).__code__  # every guarded handler runs this code first
    conversation = broadcast.dialogue()
    steps = [h for handlers in conversation.states.values() for h in handlers] + list(conversation.entry_points)
    assert len(steps) >= 6
    assert [h.callback.__name__ for h in steps if h.callback.__code__ is not checked] == []
