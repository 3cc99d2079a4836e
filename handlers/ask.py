"""Questions in the delegate's own words (any text message) and /search: the answer, a button per session."""

from __future__ import annotations

import re

from telegram import Update

from bot.answer.faq import Faq, load_faq
from bot.runtime.persistence import LAST_ROOM
from bot.views import answer as views
from handlers.common import addressed_to_bot, own_bookmarks, send, show, user_lang
from handlers.context import BotContext


def _faq(context: BotContext) -> Faq:
    return load_faq(context.services.settings.faq_path)


async def _bookmarks(update: Update, context: BotContext) -> frozenset[str] | None:
    """The asker's bookmarked session ids, so each answered session shows ☆ or ★ (in private only)."""
    return await own_bookmarks(update, context)


def _question(update: Update, context: BotContext) -> str:
    """The message text without the bot's @mention (groups address the bot that way)."""
    text = update.effective_message.text if update.effective_message else ""
    username = context.bot.username
    if username and text:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return text or ""


def _last_room(context: BotContext) -> str | None:
    """The room the delegate last looked at (a card, a room's sessions, an answer about one room)."""
    data = context.user_data
    room = data.get(LAST_ROOM) if data is not None else None
    return room if isinstance(room, str) else None


def remember_room(context: BotContext, room: str) -> None:
    """Note the room a reply was about, so 'what's next in that room?' means it."""
    if room and context.user_data is not None:
        context.user_data[LAST_ROOM] = room


async def ask(update: Update, context: BotContext) -> None:
    """Answer a free-text question (in groups only when addressed)."""
    if not addressed_to_bot(update, context):
        return
    services = context.services
    lang = user_lang(update, context)
    question = _question(update, context)
    reply = views.reply_to(
        question,
        services.programme,
        services.clock.now(),
        lang,
        _faq(context),
        bookmarked=await _bookmarks(update, context),
        room=_last_room(context),
    )
    remember_room(context, reply.room)
    await send(update, reply)


async def search(update: Update, context: BotContext) -> None:
    """Answer /search words; without words, say how to use it."""
    lang = user_lang(update, context)
    words = " ".join(context.args or [])
    if not words.strip():
        await send(update, views.search_usage(lang))
        return
    services = context.services
    ids = await _bookmarks(update, context)
    now = services.clock.now()
    room = _last_room(context)
    reply = views.reply_to(words, services.programme, now, lang, _faq(context), bookmarked=ids, room=room)
    remember_room(context, reply.room)
    await send(update, reply)


async def answer_page(update: Update, context: BotContext) -> None:
    """Show another page of an answer in place."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(update, context)
    ids = await _bookmarks(update, context)
    programme = context.services.programme
    reply = views.answer_page(query.data or "", programme, lang, _faq(context), ids, _last_room(context))
    if reply is None:
        await query.answer(views.stale_page(lang))
        return
    await query.answer()
    await show(update, reply)
