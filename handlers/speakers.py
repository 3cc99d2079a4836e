"""Speakers: /speakers (the A–Z index), its letter jump, a speaker's page and a session's speakers."""

from __future__ import annotations

from telegram import Update

from bot.speakers import speakers_index
from bot.views import callback_data as cb
from bot.views import speakers as views
from handlers import fallback
from handlers.common import pressed, send, show, user_lang
from handlers.context import BotContext


async def speakers_command(update: Update, context: BotContext) -> None:
    """Send the first page of the speakers, A–Z."""
    await send(update, views.speakers_page(context.services.programme, 0, user_lang(update, context)))


async def speakers_button(update: Update, context: BotContext) -> None:
    """Show a page of the speakers in place."""
    query, _user = pressed(update)
    start = cb.parse_speakers(query.data or "")
    programme = context.services.programme
    if start is None or (start and start >= len(speakers_index(programme))):
        await fallback.stale_button(update, context)
        return
    await query.answer()
    await show(update, views.speakers_page(programme, start, user_lang(update, context)))


async def letters_button(update: Update, context: BotContext) -> None:
    """Show the letter jump of the speakers in place."""
    query, _user = pressed(update)
    await query.answer()
    await show(update, views.letters_menu(context.services.programme, user_lang(update, context)))


async def speaker_button(update: Update, context: BotContext) -> None:
    """Show a speaker's page in place."""
    query, _user = pressed(update)
    programme = context.services.programme
    parsed = cb.parse_speaker(query.data or "")
    speaker = programme.speaker(parsed[0]) if parsed else None
    if parsed is None or speaker is None or speaker not in speakers_index(programme):
        await fallback.stale_button(update, context)
        return
    await query.answer()
    await show(update, views.speaker_page(programme, speaker, parsed[1], user_lang(update, context)))


async def session_speakers_button(update: Update, context: BotContext) -> None:
    """Show the speakers of a session in place."""
    query, _user = pressed(update)
    programme = context.services.programme
    key = cb.parse_session_speakers(query.data or "")
    session = programme.session(key) if key else None
    if session is None or not session.speaker_ids:
        await fallback.stale_button(update, context)
        return
    await query.answer()
    await show(update, views.session_speakers(programme, session, user_lang(update, context)))
