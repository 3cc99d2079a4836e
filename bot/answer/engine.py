"""One question in, one answer out: which sessions, speakers or FAQ entry answer it, and why."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from bot.answer import lexicon as lx
from bot.answer import search
from bot.answer.faq import Faq, FaqEntry, FaqHit, match, practical_words
from bot.answer.index import ProgrammeIndex, index_for
from bot.answer.query import Query, parse
from bot.answer.resolve import Scope, resolve
from bot.answer.text import clean_question, fold, words
from bot.answer.when import Relative
from bot.programme import timeline
from bot.programme.model import Programme, Session, SessionStatus, Speaker
from bot.programme.timeline import Phase

RELATED_LIMIT = 3


class Kind(StrEnum):
    EMPTY = "empty"  # nothing to go on: show what can be asked
    HELP = "help"
    BROWSE = "browse"  # asks for the programme itself
    FAQ = "faq"
    SESSIONS = "sessions"
    SPEAKERS = "speakers"
    VENUE = "venue"  # where the conference is, when no FAQ entry says it
    NO_MATCH = "no-match"  # honest: nothing in the programme answers it
    NO_DAY = "no-day"  # the day asked about has no sessions
    BEFORE = "before"  # 'now' before the conference starts
    AFTER = "after"  # 'now' or 'next' once it is over


class Frame(StrEnum):
    """Why these sessions: what the reply's heading says."""

    MATCHES = "matches"
    RUNNING = "running"
    NOTHING_THEN_NEXT = "nothing-then-next"
    NEXT = "next"
    FIRST = "first"
    LAST = "last"
    LISTING = "listing"
    AFTER = "after"  # what follows the session in `anchor`


@dataclass(frozen=True)
class Answer:
    kind: Kind
    query: Query | None = None
    sessions: tuple[Session, ...] = ()  # ranked or in time order; the view pages through them
    frame: Frame = Frame.MATCHES
    speakers: tuple[Speaker, ...] = ()
    faq: FaqEntry | None = None
    scope: Scope = field(default_factory=Scope)
    rooms: tuple[str, ...] = ()
    at: datetime | None = None  # the instant a RUNNING / NOTHING_THEN_NEXT list is about
    missing_day: date | None = None
    unmatched: tuple[str, ...] = ()
    clear: bool = False  # the first session is clearly the one asked about
    anchor: Session | None = None  # the session an 'after …' question named


