"""Whatever nothing else handled: unknown commands, other media, stale buttons — never silence."""

from __future__ import annotations

from telegram import Update

from bot.views import start as views
from handlers.common import addressed_to_bot, send, user_lang
from handlers.context import BotContext


async def not_understood(update: Update, context: BotContext) -> None:
    """Point to /help (in groups only when addressed)."""
    if addressed_to_bot(update, context):
        await send(update, views.not_understood(user_lang(update, context)))


async def other_media(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice…: say the bot reads text."""
    if addressed_to_bot(update, context):
        await send(update, views.unsupported_media(user_lang(update, context)))


async def stale_button(update: Update, context: BotContext) -> None:
    """A button the bot no longer knows (old message or forged data): say so and offer the menu."""
    query = update.callback_query
    assert query is not None
    lang = user_lang(update, context)
    await query.answer(views.expired_button(lang))
    await send(update, views.help_text(context.services.programme, lang))
