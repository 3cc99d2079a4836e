"""Opening the SQLite database (WAL, foreign keys, rows by name, migrations applied), and how instants are stored."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import weakref
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

import aiosqlite

from bot.storage.migrations import migrate

logger = logging.getLogger(__name__)

# SQLite's answers about the file and its disk rather than about the SQL: read-only, missing, full, failing,
# locked by another process, or not a database at all.
DISK_ERRORS = frozenset(
    {
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_NOTADB,
        sqlite3.SQLITE_CORRUPT,
    }
)


def is_disk_error(error: BaseException) -> bool:
    """Whether SQLite failed because of the file or its disk (full, read-only, ...), not because of the SQL."""
    return isinstance(error, sqlite3.Error) and (error.sqlite_errorcode & 0xFF) in DISK_ERRORS


class DatabaseUnavailable(Exception):
    """The database cannot be opened for reading and writing; the message says which and why."""

    def __init__(self, path: str | Path, reason: object) -> None:
        super().__init__(
            f"The bot cannot use its database {path} ({reason}). It must read and write the file and create "
            "files beside it (-wal, -shm): check that the disk is not full or read-only, and the permissions."
        )


OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700
SIDE_FILES = ("-wal", "-shm", "-journal")


def _make_private(path: Path) -> None:
    """Create the database's folder (0700) and file (0600) for the bot's user alone, or tighten the files."""
    # Modes are set explicitly, not left to the umask, which a service manager or shell may have opened up.
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, OWNER_ONLY_FOLDER)
    # A folder that already exists is the organiser's (a shared volume, a home directory): changing it could lock
    # out whatever else they keep there, so only the one the bot creates is made 0700 (the README says so).
    try:
        # Created with its mode: the file never exists, even for an instant, with wider permissions.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE))
        os.chmod(path, OWNER_ONLY_FILE)  # whatever the umask took away, the owner reads and writes it
    except FileExistsError:
        pass
    # SQLite creates -wal and -shm with the database file's mode, so they follow it; files an earlier version of
    # the bot left wider are tightened here.
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SIDE_FILES)):
        try:
            mode = file.stat().st_mode if file.exists() else 0
            if mode & 0o077:
                # Only take the group's and others' access away: a file made read-only stays read-only.
                os.chmod(file, mode & 0o700)
        except PermissionError:
            # Another user's file the bot may still write (a group-writable deployment): it is not the bot's to
            # change, and refusing to start over it would cost the conference its bot.
            logger.warning("Could not make %s readable by its owner alone: set its mode to 0600", file)


async def open_database(path: str | Path) -> aiosqlite.Connection:
    """Open (creating if needed, owner-only) and migrate the database at `path` (":memory:" for tests)."""
    try:
        if str(path) != ":memory:":
            _make_private(Path(path))
        conn = await aiosqlite.connect(str(path))
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseUnavailable(path, exc) from exc
    try:
        return await _prepare(conn)
    except BaseException as exc:
        # The connection's thread keeps the process alive until it is closed: a start that fails here
        # would otherwise hang instead of exiting.
        await conn.close()
        if is_disk_error(exc):
            raise DatabaseUnavailable(path, exc) from exc
        raise


async def _prepare(conn: aiosqlite.Connection) -> aiosqlite.Connection:
    conn.row_factory = aiosqlite.Row
    await conn.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives a crash of the process
    # (the OS has it), and only a power cut or kernel panic in the last instant can lose the latest commits.
    # FULL would fsync every commit: with every delegate's action a commit, the crowd would queue for the disk.
    await conn.execute("PRAGMA synchronous=NORMAL")
    await conn.execute("PRAGMA foreign_keys=ON")
    # Several processes (the bot, the CLI) may write: wait for a lock instead of failing at once.
    await conn.execute("PRAGMA busy_timeout=5000")
    applied = await migrate(conn)
    if applied:
        logger.info("Applied migrations: %s", ", ".join(applied))
    return conn


async def fetch_one(db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
    """The first row of a query, read in one go like execute_fetchall.

    A cursor left open between two awaits (`async with db.execute(...)` and `fetchone()`) keeps its read
    snapshot; another task's `BEGIN IMMEDIATE` on the same connection then fails at once with "database is
    locked" (a stale snapshot cannot become a writer) as soon as the outbox sender has committed meanwhile.
    """
    rows = await db.execute_fetchall(sql, params)
    return next(iter(rows), None)


@dataclass
class _Writer:
    """Who writes on one connection now: one task's transaction at a time."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    owner: asyncio.Task[object] | None = None


_writers: weakref.WeakKeyDictionary[aiosqlite.Connection, _Writer] = weakref.WeakKeyDictionary()


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """One unit of work: what is written inside commits together, or not at all when the block raises.

    Every storage function that writes opens one, so it commits on its own when called alone and joins its
    caller's when called inside one: a user action is one transaction however many functions it calls.
    Tasks sharing a connection take turns, so one task's commit never carries another's half-done writes.
    """
    writer = _writers.setdefault(db, _Writer())
    task = asyncio.current_task()
    if writer.owner is not None and writer.owner is task:
        yield db  # nested: the outermost block commits
        return
    async with writer.lock:
        writer.owner = task
        try:
            await db.execute("BEGIN IMMEDIATE")  # take the write lock now: no deadlock upgrading a read later
            try:
                yield db
            except BaseException:
                await db.rollback()
                raise
            await db.commit()
        finally:
            writer.owner = None


@overload
def to_db(instant: datetime) -> str: ...
@overload
def to_db(instant: None) -> None: ...
def to_db(instant: datetime | None) -> str | None:
    """An aware instant as UTC ISO 8601 text, so that text order is time order in SQL (None stays NULL)."""
    if instant is None:
        return None
    if instant.tzinfo is None:
        raise ValueError("stored times must be timezone-aware")
    return instant.astimezone(UTC).isoformat()


@overload
def from_db(text: str) -> datetime: ...
@overload
def from_db(text: None) -> None: ...
def from_db(text: str | None) -> datetime | None:
    """The instant stored as ISO 8601 text (NULL stays None)."""
    return None if text is None else datetime.fromisoformat(text)


class _Probe(Exception):
    """Raised inside `check_writable`'s transaction to roll it back."""


async def check_writable(db: aiosqlite.Connection) -> None:
    """Take the write lock and write a row, then roll back: raises when the database cannot be written now."""
    try:
        async with transaction(db):
            await db.execute(
                "UPDATE _migrations SET applied_at = applied_at WHERE name = (SELECT max(name) FROM _migrations)"
            )
            raise _Probe
    except _Probe:
        return
