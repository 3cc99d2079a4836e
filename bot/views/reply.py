"""A reply as data: HTML text plus rows of buttons; handlers turn it into Telegram markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    label: str
    data: str = ""  # callback data (≤ 64 bytes)
    url: str = ""


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    # A file to attach (e.g. an .ics or a chart); sent as a document/photo with `text` as the caption.
    attachments: tuple[Attachment, ...] = field(default=())
    room: str = ""  # the one room this reply is about: what 'that room' means in the delegate's next question

    def to_payload(self) -> dict[str, Any]:
        """A JSON-able form for the outbox (attachments are not queued; send them directly)."""
        rows = [
            [{"label": b.label, "data": b.data} if not b.url else {"label": b.label, "url": b.url} for b in row]
            for row in self.buttons
        ]
        return {"text": self.text, "buttons": rows}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Reply:
        rows = tuple(
            tuple(Button(b["label"], b.get("data", ""), b.get("url", "")) for b in row)
            for row in payload.get("buttons", [])
        )
        return cls(str(payload["text"]), rows)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    kind: str = "document"  # document | photo
