"""/privacy: who runs the bot, what it stores and why, for how long, and the delegate's rights."""

from __future__ import annotations

from telegram import Update

from bot.privacy import load_notice
from bot.views import privacy as views
from bot.views.reply import Reply
from handlers.common import send, show, user_lang
from handlers.context import BotContext


def _notice(update: Update, context: BotContext) -> Reply:
    services = context.services
    return views.privacy_view(
        load_notice(services.settings.privacy_path),
        user_lang(update, context),
        last_day=services.programme.end_date,
        retention_days=services.settings.retention_days,
    )


async def privacy_command(update: Update, context: BotContext) -> None:
    """Show the privacy notice in the delegate's language."""
    await send(update, _notice(update, context))


async def privacy_button(update: Update, context: BotContext) -> None:
    """Show the privacy notice in place of the pressed menu (from /settings)."""
    if update.callback_query:
        await update.callback_query.answer()
    await show(update, _notice(update, context))
