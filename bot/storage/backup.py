"""Backups of the database while the bot runs, and restoring one while it does not.

A backup is SQLite's online backup API copying every page in one step: in WAL mode that step reads one
snapshot, so the copy is consistent while the bot goes on writing (writers are never blocked by a reader).
The copy is integrity-checked before it takes its final name, and created for the owner alone (0600), as the
database is. Restoring refuses while a bot holds the outbox lease of the database, checks the backup first, and
keeps the database it replaces beside it.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.runtime.lease import holder_is_dead
from bot.storage.db import OWNER_ONLY_FILE, SIDE_FILES

BACKUP_PREFIX = "bot-"
BACKUP_SUFFIX = ".sqlite3"


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why and what to do."""


def backup_name(now: datetime) -> str:
    """A backup's file name: its instant in UTC, so that name order is time order whatever the zone."""
    return f"{BACKUP_PREFIX}{now.astimezone(UTC):%Y%m%d-%H%M%S}{BACKUP_SUFFIX}"


def _private_file(path: Path) -> None:
    """Create `path` empty for the owner alone (it must not exist yet)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE))
    os.chmod(path, OWNER_ONLY_FILE)


def _check(path: Path) -> None:
    """Raise BackupError unless `path` is a sound SQLite database of this bot."""
    try:
        conn = sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be opened ({exc})") from exc
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupError(f"{path} fails SQLite's integrity check: {'; '.join(problems[:5])}")
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = '_migrations'").fetchall():
            raise BackupError(f"{path} is an SQLite database, but not this bot's")
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a sound SQLite database ({exc})") from exc
    finally:
        conn.close()


def _copy(source: Path, target: Path) -> None:
    """Copy the database `source` (with what its WAL holds) into the new file `target`, then check the copy."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _private_file(partial)
    try:
        src = sqlite3.connect(source)
        try:
            dst = sqlite3.connect(partial)
            try:
                src.backup(dst)  # every page in one step: one consistent snapshot; the bot's writes go on
                dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file (the bot turns WAL on again)
            finally:
                dst.close()
        finally:
            src.close()
        _check(partial)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def backup_now(database: Path, dest: Path, now: datetime) -> Path:
    """Back the database up to `dest` (a file, or a folder to put a dated file in); returns the file written."""
    if not database.exists():
        raise BackupError(f"There is no database at {database} to back up (DATABASE_PATH)")
    target = dest / backup_name(now) if dest.is_dir() else dest
    if target.exists():
        raise BackupError(f"{target} exists already: name another file, or a folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(database, target)
    return target


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in `folder` (by their dated names); returns those deleted."""
    backups = sorted(folder.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}"))
    old = backups[:-keep] if keep > 0 else backups
    for path in old:
        path.unlink()
    return old


def _running_holder(database: Path) -> str | None:
    """The process that holds the database's outbox lease now (a running bot), if any."""
    conn = sqlite3.connect(database)
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        rows = conn.execute("SELECT holder FROM outbox_lease WHERE expires_at > julianday('now')").fetchall()
    except sqlite3.OperationalError:
        return None  # no lease table: no bot ever sent from it
    finally:
        conn.close()
    alive = [row[0] for row in rows if not holder_is_dead(row[0])]
    return alive[0] if alive else None


def restore_now(source: Path, database: Path, now: datetime) -> Path | None:
    """Replace the database by the backup `source`; returns where the replaced database was kept (None: none).

    Refused while a bot holds the database's outbox lease; `source` is checked before anything is moved.
    """
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}")
    _check(source)
    if database.exists():
        holder = _running_holder(database)
        if holder is not None:
            raise BackupError(
                f"A bot is running on {database} ({holder}): stop it first, then restore (and start it again)"
            )
    aside: Path | None = None
    if database.exists():
        aside = database.with_name(f"{database.name}.before-restore-{now.astimezone(UTC):%Y%m%d-%H%M%S}")
        for suffix in ("", *SIDE_FILES):  # the WAL goes with its database: together they are consistent
            part = database.with_name(database.name + suffix)
            if part.exists():
                os.replace(part, aside.with_name(aside.name + suffix))
    database.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, database)
    return aside


def _backup_and_rotate(database: Path, folder: Path, keep: int, now: datetime) -> tuple[Path, list[Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    made = backup_now(database, folder, now)
    return made, rotate(folder, keep)


async def daily_backup(database: Path, folder: Path, keep: int, now: datetime) -> tuple[Path, list[Path]]:
    """A dated backup in `folder`, then the oldest beyond `keep` deleted: (the new file, those deleted).

    In a worker thread, so the running bot's event loop goes on meanwhile.
    """
    return await asyncio.to_thread(_backup_and_rotate, database, folder, keep, now)
