"""Inline mode (`@bot words` in any chat): which sessions an inline query lists, through the answer engine."""

from __future__ import annotations

from datetime import datetime

from bot import deep_links
from bot.answer import Faq, answer
from bot.programme import timeline
from bot.programme.model import Programme, Session

MAX_LISTED = 200  # sessions one query pages through (Telegram's pages are ≤ 50 results)


def inline_sessions(query: str, programme: Programme, now: datetime, faq: Faq | None = None) -> list[Session]:
    """The sessions an inline query lists: the one a Share button names, what is on now and next for an empty
    query, else what the answer engine finds for the words (a speaker's sessions when it finds speakers)."""
    text = query.strip()
    key = deep_links.shared_key(text)
    if key is not None:
        shared = deep_links.find_session(programme, key)
        return [shared] if shared is not None else []
    if not text:
        listed = [*timeline.running_at(programme, now), *timeline.upcoming_after(programme, now)]
        return listed[:MAX_LISTED]
    found = answer(text, programme, now, faq)
    sessions = list(found.sessions)
    if not sessions and found.speakers:
        ids = {sp.id for sp in found.speakers}
        sessions = [s for s in programme.sessions if ids.intersection(s.speaker_ids)]
    return sessions[:MAX_LISTED]
