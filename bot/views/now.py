"""/now and /next: what runs, what starts next, a countdown before and a goodbye after."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from bot.i18n import Lang
from bot.programme import timeline
from bot.programme.model import Programme, Session
from bot.programme.timeline import Phase
from bot.views import callback_data as cb
from bot.views.agenda import session_row
from bot.views.format import MAX_TEXT, clip, day_label, duration_label, esc, session_line, zone_line
from bot.views.reply import Button, Reply

LIST_LIMIT = 8


def _session_buttons(
    programme: Programme, sessions: list[Session], lang: Lang, with_day: bool, bookmarked: Collection[str] | None
) -> list[tuple[Button, ...]]:
    return [session_row(s, programme, lang, bookmarked, with_day=with_day) for s in sessions]


def _footer(lang: Lang) -> tuple[Button, ...]:
    _ = lang._
    return (Button("⏱ " + _("Now"), cb.NOW), Button("⏭ " + _("Next"), cb.NEXT), Button("📅 " + _("Programme"), cb.DAYS))


def _listing(
    programme: Programme,
    title: str,
    sessions: list[Session],
    lang: Lang,
    with_day: bool,
    bookmarked: Collection[str] | None = None,
) -> Reply:
    shown = sessions[:LIST_LIMIT]
    lines = [title, ""] + [session_line(s, programme, lang, with_day=with_day) for s in shown]
    if len(sessions) > LIST_LIMIT:
        lines.append(lang._("…and %(n)d more.") % {"n": len(sessions) - LIST_LIMIT})
    if shown:
        lines += ["", zone_line(programme, lang, shown[0].start)]
    rows = _session_buttons(programme, shown, lang, with_day, bookmarked)
    return Reply(clip("\n".join(lines), MAX_TEXT), (*rows, _footer(lang)))


def _before(programme: Programme, instant: datetime, lang: Lang, bookmarked: Collection[str] | None) -> Reply:
    _ = lang._
    m = timeline.moment(programme, instant)
    first = [s for s in m.upcoming if s.start == m.upcoming[0].start] if m.upcoming else []
    title = "⏳ " + _("<b>%(conference)s</b> starts in %(countdown)s (%(day)s).") % {
        "conference": esc(programme.name),
        "countdown": duration_label(m.until_start, lang) if m.until_start else "",
        "day": day_label(programme.start_date, lang),
    }
    title += "\n" + _("First up:")
    return _listing(programme, title, first or list(m.upcoming), lang, with_day=True, bookmarked=bookmarked)


def _after(programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    text = "🏁 " + _("<b>%(conference)s</b> is over. Thank you for taking part!") % {"conference": esc(programme.name)}
    return Reply(text, ((Button("📅 " + _("Programme"), cb.DAYS),),))


def now_view(programme: Programme, instant: datetime, lang: Lang, bookmarked: Collection[str] | None = None) -> Reply:
    """What runs at `instant`; before or after the conference, a countdown or a goodbye."""
    _ = lang._
    phase = timeline.phase_at(programme, instant)
    if phase is Phase.BEFORE:
        return _before(programme, instant, lang, bookmarked)
    if phase is Phase.AFTER:
        return _after(programme, lang)
    running = timeline.running_at(programme, instant)
    if running:
        return _listing(programme, "⏱ <b>" + _("On now") + "</b>", running, lang, with_day=False, bookmarked=bookmarked)
    upcoming = timeline.upcoming_after(programme, instant)
    nxt = [s for s in upcoming if s.start == upcoming[0].start]
    title = (
        _("Nothing is running right now.")
        + "\n⏭ <b>"
        + _("Next, in %(wait)s:") % {"wait": duration_label(nxt[0].start - instant, lang)}
        + "</b>"
    )
    with_day = nxt[0].day != _local_day(programme, instant)
    return _listing(programme, title, nxt, lang, with_day=with_day, bookmarked=bookmarked)


def next_view(programme: Programme, instant: datetime, lang: Lang, bookmarked: Collection[str] | None = None) -> Reply:
    """What starts next in each room."""
    _ = lang._
    phase = timeline.phase_at(programme, instant)
    if phase is Phase.BEFORE:
        return _before(programme, instant, lang, bookmarked)
    upcoming = timeline.upcoming_after(programme, instant)
    if not upcoming:
        return _after(programme, lang)
    wait = duration_label(upcoming[0].start - instant, lang)
    title = "⏭ <b>" + _("Starting next (in %(wait)s)") % {"wait": wait} + "</b>"
    with_day = upcoming[0].day != _local_day(programme, instant)
    return _listing(programme, title, upcoming, lang, with_day=with_day, bookmarked=bookmarked)


def _local_day(programme: Programme, instant: datetime) -> object:
    return timeline.current_day(programme, instant)
