"""Inline mode: `@bot words` in any chat lists matching sessions; each sends a compact card with a deep link."""

from __future__ import annotations

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode

from bot.answer.faq import load_faq
from bot.inline import inline_sessions
from bot.storage.bookmarks import bookmarked_ids
from bot.views import reach
from handlers.common import user_lang
from handlers.context import BotContext

PAGE_SIZE = 20  # results a page: Telegram allows 50; 20 keeps each answer small and quick on a phone
CACHE_SECONDS = 60  # Telegram's cache of an answer: "now and next" must not stay stale for long
MAX_OFFSET = 10_000


def _offset(text: str) -> int:
    """The page's start from Telegram's `offset` (the `next_offset` the bot gave), 0 when absent or forged."""
    return int(text) if text.isdigit() and int(text) < MAX_OFFSET else 0


async def inline_query(update: Update, context: BotContext) -> None:
    """Answer an inline query with a page of matching sessions as article results."""
    query = update.inline_query
    assert query is not None
    services = context.services
    lang = user_lang(update, context)
    faq = load_faq(services.settings.faq_path)
    sessions = inline_sessions(query.query, services.programme, services.clock.now(), faq)
    chunk, next_offset = reach.inline_page(sessions, _offset(query.offset), PAGE_SIZE)
    ids = await bookmarked_ids(services.database, query.from_user.id)
    cards = [reach.inline_card(services.programme, s, context.bot.username, lang, ids) for s in chunk]
    results = [
        InlineQueryResultArticle(
            id=card.id,
            title=card.title,
            description=card.description,
            input_message_content=InputTextMessageContent(card.text, parse_mode=ParseMode.HTML),
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(card.open_label, url=card.open_url)]]),
        )
        for card in cards
    ]
    # Personal: the results are in the asker's language and star their bookmarks, so Telegram must not serve
    # them to someone else who types the same words.
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True, next_offset=next_offset)
