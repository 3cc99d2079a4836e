"""FOSDEM 2025 through the real bot's buttons: any session is at most five taps from /programme."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

from bot.views import callback_data as cb
from tests.conftest import BotHarness, make_harness, shared_schedule

MOST_TAPS = 5
SAMPLE = 100
# The Saturday morning of FOSDEM 2025: cards and room pages mark what runs now, as they would on the day.
SATURDAY = datetime.fromisoformat("2025-02-01T11:00:00+01:00")


async def screen(h: BotHarness, message: dict[str, object], data: str) -> list[str]:
    """Press `data` and return the data of the buttons of the screen it shows (the message is edited in place)."""
    start = len(h.api.calls)
    h.api.press(42, message, data)
    call = await h.api.wait_for(lambda c: c.method in ("editMessageText", "answerCallbackQuery"), start=start)
    if call.method == "answerCallbackQuery":  # the edit follows the answer
        call = await h.api.wait_for(lambda c: c.method == "editMessageText", start=start)
    assert not call.error, (data, call.error)
    return [b.get("callback_data", "") for row in call.buttons for b in row]


async def test_any_session_of_fosdem_2025_is_at_most_five_taps_from_programme(tmp_path: Path) -> None:
    path = shared_schedule("fosdem-2025-pentabarf.xml")
    # A delegate tapping through hundreds of screens would be slowed down by the flood guard; this one is not.
    async with make_harness(tmp_path, programme_path=path, now=SATURDAY, input_burst=100_000) as h:
        programme = h.services.programme
        targets = {cb.session(s.key) for s in random.Random(14).sample(programme.sessions, SAMPLE)}
        (menu,) = [c for c in await h.say("/programme") if c.method == "sendMessage"]
        # Breadth first over the lists (a card is where a path ends): the first time a card's button is seen, its
        # path is a shortest one through the lists.
        taps: dict[str, int] = {}
        level = [b["callback_data"] for row in menu.buttons for b in row]
        seen = set(level)
        for depth in range(1, MOST_TAPS + 1):
            for data in level:
                if data.startswith(f"{cb.SESSION}|"):
                    taps.setdefault(data, depth)
            if targets <= taps.keys() or depth == MOST_TAPS:
                break
            following: list[str] = []
            for data in level:
                if data.startswith((f"{cb.SESSION}|", f"{cb.SPEAKER}|", f"{cb.SPEAKERS}|")):
                    continue
                for found in await screen(h, menu.result, data):
                    if found and found not in seen:
                        seen.add(found)
                        following.append(found)
            level = following
        missing = sorted(targets - taps.keys())
        assert not missing, f"{len(missing)} sessions need more than {MOST_TAPS} taps, e.g. {missing[:3]}"
        assert max(taps[t] for t in targets) <= MOST_TAPS
        assert min(taps[t] for t in targets) >= 3  # a day, a track or room, a session: no shortcut hides the lists
