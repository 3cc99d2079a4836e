"""A reply as data: HTML text plus rows of buttons; handlers turn it into Telegram markup."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Button:
    label: str
    data: str = ""  # callback data (≤ 64 bytes)
    url: str = ""
    # Telegram's chat picker, then `@bot <switch_inline>` typed in the chat chosen (the card's Share button).
    switch_inline: str | None = None

    def wire(self) -> dict[str, str]:
        """The button as the Bot API's InlineKeyboardButton object, with `label` as its text."""
        if self.switch_inline is not None:
            return {"text": self.label, "switch_inline_query": self.switch_inline}
        if self.url:
            return {"text": self.label, "url": self.url}
        return {"text": self.label, "callback_data": self.data}


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    # A file to attach (e.g. an .ics or a chart); sent as a document/photo with `text` as the caption.
    attachments: tuple[Attachment, ...] = field(default=())
    room: str = ""  # the one room this reply is about: what 'that room' means in the delegate's next question

    def to_payload(self) -> dict[str, Any]:
        """A JSON-able form for the outbox (attachments are not queued; send them directly)."""
        rows = [[_payload(b) for b in row] for row in self.buttons]
        return {"text": self.text, "buttons": rows}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Reply:
        rows = tuple(
            tuple(Button(b["label"], b.get("data", ""), b.get("url", ""), b.get("inline")) for b in row)
            for row in payload.get("buttons", [])
        )
        return cls(str(payload["text"]), rows)


def _payload(button: Button) -> dict[str, str]:
    if button.switch_inline is not None:
        return {"label": button.label, "inline": button.switch_inline}
    if button.url:
        return {"label": button.label, "url": button.url}
    return {"label": button.label, "data": button.data}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    kind: str = "document"  # document | photo
