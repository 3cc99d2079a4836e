"""What the bot keeps about one person: all of it as one document (/mydata), or erased (/forget).

Erasing, in one transaction: what a delegate leaves is deleted (their row, bookmarks, settings, every message
queued or sent to them, their change-alert windows and their saved dialogue state). What an organiser did stays
in the audit (broadcasts, run-up edits, programme versions, the audit log) under a pseudonym instead of their
id: the data protection officer can still see that one organiser did these things, not who. The pseudonym is a
random negative number made up at each erasure, so nothing in the database leads back to the id.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from bot.storage.db import transaction


@dataclass(frozen=True)
class Erased:
    """How many rows an erasure deleted or made anonymous, per table."""

    deleted: dict[str, int]
    anonymised: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.deleted.values()) + sum(self.anonymised.values())


def pseudonym() -> int:
    """A stand-in for a forgotten organiser's id: negative (no Telegram user has one) and random."""
    return -secrets.randbelow(10**12) - 1


# Rows that are a delegate's, by the column naming them: every message to their chat (its text may greet them by
# name), their change-alert windows, bookmarks, settings and their own row. `dialogues` is keyed in JSON.
_THEIRS = (
    ("outbox", "chat_id"),
    ("change_alerts", "user_id"),
    ("bookmarks", "user_id"),
    ("user_settings", "user_id"),
    ("calendar_feeds", "user_id"),
    ("users", "user_id"),
)
# Where an organiser's id stands beside what they did; programme_versions holds it as 'telegram:<id>'.
_ORGANISER = (("broadcasts", "organiser_id"), ("audit_log", "organiser_id"), ("runup_edits", "edited_by"))


async def forget_person(db: aiosqlite.Connection, user_id: int) -> Erased:
    """Delete everything that is the person's and anonymise what they did as an organiser, atomically."""
    deleted: dict[str, int] = {}
    anonymised = _no_counts()
    async with transaction(db):
        for table, column in _THEIRS:
            cursor = await db.execute(f"DELETE FROM {table} WHERE {column} = ?", (user_id,))
            deleted[table] = cursor.rowcount
        deleted["dialogues"] = await _forget_dialogues(db, user_id)
        await _pseudonymise(db, user_id, anonymised)
        cursor = await db.execute(
            "UPDATE broadcasts SET report_chat = NULL, report_message = NULL WHERE report_chat = ?", (user_id,)
        )
        anonymised["broadcasts"] += cursor.rowcount
    return Erased(deleted, anonymised)


def _no_counts() -> dict[str, int]:
    return {table: 0 for table, _ in _ORGANISER} | {"programme_versions": 0}


async def _pseudonymise(db: aiosqlite.Connection, organiser: int, counts: dict[str, int]) -> None:
    """Replace one organiser's id by a fresh pseudonym wherever it stands beside what they did; count the rows."""
    stand_in = pseudonym()
    for table, column in _ORGANISER:
        cursor = await db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (stand_in, organiser))
        counts[table] += cursor.rowcount
    cursor = await db.execute(
        "UPDATE programme_versions SET created_by = ? WHERE created_by = ?",
        (f"telegram:{stand_in}", f"telegram:{organiser}"),
    )
    counts["programme_versions"] += cursor.rowcount


async def _forget_dialogues(db: aiosqlite.Connection, user_id: int) -> int:
    """Saved dialogue state whose key names the person (their user data, or a conversation of their chat)."""
    rows = await db.execute_fetchall("SELECT scope, key FROM dialogues")
    theirs = [(row["scope"], row["key"]) for row in rows if _names(row["key"], user_id)]
    for scope, key in theirs:
        await db.execute("DELETE FROM dialogues WHERE scope = ? AND key = ?", (scope, key))
    return len(theirs)


def _names(key: str, user_id: int) -> bool:
    try:
        value = json.loads(key)
    except ValueError:
        return key == str(user_id)
    values = value if isinstance(value, list) else [value]
    return any(v == user_id or v == str(user_id) for v in values)


