"""PTB persistence for unfinished dialogues only: conversation steps and users' dialogue data, in SQLite.

An organiser who typed /broadcast (or "Schedule…", or "Edit" on a run-up entry) and whose next message
arrives after a restart would otherwise have it answered as a programme question. Everything else the bot
knows is in its own tables already, so bot data, chat data and callback data are not persisted, and the
user_data key that only caches the language (the users table has it) is left out.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import datetime, timedelta
from typing import Any

import aiosqlite
from telegram.ext import BasePersistence, PersistenceInput

from bot.storage import dialogues

# PTB's own aliases (telegram.ext._utils.types) live in a private module: spelled out here.
ConversationKey = tuple[int | str, ...]
ConversationDict = MutableMapping[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]

USERS = "user"
KNOWN_CONTACT = "known"  # user_data key: (first name, until when) the stored user row needs no write
LAST_ROOM = "room"  # user_data key: the room the delegate last looked at, which 'that room' means
# user_data keys that only cache what the database holds, or a conversation's passing context.
NOT_SAVED = ("lang", KNOWN_CONTACT, LAST_ROOM)
DIALOGUE_IDLE = timedelta(minutes=30)  # an unfinished dialogue ends after this long without an answer
UPDATE_SECONDS = 1.0  # how often PTB hands changed steps over; a crash loses at most this much


class DialoguePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Saves what an unfinished dialogue needs; dialogues idle longer than `max_age` are not restored."""

    def __init__(
        self,
        database: Callable[[], Awaitable[aiosqlite.Connection]],
        now: Callable[[], datetime],
        max_age: timedelta,
    ) -> None:
        store = PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False)
        super().__init__(store_data=store, update_interval=UPDATE_SECONDS)
        self._database, self._now, self._max_age = database, now, max_age
        self._saved: dict[tuple[str, str], str] = {}  # what the table holds, to write only changes

    async def _load(self, scope: str) -> dict[str, Any]:
        db = await self._database()
        fresh: dict[str, Any] = {}
        for key, saved in (await dialogues.load(db, scope)).items():
            if self._now() - saved.saved_at > self._max_age:
                await dialogues.save(db, scope, key, None, self._now())  # abandoned long ago
                continue
            self._saved[(scope, key)] = saved.value
            fresh[key] = json.loads(saved.value)
        return fresh

    async def _save(self, scope: str, key: str, value: Any) -> None:
        text = None if value is None else json.dumps(value, sort_keys=True)
        if self._saved.get((scope, key)) == text:
            return
        await dialogues.save(await self._database(), scope, key, text, self._now())
        if text is None:
            self._saved.pop((scope, key), None)
        else:
            self._saved[(scope, key)] = text

    # --- what is kept ------------------------------------------------------------------------------
    async def get_conversations(self, name: str) -> ConversationDict:
        return {tuple(json.loads(key)): state for key, state in (await self._load(f"conversation:{name}")).items()}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        await self._save(f"conversation:{name}", json.dumps(list(key)), new_state)

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {int(user): data for user, data in (await self._load(USERS)).items()}

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        kept = {k: v for k, v in data.items() if k not in NOT_SAVED}
        await self._save(USERS, str(user_id), kept or None)

    async def drop_user_data(self, user_id: int) -> None:
        await self._save(USERS, str(user_id), None)

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None  # this process is the only writer

    # --- what is not (the bot's own tables hold it) ----------------------------------------------------
    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None  # every change is committed as it is handed over
