"""Delegates' live calendar feeds: a secret token per delegate, kept only as its SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.db import fetch_one, from_db, to_db, transaction

TOKEN_BYTES = 24  # 192 random bits, 32 URL-safe characters


@dataclass(frozen=True)
class Feed:
    """A delegate's feed as stored: whose, and the ETag of what was last served and since when it was that."""

    user_id: int
    created_at: datetime
    etag: str
    changed_at: datetime | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _feed(row: aiosqlite.Row) -> Feed:
    return Feed(row["user_id"], from_db(row["created_at"]), row["etag"], from_db(row["changed_at"]))


async def issue(db: aiosqlite.Connection, user_id: int, now: datetime) -> str:
    """A new token for the delegate's feed (the old one stops working); returned once, never stored in clear."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    async with transaction(db):
        await db.execute(
            "INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash,"
            " created_at = excluded.created_at, etag = '', changed_at = NULL",
            (user_id, token_hash(token), to_db(now)),
        )
    return token


async def revoke(db: aiosqlite.Connection, user_id: int) -> bool:
    """Stop the delegate's feed; True when there was one."""
    async with transaction(db):
        cur = await db.execute("DELETE FROM calendar_feeds WHERE user_id = ?", (user_id,))
    return cur.rowcount > 0


async def feed_of(db: aiosqlite.Connection, user_id: int) -> Feed | None:
    row = await fetch_one(db, "SELECT * FROM calendar_feeds WHERE user_id = ?", (user_id,))
    return _feed(row) if row else None


async def feed_by_token(db: aiosqlite.Connection, token: str) -> Feed | None:
    """The feed a URL's token opens, or None for an unknown or revoked one (looked up by hash: no timing leak)."""
    row = await fetch_one(db, "SELECT * FROM calendar_feeds WHERE token_hash = ?", (token_hash(token),))
    return _feed(row) if row else None


async def note_served(db: aiosqlite.Connection, user_id: int, etag: str, now: datetime) -> None:
    """Record that the feed now has this content (its ETag), from `now` on: its Last-Modified."""
    async with transaction(db):
        await db.execute(
            "UPDATE calendar_feeds SET etag = ?, changed_at = ? WHERE user_id = ?", (etag, to_db(now), user_id)
        )
