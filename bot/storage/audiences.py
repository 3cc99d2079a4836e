"""The delegates an audience stands for (bot/audience.py), and the counts organisers choose from."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.audience import ALL, LANGUAGE, Audience
from bot.programme.model import Programme
from bot.storage import preferences
from bot.storage.db import from_db


@dataclass(frozen=True)
class Recipient:
    user_id: int
    language: str


async def _fetch(db: aiosqlite.Connection, sql: str, params: Iterable[object] = ()) -> list[Recipient]:
    rows = await db.execute_fetchall(sql, tuple(params))
    return [Recipient(row["user_id"], row["language"]) for row in rows]


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


async def runup_recipients(
    db: aiosqlite.Connection, joined_by: datetime, *, urgent: bool, user_id: int | None = None
) -> list[Recipient]:
    """Active delegates who had started the bot by `joined_by` (or just `user_id`); those who opted out only when
    `urgent`."""
    # users.first_seen is stored as the clock's ISO instant; compare as instants, not as text with offsets.
    rows = await db.execute_fetchall(
        "SELECT user_id, language, first_seen FROM users WHERE status = 'active' AND (? IS NULL OR user_id = ?)",
        (user_id, user_id),
    )
    joined = [Recipient(r["user_id"], r["language"]) for r in rows if from_db(r["first_seen"]) <= joined_by]
    if urgent:
        return joined
    out = await preferences.opted_out(db, "runup")
    return [r for r in joined if r.user_id not in out]


async def language_counts(db: aiosqlite.Connection) -> dict[str, int]:
    """Active delegates per language, most first."""
    rows = await db.execute_fetchall(
        "SELECT language, COUNT(*) AS n FROM users WHERE status = 'active' GROUP BY language ORDER BY n DESC, language"
    )
    return {row["language"]: row["n"] for row in rows}


async def bookmarks_of(db: aiosqlite.Connection, user_ids: Iterable[int]) -> dict[int, set[str]]:
    """The bookmarked session ids of each of `user_ids` (users without bookmarks are absent)."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = await db.execute_fetchall(
        "SELECT user_id, session_id FROM bookmarks WHERE user_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(user_ids))),),
    )
    for row in rows:
        found[row["user_id"]].add(row["session_id"])
    return dict(found)
