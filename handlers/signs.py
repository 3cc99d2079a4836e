"""/signs: the organisers' printable room signs, a PDF with a QR code to each room's deep link."""

from __future__ import annotations

import asyncio

from telegram import InputFile, Update

from bot.programme import timeline
from bot.signs import SIGNS_FILENAME, rooms_in_use, signs, signs_pdf
from bot.views.organisers import signs_caption
from handlers.common import private_only, user_lang
from handlers.context import BotContext
from handlers.organisers import organiser_only


@organiser_only
@private_only
async def signs_command(update: Update, context: BotContext) -> None:
    """Send the signs PDF: a page per room (today's sessions while the conference runs) and the entrance's."""
    services, lang = context.services, user_lang(update, context)
    programme = services.programme
    today = timeline.current_day(programme, services.clock.now())
    pages = signs(programme, context.bot.username, lang, today)
    # Drawing a big conference's pages takes seconds of CPU: off the event loop, so other chats go on.
    pdf = await asyncio.to_thread(signs_pdf, pages, lang)
    chat = update.effective_chat
    assert chat is not None
    caption = signs_caption(len(rooms_in_use(programme)), lang)
    await chat.send_document(InputFile(pdf, filename=SIGNS_FILENAME), caption=caption)
