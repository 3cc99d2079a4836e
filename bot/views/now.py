"""/now and /next: what runs and what starts next, paged and narrowed to a track or room; a countdown before."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from bot.browse import Group, has_rooms, has_tracks, room_key, track_key
from bot.i18n import Lang
from bot.programme import timeline
from bot.programme.model import Programme, Session
from bot.programme.timeline import Phase
from bot.views import callback_data as cb
from bot.views.agenda import session_row
from bot.views.format import (
    MAX_BUTTON_LABEL,
    MAX_TEXT,
    clip,
    clip_words,
    day_label,
    duration_label,
    esc,
    room_name,
    session_line,
    zone_line,
)
from bot.views.reply import Button, Reply

PAGE_SIZE = 6  # sessions a page: with paging and the row of other ways, ten buttons
NARROW_PAGE_SIZE = 6
TRACKS, ROOMS = "t", "r"


def _narrowed(sessions: list[Session], narrow: str) -> list[Session]:
    if narrow.startswith(TRACKS):
        return [s for s in sessions if track_key(s) == narrow[1:]]
    if narrow.startswith(ROOMS):
        return [s for s in sessions if room_key(s) == narrow[1:]]
    return sessions


def _narrow_line(programme: Programme, sessions: list[Session], narrow: str, lang: Lang) -> str:
    if not sessions or not narrow:
        return ""
    if narrow.startswith(TRACKS):
        return "🏷 " + esc(sessions[0].track or lang._("Other sessions"))
    return "📍 " + esc(room_name(sessions[0], programme))


def _other_ways(programme: Programme, upcoming: bool, narrow: str, lang: Lang) -> tuple[Button, ...]:
    """Narrow to a track or room (or show all again), and switch between /now and /next."""
    _ = lang._
    ways: list[Button] = []
    if narrow:
        ways.append(Button("✖ " + _("Show all"), cb.now_page(upcoming)))
    elif has_tracks(programme) or has_rooms(programme):
        by = TRACKS if has_tracks(programme) else ROOMS
        ways.append(Button("🔎 " + _("Narrow down"), cb.now_narrow(upcoming, by)))
    if upcoming:
        ways.append(Button("⏱ " + _("Now"), cb.NOW))
    else:
        ways.append(Button("⏭ " + _("Next"), cb.NEXT))
    return tuple(ways)


def _listing(
    programme: Programme,
    title: str,
    sessions: list[Session],
    lang: Lang,
    with_day: bool,
    bookmarked: Collection[str] | None,
    page: int,
    upcoming: bool,
    narrow: str = "",
) -> Reply:
    _ = lang._
    pages = max(1, -(-len(sessions) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = sessions[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [title]
    narrowed = _narrow_line(programme, sessions, narrow, lang)
    if narrowed:
        lines.append(narrowed)
    if pages > 1:
        lines.append(_("page %(page)d of %(pages)d") % {"page": page + 1, "pages": pages})
    lines += [""] + [session_line(s, programme, lang, with_day=with_day) for s in shown]
    if shown:
        lines += ["", zone_line(programme, lang, shown[0].start)]
    elif narrow:
        lines.append(_("Nothing in this track or room at the moment."))
    rows = [session_row(s, programme, lang, bookmarked, with_day=with_day) for s in shown]
    nav: list[Button] = []
    if page > 0:
        nav.append(Button("◀ " + _("Back"), cb.now_page(upcoming, page - 1, narrow)))
    if page < pages - 1:
        nav.append(Button(_("More") + " ▶", cb.now_page(upcoming, page + 1, narrow)))
    if nav:
        rows.append(tuple(nav))
    rows.append(_other_ways(programme, upcoming, narrow, lang))
    return Reply(clip("\n".join(lines), MAX_TEXT), tuple(rows))


def _before(
    programme: Programme,
    instant: datetime,
    lang: Lang,
    bookmarked: Collection[str] | None,
    page: int,
    upcoming: bool,
    narrow: str,
) -> Reply:
    _ = lang._
    m = timeline.moment(programme, instant)
    first = [s for s in m.upcoming if s.start == m.upcoming[0].start] if m.upcoming else []
    title = "⏳ " + _("<b>%(conference)s</b> starts in %(countdown)s (%(day)s).") % {
        "conference": esc(programme.name),
        "countdown": duration_label(m.until_start, lang) if m.until_start else "",
        "day": day_label(programme.start_date, lang),
    }
    title += "\n" + _("First up:")
    sessions = _narrowed(first or list(m.upcoming), narrow)
    return _listing(programme, title, sessions, lang, True, bookmarked, page, upcoming, narrow)


def _after(programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    text = "🏁 " + _("<b>%(conference)s</b> is over. Thank you for taking part!") % {"conference": esc(programme.name)}
    return Reply(text, ((Button("📅 " + _("Programme"), cb.DAYS),),))


def now_sessions(programme: Programme, instant: datetime) -> list[Session]:
    """What /now lists: the sessions running at `instant`, else those of the next time slot."""
    running = timeline.running_at(programme, instant)
    if running:
        return running
    upcoming = timeline.upcoming_after(programme, instant)
    return [s for s in upcoming if s.start == upcoming[0].start]


def now_view(
    programme: Programme,
    instant: datetime,
    lang: Lang,
    bookmarked: Collection[str] | None = None,
    page: int = 0,
    narrow: str = "",
) -> Reply:
    """What runs at `instant`, paged and narrowed; a countdown before the conference and a goodbye after."""
    _ = lang._
    phase = timeline.phase_at(programme, instant)
    if phase is Phase.BEFORE:
        return _before(programme, instant, lang, bookmarked, page, False, narrow)
    if phase is Phase.AFTER:
        return _after(programme, lang)
    running = timeline.running_at(programme, instant)
    if running:
        title = "⏱ <b>" + _("On now") + "</b>"
        return _listing(programme, title, _narrowed(running, narrow), lang, False, bookmarked, page, False, narrow)
    nxt = now_sessions(programme, instant)
    title = (
        _("Nothing is running right now.")
        + "\n⏭ <b>"
        + _("Next, in %(wait)s:") % {"wait": duration_label(nxt[0].start - instant, lang)}
        + "</b>"
    )
    with_day = nxt[0].day != _local_day(programme, instant)
    return _listing(programme, title, _narrowed(nxt, narrow), lang, with_day, bookmarked, page, False, narrow)


def next_view(
    programme: Programme,
    instant: datetime,
    lang: Lang,
    bookmarked: Collection[str] | None = None,
    page: int = 0,
    narrow: str = "",
) -> Reply:
    """What starts next in each room, paged, narrowed to a track or room."""
    _ = lang._
    phase = timeline.phase_at(programme, instant)
    if phase is Phase.BEFORE:
        return _before(programme, instant, lang, bookmarked, page, True, narrow)
    upcoming = timeline.upcoming_after(programme, instant)
    if not upcoming:
        return _after(programme, lang)
    wait = duration_label(upcoming[0].start - instant, lang)
    title = "⏭ <b>" + _("Starting next (in %(wait)s)") % {"wait": wait} + "</b>"
    with_day = upcoming[0].day != _local_day(programme, instant)
    return _listing(programme, title, _narrowed(upcoming, narrow), lang, with_day, bookmarked, page, True, narrow)


def listed(programme: Programme, instant: datetime, upcoming: bool) -> list[Session]:
    """Every session /now (or /next) lists at `instant`, before any narrowing."""
    if timeline.phase_at(programme, instant) is Phase.BEFORE:
        m = timeline.moment(programme, instant)
        return [s for s in m.upcoming if s.start == m.upcoming[0].start] if m.upcoming else []
    return timeline.upcoming_after(programme, instant) if upcoming else now_sessions(programme, instant)


def _choices(programme: Programme, sessions: list[Session], by: str, lang: Lang) -> list[Group]:
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for s in sessions:
        key = track_key(s) if by == TRACKS else room_key(s)
        counts[key] = counts.get(key, 0) + 1
        names[key] = (s.track or lang._("Other sessions")) if by == TRACKS else room_name(s, programme)
    return sorted((Group(k, names[k], n) for k, n in counts.items()), key=lambda g: g.name.casefold())


def narrow_view(programme: Programme, instant: datetime, upcoming: bool, by: str, page: int, lang: Lang) -> Reply:
    """The tracks (or rooms) of what /now or /next lists, with their count, to narrow the list to one."""
    _ = lang._
    groups = _choices(programme, listed(programme, instant, upcoming), by, lang)
    pages = max(1, -(-len(groups) // NARROW_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    chunk = groups[page * NARROW_PAGE_SIZE : (page + 1) * NARROW_PAGE_SIZE]
    what = _("Which track?") if by == TRACKS else _("Which room?")
    text = "🔎 <b>" + what + "</b>"
    if pages > 1:
        text += " · " + _("page %(page)d of %(pages)d") % {"page": page + 1, "pages": pages}
    if not groups:
        text += "\n\n" + _("Nothing to narrow down right now.")
    rows: list[tuple[Button, ...]] = []
    for g in chunk:
        count = f" · {g.count}"
        label = clip_words(g.name, MAX_BUTTON_LABEL - len(count)) + count
        rows.append((Button(label, cb.now_page(upcoming, 0, by + g.key)),))
    nav: list[Button] = []
    if page > 0:
        nav.append(Button("◀ " + _("Back"), cb.now_narrow(upcoming, by, page - 1)))
    if page < pages - 1:
        nav.append(Button(_("More") + " ▶", cb.now_narrow(upcoming, by, page + 1)))
    if nav:
        rows.append(tuple(nav))
    other: list[Button] = []
    if by == TRACKS and has_rooms(programme):
        other.append(Button("📍 " + _("By room"), cb.now_narrow(upcoming, ROOMS)))
    elif by == ROOMS and has_tracks(programme):
        other.append(Button("🏷 " + _("By track"), cb.now_narrow(upcoming, TRACKS)))
    other.append(Button("⬅ " + (_("Next") if upcoming else _("Now")), cb.now_page(upcoming)))
    rows.append(tuple(other))
    return Reply(text, tuple(rows))


def _local_day(programme: Programme, instant: datetime) -> date | None:
    return timeline.current_day(programme, instant)
