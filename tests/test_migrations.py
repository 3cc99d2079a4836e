"""Migrations from an empty database, and re-running them is a no-op."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.storage import users
from bot.storage.db import open_database
from bot.storage.migrations import MIGRATIONS


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
