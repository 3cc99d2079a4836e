"""Browsing the programme: days → the sessions of a day (paged) → one session's card."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from bot.i18n import Lang
from bot.programme.model import Programme, Session
from bot.views import callback_data as cb
from bot.views.agenda import session_row
from bot.views.format import (
    MAX_TEXT,
    clip,
    day_label,
    esc,
    long_day_label,
    room_name,
    session_line,
    when,
    zone_label,
)
from bot.views.reply import Button, Reply
from bot.views.speakers import speaker_rows

PAGE_SIZE = 8


def days_menu(programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    text = _("<b>%(conference)s</b> — choose a day:") % {"conference": esc(programme.name)}
    rows: list[tuple[Button, ...]] = []
    for d in programme.days:
        count = len(programme.sessions_on(d))
        label = day_label(d, lang) + " · " + lang.n_("%(n)d session", "%(n)d sessions", count) % {"n": count}
        rows.append((Button(label, cb.day(d)),))
    return Reply(text, tuple(rows))


def page_of(programme: Programme, session: Session) -> int:
    return programme.sessions_on(session.day).index(session) // PAGE_SIZE


def day_page(
    programme: Programme, day: date, page: int, lang: Lang, bookmarked: Collection[str] | None = None
) -> Reply:
    """One page of a day's sessions in time order, with a button per session (and ☆/★ when known) and paging."""
    _ = lang._
    sessions = programme.sessions_on(day)
    pages = max(1, -(-len(sessions) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    chunk = sessions[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    header = f"<b>{esc(long_day_label(day, lang))}</b>"
    if pages > 1:
        header += " · " + _("page %(page)d of %(pages)d") % {"page": page + 1, "pages": pages}
    lines = [header, _("Times in %(zone)s") % {"zone": esc(zone_label(programme, chunk[0].start if chunk else None))}]
    if not chunk:
        lines.append(_("No sessions on this day."))
    lines += [session_line(s, programme, lang) for s in chunk]
    text = "\n\n".join(lines[:2]) + "\n\n" + "\n".join(lines[2:])
    rows: list[tuple[Button, ...]] = [session_row(s, programme, lang, bookmarked) for s in chunk]
    nav: list[Button] = []
    if page > 0:
        nav.append(Button("◀ " + _("Earlier"), cb.day(day, page - 1)))
    if page < pages - 1:
        nav.append(Button(_("Later") + " ▶", cb.day(day, page + 1)))
    if nav:
        rows.append(tuple(nav))
    rows.append((Button("⬅ " + _("All days"), cb.DAYS),))
    return Reply(clip(text, MAX_TEXT), tuple(rows))


def session_card(
    programme: Programme, session: Session, lang: Lang, extra_buttons: tuple[tuple[Button, ...], ...] = ()
) -> Reply:
    """Everything about one session, within Telegram's message limit."""
    _ = lang._
    head = [f"<b>{esc(session.title)}</b>"]
    if session.subtitle:
        head.append(f"<i>{esc(session.subtitle)}</i>")
    if session.is_cancelled:
        head.insert(0, "❌ <b>" + _("Cancelled") + "</b>")
    head.append("")
    head.append(f"🗓 {esc(when(session, programme, lang))}")
    head.append("🕘 " + _("Times in %(zone)s") % {"zone": esc(zone_label(programme, session.start))})
    room = programme.room(session.room_id)
    head.append(f"📍 {esc(room_name(session, programme))}" + (f" · {esc(programme.venue.name)}" if room else ""))
    if session.is_provisional:
        head.append("⚠️ " + _("<b>Provisional</b>: the official programme will replace it."))
    if session.organisers_note:
        # The note is the programme file's own words, in its language: labelled so it is not read as the bot's.
        head.append("📝 " + _("Organisers' note: %(note)s") % {"note": esc(session.organisers_note)})
    tags = [t for t in (session.type, session.track) if t]
    if tags:
        head.append("🏷 " + esc(" · ".join(tags)))
    speakers = programme.speakers_of(session)
    if speakers:
        head.append("")
        head.append("🎤 <b>" + lang.n_("Speaker", "Speakers", len(speakers)) + "</b>")
        for sp in speakers:
            role = ", ".join(p for p in (sp.role, sp.organisation) if p)
            head.append(f"• {esc(sp.name)}" + (f" — {esc(role)}" if role else ""))
    tail: list[str] = []
    if session.source_url:
        links = [u.strip() for u in session.source_url.split(";") if u.strip()]
        tail.append(_("Source") + ": " + " ; ".join(f'<a href="{esc(u)}">{esc(clip(u, 60))}</a>' for u in links[:3]))
    elif session.url:
        tail.append(f'<a href="{esc(session.url)}">' + _("More on the official page") + "</a>")
    head_text = "\n".join(head)
    tail_text = "\n\n".join(tail)
    budget = MAX_TEXT - len(head_text) - len(tail_text) - 8
    body = esc(clip(session.description, max(0, budget - 40))) if session.description and budget > 80 else ""
    # Escaping can lengthen the text; clip again on the escaped form so the limit always holds.
    while body and len(body) > budget:
        body = esc(clip(session.description, len(body) // 2))
    text = "\n\n".join(p for p in (head_text, body, tail_text) if p)
    back = (
        Button(
            "⬅ " + _("Back to %(day)s") % {"day": day_label(session.day, lang)},
            cb.day(session.day, page_of(programme, session)),
        ),
        Button("📅 " + _("All days"), cb.DAYS),
    )
    return Reply(text[:MAX_TEXT], (*extra_buttons, *speaker_rows(programme, session, lang), back))


def unknown_session(lang: Lang) -> str:
    return lang._("That session is no longer in the programme.")


def unknown_day(lang: Lang) -> str:
    return lang._("That day is not part of the programme.")
