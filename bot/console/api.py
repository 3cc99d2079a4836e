"""An in-process Bot API stand-in: feeds updates, records every call, enforces Telegram's limits.

The console chats through it, and end-to-end tests drive the real Application with it at the HTTP
boundary (PTB's `BaseRequest`), so nothing talks to the internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from typing import Any

from bot.console.rules import ALLOWED_TAGS, ApiError, Call, RateLimits, visible_text
from bot.console.users import UpdateFeed
from bot.views.format import MAX_CAPTION, MAX_TEXT

BOT_ID = 7_000_000_001


class LocalBotApi(UpdateFeed):
    """The state of a fake Telegram: chats, messages, queued updates and every call made."""

    def __init__(self, bot_username: str = "conference_companion_bot") -> None:
        super().__init__()
        self.bot_username = bot_username
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.blocked: set[int] = set()
        self.failures: dict[str, list[ApiError]] = {}
        self.latency: float = 0.0
        self.slow_chats: dict[int, float] = {}  # chat → its own latency (a request that hangs)
        self.lost_answers: dict[str, int] = {}  # method → how many next requests land but time out at the client
        self.limits: RateLimits | None = None
        self.polls = 0
        self.first_poll_at: float | None = None
        self._first_poll = asyncio.Event()
        self._changed = asyncio.Event()
        self.listeners: list[Callable[[Call], None]] = []
        self.profile: dict[tuple[str, str], str] = {}  # (field, language code or "") → the text set

    # --- answering the bot ------------------------------------------------------------------------
    async def handle(self, method: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if method == "getUpdates":
            self.polls += 1
            if self.first_poll_at is None:
                self.first_poll_at = time.monotonic()
                self._first_poll.set()
            return await self.get_updates(int(params.get("offset") or 0), float(params.get("timeout") or 0))
        call = Call(method, params, files)
        latency = self.slow_chats.get(call.chat_id, self.latency) if call.chat_id is not None else self.latency
        if latency:
            await asyncio.sleep(latency)
        try:
            queued = self.failures.get(method)
            if queued:
                raise queued.pop(0)
            call.result = self._answer(method, params, files)
        except ApiError as exc:
            call.error = exc.description
            raise
        finally:
            self.calls.append(call)
            for listener in self.listeners:
                listener(call)
            self._changed.set()
        return call.result

    def lose_answer(self, method: str) -> bool:
        """Whether the answer to this request, which has landed, is lost on the way back (a client timeout)."""
        left = self.lost_answers.get(method, 0)
        if left:
            self.lost_answers[method] = left - 1
        return bool(left)

    def _answer(self, method: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        handler = getattr(self, "_m_" + method, None)
        return handler(params, files) if handler else True

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Conference Companion",
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    def _m_getFile(self, params: dict[str, Any], files: Any) -> Any:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        size = len(self.files[file_id])
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": size, "file_path": f"documents/{file_id}"}

    def _m_getMe(self, params: dict[str, Any], files: Any) -> Any:
        return self._bot_user()

    # --- the bot's profile per language, as Telegram keeps it -----------------------------------------
    def _profile_get(self, field: str, params: dict[str, Any]) -> Any:
        return {field: self.profile.get((field, str(params.get("language_code") or "")), "")}

    def _profile_set(self, field: str, limit: int, params: dict[str, Any]) -> Any:
        text = str(params.get(field) or "")
        if len(text) > limit:
            raise ApiError(400, f"Bad Request: {field} is too long")
        self.profile[(field, str(params.get("language_code") or ""))] = text
        return True

    def _m_getMyName(self, params: dict[str, Any], files: Any) -> Any:
        return self._profile_get("name", params)

    def _m_setMyName(self, params: dict[str, Any], files: Any) -> Any:
        return self._profile_set("name", 64, params)

    def _m_getMyShortDescription(self, params: dict[str, Any], files: Any) -> Any:
        return self._profile_get("short_description", params)

    def _m_setMyShortDescription(self, params: dict[str, Any], files: Any) -> Any:
        return self._profile_set("short_description", 120, params)

    def _m_getMyDescription(self, params: dict[str, Any], files: Any) -> Any:
        return self._profile_get("description", params)

    def _m_setMyDescription(self, params: dict[str, Any], files: Any) -> Any:
        return self._profile_set("description", 512, params)

    # --- inline mode ------------------------------------------------------------------------------------
    def _m_answerInlineQuery(self, params: dict[str, Any], files: Any) -> Any:
        """Telegram's limits: ≤ 50 results, unique ids of 1–64 bytes, next_offset ≤ 64 bytes, valid messages."""
        if str(params.get("inline_query_id") or "") not in self.inline_queries:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        results = params.get("results")
        results = json.loads(results) if isinstance(results, str) else results or []
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(r.get("id") or "") for r in results]
        if any(not 1 <= len(i.encode()) <= 64 for i in ids) or len(set(ids)) != len(ids):
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        if len(str(params.get("next_offset") or "").encode()) > 64:
            raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
        for result in results:
            content = result.get("input_message_content") or {}
            visible = visible_text(str(content.get("message_text") or ""), content.get("parse_mode"))
            if result.get("type") != "article" or not result.get("title") or not visible.strip():
                raise ApiError(400, "Bad Request: RESULT_INVALID")
            if len(visible) > MAX_TEXT:
                raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
            self._check_markup({"reply_markup": result.get("reply_markup")})
        return True

    def _m_getMyCommands(self, params: dict[str, Any], files: Any) -> Any:
        found = [c.params.get("commands") for c in self.calls if c.method == "setMyCommands" and not c.error]
        return found[-1] if found else []

    def _check_markup(self, params: dict[str, Any]) -> None:
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                url = button.get("url")
                if url is not None and not str(url).startswith(("https://", "http://", "tg://")):
                    raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
                inline = button.get("switch_inline_query")
                if inline is not None and len(str(inline)) > 256:
                    raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")

    def _new_message(self, params: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if self.limits is not None:
            self.limits.check(chat_id, time.monotonic())
        self._check_markup(params)
        message_id = self._next_message
        self._next_message += 1
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "from": self._bot_user(),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            **body,
        }
        if params.get("reply_markup"):
            markup = params["reply_markup"]
            message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
        self.messages[(chat_id, message_id)] = message
        return message

    def _m_sendMessage(self, params: dict[str, Any], files: Any) -> Any:
        text = str(params.get("text") or "")
        visible = visible_text(text, params.get("parse_mode"))
        if not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(visible) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return self._new_message(params, {"text": visible})

    def _send_file(self, kind: str, params: dict[str, Any], files: dict[str, Any]) -> Any:
        caption = str(params.get("caption") or "")
        if len(visible_text(caption, params.get("parse_mode"))) > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        upload = next(iter(files.values()), None)
        body: dict[str, Any] = {"caption": caption} if caption else {}
        name = upload[0] if upload else "file"
        size = len(upload[1]) if upload else 0
        if kind == "photo":
            body["photo"] = [
                {
                    "file_id": f"photo{self._next_message}",
                    "file_unique_id": "u",
                    "width": 800,
                    "height": 600,
                    "file_size": size,
                }
            ]
        else:
            body[kind] = {
                "file_id": f"{kind}{self._next_message}",
                "file_unique_id": "u",
                "file_name": name,
                "file_size": size,
            }
        return self._new_message(params, body)

    def _m_sendDocument(self, params: dict[str, Any], files: Any) -> Any:
        return self._send_file("document", params, files)

    def _m_sendPhoto(self, params: dict[str, Any], files: Any) -> Any:
        return self._send_file("photo", params, files)

    def _edited(self, params: dict[str, Any], change: dict[str, Any]) -> Any:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        self._check_markup(params)
        markup = params.get("reply_markup")
        markup = json.loads(markup) if isinstance(markup, str) else markup
        if all(message.get(k) == v for k, v in change.items()) and message.get("reply_markup") == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        message.update(change)
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    def _m_editMessageText(self, params: dict[str, Any], files: Any) -> Any:
        visible = visible_text(str(params.get("text") or ""), params.get("parse_mode"))
        if len(visible) > MAX_TEXT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return self._edited(params, {"text": visible})

    def _m_editMessageReplyMarkup(self, params: dict[str, Any], files: Any) -> Any:
        return self._edited(params, {})

    # --- helpers for tests and the console ----------------------------------------------------------
    def sent(self, chat_id: int | None = None, methods: tuple[str, ...] = ("sendMessage",)) -> list[Call]:
        return [
            c for c in self.calls if c.method in methods and not c.error and (chat_id is None or c.chat_id == chat_id)
        ]

    async def wait_for_first_poll(self, timeout: float = 30.0) -> None:
        """Wait until the bot has started polling (its start-up is complete)."""
        await asyncio.wait_for(self._first_poll.wait(), timeout)

    async def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 5.0, start: int = 0) -> Call:
        """Wait until a call from index `start` on satisfies `predicate`."""
        deadline = time.monotonic() + timeout
        while True:
            for call in self.calls[start:]:
                if predicate(call):
                    return call
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(c.method, c.text[:80]) for c in self.calls[start:]]
                raise TimeoutError(f"no matching Bot API call within {timeout}s; calls: {seen}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)


__all__ = ["ALLOWED_TAGS", "ApiError", "Call", "LocalBotApi", "RateLimits", "visible_text"]
