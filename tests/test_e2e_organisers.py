"""End to end: every organiser command and button refuses anyone else, and does nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import broadcasts, runup
from bot.storage.audit import entries as audit_entries
from tests.conftest import BotHarness
from tests.support.organisers import REFUSAL, choose, compose, delegates, organiser_harness, outbox_rows

STRANGER = 66

COMMANDS = ["/broadcast", "/scheduled", "/stats"]
# Every organiser button, with data a stranger could forge for an existing broadcast or run-up entry.
BUTTONS = [
    "bc|a|1|all",
    "bc|m|1|",
    "bc|sd|1|",
    "bc|sl|1|20240625.0",
    "bc|ld|1|",
    "bc|rd|1|",
    "bc|rl|1|20240625",
    "bc|go|1|",
    "bc|sch|1|",
    "bc|x|1|",
    "bc|stop|1|",
    "bc|zz|999|garbage",
    "sc|l|",
    "sc|bx|1",
    "sc|bn|1",
    "sc|rs|d14",
    "sc|ru|d14",
    "sc|re|d14",
    "sc|rl|d14:en",
    "sc|??|x",
]


@pytest.fixture
async def h(tmp_path: Path) -> BotHarness:  # type: ignore[misc]
    async with organiser_harness(tmp_path) as harness:
        await delegates(harness, STRANGER, 67)
        # A real draft with its audience chosen, so forged buttons point at something that exists.
        _, control = await compose(harness, "Draft by the organiser")
        await choose(harness, control, "👥 Everyone")
        yield harness


async def _nothing_changed(h: BotHarness) -> None:
    draft = await broadcasts.get(h.services.database, 1)
    assert draft is not None and draft.state == "draft"
    assert await outbox_rows(h, draft.batch) == []
    assert await runup.states(h.services.database) == {}
    assert all(a.organiser_id != STRANGER for a in await audit_entries(h.services.database))


@pytest.mark.parametrize("command", COMMANDS)
async def test_commands_refuse_non_organisers(h: BotHarness, command: str) -> None:
    calls = await h.say(command, user_id=STRANGER)
    visible = [c for c in calls if c.method in ("sendMessage", "sendPhoto", "sendDocument", "editMessageText")]
    assert [(c.method, c.shown) for c in visible] == [("sendMessage", REFUSAL)]
    # The dialogue did not start either: the next message is an ordinary one.
    follow = [c for c in await h.say("Everyone: free drinks!", user_id=STRANGER) if c.method == "sendMessage"]
    assert all("Who should get it" not in c.shown for c in follow)
    await _nothing_changed(h)


@pytest.mark.parametrize("data", BUTTONS)
async def test_buttons_refuse_non_organisers_even_with_forged_data(h: BotHarness, data: str) -> None:
    own = h.last_message(STRANGER)  # any message in the stranger's chat carries the forged button
    calls = await h.press(own, data, user_id=STRANGER)
    (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params["text"] == REFUSAL and answer.params.get("show_alert") is True
    assert [c for c in calls if c.method not in ("answerCallbackQuery",)] == []
    follow = [c for c in await h.say("some text", user_id=STRANGER) if c.method == "sendMessage"]
    assert all("When should it go out" not in c.shown and "Saved" not in c.shown for c in follow)
    await _nothing_changed(h)


async def test_organiser_commands_are_not_in_the_public_menu(h: BotHarness) -> None:
    public = [c for c in h.api.calls if c.method == "setMyCommands" and "scope" not in c.params]
    names = {c["command"] for call in public for c in call.params["commands"]}
    assert names and not names & {"broadcast", "scheduled", "stats"}


async def test_organisers_get_their_commands_in_their_own_chat_menu(h: BotHarness) -> None:
    scoped = [c for c in h.api.calls if c.method == "setMyCommands" and "scope" in c.params]
    chats = {c.params["scope"]["chat_id"] for c in scoped}
    assert chats == {1, 2}
    names = [c["command"] for c in scoped[0].params["commands"]]
    assert {"broadcast", "scheduled", "stats", "start", "help"} <= set(names)
