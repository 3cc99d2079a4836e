"""Who receives an organiser message: everyone, a session's bookmarkers, a language, a room on a day."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from bot.programme.model import Programme
from bot.storage import preferences

ALL, SESSION, LANGUAGE, ROOM = "all", "s", "l", "r"


@dataclass(frozen=True)
class Audience:
    """An audience as organisers choose it; `spec` is its stored form: all, s:<id>, l:<code>, r:<room>:<day>."""

    kind: str
    session_id: str = ""
    language: str = ""
    room_id: str = ""
    day: date | None = None

    @property
    def spec(self) -> str:
        if self.kind == SESSION:
            return f"{SESSION}:{self.session_id}"
        if self.kind == LANGUAGE:
            return f"{LANGUAGE}:{self.language}"
        if self.kind == ROOM and self.day is not None:
            return f"{ROOM}:{self.room_id}:{self.day:%Y%m%d}"
        return ALL

    @classmethod
    def parse(cls, spec: str) -> Audience:
        """Read a stored spec; raises ValueError for anything else."""
        kind, _, rest = spec.partition(":")
        if kind == ALL and not rest:
            return cls(ALL)
        if kind == SESSION and rest:
            return cls(SESSION, session_id=rest)
        if kind == LANGUAGE and rest:
            return cls(LANGUAGE, language=rest)
        if kind == ROOM:
            room, _, day = rest.rpartition(":")
            if room and len(day) == 8 and day.isdigit():
                return cls(ROOM, room_id=room, day=date(int(day[:4]), int(day[4:6]), int(day[6:])))
        raise ValueError(f"not an audience: {spec!r}")

    def session_ids(self, programme: Programme) -> list[str]:
        """The sessions whose bookmarkers form this audience (none for everyone or a language)."""
        if self.kind == SESSION:
            return [self.session_id]
        if self.kind == ROOM:
            return [s.id for s in programme.sessions if s.day == self.day and s.room_id == self.room_id]
        return []


@dataclass(frozen=True)
class Recipient:
    user_id: int
    language: str


async def _fetch(db: aiosqlite.Connection, sql: str, params: Iterable[object] = ()) -> list[Recipient]:
    async with db.execute(sql, tuple(params)) as cur:
        return [Recipient(row["user_id"], row["language"]) for row in await cur.fetchall()]


async def recipients(db: aiosqlite.Connection, audience: Audience, programme: Programme) -> list[Recipient]:
    """Active (not blocked) delegates in the audience, by user id."""
    if audience.kind == ALL:
        return await _fetch(db, "SELECT user_id, language FROM users WHERE status = 'active' ORDER BY user_id")
    if audience.kind == LANGUAGE:
        return await _fetch(
            db,
            "SELECT user_id, language FROM users WHERE status = 'active' AND language = ? ORDER BY user_id",
            (audience.language,),
        )
    ids = audience.session_ids(programme)
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    return await _fetch(
        db,
        f"""
        SELECT user_id, language FROM users
        WHERE status = 'active' AND user_id IN (SELECT user_id FROM bookmarks WHERE session_id IN ({marks}))
        ORDER BY user_id
        """,
        ids,
    )


async def runup_recipients(db: aiosqlite.Connection, joined_by: datetime, *, urgent: bool) -> list[Recipient]:
    """Active delegates who had started the bot by `joined_by`; those who opted out only when `urgent`."""
    # users.first_seen is stored as the clock's ISO instant; compare as instants, not as text with offsets.
    async with db.execute("SELECT user_id, language, first_seen FROM users WHERE status = 'active'") as cur:
        rows = await cur.fetchall()
    joined = [
        Recipient(r["user_id"], r["language"]) for r in rows if datetime.fromisoformat(r["first_seen"]) <= joined_by
    ]
    if urgent:
        return joined
    out = await preferences.opted_out(db, "runup")
    return [r for r in joined if r.user_id not in out]


async def language_counts(db: aiosqlite.Connection) -> dict[str, int]:
    """Active delegates per language, most first."""
    async with db.execute(
        "SELECT language, COUNT(*) AS n FROM users WHERE status = 'active' GROUP BY language ORDER BY n DESC, language"
    ) as cur:
        return {row["language"]: row["n"] for row in await cur.fetchall()}


async def bookmarks_of(db: aiosqlite.Connection, user_ids: Iterable[int]) -> dict[int, set[str]]:
    """The bookmarked session ids of each of `user_ids` (users without bookmarks are absent)."""
    found: dict[int, set[str]] = defaultdict(set)
    async with db.execute(
        "SELECT user_id, session_id FROM bookmarks WHERE user_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(user_ids))),),
    ) as cur:
        async for row in cur:
            found[row["user_id"]].add(row["session_id"])
    return dict(found)
