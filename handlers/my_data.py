"""/mydata: a delegate gets everything the bot keeps about them."""

from __future__ import annotations

from telegram import InputFile, Update

from bot.storage.personal_data import personal_data
from bot.views import my_data as views
from handlers.common import private_only, send, user_lang
from handlers.context import BotContext


@private_only
async def my_data_command(update: Update, context: BotContext) -> None:
    """Send the summary, then the JSON file."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    services = context.services
    now = services.clock.now()
    data = await personal_data(services.database, user.id)
    await send(update, views.summary(data, user_lang(update, context)))
    content = views.document(data, services.programme, now)
    await chat.send_document(document=InputFile(content, filename=views.filename(now)))
