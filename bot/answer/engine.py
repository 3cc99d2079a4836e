"""One question in, one answer out: which sessions, speakers or FAQ entry answer it, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.answer import lexicon as lx
from bot.answer import search
from bot.answer.faq import Faq, FaqEntry, match
from bot.answer.index import ProgrammeIndex, index_for
from bot.answer.query import Query, parse
from bot.answer.resolve import Scope, resolve
from bot.answer.text import clean_question, fold, words
from bot.answer.when import Relative
from bot.programme import timeline
from bot.programme.model import Programme, Session, Speaker
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


def answer(question: str, programme: Programme, now: datetime, faq: Faq | None = None) -> Answer:
    """Answer a delegate's free-text question about `programme` at instant `now`."""
    text = clean_question(question)
    if not words(fold(text)):
        return Answer(Kind.EMPTY)
    index = index_for(programme)
    memo: search.Memo = {}
    q = parse(text, index)
    hit = match(faq, q.tokens, programme.name, index.context_words, q.hard) if faq else None
    topic = tuple(w for w in q.hard if not hit or w not in hit.consumed)
    if hit and not topic and not q.speakers and not q.rooms:
        related = _related(index, [w for w in q.hard if w in hit.consumed], memo)
        return Answer(Kind.FAQ, q, faq=hit.entry, sessions=related)
    scope = resolve(q.when, programme, now)
    overall = search.rank(index, topic, memo=memo) if topic and not q.speakers else None
    # 'How do I register?' is practical: a talk that only mentions registering in passing does not answer it.
    if overall is not None and (not overall.rows or (q.how_to and not overall.strong)):
        # Nothing anywhere in the programme is about it: say so, whatever day was asked about. A practical
        # question with one extra word ('by shuttle') is still the FAQ's; 'internet censorship' is not.
        if hit and len(hit.consumed & set(q.hard)) >= len(topic):
            return Answer(Kind.FAQ, q, faq=hit.entry)
        return Answer(Kind.NO_MATCH, q, unmatched=overall.unmatched or topic)
    if scope.missing_day is not None:
        return Answer(Kind.NO_DAY, q, missing_day=scope.missing_day)
    if q.speakers:
        return _speakers(index, q, scope)
    if topic:
        return _search(index, q, topic, scope, now, memo)
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
    if not scope.days and not scope.windows and q.rooms and not relative:
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
