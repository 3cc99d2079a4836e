"""SIGKILL under load: every bookmark a delegate saw confirmed is still there after the crash.

A confirmation (the ★ toast) is sent only after the bookmark's transaction committed, and a commit survives a
crash of the process (bot/storage/db.py). What a crash can cost is updates fetched but not yet handled: they
were acknowledged to Telegram by the next poll, so they are gone, and the delegate saw no confirmation.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from bot.programme.loader import load_programme
from bot.storage.db import open_database
from tests.conftest import BUNDLED
from tests.support.bot_process import kill, start_bot
from tests.support.limited_api import LimitedBotApi

DELEGATES = range(5000, 5100)


def _card(uid: int) -> dict[str, Any]:
    # A card the delegate holds (its keyboard is not redrawn: only the toast confirms).
    return {"message_id": 1, "date": int(time.time()), "chat": {"id": uid, "type": "private"}, "text": "card"}


async def test_bookmarks_confirmed_before_a_kill_are_all_there_after_it(tmp_path: Path) -> None:
    api = await LimitedBotApi().start()  # 50 ms per request, as Telegram
    api.server.api.limits = None  # no flood limits: the load is the point here, not pacing
    db_path = tmp_path / "bot.sqlite3"
    keys = [s.key for s in load_programme(BUNDLED).sessions if not s.is_cancelled][:6]
    proc = await start_bot(api, db_path, PROGRAMME_PATH=str(BUNDLED), ADMIN_IDS="")
    presses: dict[str, tuple[int, str]] = {}  # callback query id → (delegate, session key)
    try:
        fake = api.server.api
        for key in keys:  # 600 presses as fast as they come, then the kill in the middle of them
            for uid in DELEGATES:
                update = fake.press(uid, _card(uid), f"bm|1c|{key}")
                presses[update["callback_query"]["id"]] = (uid, key)
            await asyncio.sleep(0.05)
        await fake.wait_for(lambda c: c.method == "answerCallbackQuery", timeout=15)
        await asyncio.sleep(0.2)  # the kill lands while updates are still being handled
    finally:
        await kill(proc)
        await api.stop()
    confirmed = {
        presses[c.params["callback_query_id"]]
        for c in api.server.api.calls
        if c.method == "answerCallbackQuery" and "Added to your agenda" in str(c.params.get("text"))
    }
    assert confirmed, "nothing was confirmed before the kill: the test proves nothing"
    db = await open_database(db_path)
    try:
        rows = await db.execute_fetchall("SELECT user_id, session_id FROM bookmarks")
    finally:
        await db.close()
    programme = load_programme(BUNDLED)
    stored = {(r["user_id"], programme.session(r["session_id"]).key) for r in rows}  # type: ignore[union-attr]
    assert confirmed <= stored, f"{len(confirmed - stored)} confirmed bookmarks lost"
    assert len(stored) < len(presses)  # the kill did cut the load short
