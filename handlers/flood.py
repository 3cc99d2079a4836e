"""A per-person input limit, applied before anything else: a flood is cut at the door, with one notice.

Updates are counted when they arrive (the chat-ordered processor calls `arrived` before an update waits for
its chat's turn), not when their turn comes: a flood queued behind its own slow replies would otherwise be
counted at the pace it is answered and never cut.
"""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.input_limit import Admission, InputLimit
from bot.views.start import slow_down
from handlers.common import user_lang
from handlers.context import BotContext

logger = logging.getLogger(__name__)


class FloodGuard:
    """Admits or drops each update once; `check` is the first handler of every update."""

    def __init__(self, limit: InputLimit) -> None:
        self.limit = limit
        self._verdicts: dict[int, Admission] = {}

    def arrived(self, update: object) -> None:
        """Count an update the moment it arrives."""
        if isinstance(update, Update) and (person := _person(update)) is not None:
            self._verdicts[update.update_id] = self.limit.arrive(person)

    async def check(self, update: Update, context: BotContext) -> None:
        """Let an admitted update through; drop the rest, telling the person once in a while."""
        verdict = self._verdicts.pop(update.update_id, None)
        if verdict is None:  # one update at a time (no chat-ordered processor): count it now
            person = _person(update)
            verdict = Admission.ADMIT if person is None else self.limit.arrive(person)
        if verdict is Admission.ADMIT:
            return
        if verdict is Admission.NOTIFY:
            logger.info("Input limit: dropping updates of user %s for a while", _person(update))
            text = slow_down(user_lang(update, context))
            if update.callback_query is not None:  # a toast on the button: no message to a busy chat
                await update.callback_query.answer(text, show_alert=False)
            elif update.effective_chat is not None:
                await update.effective_chat.send_message(html.escape(text))
        # Dropped silently: not even a callback answer, so a flood of presses costs no request at all.
        raise ApplicationHandlerStop


def _person(update: Update) -> int | None:
    """Who sent the update: the user, else the chat (a channel post)."""
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None
