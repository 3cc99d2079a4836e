"""Sessions chosen by time, room or status rather than by words: now, next, at 11:45, this afternoon, the last
one today, what follows a named session, which talks are cancelled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.answer import lexicon as lx
from bot.answer import search, semantic
from bot.answer.index import ProgrammeIndex
from bot.answer.query import Query
from bot.answer.resolve import Scope
from bot.answer.result import Answer, Frame, Kind
from bot.answer.when import Relative
from bot.programme import timeline
from bot.programme.model import Programme, Session, SessionStatus
from bot.programme.timeline import Phase

NEXT_WINDOW = timedelta(hours=1)  # sessions starting this long after the first next one are next too
MEANING_AMONG = 5  # the words' best sessions the model chooses a named session from


def anchor_of(
    index: ProgrammeIndex, q: Query, topic: tuple[str, ...], scope: Scope, memo: search.Memo
) -> Session | None:
    """The session an 'after …' question names: the best match on the day asked about, else the earliest."""
    if q.speakers:
        ids = set(q.speakers)
        return next((s for s in index.sessions if ids & set(s.speaker_ids) and scope.allows(s)), None)
    allowed = None if scope.is_open else {i for i, s in enumerate(index.sessions) if scope.allows(s)}
    if q.rooms:
        # 'What's in the Amber Room after the visas talk?': the talk is most likely in that room.
        here = {i for i, s in enumerate(index.sessions) if s.room_id in q.rooms and (allowed is None or i in allowed)}
        # Of the question's words, those the room's sessions have: 'visados' there, 'emprendedores' elsewhere.
        there = [w for w in topic if not here.isdisjoint(search.term_hits(index, w, memo=memo).rows)]
        ranked = search.rank(index, there, q.soft, here, memo=memo)
        if ranked.rows and ranked.strong and ranked.clear:
            return index.sessions[ranked.rows[0]]
    ranked = search.rank(index, topic, q.soft, allowed, memo=memo)
    if not ranked.rows:
        return None
    # 'nach dem Vortrag über Kreuzfahrtschiffe': of sessions with every word in the title, the talk, not the
    # boat trip to watch them.
    asked = kinds_asked(q)
    found = [search.term_hits(index, w, memo=memo) for w in topic]
    titled = [r for r in ranked.rows if all(r in h.head for h in found)]
    candidates = of_kinds(index, ranked.rows, asked - {"talk"}) or ranked.rows
    if len(candidates) > 1 and ranked.rows[0] not in titled and semantic.ready():
        # 'what's after the reusable cups talk?': a closing whose abstract sums up the conference has the words
        # too, and no title has them all; the session clearly closest in meaning is the one named.
        row = semantic.closest(index, q.text, candidates[:MEANING_AMONG])
        if row is not None:
            return index.sessions[row]
    if asked and titled and index.sessions[ranked.rows[0]].type.lower() not in asked:
        return next(
            (index.sessions[r] for r in titled if index.sessions[r].type.lower() in asked),
            index.sessions[ranked.rows[0]],
        )
    return index.sessions[ranked.rows[0]]


def kinds_asked(q: Query) -> set[str]:
    """The kinds of session a question names ('the keynote', 'the tour'), by the words naming them."""
    return {kind for kind, said in lx.SESSION_TYPES.items() if said & set(q.tokens)}


def of_kinds(index: ProgrammeIndex, rows: Sequence[int], kinds: set[str]) -> tuple[int, ...]:
    """The rows of sessions of these kinds, by their type or their title's word ('Keynote: …')."""
    if not kinds:
        return ()
    return tuple(r for r in rows if index.sessions[r].type.lower() in kinds or kinds & index.title_words(r))


def following(index: ProgrammeIndex, q: Query, anchor: Session) -> Answer:
    """What follows a session on its day: the next session in each room (or in the rooms asked about, or in
    its own room when the question says 'in the same room', then on a later day if need be)."""
    if q.same_room:
        q = replace(q, rooms=(anchor.room_id,))
    after = [
        s
        for s in timeline.active_sessions(index.programme)
        if s.start >= anchor.end and s.id != anchor.id and (not q.rooms or s.room_id in q.rooms)
    ]
    # The rest of its day; in the same room, when it was the room's last that day, the room's next day.
    later = [s for s in after if s.day == anchor.day]
    if not later and q.same_room and after:
        later = [s for s in after if s.day == min(a.day for a in after)]
    per_room: dict[str, Session] = {}
    for s in sorted(later, key=lambda s: s.start):
        per_room.setdefault(s.room_id, s)  # in a room asked about too: the one after, not the rest of the day
    later = sorted(per_room.values(), key=lambda s: s.start)
    return Answer(Kind.SESSIONS, q, tuple(later), Frame.AFTER, rooms=q.rooms, at=anchor.end, anchor=anchor)


