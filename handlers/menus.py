"""The command menu of one chat: in the language its user chose in /settings, with the organiser commands for
organisers (the public menus follow the phone's language, which a delegate may have overridden)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommandScopeChat
from telegram.error import TelegramError

from bot import i18n
from bot.runtime.markup import command_menu
from bot.services import Services
from bot.views.organisers import ORGANISER_COMMANDS
from bot.views.start import COMMANDS

logger = logging.getLogger(__name__)


async def set_chat_menu(bot: Bot, services: Services, user_id: int, language: str | None) -> None:
    """Give `user_id`'s private chat its menu in `language`; a chat Telegram does not know yet is skipped."""
    lang = i18n.lang(language)
    entries = (*COMMANDS, *ORGANISER_COMMANDS) if user_id in services.settings.admin_ids else COMMANDS
    try:
        await bot.set_my_commands(command_menu(entries, lang), scope=BotCommandScopeChat(user_id))
    except TelegramError as exc:  # e.g. an organiser who never wrote to the bot has no chat yet
        logger.info("No command menu for chat %d: %s", user_id, exc)
