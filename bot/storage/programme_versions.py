"""Programme versions read for an update (pending, applied, discarded), the ids they held, and URL fetch state."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.programme import snapshot
from bot.programme.model import Programme
from bot.storage.db import fetch_one, from_db, to_db, transaction

PENDING, APPLIED, DISCARDED = "pending", "applied", "discarded"


@dataclass(frozen=True)
class StoredVersion:
    id: int
    state: str
    source: str
    format: str
    zone_source: str
    digest: str
    sessions: int
    summary: dict[str, int]
    created_at: datetime
    created_by: str
    applied_at: datetime | None


@dataclass(frozen=True)
class SourceState:
    url: str
    etag: str
    last_modified: str
    digest: str
    checked_at: datetime
    outcome: str


def digest_of(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def _version(row: aiosqlite.Row) -> StoredVersion:
    return StoredVersion(
        id=row["id"],
        state=row["state"],
        source=row["source"],
        format=row["format"],
        zone_source=row["zone_source"],
        digest=row["digest"],
        sessions=row["sessions"],
        summary=json.loads(row["summary"]),
        created_at=from_db(row["created_at"]),
        created_by=row["created_by"],
        applied_at=from_db(row["applied_at"]),
    )


_NEXT_SEQ = "SELECT COALESCE(MAX(applied_seq), 0) + 1 FROM programme_versions"
_COLUMNS = "id, state, source, format, zone_source, digest, sessions, summary, created_at, created_by, applied_at"


async def add_version(
    db: aiosqlite.Connection,
    programme: Programme,
    now: datetime,
    created_by: str,
    *,
    state: str = PENDING,
    summary: dict[str, int] | None = None,
) -> StoredVersion:
    """Store a programme read for an update (pending until applied); `summary` notes what it was compared with."""
    blob = snapshot.dump(programme)
    stamp = to_db(now)
    async with transaction(db):
        cur = await db.execute(
            """
            INSERT INTO programme_versions (
                state, source, format, zone_source, digest, snapshot, sessions, summary, created_at, created_by,
                applied_at
            )
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                state,
                programme.source,
                programme.format,
                programme.extra.get("time_zone_source", ""),
                digest_of(blob),
                blob,
                len(programme.sessions),
                json.dumps(summary or {}),
                stamp,
                created_by,
                stamp if state == APPLIED else None,
            ),
        )
        if state == APPLIED:
            await db.execute(
                f"UPDATE programme_versions SET applied_seq = ({_NEXT_SEQ}) WHERE id = ?", (cur.lastrowid,)
            )
    version = await get_version(db, cur.lastrowid or 0)
    assert version is not None  # just written
    return version


async def get_version(db: aiosqlite.Connection, version_id: int) -> StoredVersion | None:
    row = await fetch_one(db, f"SELECT {_COLUMNS} FROM programme_versions WHERE id = ?", (version_id,))
    return _version(row) if row else None


async def load_snapshot(db: aiosqlite.Connection, version_id: int) -> Programme | None:
    row = await fetch_one(db, "SELECT snapshot FROM programme_versions WHERE id = ?", (version_id,))
    return snapshot.load(row[0]) if row else None


async def was_applied(db: aiosqlite.Connection, digest: str) -> bool:
    """Whether a programme with this content was ever put in force."""
    return (
        await fetch_one(
            db, "SELECT 1 FROM programme_versions WHERE digest = ? AND applied_at IS NOT NULL LIMIT 1", (digest,)
        )
        is not None
    )


async def latest_applied(db: aiosqlite.Connection) -> StoredVersion | None:
    row = await fetch_one(
        db, f"SELECT {_COLUMNS} FROM programme_versions WHERE state = ? ORDER BY applied_seq DESC LIMIT 1", (APPLIED,)
    )
    return _version(row) if row else None


async def applied_newest_first(db: aiosqlite.Connection, limit: int = 20) -> list[int]:
    """The ids of versions that were ever in force, the latest first (where a removed session was last seen)."""
    rows = await db.execute_fetchall(
        "SELECT id FROM programme_versions WHERE applied_at IS NOT NULL ORDER BY applied_seq DESC LIMIT ?", (limit,)
    )
    return [int(row[0]) for row in rows]


async def mark_applied(
    db: aiosqlite.Connection, version_id: int, now: datetime, summary: dict[str, int], session_ids: Iterable[str]
) -> bool:
    """Make a pending version the one in force and remember its session ids; False when it was not pending."""
    async with transaction(db):
        cur = await db.execute(
            f"UPDATE programme_versions SET state = ?, applied_at = ?, summary = ?, applied_seq = ({_NEXT_SEQ}) "
            "WHERE id = ? AND state = ?",
            (APPLIED, to_db(now), json.dumps(summary), version_id, PENDING),
        )
        if cur.rowcount:
            await mark_seen(db, version_id, session_ids)
    return bool(cur.rowcount)


async def mark_seen(db: aiosqlite.Connection, version_id: int, session_ids: Iterable[str]) -> None:
    """Remember the session ids an applied version held (the last version holding each)."""
    async with transaction(db):
        await db.executemany(
            "INSERT INTO programme_seen_sessions (session_id, version_id) VALUES (?, ?) "
            "ON CONFLICT (session_id) DO UPDATE SET version_id = excluded.version_id",
            [(sid, version_id) for sid in session_ids],
        )


async def pending_versions(db: aiosqlite.Connection, created_by: str | None = None) -> list[StoredVersion]:
    rows = await db.execute_fetchall(
        f"SELECT {_COLUMNS} FROM programme_versions WHERE state = ? AND (? IS NULL OR created_by = ?) ORDER BY id",
        (PENDING, created_by, created_by),
    )
    return [_version(row) for row in rows]


async def discard(db: aiosqlite.Connection, version_id: int) -> bool:
    async with transaction(db):
        cur = await db.execute(
            "UPDATE programme_versions SET state = ?, snapshot = X'' WHERE id = ? AND state = ?",
            (DISCARDED, version_id, PENDING),
        )
    return bool(cur.rowcount)


async def seen_session_ids(db: aiosqlite.Connection) -> set[str]:
    rows = await db.execute_fetchall("SELECT session_id FROM programme_seen_sessions")
    return {row[0] for row in rows}


async def get_source(db: aiosqlite.Connection, url: str) -> SourceState | None:
    row = await fetch_one(db, "SELECT * FROM programme_sources WHERE url = ?", (url,))
    if row is None:
        return None
    return SourceState(
        row["url"],
        row["etag"],
        row["last_modified"],
        row["digest"],
        from_db(row["checked_at"]),
        row["outcome"],
    )


async def record_source(
    db: aiosqlite.Connection,
    url: str,
    now: datetime,
    outcome: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    digest: str | None = None,
) -> None:
    """Remember a fetch of `url`; validators and digest keep their old value when None."""
    async with transaction(db):
        await db.execute(
            """
            INSERT INTO programme_sources (url, etag, last_modified, digest, checked_at, outcome)
            VALUES (?, COALESCE(?, ''), COALESCE(?, ''), COALESCE(?, ''), ?, ?)
            ON CONFLICT (url) DO UPDATE SET
                etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),
                digest = COALESCE(?, digest), checked_at = excluded.checked_at, outcome = excluded.outcome
            """,
            (url, etag, last_modified, digest, to_db(now), outcome, etag, last_modified, digest),
        )