def answer(question: str, programme: Programme, now: datetime, faq: Faq | None = None) -> Answer:
    """Answer a delegate's free-text question about `programme` at instant `now`."""
    text = clean_question(question)
    if not words(fold(text)):
        return Answer(Kind.EMPTY)
    index = index_for(programme)
    memo: search.Memo = {}
    q = parse(text, index)
    if q.when.after_session and not q.hard and not q.speakers and not q.when.has_time and not q.when.relative:
        q = replace(q, when=replace(q.when, relative=Relative.NEXT))  # 'what's on after?' alone: next
    hit = match(faq, q.tokens, programme.name, index.context_words, q.hard) if faq else None
    topic = _topic(index, q, hit, memo)
    if hit and not topic and not q.speakers and not q.rooms:
        related = _related(index, [w for w in q.hard if w in hit.consumed], memo)
        return Answer(Kind.FAQ, q, faq=hit.entry, sessions=related)
    scope = resolve(q.when, programme, now)
    overall = search.rank(index, topic, memo=memo) if topic and not q.speakers else None
    # 'How do I register?' is practical: a talk that only mentions registering in passing does not answer it.
    if overall is not None and (not overall.rows or (not overall.strong and _practical(q, topic, faq, index))):
        # Nothing anywhere in the programme is about it: say so, whatever day was asked about. A practical
        # question with one extra word ('by shuttle') is still the FAQ's; 'internet censorship' is not.
        if hit and len(hit.consumed & set(q.hard)) >= len(topic):
            return Answer(Kind.FAQ, q, faq=hit.entry)
        return Answer(Kind.NO_MATCH, q, unmatched=overall.unmatched or topic)
    if scope.missing_day is not None:
        return Answer(Kind.NO_DAY, q, missing_day=scope.missing_day)
    if q.when.after_session and not q.when.has_time and (topic or q.speakers):
        anchor = _anchor(index, q, topic, scope, memo)
        if anchor is not None:
            return _after(index, q, anchor)
    if q.speakers:
        return _speakers(index, q, scope)
    if topic and (status := _status(topic)) is not None:
        return _with_status(index, q, status, scope)
    if topic:
        found = _search(index, q, topic, scope, now, memo)
        if hit and found.kind is Kind.SESSIONS and any(w in hit.consumed and w not in topic for w in q.hard):
            # 'Is there a livestream of the closing session?': the FAQ answers, the session is shown with it.
            return Answer(Kind.FAQ, q, faq=hit.entry, sessions=found.sessions[:RELATED_LIMIT])
        return found
    if q.has_filters:
        return _listing(index, q, scope, now)
    if hit:
        return Answer(Kind.FAQ, q, faq=hit.entry)
    if q.help:
        return Answer(Kind.HELP, q)
    named = set(q.soft) & (index.context_words | lx.VENUE)
    if named and q.where:
        return Answer(Kind.VENUE, q)
    if named and not q.when_asked and not q.programme and not q.greeting:
        return _search(index, q, q.soft, scope, now, memo)
    if q.programme or q.soft:
        return Answer(Kind.BROWSE, q)
    return Answer(Kind.EMPTY if q.greeting else Kind.NO_MATCH, q)


def _practical(q: Query, topic: tuple[str, ...], faq: Faq | None, index: ProgrammeIndex) -> bool:
    """'How do I …', or a question all of whose topic words are FAQ words ('the wifi password') and that names
    no kind of session ('talks about wifi' is a topic)."""
    if q.how_to:
        return True
    if faq is None or set(q.tokens) & lx.SESSION_WORDS:
        return False
    return set(topic) <= practical_words(faq, q.tokens, index.context_words)


def _topic(index: ProgrammeIndex, q: Query, hit: FaqHit | None, memo: search.Memo) -> tuple[str, ...]:
    """The words to search for: those the FAQ does not explain, plus, when some remain, the FAQ words that
    name sessions ('what time does registration open': the session called Registration, not 'open')."""
    if hit is None:
        return q.hard
    rest = [w for w in q.hard if w not in hit.consumed]
    if not rest:
        return ()
    return tuple(
        w for w in q.hard if w not in hit.consumed or search.term_hits(index, w, headings_only=True, memo=memo).rows
    )


def _related(index: ProgrammeIndex, topic: list[str], memo: search.Memo) -> tuple[Session, ...]:
    """Sessions whose title names the FAQ topic ('Registration and welcome coffee' for 'registration')."""
    rows: dict[int, float] = {}
    for w in topic:
        for row, relevance in search.term_hits(index, w, headings_only=True, memo=memo).rows.items():
            rows[row] = rows.get(row, 0.0) + relevance
    best = sorted(rows, key=lambda r: (-rows[r], index.sessions[r].start))[:RELATED_LIMIT]
    return tuple(sorted((index.sessions[r] for r in best), key=lambda s: s.start))


def _allowed(index: ProgrammeIndex, q: Query, scope: Scope, now: datetime) -> tuple[set[int] | None, Scope]:
    """Rows the filters allow (None: all), with 'now' and 'next' folded into the scope."""
    programme = index.programme
    relative = q.when.relative
    now_asked = relative is Relative.NOW and not q.when.has_day and not q.when.has_time
    if now_asked and timeline.phase_at(programme, now) is Phase.DURING:
        scope = Scope(instants=(now,))
    if scope.is_open and not q.rooms and relative is not Relative.NEXT:
        return None, scope
    rows = {
        i
        for i, s in enumerate(index.sessions)
        if scope.allows(s)
        and (not q.rooms or s.room_id in q.rooms)
        and (relative is not Relative.NEXT or s.start > now)
    }
    return rows, scope


