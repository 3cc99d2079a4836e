"""Views as Telegram objects: a Reply's buttons as an inline keyboard (for handlers and the outbox alike), and
a command list as a command menu."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Lang
from bot.views.reply import Button, Reply


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard that also keeps its wire form: PTB's generic `to_dict` walked every button object
    again for each request, a twentieth of the bot's work under a crowd."""

    __slots__ = ("_wire",)

    def __init__(self, rows: list[list[InlineKeyboardButton]], wire: list[list[dict[str, str]]]) -> None:
        super().__init__(rows)
        with self._unfrozen():
            self._wire = wire

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return {"inline_keyboard": [[dict(button) for button in row] for row in self._wire]}


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    wire = [[b.wire() for b in row] for row in reply.buttons]
    rows = [[_button(b) for b in row] for row in reply.buttons]
    return Keyboard(rows, wire)


def _button(button: Button) -> InlineKeyboardButton:
    if button.switch_inline is not None:
        return InlineKeyboardButton(button.label, switch_inline_query=button.switch_inline)
    if button.url:
        return InlineKeyboardButton(button.label, url=button.url)
    return InlineKeyboardButton(button.label, callback_data=button.data)


def command_menu(entries: Iterable[tuple[str, str]], lang: Lang) -> list[BotCommand]:
    """(command, description to translate) pairs as Telegram's command menu in `lang`."""
    return [BotCommand(name, lang._(description)) for name, description in entries]
