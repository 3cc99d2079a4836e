"""Telegram sends only the update kinds the bot asks for: every handler's kind must be in ALLOWED_UPDATES (an
inline-mode handler once went unanswered because the list left inline queries out)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ConversationHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
)

from handlers.application import ALLOWED_UPDATES, handler_list


def _kinds(handler: BaseHandler) -> set[str]:
    if isinstance(handler, ConversationHandler):
        inner = [*handler.entry_points, *(h for hs in handler.states.values() for h in hs), *handler.fallbacks]
        return set().union(*(_kinds(h) for h in inner))
    if isinstance(handler, CommandHandler | MessageHandler):
        return {Update.MESSAGE}
    if isinstance(handler, CallbackQueryHandler):
        return {Update.CALLBACK_QUERY}
    if isinstance(handler, InlineQueryHandler):
        return {Update.INLINE_QUERY}
    if isinstance(handler, ChatMemberHandler):
        return {Update.MY_CHAT_MEMBER}
    if isinstance(handler, TypeHandler):
        return set()  # every kind: the flood guard and the like
    raise AssertionError(f"unmapped handler kind: {type(handler).__name__}")


def test_every_handled_update_kind_is_asked_of_telegram() -> None:
    handled = set().union(*(_kinds(h) for h in handler_list()))
    assert Update.INLINE_QUERY in handled
    assert handled <= set(ALLOWED_UPDATES), handled - set(ALLOWED_UPDATES)
