"""/start and /help: the greeting with the main menu, and the list of commands."""

from __future__ import annotations

from telegram import Update

from bot.views import start as views
from handlers.common import send, show, user_lang
from handlers.context import BotContext


async def start(update: Update, context: BotContext) -> None:
    """Greet the delegate with what the bot does and the main actions."""
    user = update.effective_user
    reply = views.welcome(context.services.programme, user_lang(update, context), user.first_name if user else "")
    await send(update, reply)


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands."""
    await send(update, views.help_text(context.services.programme, user_lang(update, context)))


async def help_button(update: Update, context: BotContext) -> None:
    """Show the help text in place of the pressed menu."""
    if update.callback_query:
        await update.callback_query.answer()
    await show(update, views.help_text(context.services.programme, user_lang(update, context)))
