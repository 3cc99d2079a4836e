"""Telegram's rules as the local Bot API enforces them: HTML entities, message limits, flood limits, errors.

Kept apart from the fake's state so that what counts as "Telegram would refuse this" reads in one place.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str | None, bytes, str]] = field(default_factory=dict)
    result: Any = None
    error: str = ""
    at: float = field(default_factory=time.monotonic)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def shown(self) -> str:
        """The text as the user sees it (entities parsed), for sent or edited messages."""
        result = self.result if isinstance(self.result, dict) else {}
        return str(result.get("text") or result.get("caption") or "")

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        markup = self.params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        return (markup or {}).get("inline_keyboard", [])

    @property
    def button_labels(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.retry_after = code, description, retry_after

    def answer(self) -> dict[str, Any]:
        """The Bot API's JSON answer to the refused request."""
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


class _EntityChecker(HTMLParser):
    """Rejects what Telegram's HTML parser rejects: unknown tags, unbalanced tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.error = ""
        self.visible: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f'Unexpected end tag "{tag}"'
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.visible.append(data)


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user sees; raises ApiError where Telegram would refuse the entities."""
    if (parse_mode or "").upper() != "HTML":
        return text
    if re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text):
        raise ApiError(400, "Bad Request: can't parse entities: unsupported entity")
    checker = _EntityChecker()
    checker.feed(text)
    checker.close()
    if checker.error or checker.stack:
        raise ApiError(400, "Bad Request: can't parse entities: " + (checker.error or "unclosed tag"))
    return "".join(checker.visible)  # convert_charrefs already turned &amp; etc. into characters


@dataclass
class RateLimits:
    """Telegram-like flood limits: refuse with 429 and retry_after when a sender goes too fast."""

    overall_per_second: float = 30.0
    per_chat_interval: float = 1.0
    refused: int = 0
    _recent: list[float] = field(default_factory=list)
    _last_by_chat: dict[int, float] = field(default_factory=dict)

    def check(self, chat_id: int, now: float) -> None:
        self._recent = [t for t in self._recent if now - t < 1.0]
        last = self._last_by_chat.get(chat_id)
        if len(self._recent) >= self.overall_per_second or (last is not None and now - last < self.per_chat_interval):
            self.refused += 1
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        self._recent.append(now)
        self._last_by_chat[chat_id] = now
