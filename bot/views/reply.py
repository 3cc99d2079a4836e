"""A reply as data: HTML text plus rows of buttons; handlers turn it into Telegram markup."""

from __future__ import annotations

from dataclasses import dataclass, field


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

    def with_buttons(self, *rows: tuple[Button, ...]) -> Reply:
        return Reply(self.text, self.buttons + tuple(rows), self.attachments)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    kind: str = "document"  # document | photo
