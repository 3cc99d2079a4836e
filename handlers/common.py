"""Small helpers shared by handlers: the user's language, turning a Reply into Telegram calls."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import CallbackQuery, Message, Update, User
from telegram.error import BadRequest

from bot import i18n
from bot.i18n import Lang
from bot.runtime.markup import markup
from bot.runtime.telegram_bot import ConferenceBot
from bot.storage.bookmarks import bookmarked_ids
from bot.views.reach import continue_in_private
from bot.views.reply import Reply
from handlers.context import BotContext

logger = logging.getLogger(__name__)


def user_lang(update: Update, context: BotContext) -> Lang:
    """The language stored for this user (set on first contact from Telegram's language_code)."""
    code = context.user_data.get("lang") if context.user_data is not None else None
    if code is None and update.effective_user is not None:
        code = update.effective_user.language_code
    return i18n.lang(code)


def in_private(update: Update) -> bool:
    """Whether the update comes from a person's private chat (a button's chat, for a button press)."""
    chat = update.effective_chat
    return chat is not None and chat.type == chat.PRIVATE


async def own_bookmarks(update: Update, context: BotContext) -> frozenset[str] | None:
    """The person's bookmarked session ids for ★ marks; None in a group, where they are nobody else's business."""
    user = update.effective_user
    if user is None or not in_private(update):
        return None
    return await bookmarked_ids(context.services.database, user.id)


def pressed(update: Update) -> tuple[CallbackQuery, User]:
    """The button press and who pressed it; only registered for callback queries, so both are there."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    return query, user


def _bot(update: Update) -> ConferenceBot:
    bot = update.get_bot()
    assert isinstance(bot, ConferenceBot)  # the Application is built with no other (handlers/application.py)
    return bot


async def send(update: Update, reply: Reply) -> int | None:
    """Answer the message (or the chat of a button press) with a new message; its id, or None without a chat."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await _bot(update).send_text(chat.id, reply.text, markup(reply))


async def show(update: Update, reply: Reply) -> None:
    """Edit the pressed message in place when a button was pressed, else send a new message."""
    query = update.callback_query
    if query is None or query.message is None or not isinstance(query.message, Message) or not query.message.text:
        await send(update, reply)
        return
    message = query.message
    await unless_unchanged(_bot(update).edit_text(message.chat.id, message.message_id, reply.text, markup(reply)))


async def unless_unchanged(edit: Awaitable[object]) -> None:
    """Make a message edit; Telegram's refusal to change a message into itself (a double tap) is harmless."""
    try:
        await edit
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


def addressed_to_bot(update: Update, context: BotContext) -> bool:
    """In groups the bot speaks only when mentioned or replied to; private chats are always addressed."""
    message = update.effective_message
    chat = update.effective_chat
    if chat is None or message is None:
        return False
    if chat.type == chat.PRIVATE:
        return True
    username = context.bot.username or ""
    text = message.text or message.caption or ""
    if username and f"@{username}".lower() in text.lower():
        return True
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)


Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]


def private_only(handler: Handler) -> Handler:
    """Run `handler` in a person's private chat only; in a group, point there: what it shows is theirs alone."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> None:
        chat = update.effective_chat
        if update.effective_user is None or chat is None:
            return  # a channel's post, or a message without a sender: nobody whose data it could show
        if chat.type == chat.PRIVATE:
            await handler(update, context)
            return
        pointer = continue_in_private(context.bot.username, user_lang(update, context))
        if update.callback_query is not None:
            await update.callback_query.answer(pointer.text, show_alert=True)
        else:
            await send(update, pointer)

    return guarded
