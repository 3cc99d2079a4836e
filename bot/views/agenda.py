"""Bookmarks as the user sees them: the ☆/★ buttons, /my (the personal agenda) and the overlap prompt.

Cards carry the toggle, `bookmark_button(session, bookmarked, lang)`; a list row, `session_row(...)`, is one
button that opens the card, its label starting with ★ when the session is bookmarked, so titles keep the phone's
whole width. The bookmark handler updates the pressed toggle (and any ★ of that session) in place.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.agenda import agenda_sessions, clashes
from bot.i18n import Lang
from bot.programme.model import Programme, Session
from bot.views import callback_data as cb
from bot.views.format import (
    BOOKMARKED_MARK,
    CANCELLED_MARK,
    MAX_TEXT,
    button_label,
    clip,
    day_label,
    esc,
    session_line,
    span,
    when,
    zone_label,
)
from bot.views.reply import Button, Reply

PAGE_SIZE = 10
CARD = "c"  # a full label, for a card or an answer
LIST = "l"  # a compact ☆/★ beside a session button: no longer drawn, still understood in sent messages


def bookmark_button(session: Session, bookmarked: bool, lang: Lang, where: str = CARD) -> Button:
    """The toggle for one session: pressing it adds (☆) or removes (★) the bookmark."""
    _ = lang._
    if where == CARD:
        label = "★ " + _("In my agenda · remove") if bookmarked else "☆ " + _("Add to my agenda")
    else:
        label = "★" if bookmarked else "☆"
    return Button(label, cb.bookmark(session.key, not bookmarked, where))


def bookmark_rows(session: Session, bookmarked: Collection[str], lang: Lang) -> tuple[tuple[Button, ...], ...]:
    """The card's toggle row (`session_card(..., extra_buttons=...)`); a cancelled session can only be removed."""
    if session.is_cancelled and session.id not in bookmarked:
        return ()
    return ((bookmark_button(session, session.id in bookmarked, lang, CARD),),)


def session_row(
    session: Session,
    programme: Programme,
    lang: Lang,
    bookmarked: Collection[str] | None,
    *,
    with_day: bool = False,
) -> tuple[Button, ...]:
    """A list row: one full-width button that opens the card, its label starting with ★ when bookmarked."""
    marked = bookmarked is not None and session.id in bookmarked
    label = button_label(session, programme, lang, with_day=with_day, bookmarked=marked)
    return (Button(label, cb.session(session.key)),)


def starred(label: str, bookmarked: bool) -> str:
    """A session row's label with its ★ added or taken away, after a ❌ if it has one."""
    cancelled = label.startswith(CANCELLED_MARK)
    rest = label.removeprefix(CANCELLED_MARK).removeprefix(BOOKMARKED_MARK)
    return (CANCELLED_MARK if cancelled else "") + (BOOKMARKED_MARK if bookmarked else "") + rest


def toast(added: bool, lang: Lang) -> str:
    return "★ " + lang._("Added to your agenda") if added else lang._("Removed from your agenda")


def cancelled_not_bookmarkable(lang: Lang) -> str:
    return lang._("This session is cancelled, so it cannot be added to your agenda.")


