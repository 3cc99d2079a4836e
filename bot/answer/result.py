"""What answers a question: the kind of reply, why these sessions, and everything the view needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.answer.faq import FaqEntry
from bot.answer.query import Query
from bot.answer.resolve import Scope
from bot.programme.model import Session, Speaker


class Kind(StrEnum):
    EMPTY = "empty"  # nothing to go on: show what can be asked
    HELP = "help"
    BROWSE = "browse"  # asks for the programme itself
    FAQ = "faq"
    SESSIONS = "sessions"
    SPEAKERS = "speakers"
    VENUE = "venue"  # where the conference is, when no FAQ entry says it
    ROOM = "room"  # about a room itself: how many it holds, how many sessions it has
    COMPARE = "compare"  # 'is X before or after Y': the two sessions, in the order asked
    NO_MATCH = "no-match"  # honest: nothing in the programme answers it
    NO_DAY = "no-day"  # the day asked about has no sessions
    BEFORE = "before"  # 'now' before the conference starts
    AFTER = "after"  # 'now' or 'next' once it is over
    THANKS = "thanks"  # small talk: only thanks
    GOODBYE = "goodbye"  # small talk: only a farewell


class Frame(StrEnum):
    """Why these sessions: what the reply's heading says."""

    MATCHES = "matches"
    RUNNING = "running"
    NOW_AND_NEXT = "now-and-next"  # what runs, then what comes next (in each room, or in the room asked about)
    NOTHING_THEN_NEXT = "nothing-then-next"
    NEXT = "next"
    FIRST = "first"
    LAST = "last"
    LISTING = "listing"
    AFTER = "after"  # what follows the session in `anchor`
    BEFORE = "before"  # what precedes the session in `anchor`


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
