"""Answers to free-text questions and /search: sessions with a button each, speakers, FAQ entries, honest
'nothing found' replies. `reply_to` is the one function the handler and `python -m bot eval` both call."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import UTC, datetime

from babel.numbers import format_decimal

from bot import i18n
from bot.answer.engine import Answer, Frame, Kind, answer
from bot.answer.faq import Faq
from bot.answer.language import question_language
from bot.answer.lexicon import FILLERS, STOPWORDS
from bot.answer.resolve import DAY_END, Scope
from bot.answer.text import clean_question, fold, words
from bot.answer.when import Relative
from bot.browse import in_room, short_key
from bot.i18n import Lang
from bot.programme import timeline
from bot.programme.model import Programme, Session
from bot.views import callback_data as cb
from bot.views.agenda import bookmark_rows, session_row
from bot.views.browse import days_menu, page_of
from bot.views.faq import faq_reply
from bot.views.format import (
    MAX_TEXT,
    clip,
    day_label,
    duration_label,
    esc,
    hhmm,
    session_line,
    zone_label,
    zone_line,
)
from bot.views.now import next_view, now_view
from bot.views.reply import Button, Reply
from bot.views.start import dates_label, help_text, main_menu
from bot.views.venue import venue_view

PAGE_SIZE = 5  # ranked matches: the best few
MAX_ROOMS_LISTED = 40
LIST_PAGE_SIZE = 8  # sessions chosen by time or room, in time order
SNIPPET = 220
Paging = Callable[[int], str]  # page number → callback data of the button that shows it


def reply_to(
    question: str,
    programme: Programme,
    now: datetime,
    lang: Lang,
    faq: Faq | None = None,
    page: int = 0,
    bookmarked: Collection[str] | None = None,
    room: str | None = None,
) -> Reply:
    """Everything the bot sends back to one question (★ on bookmarked sessions when bookmarks are known);
    `room` is the room the delegate last looked at ('what's next in that room?')."""
    result = answer(question, programme, now, faq, room, lang.code)
    lang = _answering_language(question, result, lang)
    reply = render(result, programme, now, lang, page, lambda p: page_data(question, now, p), bookmarked)
    return replace(reply, room=_room_of(result))


def _room_of(result: Answer) -> str:
    """The one room an answer is about, if any: the room asked for, or the room of the one session found."""
    if result.kind is Kind.ROOM and len(result.rooms) == 1:
        return result.rooms[0]
    if result.query is not None and len(result.query.rooms) == 1:
        return result.query.rooms[0]
    if result.kind is Kind.SESSIONS and result.sessions and (result.clear or len(result.sessions) == 1):
        return result.sessions[0].room_id
    return ""


QUOTED_RUN = 3  # words of a title in a row that make it pasted into a question


def _answering_language(question: str, result: Answer, lang: Lang) -> Lang:
    """The question's own language when it is clearly not the delegate's setting (the setting stays)."""
    asked = words(fold(question))
    quoted: set[str] = set()  # a title pasted into the question says nothing about the delegate's language
    for session in (result.anchor, *result.sessions[:PAGE_SIZE]):
        if session is not None and (title := words(fold(session.title))):
            # Pasted: a run of the title's words as written ('Keynote: when the grid is hacked' is not quoted by
            # 'the keynote about the grid being hacked', an English question that shares words with it).
            n = min(QUOTED_RUN, len(title))
            runs = {tuple(asked[i : i + n]) for i in range(len(asked) - n + 1)}
            if any(tuple(title[i : i + n]) in runs for i in range(len(title) - n + 1)):
                quoted |= set(title)
    code = question_language(question, lang.code, frozenset(quoted))
    return lang if code == lang.code else i18n.lang(code)


def page_data(question: str, now: datetime, page: int) -> str:
    """Callback data for page `page` of the answer: the question itself, shortened to fit if need be."""
    minute = int(now.timestamp()) // 60
    budget = cb.MAX_DATA_BYTES - len(cb.ask_page_head(page, minute).encode())
    text = fold(clean_question(question))
    if len(text.encode()) > budget:
        # Filler words go first, then the tail, so the shortened question still asks the same thing.
        text = " ".join(w for w in text.split() if w.strip("?!.,;:'\"¿¡") not in STOPWORDS) or text
        while len(text.encode()) > budget and " " in text:
            text = text.rsplit(" ", 1)[0]
    return cb.ask_page(text, minute, page)


def answer_page(
    data: str,
    programme: Programme,
    lang: Lang,
    faq: Faq | None = None,
    bookmarked: Collection[str] | None = None,
    room: str | None = None,
) -> Reply | None:
    """The page an ask-page button asks for, or None when its data is malformed."""
    parsed = cb.parse_ask_page(data)
    if parsed is None:
        return None
    question, minute, page = parsed
    try:
        asked_at = datetime.fromtimestamp(minute * 60, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None  # forged data: no such instant
    return reply_to(question, programme, asked_at, lang, faq, page, bookmarked, room)


def render(
    result: Answer,
    programme: Programme,
    now: datetime,
    lang: Lang,
    page: int = 0,
    paging: Paging | None = None,
    bookmarked: Collection[str] | None = None,
) -> Reply:
    kind = result.kind
    if kind is Kind.SESSIONS or kind is Kind.SPEAKERS:
        return _sessions(result, programme, now, lang, page, paging, bookmarked)
    if kind is Kind.FAQ and result.faq is not None:
        return faq_reply(result.faq, result.sessions, programme, lang, bookmarked)
    if kind is Kind.NO_DAY and result.missing_day is not None:
        return _no_day(result, programme, lang)
    if kind is Kind.BEFORE or kind is Kind.AFTER:
        ask_next = result.query is not None and result.query.when.relative is Relative.NEXT
        return next_view(programme, now, lang, bookmarked) if ask_next else now_view(programme, now, lang, bookmarked)
    if kind is Kind.HELP:
        return help_text(programme, lang)
    if kind is Kind.VENUE:
        return venue_view(programme, lang)
    if kind is Kind.ROOM:
        return _rooms(result, programme, lang)
    if kind is Kind.COMPARE:
        return _compared(result, programme, lang, bookmarked)
    if kind is Kind.BROWSE:
        return days_menu(programme, lang)
    if kind is Kind.NO_MATCH:
        return _no_match(result, programme, lang)
    if kind is Kind.THANKS:
        text = lang._("You're welcome! Ask me anything else about %(conference)s whenever you like.")
        return Reply("😊 " + text % {"conference": esc(programme.name)}, main_menu(lang))
    if kind is Kind.GOODBYE:
        text = lang._("Goodbye, and enjoy %(conference)s! I am here whenever you need the programme.")
        return Reply("👋 " + text % {"conference": esc(programme.name)})
    return _hint(programme, lang)


def _scope_line(scope: Scope, rooms: tuple[str, ...], programme: Programme, lang: Lang) -> str:
    _ = lang._
    parts = [f"📍 {esc(programme.room(r).name)}" for r in rooms]
    if scope.days and len(scope.days) < len(programme.days):
        parts.append("📅 " + esc(", ".join(day_label(d, lang) for d in scope.days)))
    for a, b in scope.windows[:1]:
        open_end = b.date() > a.date() and hhmm(b, programme) == DAY_END.strftime("%H:%M")
        if open_end:
            parts.append("🕘 " + _("from %(time)s") % {"time": hhmm(a, programme)})
        elif hhmm(a, programme) == "00:00":
            parts.append("🕘 " + _("until %(time)s") % {"time": hhmm(b, programme)})
        else:
            parts.append(f"🕘 {hhmm(a, programme)}–{hhmm(b, programme)}")
    if scope.instants and len(scope.days) != 1:
        parts.append(f"🕘 {hhmm(scope.instants[0], programme)}")
    return " · ".join(parts)


def _heading(result: Answer, programme: Programme, now: datetime, lang: Lang, total: int) -> list[str]:
    _ = lang._
    at = result.at or (result.scope.instants[0] if result.scope.instants else None)
    frame = result.frame
    if result.kind is Kind.SPEAKERS:
        lines = []
        for sp in result.speakers[:3]:
            role = ", ".join(p for p in (sp.role, sp.organisation) if p)
            lines.append(f"🎤 <b>{esc(sp.name)}</b>" + (f" — {esc(role)}" if role else ""))
        return lines
    if frame is Frame.NOW_AND_NEXT:
        return ["⏱ <b>" + _("On now, then next") + "</b>"]
    if frame is Frame.RUNNING and at is not None:
        if at == now:
            return ["⏱ <b>" + _("On now") + "</b>"]
        return ["⏱ <b>" + _("Running at %(time)s") % {"time": _at_label(at, result, programme, lang)} + "</b>"]
    if frame is Frame.NOTHING_THEN_NEXT and at is not None:
        first = result.sessions[0].start if result.sessions else None
        if at == now:
            head = _("Nothing is running right now.")
        else:
            head = _("Nothing is running at %(time)s.") % {"time": _at_label(at, result, programme, lang)}
        if first is None:
            return [head, _("Nothing else is scheduled after that.")]
        return [head, "⏭ <b>" + _("Next, in %(wait)s:") % {"wait": duration_label(first - at, lang)} + "</b>"]
    if frame is Frame.NEXT:
        if result.at is not None and result.sessions:
            wait = duration_label(result.sessions[0].start - result.at, lang)
            return ["⏭ <b>" + _("Starting next (in %(wait)s)") % {"wait": wait} + "</b>"]
        return ["⏭ <b>" + _("Coming up") + "</b>"]
    if frame is Frame.AFTER and result.anchor is not None:
        title = esc(clip(result.anchor.title, 80))
        ends = _at_label(result.anchor.end, result, programme, lang)
        return ["⏭ <b>" + _("After “%(title)s” (ends %(time)s)") % {"title": title, "time": ends} + "</b>"]
    if frame is Frame.BEFORE and result.anchor is not None:
        title = esc(clip(result.anchor.title, 80))
        starts = _at_label(result.anchor.start, result, programme, lang)
        return ["⏮ <b>" + _("Before “%(title)s” (starts %(time)s)") % {"title": title, "time": starts} + "</b>"]
    if frame is Frame.FIRST:
        return ["<b>" + lang.n_("First session", "First sessions", total) + "</b>"]
    if frame is Frame.LAST:
        return ["🏁 <b>" + lang.n_("Last session", "Last sessions", total) + "</b>"]
    if frame is Frame.LISTING:
        return ["📅 <b>" + lang.n_("%(n)d session", "%(n)d sessions", total) % {"n": total} + "</b>"]
    if result.query is not None and any(w not in FILLERS for w in result.query.ignored):
        # Part of the question matched nothing (the next line says which): the nearest sessions, not a match.
        return ["🔎 <b>" + lang.n_("Closest match", "Closest matches", total) + "</b>"]
    if result.clear and total > 1:
        return ["🔎 <b>" + _("%(n)d sessions match, the best first") % {"n": total} + "</b>"]
    return ["🔎 <b>" + lang.n_("%(n)d session matches", "%(n)d sessions match", total) % {"n": total} + "</b>"]


def _at_label(at: datetime, result: Answer, programme: Programme, lang: Lang) -> str:
    """'Thu 15 May 01:00': the conference day asked about, even when 01:00 falls after midnight."""
    days = result.scope.days
    day = days[0] if len(days) == 1 else programme.local(at).date()
    if len(days) > 1:
        return hhmm(at, programme)
    return f"{day_label(day, lang)} {hhmm(at, programme)}"


def _details(session: Session, programme: Programme, lang: Lang, who: bool, describe: bool) -> list[str]:
    """Under a best match: the speakers with their roles ('who …?'), and the start of the description."""
    lines: list[str] = []
    if who:
        for sp in programme.speakers_of(session)[:8]:
            role = ", ".join(p for p in (sp.role, sp.organisation) if p)
            lines.append(f"    🎤 {esc(sp.name)}" + (f" — {esc(clip(role, 80))}" if role else ""))
    text = session.description or session.subtitle
    if describe and text:
        lines.append("    <i>" + esc(clip(" ".join(text.split()), SNIPPET)) + "</i>")
    return lines


def _sessions(
    result: Answer,
    programme: Programme,
    now: datetime,
    lang: Lang,
    page: int,
    paging: Paging | None,
    bookmarked: Collection[str] | None,
) -> Reply:
    _ = lang._
    sessions = list(result.sessions)
    ranked = result.kind is Kind.SESSIONS and result.frame is Frame.MATCHES
    size = PAGE_SIZE if ranked else LIST_PAGE_SIZE
    pages = max(1, -(-len(sessions) // size))
    page = min(max(page, 0), pages - 1)
    chunk = sessions[page * size : (page + 1) * size]
    lines = _heading(result, programme, now, lang, len(sessions))
    scope = _scope_line(result.scope, result.rooms, programme, lang)
    if scope:
        lines.append(scope)
    if pages > 1:
        lines.append(_("page %(page)d of %(pages)d") % {"page": page + 1, "pages": pages})
    # Chat fillers ('yo', 'wassup') go unremarked; a real word left out is said, so the answer is read as partial.
    if q_ignored := tuple(w for w in (result.query.ignored if result.query else ()) if w not in FILLERS):
        said = esc(clip(" ".join(q_ignored), 60))
        lines.append(_("(I left out “%(words)s”: the programme does not mention it.)") % {"words": said})
    if chunk:
        lines.append("🕘 " + _("Times in %(zone)s") % {"zone": esc(zone_label(programme, chunk[0].start))})
    elif result.frame is not Frame.NOTHING_THEN_NEXT:
        lines.append(_("Nothing else is scheduled."))
    lines.append("")
    q = result.query
    who = bool(q and q.who)
    left, done, first_done = _earlier_today(result, programme, now)
    if done:
        lines.insert(1, _counts_line(left, done, lang))
    for n, s in enumerate(chunk):
        lines.append(session_line(s, programme, lang, with_day=True, now=now))
        if ranked and page == 0 and n == 0 and result.clear:
            lines += _details(s, programme, lang, who=who, describe=True)
        elif ranked and page == 0 and n < 3 and who:
            lines += _details(s, programme, lang, who=True, describe=False)
    rows = [session_row(s, programme, lang, bookmarked, with_day=True) for s in chunk]
    if ranked and page == 0 and result.clear and chunk and bookmarked is not None:
        # The one clear answer can go into the agenda at once, as from its card.
        rows[1:1] = bookmark_rows(chunk[0], bookmarked, lang)
    nav: list[Button] = []
    if page > 0 and paging is not None:
        nav.append(Button("◀ " + _("Back"), paging(page - 1)))
    if page < pages - 1 and paging is not None:
        nav.append(Button(_("More") + " ▶", paging(page + 1)))
    if first_done is not None and page == 0:
        # What already ran is not hidden, only put after what is left: the day's list shows it, marked as over.
        label = "✓ " + lang.n_("%(n)d already happened", "%(n)d already happened", done) % {"n": done}
        nav.append(Button(label, cb.day(first_done.day, page_of(programme, first_done))))
    if nav:
        rows.append(tuple(nav))
    return Reply(clip("\n".join(lines), MAX_TEXT), tuple(rows))


def _earlier_today(result: Answer, programme: Programme, now: datetime) -> tuple[int, int, Session | None]:
    """Of a listing of today: how many are still to come, how many happened, and the first left out of the answer."""
    day = timeline.current_day(programme, now)
    if result.frame is not Frame.LISTING or day is None or result.scope.days != (day,):
        return 0, 0, None
    asked = [
        s
        for s in timeline.active_sessions(programme)
        if result.scope.allows(s) and (not result.rooms or s.room_id in result.rooms)
    ]
    done = [s for s in asked if s.end <= now]
    shown = {s.id for s in result.sessions}  # by id: comparing whole sessions made a full day's listing quadratic
    left_out = [s for s in done if s.id not in shown]
    return len(asked) - len(done), len(done), (left_out[0] if left_out else None)


def _counts_line(left: int, done: int, lang: Lang) -> str:
    return (
        lang.n_("%(n)d still to come", "%(n)d still to come", left) % {"n": left}
        + " · "
        + lang.n_("%(n)d already happened", "%(n)d already happened", done) % {"n": done}
    )


def _compared(result: Answer, programme: Programme, lang: Lang, bookmarked: Collection[str] | None) -> Reply:
    """'Is X before or after Y': which comes first, then both sessions with their times."""
    _ = lang._
    first, second = result.sessions[:2]
    names = {"first": f"<b>{esc(clip(first.title, 80))}</b>", "second": f"<b>{esc(clip(second.title, 80))}</b>"}
    if first.start < second.start:
        verdict = _("%(first)s is before %(second)s.") % names
    elif first.start > second.start:
        verdict = _("%(first)s is after %(second)s.") % names
    else:
        verdict = _("%(first)s starts at the same time as %(second)s.") % names
    lines = ["🕘 " + verdict, "", zone_line(programme, lang, first.start), ""]
    lines += [session_line(s, programme, lang, with_day=True) for s in (first, second)]
    rows = [session_row(s, programme, lang, bookmarked, with_day=True) for s in (first, second)]
    return Reply(clip("\n".join(lines), MAX_TEXT), tuple(rows))


def _rooms(result: Answer, programme: Programme, lang: Lang) -> Reply:
    """What the programme says of the rooms asked about: how many they hold, their sessions day by day."""
    _ = lang._
    if len(result.rooms) > 3:  # 'what rooms are there?': each with its capacity and sessions, then by day
        return _all_rooms(result, programme, lang)
    if not result.rooms:  # 'that room' with no room looked at yet: each day's rooms to choose from
        ask = _("Which room do you mean? Open a session or a room first, then ask again — or choose a day:")
        choose = tuple((Button(day_label(d, lang), cb.day_groups(cb.DAY_ROOMS, d)),) for d in programme.days[:8])
        return Reply(ask, choose)
    lines: list[str] = []
    rows: list[tuple[Button, ...]] = []
    for room_id in result.rooms[:3]:
        room = programme.room(room_id)
        lines.append(f"📍 <b>{esc(room.name)}</b> · {esc(programme.venue.name)}")
        if room.capacity:
            seats = _seats(room.capacity, lang)
            lines.append(lang.n_("Capacity: %(n)s person", "Capacity: %(n)s people", room.capacity) % {"n": seats})
        else:
            lines.append(_("The programme does not give this room's capacity."))
        days = [(d, len(in_room(programme, d, short_key(room_id)))) for d in programme.days]
        days = [(d, n) for d, n in days if n]
        if not days:
            lines.append(_("Nothing is scheduled in this room."))
        for d, n in days[:4]:
            label = day_label(d, lang) + " · " + lang.n_("%(n)d session", "%(n)d sessions", n) % {"n": n}
            rows.append((Button(label, cb.group_day(cb.ROOM, d, short_key(room_id))),))
        lines.append("")
    return Reply("\n".join(lines).strip(), tuple(rows[:8]))


def _seats(capacity: int, lang: Lang) -> str:
    """A room's capacity as a delegate reads it: '1781' (four digits stand alone, as ISO 80000 writes them, and
    as a delegate types them back), '12 000' grouped the locale's way."""
    return format_decimal(capacity, locale=lang.locale, group_separator=capacity >= 10_000)


def _all_rooms(result: Answer, programme: Programme, lang: Lang) -> Reply:
    """Every room of the venue, with what it holds and how many sessions it has; a button per day's rooms."""
    _ = lang._
    lines = [f"📍 <b>{esc(programme.venue.name)}</b>", ""]
    counts: dict[str, int] = {}
    for s in timeline.active_sessions(programme):
        counts[s.room_id] = counts.get(s.room_id, 0) + 1
    for room_id in result.rooms[:MAX_ROOMS_LISTED]:
        room = programme.room(room_id)
        n = counts.get(room_id, 0)
        line = f"• {esc(room.name)} · " + lang.n_("%(n)d session", "%(n)d sessions", n) % {"n": n}
        if room.capacity:
            line += " · " + lang.n_("%(n)s seat", "%(n)s seats", room.capacity) % {"n": _seats(room.capacity, lang)}
        lines.append(line)
    if len(result.rooms) > MAX_ROOMS_LISTED:
        more = len(result.rooms) - MAX_ROOMS_LISTED
        lines.append(lang.n_("… and %(n)d more room", "… and %(n)d more rooms", more) % {"n": more})
    days = tuple((Button(day_label(d, lang), cb.day_groups(cb.DAY_ROOMS, d)),) for d in programme.days[:8])
    return Reply(clip("\n".join(lines), MAX_TEXT), days)


def _no_day(result: Answer, programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    assert result.missing_day is not None
    text = _("There are no sessions on %(day)s.") % {"day": esc(day_label(result.missing_day, lang))}
    text += "\n" + _("%(conference)s runs %(dates)s.") % {
        "conference": esc(programme.name),
        "dates": esc(dates_label(programme, lang)),
    }
    rows = tuple((Button(day_label(d, lang), cb.day(d)),) for d in programme.days[:10])
    return Reply(text, rows)


def _can_do(lang: Lang) -> str:
    return lang._(
        "I can tell you when and where sessions are, who speaks, what is on now or next, and practical details "
        "such as the venue. Send /help for more, or browse the /programme."
    )


def _no_match(result: Answer, programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    if result.unmatched:
        said = esc(clip(" ".join(result.unmatched), 80))
        lines = [_("I found nothing in the programme about “%(words)s”.") % {"words": said}]
    else:
        lines = [_("Sorry, I did not understand that.")]
    scope = _scope_line(result.scope, result.rooms, programme, lang)
    if scope:
        lines.append(_("I looked in: %(scope)s") % {"scope": scope})
    lines += ["", _can_do(lang)]
    return Reply("\n".join(lines), main_menu(lang))


def _hint(programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    lines = [_("Ask me about %(conference)s in your own words, for example:") % {"conference": esc(programme.name)}]
    example = next((s for s in programme.sessions if programme.speakers_of(s) and not s.is_cancelled), None)
    if example is not None:
        lines.append("• " + _("When is “%(title)s”?") % {"title": esc(clip(example.title, 50))})
        lines.append("• " + _("Who is %(name)s?") % {"name": esc(programme.speakers_of(example)[0].name)})
    lines.append("• " + _("What's on now? What's next?"))
    lines.append("• " + _("Where is the venue?"))
    lines += ["", _can_do(lang)]
    return Reply("\n".join(lines), main_menu(lang))


def search_usage(lang: Lang) -> Reply:
    _ = lang._
    text = _("Send /search and some words, e.g. <code>/search opening</code> or <code>/search kubernetes</code>.")
    return Reply(text + "\n" + _("Or simply ask me a question in your own words."))


def stale_page(lang: Lang) -> str:
    return lang._("This list has expired: please ask again.")