def agenda_view(programme: Programme, session_ids: Collection[str], lang: Lang, page: int = 0) -> Reply:
    """/my: the bookmarked sessions by day in time order, overlaps marked, each opening its card."""
    _ = lang._
    sessions = agenda_sessions(programme, session_ids)
    missing = len(set(session_ids) - {s.id for s in sessions})
    if not sessions:
        text = "⭐ <b>" + _("My agenda") + "</b>\n\n" + _("Your agenda is empty. Tap ☆ on any session to add it.")
        if missing:
            text += "\n\n" + _gone(missing, lang)
        return Reply(text, ((Button("📅 " + _("Programme"), cb.DAYS),),))
    pages = -(-len(sessions) // PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    chunk = sessions[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    clashing = clashes(sessions)
    header = (
        "⭐ <b>"
        + _("My agenda")
        + "</b> · "
        + lang.n_("%(n)d session", "%(n)d sessions", len(sessions)) % {"n": len(sessions)}
    )
    if pages > 1:
        header += " · " + _("page %(page)d of %(pages)d") % {"page": page + 1, "pages": pages}
    lines = [header, _("Times in %(zone)s") % {"zone": esc(zone_label(programme, chunk[0].start))}]
    day = None
    for s in chunk:
        if s.day != day:
            day = s.day
            lines += ["", f"<b>{esc(day_label(day, lang))}</b>"]
        lines.append(session_line(s, programme, lang))
        if s.id in clashing:
            lines.append("    ⚠️ " + _("Overlaps another session in your agenda"))
    if clashing:
        lines += ["", "⚠️ " + _("Some of your sessions overlap: open one to keep or remove it.")]
    if missing:
        lines += ["", _gone(missing, lang)]
    several_days = len({s.day for s in sessions}) > 1
    rows = [session_row(s, programme, lang, session_ids, with_day=several_days) for s in chunk]
    nav: list[Button] = []
    if page > 0:
        nav.append(Button("◀ " + _("Earlier"), cb.my_page(page - 1)))
    if page < pages - 1:
        nav.append(Button(_("Later") + " ▶", cb.my_page(page + 1)))
    if nav:
        rows.append(tuple(nav))
    rows.append((Button("📆 " + _("Add to calendar"), cb.ICS),))
    rows.append((Button("⚙️ " + _("Settings"), cb.SETTINGS), Button("📅 " + _("Programme"), cb.DAYS)))
    return Reply(clip("\n".join(lines), MAX_TEXT), tuple(rows))


def _gone(n: int, lang: Lang) -> str:
    return "ℹ️ " + lang.n_(
        "%(n)d bookmarked session is no longer in the programme; it comes back here if it returns.",
        "%(n)d bookmarked sessions are no longer in the programme; they come back here if they return.",
        n,
    ) % {"n": n}


def _when(session: Session, programme: Programme, lang: Lang) -> str:
    return esc(when(session, programme, lang))


def overlap_prompt(programme: Programme, session: Session, others: list[Session], lang: Lang) -> Reply:
    """Asked at once when a new bookmark overlaps bookmarked sessions: keep both, or replace the others."""
    _ = lang._
    lines = [
        "⚠️ "
        + _("<b>%(title)s</b> (%(when)s) overlaps with your agenda:")
        % {"title": esc(clip(session.title, 200)), "when": _when(session, programme, lang)}
    ]
    lines += [f"• {span(o, programme)} {esc(clip(o.title, 200))}" for o in others]
    lines += ["", _("Keep both, or replace?")]
    replace = lang.n_("Replace the other one", "Replace the other ones", len(others))
    buttons = (
        (Button("✅ " + _("Keep both"), cb.overlap_choice(session.key, replace=False)),),
        (Button("🔁 " + replace, cb.overlap_choice(session.key, replace=True)),),
    )
    return Reply("\n".join(lines), buttons)


def kept_both(programme: Programme, session: Session, lang: Lang) -> Reply:
    _ = lang._
    text = "✅ " + _("Kept both: <b>%(title)s</b> is in your agenda beside the overlapping sessions.") % {
        "title": esc(clip(session.title, 200))
    }
    return Reply(text, ((Button("⭐ " + _("My agenda"), cb.MY),),))


def replaced(programme: Programme, session: Session, removed: list[Session], lang: Lang) -> Reply:
    _ = lang._
    lines = ["🔁 " + _("<b>%(title)s</b> is in your agenda.") % {"title": esc(clip(session.title, 200))}]
    if removed:
        lines.append(_("Removed:"))
        lines += [f"• {span(o, programme)} {esc(clip(o.title, 200))}" for o in removed]
    return Reply("\n".join(lines), ((Button("⭐ " + _("My agenda"), cb.MY),),))


def calendar_caption(programme: Programme, count: int, lang: Lang) -> str:
    return "📆 " + lang.n_(
        "Your agenda for %(conference)s: open the file to add %(n)d session to your calendar.",
        "Your agenda for %(conference)s: open the file to add %(n)d sessions to your calendar.",
        count,
    ) % {"conference": esc(programme.name), "n": count}


def nothing_to_export(lang: Lang) -> str:
    return lang._("Your agenda is empty: tap ☆ on sessions first, then add them to your calendar.")