def _search(
    index: ProgrammeIndex, q: Query, topic: tuple[str, ...], scope: Scope, now: datetime, memo: search.Memo
) -> Answer:
    allowed, scope = _allowed(index, q, scope, now)
    # Narrowed to a day, a time or a room, the matches read best as a timeline.
    ranked = search.rank(index, topic, q.soft, allowed, chronological=allowed is not None, memo=memo)
    if not ranked.rows:
        return Answer(Kind.NO_MATCH, q, scope=scope, rooms=q.rooms, unmatched=ranked.unmatched or topic)
    sessions = [index.sessions[r] for r in ranked.rows]
    frame = Frame.MATCHES
    if q.when.relative in (Relative.NEXT, Relative.FIRST, Relative.LAST):
        sessions.sort(key=lambda s: s.start, reverse=q.when.relative is Relative.LAST)
        frame = Frame(q.when.relative.value)
    return Answer(Kind.SESSIONS, q, tuple(sessions), frame, scope=scope, rooms=q.rooms, clear=ranked.clear)


def _anchor(index: ProgrammeIndex, q: Query, topic: tuple[str, ...], scope: Scope, memo: search.Memo) -> Session | None:
    """The session an 'after …' question names: the best match on the day asked about, else the earliest."""
    if q.speakers:
        ids = set(q.speakers)
        return next((s for s in index.sessions if ids & set(s.speaker_ids) and scope.allows(s)), None)
    allowed = None if scope.is_open else {i for i, s in enumerate(index.sessions) if scope.allows(s)}
    ranked = search.rank(index, topic, q.soft, allowed, memo=memo)
    return index.sessions[ranked.rows[0]] if ranked.rows else None


def _after(index: ProgrammeIndex, q: Query, anchor: Session) -> Answer:
    """What follows a session on its day: the next session in each room (or in the rooms asked about)."""
    later = [
        s
        for s in timeline.active_sessions(index.programme)
        if s.day == anchor.day and s.start >= anchor.end and s.id != anchor.id and (not q.rooms or s.room_id in q.rooms)
    ]
    if not q.rooms:
        per_room: dict[str, Session] = {}
        for s in later:
            per_room.setdefault(s.room_id, s)
        later = sorted(per_room.values(), key=lambda s: s.start)
    return Answer(Kind.SESSIONS, q, tuple(later), Frame.AFTER, rooms=q.rooms, at=anchor.end, anchor=anchor)


def _status(topic: tuple[str, ...]) -> SessionStatus | None:
    """The one status a question asks about by itself ('which talks are cancelled?'), if that is all it asks."""
    found = {status for w in topic for status in SessionStatus if status.value in search.expand(w)}
    return found.pop() if len(found) == 1 and all(w in lx.STATUS for w in topic) else None


def _with_status(index: ProgrammeIndex, q: Query, status: SessionStatus, scope: Scope) -> Answer:
    chosen = [
        s for s in index.sessions if s.status is status and scope.allows(s) and (not q.rooms or s.room_id in q.rooms)
    ]
    if not chosen:
        return Answer(Kind.NO_MATCH, q, scope=scope, rooms=q.rooms, unmatched=q.hard)
    return Answer(Kind.SESSIONS, q, tuple(chosen), Frame.LISTING, scope=scope, rooms=q.rooms)


def _speakers(index: ProgrammeIndex, q: Query, scope: Scope) -> Answer:
    programme = index.programme
    people = tuple(sp for pid in q.speakers if (sp := programme.speaker(pid)))
    ids = set(q.speakers)
    sessions = [s for s in index.sessions if ids & set(s.speaker_ids)]
    narrowed = [s for s in sessions if scope.allows(s) and (not q.rooms or s.room_id in q.rooms)]
    return Answer(Kind.SPEAKERS, q, tuple(narrowed or sessions), Frame.LISTING, speakers=people, scope=scope)


