"""Browsing the programme: days → a day's tracks or rooms → their sessions (paged by time slot) → a card."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import date, datetime

from bot.browse import (
    Group,
    Page,
    day_page_of,
    has_rooms,
    has_tracks,
    in_room,
    in_track,
    neighbours,
    page_holding,
    room_key,
    rooms_on,
    running_or_next,
    slot_pages,
    track_key,
    tracks_on,
)
from bot.i18n import Lang
from bot.programme import timeline
from bot.programme.model import Programme, Session
from bot.views import callback_data as cb
from bot.views.agenda import session_row
from bot.views.format import (
    MAX_BUTTON_LABEL,
    MAX_TEXT,
    clip,
    clip_words,
    day_label,
    esc,
    hhmm,
    long_day_label,
    room_name,
    session_line,
    when,
    zone_label,
    zone_line,
)
from bot.views.reach import share_button
from bot.views.reply import Button, Reply
from bot.views.speakers import CARD_SPEAKER_BUTTONS, speaker_rows

PAGE_SIZE = 7  # sessions a page: with the paging row and the way back, ten buttons
GROUPS_PAGE_SIZE = 6  # tracks or rooms a page, beside paging, the other ways to browse and the way back
MAX_CARD_BUTTONS = 10  # a card's buttons, all in view on a phone
INDEX_ENTRIES = 7  # buttons of an index (a long list's pages, two a row)
TRACKS, ROOMS = "t", "r"


def day_entry(programme: Programme, d: date) -> str:
    """Where a day's button leads: its tracks, else its rooms, else its sessions in time order."""
    if has_tracks(programme):
        return cb.day_groups(cb.DAY_TRACKS, d)
    if has_rooms(programme):
        return cb.day_groups(cb.DAY_ROOMS, d)
    return cb.day(d)