def preceding(index: ProgrammeIndex, q: Query, anchor: Session) -> Answer:
    """What comes before a session on its day: the last session before it in each room (or in the rooms asked
    about, or in its own room when the question says 'in the same room', then on an earlier day if need be)."""
    if q.same_room:
        q = replace(q, rooms=(anchor.room_id,))
    before = [
        s
        for s in timeline.active_sessions(index.programme)
        if s.end <= anchor.start and s.id != anchor.id and (not q.rooms or s.room_id in q.rooms)
    ]
    earlier = [s for s in before if s.day == anchor.day]
    if not earlier and q.same_room and before:
        earlier = [s for s in before if s.day == max(b.day for b in before)]
    per_room: dict[str, Session] = {}
    for s in sorted(earlier, key=lambda s: s.end, reverse=True):
        per_room.setdefault(s.room_id, s)
    last = sorted(per_room.values(), key=lambda s: s.start, reverse=True)
    return Answer(Kind.SESSIONS, q, tuple(last), Frame.BEFORE, rooms=q.rooms, at=anchor.start, anchor=anchor)


def status_asked(topic: tuple[str, ...]) -> SessionStatus | None:
    """The one status a question asks about by itself ('which talks are cancelled?'), if that is all it asks."""
    found = {status for w in topic for status in SessionStatus if status.value in search.expand(w)}
    return found.pop() if len(found) == 1 and all(w in lx.STATUS for w in topic) else None


def with_status(index: ProgrammeIndex, q: Query, status: SessionStatus, scope: Scope) -> Answer:
    chosen = [
        s for s in index.sessions if s.status is status and scope.allows(s) and (not q.rooms or s.room_id in q.rooms)
    ]
    if not chosen:
        return Answer(Kind.NO_MATCH, q, scope=scope, rooms=q.rooms, unmatched=q.hard)
    return Answer(Kind.SESSIONS, q, tuple(chosen), Frame.LISTING, scope=scope, rooms=q.rooms)


def listing(index: ProgrammeIndex, q: Query, scope: Scope, now: datetime) -> Answer:
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
    active: Sequence[Session] = timeline.active_sessions(programme)
    if q.rooms:
        active = [s for s in active if s.room_id in q.rooms]
    if relative is Relative.NOW and not explicit:
        # Without a room, what runs is found by bisecting the start times rather than reading every session.
        running = [s for s in active if s.start <= now < s.end] if q.rooms else timeline.running_at(programme, now)
        if running and q.when.and_next:
            coming = _next_after(q, active, now, Frame.NEXT, scope, programme).sessions
            both = tuple(running) + tuple(s for s in coming if s not in running)
            return Answer(Kind.SESSIONS, q, both, Frame.NOW_AND_NEXT, rooms=q.rooms, at=now)
        if running:
            return Answer(Kind.SESSIONS, q, tuple(running), Frame.RUNNING, rooms=q.rooms, at=now)
        return _next_after(q, active, now, Frame.NOTHING_THEN_NEXT, scope, programme)
    if relative is Relative.NEXT and not explicit:
        return _next_after(q, active, now, Frame.NEXT, scope, programme)
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
    if q.when.past:
        # 'What happened this morning': what has begun by now, not what is left of it.
        begun = [s for s in chosen if s.start <= now]
        chosen = begun or chosen
    elif (today or (not scope.days and not scope.windows and q.rooms)) and not relative:
        upcoming = [s for s in chosen if s.end > now]
        chosen = upcoming or chosen
    return Answer(Kind.SESSIONS, q, tuple(chosen), Frame.LISTING, scope=scope, rooms=q.rooms)


def _next_after(
    q: Query, active: Sequence[Session], now: datetime, frame: Frame, scope: Scope, programme: Programme
) -> Answer:
    if q.rooms:
        # A room's next session ('next there' is the one after, not the rest of the day or tomorrow's).
        per_asked: dict[str, Session] = {}
        for s in sorted((s for s in active if s.start > now), key=lambda s: s.start):
            per_asked.setdefault(s.room_id, s)
        later = sorted(per_asked.values(), key=lambda s: s.start)
    else:
        # The next session of each room, within an hour of the first: 'what's next' is the coming slot (the
        # dinner at 19:30 is not next at 15:10; held-out authors read it so), read in time order only until
        # every room has one or the hour is over.
        per_room: dict[str, Session] = {}
        rooms = programme.active_room_count
        horizon: datetime | None = None
        for s in timeline.starting_between(programme, now, programme.active_end or now):
            if horizon is None:
                horizon = s.start + NEXT_WINDOW
            elif s.start >= horizon or len(per_room) == rooms:
                break
            per_room.setdefault(s.room_id, s)
        later = sorted(per_room.values(), key=lambda s: s.start)
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
