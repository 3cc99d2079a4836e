"""/settings: reminder lead or off, morning digest, run-up messages, change alerts and language, each one tap."""

from __future__ import annotations

import logging

from telegram import Update

from bot import feeds, i18n
from bot.reminders.queue import tick
from bot.services import Services
from bot.storage import calendar_feeds, preferences, users
from bot.views import callback_data as cb
from bot.views import settings as views
from bot.views.reply import Reply
from handlers.common import pressed, private_only, send, show, user_lang
from handlers.context import BotContext
from handlers.menus import set_chat_menu

logger = logging.getLogger(__name__)


async def _render(services: Services, user_id: int, update: Update, context: BotContext) -> Reply:
    prefs = await preferences.get_preferences(services.database, user_id)
    today = services.programme.local(services.clock.now()).date()
    feed = None
    if services.settings.public_base_url:
        feed = await calendar_feeds.feed_of(services.database, user_id) is not None
    lang = user_lang(update, context)
    return views.settings_view(prefs, lang, today=today, digest_at=services.settings.digest_time, feed=feed)


async def _change_feed(update: Update, context: BotContext, user_id: int, on: bool) -> None:
    """Issue a new feed link (sent as a message of its own, to keep) or stop the feed."""
    services = context.services
    lang = user_lang(update, context)
    base = services.settings.public_base_url
    if on and base:
        token = await calendar_feeds.issue(services.database, user_id, services.clock.now())
        url = feeds.feed_url(base, token)
        await send(update, views.feed_issued(feeds.webcal_url(url), url, lang))
    elif not on:
        await calendar_feeds.revoke(services.database, user_id)
        await send(update, Reply(views.feed_stopped(lang)))


@private_only
async def show_settings(update: Update, context: BotContext) -> None:
    """Show the user's settings (a new message for /settings, in place for a button)."""
    user = update.effective_user
    assert user is not None
    if update.callback_query is not None:
        await update.callback_query.answer()
    await show(update, await _render(context.services, user.id, update, context))


@private_only
async def change_setting(update: Update, context: BotContext) -> None:
    """Apply the change a settings button names, then show the settings again."""
    query, user = pressed(update)
    services = context.services
    lang = user_lang(update, context)
    parsed = cb.parse_setting(query.data or "")
    field, value = parsed if parsed else ("", "")
    now = services.clock.now()
    db = services.database
    if field == views.LEAD and value in ("0", "5", "10", "15", "30"):
        minutes = int(value)
        if minutes:
            await preferences.update_preferences(db, user.id, now, reminders=True, reminder_minutes=minutes)
        else:
            await preferences.update_preferences(db, user.id, now, reminders=False)
    elif field == views.DIGEST and value in ("0", "1"):
        await preferences.update_preferences(db, user.id, now, digest=value == "1")
    elif field == views.RUNUP and value in ("0", "1"):
        await preferences.update_preferences(db, user.id, now, runup=value == "1")
    elif field == views.ALERTS and value in ("0", "1"):
        await preferences.update_preferences(db, user.id, now, change_alerts=value == "1")
    elif field == views.FEED and value in ("0", "1"):
        await _change_feed(update, context, user.id, value == "1")
        await query.answer()
        await show(update, await _render(services, user.id, update, context))
        return
    elif field == views.MUTE and value == "0":
        await preferences.update_preferences(db, user.id, now, muted_day="clear")
    elif field == views.LANGUAGE and value in i18n.available_languages():
        await users.set_language(db, user.id, value)
        if context.user_data is not None:
            context.user_data["lang"] = value  # this very reply already speaks the new language
        lang = i18n.lang(value)
        await set_chat_menu(context.bot, services, user.id, value)  # the menu follows the choice, not the phone
    else:
        # Forged or stale data is whatever a client chose to send: its content only at DEBUG, as every text.
        logger.info("Ignored settings data from user %s", user.id)
        logger.debug("Ignored settings data %r", query.data)
        await query.answer(views.invalid_setting(lang))
        await show(update, await _render(services, user.id, update, context))
        return
    # Pending reminders follow at once: dropped when switched off, moved to the new lead, revived when on,
    # reworded in a newly chosen language.
    await tick(services, user.id)
    await query.answer(views.saved(lang))
    await show(update, await _render(services, user.id, update, context))
