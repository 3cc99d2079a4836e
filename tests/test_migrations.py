"""Migrations from an empty database build exactly the checked-in schema, and re-running them is a no-op."""

from __future__ import annotations

import difflib
import os
import textwrap
from datetime import UTC, datetime
from pathlib import Path

from bot.storage import users
from bot.storage.db import open_database
from bot.storage.migrations import MIGRATIONS
from tests.conftest import FIXTURES, ROOT

SCHEMA = FIXTURES / "schema.sql"
REGENERATE = "UPDATE_SCHEMA_SNAPSHOT=1 .venv/bin/python -m pytest tests/test_migrations.py"
_HEADER = f"-- What bot/storage/migrations.py builds in an empty database. Regenerate:\n-- {REGENERATE}\n"


async def test_migrate_empty_database_creates_the_schema(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "fresh.sqlite3")
    try:
        async with db.execute("SELECT name FROM _migrations ORDER BY name") as cur:
            applied = [row[0] for row in await cur.fetchall()]
        assert applied == sorted(name for name, _ in MIGRATIONS)
        async with db.execute("PRAGMA table_info(users)") as cur:
            columns = {row["name"] for row in await cur.fetchall()}
        assert {"user_id", "language", "first_seen", "last_seen", "status"} <= columns
        async with db.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
        async with db.execute("PRAGMA foreign_keys") as cur:
            assert (await cur.fetchone())[0] == 1
    finally:
        await db.close()


async def test_reopening_applies_nothing_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "again.sqlite3"
    db = await open_database(path)
    now = datetime(2024, 6, 25, 9, tzinfo=UTC)
    await users.record_contact(db, 5, "Ana", "es", now)
    await db.close()
    db = await open_database(path)
    try:
        user = await users.get_user(db, 5)
        assert user is not None and user.language == "es" and user.first_seen == now
        await users.mark_blocked(db, 5)
        assert await users.count_users(db) == {"blocked": 1}
        again = await users.record_contact(db, 5, "Ana", "en", now)
        assert again.status == "active" and again.language == "es"  # returning users keep their language
    finally:
        await db.close()


def test_migrations_are_numbered_and_run_in_the_order_of_their_numbers() -> None:
    import re

    numbers = []
    for name, _ in MIGRATIONS:
        match = re.fullmatch(r"m(\d{3})_[a-z0-9_]+", name)
        assert match, f"{name} does not follow m000_what"
        numbers.append(int(match.group(1)))
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == len(numbers)


def _tidy(sql: str) -> str:
    """A CREATE statement as stored, with the migration's indentation removed and no trailing blanks."""
    first, _, rest = sql.partition("\n")
    lines = [first, *textwrap.dedent(rest).splitlines()]
    return "\n".join(line.rstrip() for line in lines if line.strip()) + ";"


async def _dump_schema(path: Path) -> str:
    db = await open_database(path)
    try:
        # Each table, then its indexes; SQLite's own indexes (UNIQUE, PRIMARY KEY) have no SQL of their own.
        rows = await db.execute_fetchall(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY tbl_name, type != 'table', name"
        )
    finally:
        await db.close()
    parts = [_tidy(sql) if sql else f"-- {kind} {name} on {table}, made by SQLite" for kind, name, table, sql in rows]
    return _HEADER + "\n" + "\n\n".join(parts) + "\n"


async def test_the_migrated_schema_is_the_checked_in_snapshot(tmp_path: Path) -> None:
    schema = await _dump_schema(tmp_path / "schema.sqlite3")
    if os.environ.get("UPDATE_SCHEMA_SNAPSHOT") == "1":
        SCHEMA.write_text(schema, encoding="utf-8")
    expected = SCHEMA.read_text(encoding="utf-8") if SCHEMA.exists() else ""
    snapshot = str(SCHEMA.relative_to(ROOT))
    diff = "".join(difflib.unified_diff(expected.splitlines(True), schema.splitlines(True), snapshot, "migrated"))
    assert schema == expected, (
        f"The migrated schema differs from {snapshot}:\n{diff}\n"
        "A change to the schema belongs in a new migration (never an edit of an applied one). When the change is "
        f"deliberate, regenerate the snapshot with\n    {REGENERATE}\nand commit it with the migration."
    )
