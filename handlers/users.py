"""Recording every delegate on first contact, before any other handler runs."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from telegram import Update

from bot import i18n
from bot.reminders.queue import tick
from bot.runtime.persistence import KNOWN_CONTACT
from bot.storage import users
from bot.storage.db import is_disk_error
from handlers.context import BotContext

logger = logging.getLogger(__name__)

# Whether recording contacts fails now (a full or broken disk): said once, not with every message, until a
# write goes through again.
_failing = False


async def remember_user(update: Update, context: BotContext) -> None:
    """Create or refresh the user's row when something changed, and cache their language for the handlers."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    services = context.services
    name, now = user.first_name or "", services.clock.now()
    data = context.user_data
    known = data.get(KNOWN_CONTACT) if data is not None else None
    # The row read a moment ago has nothing to write until its name or SEEN_REFRESH changes it: a crowd's
    # updates skip the read too (each one a trip to SQLite's thread). Blocking and unblocking the bot clear it.
    if known is not None and known[0] == name and now < known[1] and update.my_chat_member is None:
        return
    stored = await users.get_user(services.database, user.id)  # a read: never waits for a writer (WAL)
    # Delegates are the people the bot can write to: those who talk to it in private. Someone who only
    # speaks in a group has never opened that chat, so is not counted, nor sent reminders or broadcasts.
    chat = update.effective_chat
    in_private = chat is not None and chat.type == chat.PRIVATE
    if stored is None and update.callback_query is not None:
        # A button of an old message, pressed by someone the bot does not know (they erased their data, or it
        # was purged): that is no new contact; writing to the bot is.
        return
    if in_private and (stored is None or stored.needs_refresh(name, now)):
        stored = await _record_contact(context, user.id, name, user.language_code, stored) or stored
    if stored is not None and data is not None:
        data["lang"] = stored.language
        if in_private and not stored.needs_refresh(name, now):
            data[KNOWN_CONTACT] = (name, stored.last_seen + users.SEEN_REFRESH)
        else:
            data.pop(KNOWN_CONTACT, None)


def forget_contact(user_data: dict[Any, Any] | None) -> None:
    """Read the user's row again at their next update (their status changed behind the handlers' back)."""
    if user_data is not None:
        user_data.pop(KNOWN_CONTACT, None)


async def _record_contact(
    context: BotContext, user_id: int, name: str, language: str | None, stored: users.User | None
) -> users.User | None:
    """Write the contact; when the disk refuses, the reply the user is waiting for still goes out."""
    global _failing
    services = context.services
    returning = stored is not None and stored.status != "active"
    try:
        fresh = await users.record_contact(
            services.database, user_id, name, i18n.normalise(language), services.clock.now()
        )
        if returning:  # back after blocking the bot: queue their reminders again (the periodic tick reads
            await tick(services, user_id)  # only the sessions that newly come due)
    except sqlite3.Error as exc:
        if not is_disk_error(exc):  # a bug, not the disk
            raise
        if not _failing:
            logger.warning("Could not record the contact of a delegate (%s); answering anyway", exc)
        _failing = True
        return None
    _failing = False
    return fresh
