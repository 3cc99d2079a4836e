"""Helpers for the organiser tests: a harness with organisers, delegates, and the /broadcast dialogue."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from bot.console.api import Call
from bot.storage import broadcasts
from tests.conftest import BotHarness, make_harness

ORGANISER, SECOND_ORGANISER = 1, 2
REFUSAL = "Sorry, this is for organisers."


def organiser_harness(tmp_path: Path, *, now: datetime | None = None, **overrides: Any) -> Any:
    """The real bot with two organisers and fast ticks (real seconds; conference time moves only by the clock)."""
    values: dict[str, Any] = {
        "admin_ids": frozenset({ORGANISER, SECOND_ORGANISER}),
        "broadcast_tick_seconds": 0.3,
        "runup_tick_seconds": 0.1,
    }
    values.update(overrides)
    return make_harness(tmp_path, now=now, **values)


def sent(calls: list[Call], method: str = "sendMessage") -> list[Call]:
    return [c for c in calls if c.method == method and not c.error]


async def delegates(h: BotHarness, *ids: int, language: str = "en") -> None:
    for uid in ids:
        await h.say("/start", user_id=uid, language=language)


async def compose(
    h: BotHarness, text: str, organiser: int = ORGANISER, entities: list[dict[str, Any]] | None = None
) -> tuple[Call, Call]:
    """Run /broadcast and send `text`: returns (the preview copy, the control message with the audience menu)."""
    await h.say("/broadcast", user_id=organiser)
    extra = {"entities": entities} if entities else None
    start = len(h.api.calls)
    h.api.send_text(organiser, text, extra=extra)
    # Replies to one chat are paced (one per second at most), so wait for both rather than for quiet.
    await h.api.wait_for(lambda c: len(sent(h.api.calls[start:])) >= 2, timeout=10, start=start)
    calls = [c for c in sent(h.api.calls[start:]) if c.chat_id == organiser]
    return calls[0], calls[1]


async def choose(h: BotHarness, control: Call, label_start: str, organiser: int = ORGANISER) -> Call:
    """Press the button of the control message's current keyboard whose label starts with `label_start`."""
    current = h.api.messages[(control.chat_id or 0, control.result["message_id"])]
    buttons = [b for row in current.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
    match = [b for b in buttons if b["text"].startswith(label_start)]
    assert match, f"no button {label_start!r} in {[b['text'] for b in buttons]}"
    return await press(h, control, match[0]["callback_data"], organiser)


async def press(h: BotHarness, control: Call, data: str, organiser: int = ORGANISER) -> Call:
    """Press `data` on the control message; wait for its edit (replies to one chat are paced) or an alert."""
    start = len(h.api.calls)
    h.api.press(organiser, control.result, data)

    def answered(c: Call) -> bool:
        return (c.method == "editMessageText" and not c.error) or (
            c.method == "answerCallbackQuery" and bool(c.params.get("text"))
        )

    await h.api.wait_for(answered, timeout=10, start=start)
    calls = await h.replies(start)
    edits = [c for c in calls if c.method == "editMessageText" and not c.error]
    return edits[-1] if edits else [c for c in calls if answered(c)][-1]


def shown(h: BotHarness, control: Call) -> dict[str, Any]:
    """The control message as the organiser sees it now."""
    return h.api.messages[(control.chat_id or 0, control.result["message_id"])]


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


async def outbox_rows(h: BotHarness, batch: str) -> list[Any]:
    async with h.services.database.execute("SELECT * FROM outbox WHERE batch = ? ORDER BY chat_id", (batch,)) as cur:
        return list(await cur.fetchall())


async def last_broadcast(h: BotHarness) -> broadcasts.Broadcast:
    async with h.services.database.execute("SELECT MAX(id) FROM broadcasts") as cur:
        row = await cur.fetchone()
    found = await broadcasts.get(h.services.database, row[0])
    assert found is not None
    return found
