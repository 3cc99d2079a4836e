"""The bot's public profile in every catalogue language: its name, short description and description (what
Telegram shows before the first /start and on the bot's page), and the menu button that opens the commands."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import MenuButtonCommands
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot import i18n
from bot.views.reach import profile_texts
from handlers.context import BotContext

logger = logging.getLogger(__name__)

Read = Callable[..., Awaitable[Any]]
Write = Callable[..., Awaitable[Any]]


async def publish_profile(context: BotContext) -> None:
    """Set each profile text Telegram does not show yet, language by language; a refusal is logged, not retried."""
    bot = context.bot
    programme = context.services.programme
    for code in i18n.available_languages():
        language_code = None if code == i18n.DEFAULT_LANGUAGE else code
        name, short, long = profile_texts(programme, i18n.lang(code))
        fields: tuple[tuple[str, str, Read, Write], ...] = (
            ("name", name, bot.get_my_name, bot.set_my_name),
            ("short_description", short, bot.get_my_short_description, bot.set_my_short_description),
            ("description", long, bot.get_my_description, bot.set_my_description),
        )
        for field, text, read, write in fields:
            if not await _set_if_changed(field, text, code, language_code, read, write):
                return  # asked to wait (setMyName allows few changes a day), or the token refused: next start
    try:
        await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    except TelegramError as exc:
        logger.warning("Telegram refused the menu button: %s", exc)


async def _set_if_changed(
    field: str, text: str, code: str, language_code: str | None, read: Read, write: Write
) -> bool:
    """Write one text unless Telegram already shows it; False when Telegram says to slow down or refuses the token
    (polling notices that too, and waits for it)."""
    try:
        shown = await read(language_code=language_code)
        if getattr(shown, field, None) == text:
            return True
        await write(text, language_code=language_code)
        logger.info("Bot profile: %s set in %s", field, code)
    except RetryAfter as exc:
        logger.warning("Telegram refused the bot's %s in %s for now (retry after %s): kept as it is", field, code, exc)
        return False
    except InvalidToken as exc:
        logger.warning("Telegram refused the bot's %s in %s: %s; the profile is left as it is", field, code, exc)
        return False
    except TelegramError as exc:
        logger.warning("Telegram refused the bot's %s in %s: %s", field, code, exc)
    return True
