"""The one organiser check: every organiser command and button is wrapped with `organiser_only`, and every
step of an organiser's dialogue with `organiser_step` (ADMIN_IDS may have changed since the dialogue began)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import ConversationHandler

from bot.views.organisers import organisers_only
from handlers.common import user_lang
from handlers.context import BotContext

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, T]]


def is_organiser(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    return context.services.settings.is_admin(user.id if user else None)


def organiser_only(handler: Handler[T]) -> Handler[T | None]:
    """Run `handler` for organisers (ADMIN_IDS); anyone else gets a plain refusal and nothing else happens."""
    # None keeps a ConversationHandler from entering its first state.
    return _guarded(handler, None)


def organiser_step(handler: Handler[T]) -> Handler[T | int]:
    """As `organiser_only`, for a step of a dialogue: a refused step also ends the dialogue."""
    # A dialogue outlives a restart (bot/runtime/persistence.py): who began it may no longer be an organiser.
    return _guarded(handler, ConversationHandler.END)


def _guarded(handler: Handler[T], refused: R) -> Handler[T | R]:
    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> T | R:
        if is_organiser(update, context):
            return await handler(update, context)
        user = update.effective_user
        logger.warning("Refused %s to non-organiser %s", handler.__name__, user.id if user else None)
        text = organisers_only(user_lang(update, context))
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_chat is not None:
            await update.effective_chat.send_message(text)
        return refused

    return guarded
