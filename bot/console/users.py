"""The users' side of the in-process Bot API stand-in: what delegates write and tap becomes queued updates,
which the bot fetches with getUpdates (bot/console/api.py answers everything else)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any


class UpdateFeed:
    """Updates waiting for the bot, and the message ids a chat has used so far."""

    def __init__(self) -> None:
        # Returning a long poll early is legal; it keeps shutdown of a polling bot quick.
        self.max_poll_wait: float = 1.0
        self.files: dict[str, bytes] = {}  # file_id → content, for documents users send (getFile + download)
        self._updates: list[dict[str, Any]] = []
        self._next_update = 1
        self._next_message = 1
        self._new_update = asyncio.Event()
        self.inline_queries: set[str] = set()  # ids of the inline queries sent, which the bot may answer

    def _user(self, user_id: int, first_name: str, language: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language:
            user["language_code"] = language
        return user

    def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        update["update_id"] = self._next_update
        self._next_update += 1
        self._updates.append(update)
        self._new_update.set()
        return update

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Delegate",
        language: str | None = "en",
        chat: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A user writes to the bot (a private chat unless `chat` says otherwise)."""
        message = self._incoming(user_id, first_name, language, chat)
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        message.update(extra or {})
        return self._push({"message": message})

    def send_document(
        self, user_id: int, file_name: str, content: bytes, *, caption: str = "", language: str | None = "en"
    ) -> dict[str, Any]:
        """A user sends a file; the bot can getFile and download it."""
        file_id = f"doc{len(self.files) + 1}"
        self.files[file_id] = content
        document = {"file_id": file_id, "file_unique_id": file_id, "file_name": file_name, "file_size": len(content)}
        payload: dict[str, Any] = {"document": document, **({"caption": caption} if caption else {})}
        return self.send_other(user_id, payload, language=language)

    def send_other(
        self, user_id: int, payload: dict[str, Any], *, language: str | None = "en", chat: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A sticker, photo or anything else without text."""
        message = self._incoming(user_id, "Delegate", language, chat)
        message.update(payload)
        return self._push({"message": message})

    def _incoming(
        self, user_id: int, first_name: str, language: str | None, chat: dict[str, Any] | None
    ) -> dict[str, Any]:
        message_id = self._next_message
        self._next_message += 1
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat or {"id": user_id, "type": "private", "first_name": first_name},
            "from": self._user(user_id, first_name, language),
        }

    def press(self, user_id: int, message: dict[str, Any], data: str, *, language: str | None = "en") -> dict[str, Any]:
        """A user taps an inline button of `message` (any data, so tests can forge buttons)."""
        query = {
            "id": str(self._next_update * 1000 + 7),
            "from": self._user(user_id, "Delegate", language),
            "chat_instance": str(user_id),
            "data": data,
            "message": message,
        }
        return self._push({"callback_query": query})

    def inline_query(
        self,
        user_id: int,
        query: str,
        *,
        offset: str = "",
        language: str | None = "en",
        chat_type: str = "sender",
    ) -> dict[str, Any]:
        """A user types `@bot <query>` in some chat (inline mode); `offset`: the next page Telegram asks for."""
        query_id = str(self._next_update * 1000 + 11)
        self.inline_queries.add(query_id)
        inline = {
            "id": query_id,
            "from": self._user(user_id, "Delegate", language),
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        }
        return self._push({"inline_query": inline})

    async def get_updates(self, offset: int, timeout: float) -> list[dict[str, Any]]:
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), min(timeout, self.max_poll_wait))
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        return list(self._updates)
