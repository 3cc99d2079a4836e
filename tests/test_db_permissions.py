"""The database, its -wal and -shm are readable by the bot's user alone; so is a folder the bot creates for them."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage.db import DatabaseUnavailable, open_database

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def files(folder: Path) -> list[Path]:
    return list(folder.iterdir())


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask a service manager could leave: modes must not depend on it."""
    previous = os.umask(0)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("open_umask")
async def test_a_new_database_and_its_wal_and_shm_are_owner_only_in_a_folder_of_its_own(tmp_path: Path) -> None:
    database = tmp_path / "var" / "state" / "bot.sqlite3"
    db = await open_database(database)
    try:
        await db.execute("CREATE TABLE t (x)")
        await db.execute("INSERT INTO t VALUES (1)")
        await db.commit()
        wal, shm = database.with_name("bot.sqlite3-wal"), database.with_name("bot.sqlite3-shm")
        assert wal.exists() and shm.exists()
        assert {p.name: mode(p) for p in (database, wal, shm)} == dict.fromkeys(
            ("bot.sqlite3", "bot.sqlite3-wal", "bot.sqlite3-shm"), 0o600
        )
        assert mode(database.parent) == 0o700
    finally:
        await db.close()


async def test_an_existing_database_is_tightened_and_an_organisers_folder_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o755)
    database = folder / "bot.sqlite3"
    await (await open_database(database)).close()
    for path in (database, database.with_name("bot.sqlite3-wal")):
        path.touch()
        path.chmod(0o644)  # as an earlier version of the bot left them
    await (await open_database(database)).close()
    assert mode(database) == 0o600
    assert mode(folder) == 0o755


async def test_a_read_only_database_stays_read_only(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    await (await open_database(database)).close()
    database.chmod(0o444)
    try:
        with contextlib.suppress(DatabaseUnavailable):  # root may write it anyway: only the mode matters here
            await (await open_database(database)).close()
        assert mode(database) == 0o400  # the group's and others' reading taken away, no writing given
    finally:
        database.chmod(0o600)


async def test_an_in_memory_database_touches_no_file(tmp_path: Path) -> None:
    await (await open_database(":memory:")).close()
    assert files(tmp_path) == []  # the tests run in tmp_path (conftest)
