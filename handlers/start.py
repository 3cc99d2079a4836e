"""/start and /help: the greeting with the main menu, the list of commands, and the screens deep links open."""

from __future__ import annotations

from telegram import Update

from bot import deep_links
from bot.deep_links import Target
from bot.i18n import Lang
from bot.views import browse as browse_views
from bot.views import reach
from bot.views import start as views
from bot.views.agenda import bookmark_rows
from bot.views.reply import Reply
from bot.views.speakers import speaker_page
from bot.views.venue import venue_view
from handlers.common import own_bookmarks, send, show, user_lang
from handlers.context import BotContext


def _welcome(update: Update, context: BotContext, lang: Lang) -> Reply:
    user = update.effective_user
    return views.welcome(context.services.programme, lang, user.first_name if user else "")


async def start(update: Update, context: BotContext) -> None:
    """Greet the delegate, or open the screen a deep link (`/start <payload>`) names."""
    lang = user_lang(update, context)
    chat = update.effective_chat
    payload = context.args[0] if context.args else ""
    if not payload or chat is None or chat.type != chat.PRIVATE:
        await send(update, _welcome(update, context, lang))
        return
    target = deep_links.parse(payload)
    if target is None:
        await send(update, reach.with_note(reach.link_not_understood(lang), _welcome(update, context, lang)))
        return
    await send(update, await _linked_screen(update, context, target, lang))


async def _linked_screen(update: Update, context: BotContext, target: Target, lang: Lang) -> Reply:
    """The screen a deep link opens: browsing's own screens, or why the link leads nowhere now."""
    services = context.services
    programme, now = services.programme, services.clock.now()
    ids = await own_bookmarks(update, context) or frozenset[str]()
    gone = reach.with_note(reach.link_gone(lang), browse_views.days_menu(programme, lang))
    if target.kind == deep_links.SESSION:
        session = deep_links.find_session(programme, target.key)
        if session is None:
            old = await deep_links.last_known_session(services.database, target.key)
            return reach.removed_session(programme, old, lang, ids)
        return browse_views.session_card(programme, session, lang, bookmark_rows(session, ids, lang), now)
    if target.kind in (deep_links.ROOM, deep_links.TRACK):
        by_room = target.kind == deep_links.ROOM
        name = (deep_links.room_id_of if by_room else deep_links.track_of)(programme, target.key)
        day = None if name is None else (deep_links.room_day if by_room else deep_links.track_day)(programme, name, now)
        by = browse_views.ROOMS if by_room else browse_views.TRACKS
        reply = browse_views.group_day(programme, day, by, target.key, None, lang, ids, now) if day else None
        return reply or gone
    if target.kind == deep_links.SPEAKER:
        speaker = deep_links.find_speaker(programme, target.key)
        return speaker_page(programme, speaker, 0, lang) if speaker is not None else gone
    if target.kind == deep_links.PROGRAMME:
        return browse_views.days_menu(programme, lang)
    if target.kind == deep_links.VENUE:
        return venue_view(programme, lang)
    return _welcome(update, context, lang)  # MENU


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands."""
    await send(update, views.help_text(context.services.programme, user_lang(update, context)))


async def help_button(update: Update, context: BotContext) -> None:
    """Show the help text in place of the pressed menu."""
    if update.callback_query:
        await update.callback_query.answer()
    await show(update, views.help_text(context.services.programme, user_lang(update, context)))
