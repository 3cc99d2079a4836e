"""Updates of different chats are handled at once; one chat's strictly in order; never more than the bound."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path

from telegram import Chat, Message, Update, User

from bot.runtime.chat_order import ChatOrderedUpdates
from bot.storage import broadcasts
from tests.conftest import make_harness
from tests.support.organisers import ORGANISER, organiser_harness, sent

NOW = datetime.fromisoformat("2024-06-20T10:00:00+02:00")


def _update(update_id: int, chat_id: int) -> Update:
    """A real Update of a text message in a private chat (what PTB hands the processor)."""
    chat = Chat(chat_id, Chat.PRIVATE)
    user = User(chat_id, "Delegate", is_bot=False)
    return Update(update_id, message=Message(update_id, NOW, chat, from_user=user, text=f"#{update_id}"))


async def test_one_chat_in_arrival_order_while_other_chats_interleave() -> None:
    processor = ChatOrderedUpdates(limit=8)
    done: list[str] = []

    async def work(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        done.append(name)

    # Chat 5's first update is slow and its second fast: in order means the fast one still waits.
    tasks = [
        asyncio.create_task(processor.process_update(_update(1, 5), work("5a", 0.2))),
        asyncio.create_task(processor.process_update(_update(2, 5), work("5b", 0.0))),
        asyncio.create_task(processor.process_update(_update(3, 6), work("6a", 0.05))),
        asyncio.create_task(processor.process_update(_update(4, 5), work("5c", 0.0))),
        asyncio.create_task(processor.process_update(_update(5, 7), work("7a", 0.0))),
    ]
    await asyncio.gather(*tasks)
    assert [n for n in done if n.startswith("5")] == ["5a", "5b", "5c"]
    assert done.index("6a") < done.index("5a") and done.index("7a") < done.index("5a")  # not held up by chat 5
    assert processor.in_progress == 0 and not processor._chats  # idle chats are forgotten


async def test_never_more_than_the_bound_in_progress() -> None:
    processor = ChatOrderedUpdates(limit=3)
    running = 0
    most = 0

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.02)
        running -= 1

    await asyncio.gather(*(processor.process_update(_update(i, 100 + i), work()) for i in range(20)))
    assert most == 3 and processor.most_in_progress == 3


async def test_a_hung_request_for_one_chat_does_not_delay_the_others(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=NOW) as h:
        h.api.slow_chats[5] = 4.0  # every request to chat 5 hangs for four seconds
        start = len(h.api.calls)
        began = time.monotonic()
        h.api.send_text(5, "/help")
        for uid in range(6, 12):
            h.api.send_text(uid, "/help")
        for uid in range(6, 12):
            await h.api.wait_for(lambda c, u=uid: c.chat_id == u and c.method == "sendMessage", timeout=3, start=start)
        others_answered = time.monotonic() - began
        assert others_answered < 2.0, f"the other chats waited {others_answered:.1f} s behind the hung one"
        assert not h.api.sent(5)  # still hanging
        await h.api.wait_for(lambda c: c.chat_id == 5 and c.method == "sendMessage", timeout=8, start=start)


async def test_an_organisers_next_message_does_not_overtake_the_dialogue_step(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=NOW) as h:
        await h.say("/start", user_id=ORGANISER)
        h.api.slow_chats[ORGANISER] = 0.3  # the step's own reply is slow to go out
        start = len(h.api.calls)
        h.api.send_text(ORGANISER, "/broadcast")
        h.api.send_text(ORGANISER, "Buses leave at 18:00")  # typed at once, before the bot asked for it
        await h.api.wait_for(lambda c: len(sent(h.api.calls[start:])) >= 3, timeout=10, start=start)
        draft = await broadcasts.get(h.services.database, 1)
        assert draft is not None and draft.text == "Buses leave at 18:00"
        texts = [c.shown for c in sent(h.api.calls[start:]) if c.chat_id == ORGANISER]
        assert texts[1] == "Buses leave at 18:00"  # the preview copy, after the request for the message