async def personal_data(db: aiosqlite.Connection, user_id: int) -> dict[str, Any]:
    """Every row about the person, as plain values (the JSON /mydata sends), section by section."""

    async def rows(sql: str, *params: object) -> list[dict[str, Any]]:
        return [dict(zip(r.keys(), tuple(r), strict=True)) for r in await db.execute_fetchall(sql, params)]

    profile = await rows("SELECT * FROM users WHERE user_id = ?", user_id)
    settings = await rows("SELECT * FROM user_settings WHERE user_id = ?", user_id)
    messages = []
    for row in await rows(
        "SELECT kind, state, batch, created_at, not_before, sent_at, payload FROM outbox WHERE chat_id = ? ORDER BY id",
        user_id,
    ):
        payload = json.loads(row.pop("payload") or "{}")
        messages.append({**row, "text": payload.get("text", "")})
    dialogues = [
        {"scope": r["scope"], "value": json.loads(r["value"]), "saved_at": r["saved_at"]}
        for r in await rows("SELECT * FROM dialogues")
        if _names(r["key"], user_id)
    ]
    return {
        "profile": profile[0] if profile else None,
        "settings": settings[0] if settings else None,
        "bookmarks": await rows(
            "SELECT session_id, created_at FROM bookmarks WHERE user_id = ? ORDER BY created_at", user_id
        ),
        "messages": messages,
        "broadcasts_received": [
            {"broadcast": int(m["batch"].split(":", 1)[1]), "state": m["state"], "sent_at": m["sent_at"]}
            for m in messages
            if m["batch"].startswith("broadcast:") and m["batch"].split(":", 1)[1].isdigit()
        ],
        "change_alerts": await rows(
            "SELECT outbox_key, session_ids, opened_at FROM change_alerts WHERE user_id = ?", user_id
        ),
        "dialogues": dialogues,
        "calendar_feed": await rows("SELECT created_at, changed_at FROM calendar_feeds WHERE user_id = ?", user_id),
        "as_organiser": {
            "audit_log": await rows(
                "SELECT at, action, audience, count, detail FROM audit_log WHERE organiser_id = ? ORDER BY id", user_id
            ),
            "broadcasts": await rows(
                "SELECT id, state, audience, recipients, created_at, finished_at FROM broadcasts"
                " WHERE organiser_id = ? ORDER BY id",
                user_id,
            ),
            "runup_edits": await rows(
                "SELECT entry_id, language, edited_at FROM runup_edits WHERE edited_by = ?", user_id
            ),
        },
    }


class _DryRun(Exception):
    """Raised inside a purge's transaction to roll it back after counting."""


@dataclass(frozen=True)
class Purged:
    """A purge: what it deleted and anonymised, and the aggregate figures it kept."""

    erased: Erased
    figures: dict[str, Any]


async def purge_everyone(db: aiosqlite.Connection, now: datetime, *, dry_run: bool = False) -> Purged:
    """Delete every delegate's personal data and pseudonymise every organiser, keeping counts (`purges`).

    `dry_run` does the same work in a transaction that is rolled back, so its counts are exactly a purge's.
    """
    result: Purged | None = None
    try:
        async with transaction(db):
            figures = await _figures(db)
            deleted: dict[str, int] = {}
            for table in (*(t for t, _ in _THEIRS), "dialogues"):
                cursor = await db.execute(f"DELETE FROM {table}")
                deleted[table] = cursor.rowcount
            anonymised = await _pseudonymise_organisers(db)
            await db.execute(
                "INSERT INTO purges (at, figures) VALUES (?, ?)", (now.isoformat(), json.dumps(figures, sort_keys=True))
            )
            result = Purged(Erased(deleted, anonymised), figures)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    assert result is not None
    return result


async def _figures(db: aiosqlite.Connection) -> dict[str, Any]:
    """The counts kept after a purge: how many delegates, in which languages, what they bookmarked and got."""

    async def pairs(sql: str) -> dict[str, int]:
        return {str(r[0]): r[1] for r in await db.execute_fetchall(sql)}

    return {
        "delegates": sum((await pairs("SELECT status, count(*) FROM users GROUP BY status")).values()),
        "languages": await pairs("SELECT language, count(*) FROM users GROUP BY language"),
        "bookmarks_per_session": await pairs("SELECT session_id, count(*) FROM bookmarks GROUP BY session_id"),
        "messages_sent_per_kind": await pairs("SELECT kind, count(*) FROM outbox WHERE state = 'sent' GROUP BY kind"),
    }


async def _pseudonymise_organisers(db: aiosqlite.Connection) -> dict[str, int]:
    """Every organiser id in the record replaced by a pseudonym of its own (the same one across tables)."""
    ids: set[int] = set()
    for table, column in _ORGANISER:
        ids |= {r[0] for r in await db.execute_fetchall(f"SELECT {column} FROM {table} WHERE {column} > 0")}
    for (created_by,) in await db.execute_fetchall(
        "SELECT DISTINCT created_by FROM programme_versions WHERE created_by LIKE 'telegram:%'"
    ):
        who = created_by.removeprefix("telegram:")
        if who.isdigit():
            ids.add(int(who))
    counts = _no_counts()
    for organiser in ids:
        await _pseudonymise(db, organiser, counts)
    cursor = await db.execute(
        "UPDATE broadcasts SET report_chat = NULL, report_message = NULL WHERE report_chat IS NOT NULL"
    )
    counts["broadcasts"] += cursor.rowcount
    return counts


async def has_personal_data(db: aiosqlite.Connection) -> bool:
    """Whether any table still holds a delegate's data (a purge with nothing to do is not recorded)."""
    for table in (*(t for t, _ in _THEIRS), "dialogues"):
        if await db.execute_fetchall(f"SELECT 1 FROM {table} LIMIT 1"):
            return True
    return False
