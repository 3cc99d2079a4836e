"""Views as Telegram objects: a Reply's buttons as an inline keyboard (for handlers and the outbox alike), and
a command list as a command menu."""

from __future__ import annotations

from collections.abc import Iterable

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Lang
from bot.views.reply import Reply


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in reply.buttons
        ]
    )


def command_menu(entries: Iterable[tuple[str, str]], lang: Lang) -> list[BotCommand]:
    """(command, description to translate) pairs as Telegram's command menu in `lang`."""
    return [BotCommand(name, lang._(description)) for name, description in entries]