def _listing(index: ProgrammeIndex, q: Query, scope: Scope, now: datetime) -> Answer:
    """Sessions chosen by time and room alone: now, next, at 11:45, this morning, the last one today …"""
    programme = index.programme
    relative = q.when.relative
    explicit = q.when.has_day or q.when.has_time
    if relative in (Relative.NOW, Relative.NEXT) and not explicit:
        phase = timeline.phase_at(programme, now)
        if phase is Phase.BEFORE and not q.rooms:
            return Answer(Kind.BEFORE, q)
        if phase is Phase.AFTER:
            return Answer(Kind.AFTER, q)
    active = [s for s in timeline.active_sessions(programme) if not q.rooms or s.room_id in q.rooms]
    if relative is Relative.NOW and not explicit:
        running = [s for s in active if s.start <= now < s.end]
        if running:
            return Answer(Kind.SESSIONS, q, tuple(running), Frame.RUNNING, rooms=q.rooms, at=now)
        return _next_after(q, active, now, Frame.NOTHING_THEN_NEXT, scope)
    if relative is Relative.NEXT and not explicit:
        return _next_after(q, active, now, Frame.NEXT, scope)
    chosen = [s for s in active if scope.allows(s)]
    if relative in (Relative.FIRST, Relative.LAST) and chosen:
        edge = min(s.start for s in chosen) if relative is Relative.FIRST else max(s.start for s in chosen)
        chosen = [s for s in chosen if s.start == edge]
        return Answer(Kind.SESSIONS, q, tuple(chosen), Frame(relative.value), scope=scope, rooms=q.rooms)
    if scope.instants:
        if chosen:
            return Answer(Kind.SESSIONS, q, tuple(chosen), Frame.RUNNING, scope=scope, rooms=q.rooms)
        later = [s for s in active if s.start > scope.instants[0] and (not scope.days or s.day in scope.days)]
        return _first_slot(q, later, scope, Frame.NOTHING_THEN_NEXT, scope.instants[0])
    if relative is Relative.NEXT:
        chosen = [s for s in chosen if s.start > now] or chosen
    # A room asked about without a day, or today, tonight, this afternoon asked during that day: what is not
    # over yet comes first; sessions that already ended would fill the page.
    today = scope.days == (timeline.current_day(programme, now),)
    if (today or (not scope.days and not scope.windows and q.rooms)) and not relative:
        upcoming = [s for s in chosen if s.end > now]
        chosen = upcoming or chosen
    return Answer(Kind.SESSIONS, q, tuple(chosen), Frame.LISTING, scope=scope, rooms=q.rooms)


def _next_after(q: Query, active: list[Session], now: datetime, frame: Frame, scope: Scope) -> Answer:
    later = [s for s in active if s.start > now]
    if not q.rooms:
        per_room: dict[str, Session] = {}
        for s in later:
            per_room.setdefault(s.room_id, s)
        later = sorted(per_room.values(), key=lambda s: s.start)
        if later:
            horizon = later[0].start.timestamp() + 12 * 3600
            later = [s for s in later if s.start.timestamp() < horizon]
    return _first_slot(q, later, scope, frame, now, whole=not q.rooms)


def _first_slot(
    q: Query, later: list[Session], scope: Scope, frame: Frame, at: datetime, whole: bool = False
) -> Answer:
    if not later:
        return Answer(Kind.SESSIONS, q, (), frame, scope=scope, rooms=q.rooms, at=at)
    if not whole:
        first = min(s.start for s in later)
        later = [s for s in later if s.start == first] + [s for s in later if s.start != first]
    return Answer(Kind.SESSIONS, q, tuple(later), frame, scope=scope, rooms=q.rooms, at=at)
