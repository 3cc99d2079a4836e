"""Answers from the organiser's FAQ file, with placeholders filled from the loaded programme."""

from __future__ import annotations

import re
from collections.abc import Collection

from bot.answer.faq import FaqEntry
from bot.i18n import Lang
from bot.programme.model import Programme, Session
from bot.views import callback_data as cb
from bot.views.agenda import session_row
from bot.views.format import MAX_TEXT, clip, esc, session_line, zone_label
from bot.views.reply import Button, Reply
from bot.views.start import dates_label
from bot.views.venue import map_url

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _values(programme: Programme, lang: Lang) -> dict[str, str]:
    _ = lang._
    venue = programme.venue
    provisional = sum(s.is_provisional for s in programme.sessions)
    total = len(programme.sessions)
    if provisional:
        status = lang.n_(
            "Not yet: %(n)d of %(total)d session is provisional and marked so; the official programme will replace it.",
            "Not yet: %(n)d of %(total)d sessions are provisional and marked so; the official programme will "
            "replace them.",
            provisional,
        ) % {"n": provisional, "total": total}
    elif programme.provisional:
        status = _("Not yet: the official programme has not been published in full.")
    else:
        status = _("The programme shown here is the published one; no session is marked provisional.")
    return {
        "conference": programme.name,
        "venue": venue.name,
        "address": venue.address,
        "where": ", ".join(p for p in (venue.name, venue.address) if p),
        "dates": dates_label(programme, lang) if programme.days else "",
        "timezone": zone_label(programme),
        "status": status,
        "url": programme.url,
        "organiser": programme.organiser,
    }


def faq_reply(
    entry: FaqEntry,
    related: tuple[Session, ...],
    programme: Programme,
    lang: Lang,
    bookmarked: Collection[str] | None = None,
) -> Reply:
    values = _values(programme, lang)
    missing = lang._("not published yet")

    def fill(m: re.Match[str]) -> str:
        key = m.group(1)
        return esc(values.get(key) or missing) if key in values else m.group(0)

    text = _PLACEHOLDER.sub(fill, esc(entry.answer_in(lang.code)))
    rows: list[tuple[Button, ...]] = []
    if related:
        text += "\n\n" + "\n".join(session_line(s, programme, lang, with_day=True) for s in related)
        rows += [session_row(s, programme, lang, bookmarked, with_day=True) for s in related]
    if entry.button == "map" and (url := map_url(programme)):
        rows.append((Button("🗺 " + lang._("Open the map"), url=url),))
    elif entry.button == "programme":
        rows.append((Button("📅 " + lang._("Programme"), cb.DAYS),))
    return Reply(clip(text, MAX_TEXT), tuple(rows))