def days_menu(programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    text = _("<b>%(conference)s</b> — choose a day:") % {"conference": esc(programme.name)}
    rows: list[tuple[Button, ...]] = []
    for d in programme.days:
        count = len(programme.sessions_on(d))
        label = day_label(d, lang) + " · " + lang.n_("%(n)d session", "%(n)d sessions", count) % {"n": count}
        rows.append((Button(label, day_entry(programme, d)),))
    return Reply(text, tuple(rows))


def _pages(sessions: list[Session]) -> list[Page]:
    return slot_pages(sessions, PAGE_SIZE)


def page_of(programme: Programme, session: Session) -> int:
    return day_page_of(programme, session, PAGE_SIZE)


def _slot_lines(
    page: Page, programme: Programme, lang: Lang, now: datetime | None, mark: Session | None = None
) -> list[str]:
    """The page's sessions in time order, a blank line between time slots; `mark` flagged as next in its room."""
    lines: list[str] = []
    for i, s in enumerate(page.sessions):
        if i and s.start != page.sessions[i - 1].start:
            lines.append("")
        line = session_line(s, programme, lang, now=now)
        if s is mark and now is not None and s.start > now:
            line += "\n    ⏭ <i>" + lang._("next in this room") + "</i>"
        lines.append(line)
    if page.continues:
        lines.append("    <i>" + lang._("(this time slot continues on the next page)") + "</i>")
    return lines


def _nav(page: int, pages: int, data: Callable[[int], str], lang: Lang) -> tuple[Button, ...]:
    nav: list[Button] = []
    if page > 0:
        nav.append(Button("◀ " + lang._("Earlier"), data(page - 1)))
    if page < pages - 1:
        nav.append(Button(lang._("Later") + " ▶", data(page + 1)))
    return tuple(nav)


def _session_page(
    heading: list[str],
    pages: list[Page],
    page: int,
    programme: Programme,
    lang: Lang,
    data: Callable[[int], str],
    back: Button,
    bookmarked: Collection[str] | None,
    now: datetime | None,
    mark: Session | None = None,
) -> Reply:
    """One page of a session list: heading, time zone, sessions by slot, a button each, paging, the way back."""
    _ = lang._
    page = min(max(page, 0), len(pages) - 1)
    chunk = pages[page]
    head = list(heading)
    if len(pages) > 1:
        head[0] += " · " + _("page %(page)d of %(pages)d") % {"page": page + 1, "pages": len(pages)}
    first = chunk.sessions[0].start if chunk.sessions else None
    head.append(_("Times in %(zone)s") % {"zone": esc(zone_label(programme, first))})
    body = _slot_lines(chunk, programme, lang, now, mark) if chunk.sessions else [_("No sessions on this day.")]
    rows: list[tuple[Button, ...]] = [session_row(s, programme, lang, bookmarked) for s in chunk.sessions]
    nav = _nav(page, len(pages), data, lang)
    if nav:
        rows.append(nav)
    rows.append((back,))
    text = "\n\n".join(head) + "\n\n" + "\n".join(body)
    return Reply(clip(text, MAX_TEXT), tuple(rows))


def _back_to_day(programme: Programme, day: date, lang: Lang) -> Button:
    """From a list of the day to the day's tracks or rooms, or to the days when the day has no other view."""
    entry = day_entry(programme, day)
    if entry == cb.day(day):
        return Button("⬅ " + lang._("All days"), cb.DAYS)
    return Button("⬅ " + day_label(day, lang), entry)


def day_page(
    programme: Programme,
    day: date,
    page: int,
    lang: Lang,
    bookmarked: Collection[str] | None = None,
    now: datetime | None = None,
) -> Reply:
    """A page of a day's sessions in time order (whole time slots), each opening its card, past ones marked."""
    heading = [f"<b>{esc(long_day_label(day, lang))}</b>"]
    return _session_page(
        heading,
        _pages(programme.sessions_on(day)),
        page,
        programme,
        lang,
        lambda p: cb.day(day, p),
        _back_to_day(programme, day, lang),
        bookmarked,
        now,
    )


def _groups(programme: Programme, day: date, by: str) -> list[Group]:
    return tracks_on(programme, day) if by == TRACKS else rooms_on(programme, day)


def _group_name(group: Group, lang: Lang) -> str:
    return group.name or lang._("Other sessions")


def _index_rows(labels: list[tuple[str, str]]) -> list[tuple[Button, ...]]:
    buttons = [Button(label, data) for label, data in labels]
    return [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]


def _index_entries(pages: int) -> list[int]:
    """The pages an index links to: every page when they fit, else every k-th, at most INDEX_ENTRIES."""
    step = max(1, -(-pages // INDEX_ENTRIES))
    return list(range(0, pages, step))


def _group_other_ways(programme: Programme, day: date, by: str, lang: Lang) -> tuple[Button, ...]:
    _ = lang._
    ways = [Button("🕘 " + _("By time"), cb.day(day))]
    if by == TRACKS and has_rooms(programme):
        ways.insert(0, Button("📍 " + _("By room"), cb.day_groups(cb.DAY_ROOMS, day)))
    elif by == ROOMS and has_tracks(programme):
        ways.insert(0, Button("🏷 " + _("By track"), cb.day_groups(cb.DAY_TRACKS, day)))
    return tuple(ways)


def groups_view(programme: Programme, day: date, by: str, page: int | None, lang: Lang) -> Reply:
    """A day's tracks (`by` TRACKS) or rooms with their count of sessions, paged; an index first when many."""
    _ = lang._
    groups = _groups(programme, day, by)
    prefix = cb.DAY_TRACKS if by == TRACKS else cb.DAY_ROOMS
    size = GROUPS_PAGE_SIZE
    pages = max(1, -(-len(groups) // size))
    what = _("Tracks") if by == TRACKS else _("Rooms")
    total = len(programme.sessions_on(day))
    heading = f"<b>{esc(long_day_label(day, lang))}</b> · {what}"
    summary = lang.n_("%(n)d session", "%(n)d sessions", total) % {"n": total}
    ask = _("Choose a track (its sessions that day):") if by == TRACKS else _("Choose a room (its sessions that day):")
    days_button = Button("📅 " + _("All days"), cb.DAYS)
    if page is None and pages > 2:
        entries = _index_entries(pages)
        labels = []
        for n, p in enumerate(entries):
            until = entries[n + 1] * size if n + 1 < len(entries) else len(groups)
            first, last = _short(_group_name(groups[p * size], lang)), _short(_group_name(groups[until - 1], lang))
            labels.append((f"{first} – {last}", cb.day_groups(prefix, day, p)))
        rows = _index_rows(labels)
        rows += [_group_other_ways(programme, day, by, lang), (days_button,)]
        lines = [heading, summary, _("%(n)d in all, A–Z: choose where to start.") % {"n": len(groups)}]
        return Reply("\n".join(lines), tuple(rows))
    page = min(max(page or 0, 0), pages - 1)
    chunk = groups[page * size : (page + 1) * size]
    if pages > 1:
        heading += " · " + _("page %(page)d of %(pages)d") % {"page": page + 1, "pages": pages}
    kind = cb.TRACK if by == TRACKS else cb.ROOM
    rows = [(Button(_group_label(g, lang), cb.group_day(kind, day, g.key)),) for g in chunk]
    nav = _nav(page, pages, lambda p: cb.day_groups(prefix, day, p), lang)
    if nav:
        rows.append(nav)
    if pages > 2:
        rows.append((Button("⬅ " + what, cb.day_groups(prefix, day)),))
    else:
        rows += [_group_other_ways(programme, day, by, lang), (days_button,)]
    return Reply("\n".join([heading, summary, "", ask]), tuple(rows))


def _short(name: str) -> str:
    return clip_words(name, 14)


def _group_label(group: Group, lang: Lang) -> str:
    count = f" · {group.count}"
    return clip_words(_group_name(group, lang), MAX_BUTTON_LABEL - len(count)) + count


def group_day(
    programme: Programme,
    day: date,
    by: str,
    key: str,
    page: int | None,
    lang: Lang,
    bookmarked: Collection[str] | None = None,
    now: datetime | None = None,
) -> Reply | None:
    """A track's or room's day, paged (times first when long), a room's now or next marked; None: no such group."""
    _ = lang._
    sessions = in_track(programme, day, key) if by == TRACKS else in_room(programme, day, key)
    if not sessions:
        return None
    prefix = cb.TRACK if by == TRACKS else cb.ROOM
    room = sessions[0].room_id if by == ROOMS else ""  # what 'that room' means in the next question
    pages = _pages(sessions)
    today = now is not None and timeline.current_day(programme, now) == day
    mark = running_or_next(sessions, now) if by == ROOMS and now is not None and today else None
    if by == TRACKS:
        name = sessions[0].track or _("Other sessions")
        heading = [f"🏷 <b>{esc(name)}</b> · {esc(day_label(day, lang))}"]
        back = Button("⬅ " + _("Tracks"), cb.day_groups(cb.DAY_TRACKS, day))
    else:
        name = room_name(sessions[0], programme)
        heading = [f"📍 <b>{esc(name)}</b> · {esc(day_label(day, lang))}"]
        back = Button("⬅ " + _("Rooms"), cb.day_groups(cb.DAY_ROOMS, day))
    heading[0] += " · " + lang.n_("%(n)d session", "%(n)d sessions", len(sessions)) % {"n": len(sessions)}
    if page is None and len(pages) > 2:
        entries = _index_entries(len(pages))
        labels = []
        for n, p in enumerate(entries):
            until = entries[n + 1] - 1 if n + 1 < len(entries) else len(pages) - 1
            first, last = pages[p].sessions[0], pages[until].sessions[-1]
            label = f"{hhmm(first.start, programme)}–{hhmm(last.start, programme)}"
            labels.append((label, cb.group_day(prefix, day, key, p)))
        rows = _index_rows(labels)
        rows.append((back,))
        lines = [*heading, zone_line(programme, lang, sessions[0].start), "", _("Choose a time:")]
        return Reply("\n".join(lines), tuple(rows), room=room)
    if page is None:
        page = page_holding(pages, mark) if mark is not None else 0

    def data(p: int) -> str:
        return cb.group_day(prefix, day, key, p)

    shown = _session_page(heading, pages, page, programme, lang, data, back, bookmarked, now, mark)
    return replace(shown, room=room)


def session_card(
    programme: Programme,
    session: Session,
    lang: Lang,
    extra_buttons: tuple[tuple[Button, ...], ...] = (),
    now: datetime | None = None,
) -> Reply:
    """Everything about one session within Telegram's limit, and the ways on: speakers, room, track, neighbours."""
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
    back = Button(
        "⬅ " + _("Back to %(day)s") % {"day": day_label(session.day, lang)},
        cb.day(session.day, page_of(programme, session)),
    )
    onward = onward_rows(programme, session, lang, now)
    # Ten buttons at most on a phone's screen: the speakers share one button when a button each would pass that.
    others = sum(len(row) for row in (*extra_buttons, *onward)) + 2  # + Share and the way back
    to_speakers = speaker_rows(programme, session, lang, min(CARD_SPEAKER_BUTTONS, max(1, MAX_CARD_BUTTONS - others)))
    rows = (*extra_buttons, *to_speakers, *onward)
    return Reply(text[:MAX_TEXT], (*rows, (back, share_button(session, lang))))


def onward_rows(
    programme: Programme, session: Session, lang: Lang, now: datetime | None = None
) -> tuple[tuple[Button, ...], ...]:
    """A card's ways on: its room's day (at what runs there now or next), its track's day, the room's neighbours."""
    _ = lang._
    where: list[Button] = []
    if has_rooms(programme):
        sessions = in_room(programme, session.day, room_key(session))
        today = now is not None and timeline.current_day(programme, now) == session.day
        focus = running_or_next(sessions, now) if today and now is not None else None
        page = page_holding(_pages(sessions), focus or session)
        label = "📍 " + clip_words(room_name(session, programme), MAX_BUTTON_LABEL // 2)
        where.append(Button(label, cb.group_day(cb.ROOM, session.day, room_key(session), page)))
    if has_tracks(programme) and session.track:
        sessions = in_track(programme, session.day, track_key(session))
        page = page_holding(_pages(sessions), session)
        label = "🏷 " + clip_words(session.track, MAX_BUTTON_LABEL // 2)
        where.append(Button(label, cb.group_day(cb.TRACK, session.day, track_key(session), page)))
    before, after = neighbours(programme, session)
    around: list[Button] = []
    if before is not None:
        around.append(Button("◀ " + _neighbour_label(before, programme), cb.session(before.key)))
    if after is not None:
        around.append(Button(_neighbour_label(after, programme) + " ▶", cb.session(after.key)))
    return tuple(row for row in (tuple(where), tuple(around)) if row)


def _neighbour_label(session: Session, programme: Programme) -> str:
    return clip_words(f"{hhmm(session.start, programme)} {session.title}", MAX_BUTTON_LABEL // 2)


def unknown_session(lang: Lang) -> str:
    return lang._("That session is no longer in the programme.")


def unknown_day(lang: Lang) -> str:
    return lang._("That day is not part of the programme.")


def unknown_group(lang: Lang) -> str:
    return lang._("That track or room has no sessions on this day any more.")
