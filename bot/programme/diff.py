"""What changed between two versions of a programme, session by stable id."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.programme.model import Programme, Session


class Kind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"  # gone from the file; bookmarks are kept in case it comes back
    CANCELLED = "cancelled"
    RESTORED = "restored"  # was cancelled, or was removed by an earlier version, and is back
    CHANGED = "changed"


class Field(StrEnum):
    """What delegates act on; other edits (descriptions, tracks) are applied without an alert."""

    TIME = "time"
    ROOM = "room"
    TITLE = "title"
    SPEAKERS = "speakers"


@dataclass(frozen=True)
class Change:
    kind: Kind
    old: Session | None  # None when added
    new: Session | None  # None when removed
    fields: frozenset[Field] = frozenset()

    @property
    def session_id(self) -> str:
        session = self.new or self.old
        assert session is not None
        return session.id

    @property
    def current(self) -> Session:
        """The session as it now is (as it last was, when removed)."""
        session = self.new or self.old
        assert session is not None
        return session


@dataclass(frozen=True)
class ProgrammeDiff:
    changes: tuple[Change, ...]
    other_edits: int = 0  # sessions whose only changes are descriptions, tracks, types …
    _by_id: dict[str, Change] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update((c.session_id, c) for c in self.changes)

    def of(self, kind: Kind) -> list[Change]:
        return [c for c in self.changes if c.kind is kind]

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def change(self, session_id: str) -> Change | None:
        return self._by_id.get(session_id)

    def affecting(self, session_ids: Iterable[str]) -> list[Change]:
        """The changes a delegate following `session_ids` should hear about (additions concern nobody yet)."""
        found = (self._by_id.get(sid) for sid in session_ids)
        return [c for c in found if c is not None and c.kind is not Kind.ADDED]

    @property
    def affected_ids(self) -> set[str]:
        return {c.session_id for c in self.changes if c.kind is not Kind.ADDED}

    def counts(self) -> dict[Kind, int]:
        return {kind: len(self.of(kind)) for kind in Kind}


def diff_programmes(old: Programme, new: Programme, seen_before: Collection[str] = ()) -> ProgrammeDiff:
    """Compare two versions by session id; `seen_before` holds ids of earlier versions, so a comeback is RESTORED."""
    changes: list[Change] = []
    other = 0
    old_by_id = {s.id: s for s in old.sessions}
    new_ids = {s.id for s in new.sessions}
    for session in new.sessions:
        before = old_by_id.get(session.id)
        if before is None:
            kind = Kind.RESTORED if session.id in seen_before and not session.is_cancelled else Kind.ADDED
            changes.append(Change(kind, None, session))
            continue
        fields = _changed_fields(old, before, new, session)
        if session.is_cancelled and not before.is_cancelled:
            changes.append(Change(Kind.CANCELLED, before, session, fields))
        elif before.is_cancelled and not session.is_cancelled:
            changes.append(Change(Kind.RESTORED, before, session, fields))
        elif fields:
            changes.append(Change(Kind.CHANGED, before, session, fields))
        elif before != session:
            other += 1
    changes += [Change(Kind.REMOVED, s, None) for s in old.sessions if s.id not in new_ids]
    return ProgrammeDiff(tuple(changes), other)


def _changed_fields(old: Programme, before: Session, new: Programme, after: Session) -> frozenset[Field]:
    fields = set()
    if (before.start, before.end) != (after.start, after.end):
        fields.add(Field.TIME)
    # Rooms and speakers are compared by name: ids may differ between formats for the same room.
    if old.room(before.room_id).name != new.room(after.room_id).name:
        fields.add(Field.ROOM)
    if before.title.strip() != after.title.strip():
        fields.add(Field.TITLE)
    if [s.name for s in old.speakers_of(before)] != [s.name for s in new.speakers_of(after)]:
        fields.add(Field.SPEAKERS)
    return frozenset(fields)
