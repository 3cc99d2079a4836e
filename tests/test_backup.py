"""Backups while the bot runs, restoring while it does not: nothing a delegate did or was promised is lost."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.storage import bookmarks, outbox
from bot.storage.backup import BackupError, backup_now, restore_now, rotate
from tests.conftest import make_harness
from tests.support.outbox import get_by_key, message

NOW = datetime.fromisoformat("2024-06-01T10:00:00+02:00")
TOMORROW = NOW + timedelta(days=1)


async def test_a_backup_taken_while_the_bot_runs_restores_bookmarks_and_queued_messages(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    folder = tmp_path / "backups"
    folder.mkdir()
    async with make_harness(tmp_path, now=NOW) as h:
        db = h.services.database
        session_id = h.services.programme.sessions[0].id
        await h.say("/start")
        await bookmarks.add_bookmark(db, 42, session_id, NOW)
        await outbox.enqueue(db, [message("tomorrow:42", 42, TOMORROW)], NOW)  # queued, not due yet
        made = await asyncio.to_thread(backup_now, database, folder, NOW)
        with pytest.raises(BackupError, match="A bot is running"):
            restore_now(made, database, NOW)  # the running bot holds the outbox lease
    assert made.parent == folder and made.name == "bot-20240601-080000.sqlite3"  # UTC
    assert stat.S_IMODE(made.stat().st_mode) == 0o600

    with sqlite3.connect(database) as lost:  # what restoring is for: the data is gone
        lost.execute("DELETE FROM bookmarks")
        lost.execute("DELETE FROM outbox")
    lost.close()

    aside = restore_now(made, database, NOW)
    assert aside is not None and aside.exists()
    async with make_harness(tmp_path, now=NOW) as h:
        db = h.services.database
        assert session_id in await bookmarks.bookmarked_ids(db, 42)
        queued = await get_by_key(db, "tomorrow:42")
        assert queued is not None and queued.state == "pending"


async def test_restore_refuses_a_damaged_backup_and_leaves_the_database_alone(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    async with make_harness(tmp_path, now=NOW) as h:
        await h.say("/start")
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = database.read_bytes()
    with pytest.raises(BackupError, match=r"not a sound SQLite database|integrity"):
        restore_now(damaged, database, NOW)
    assert database.read_bytes() == before
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).close()
    with pytest.raises(BackupError, match="not this bot's"):
        restore_now(other, database, NOW)


def test_rotation_keeps_the_newest(tmp_path: Path) -> None:
    for day in range(1, 6):
        (tmp_path / f"bot-2024060{day}-040000.sqlite3").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("kept")
    deleted = rotate(tmp_path, 2)
    assert [p.name for p in deleted] == [f"bot-2024060{d}-040000.sqlite3" for d in (1, 2, 3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bot-20240604-040000.sqlite3",
        "bot-20240605-040000.sqlite3",
        "notes.txt",
    ]


async def test_the_command_line_backs_up_and_restores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with make_harness(tmp_path, now=NOW) as h:
        await h.say("/start")
    monkeypatch.setenv("DATABASE_PATH", str(database))
    dest = tmp_path / "copy.sqlite3"
    assert await asyncio.to_thread(main, ["backup", str(dest)]) == 0
    assert "integrity check: ok" in capsys.readouterr().out
    assert await asyncio.to_thread(main, ["backup", str(dest)]) == 1  # never overwrites a backup
    assert await asyncio.to_thread(main, ["restore", str(dest)]) == 0
    assert "kept as" in capsys.readouterr().out


async def test_the_daily_job_backs_up_into_backup_dir_and_keeps_the_newest(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    async with make_harness(tmp_path, now=NOW, backup_dir=folder, backup_keep=2) as h:
        await h.say("/start")
        for hours in range(3):
            h.clock.freeze(NOW + timedelta(hours=hours))
            await h.run_job("backup")
    assert sorted(p.name for p in folder.iterdir()) == ["bot-20240601-090000.sqlite3", "bot-20240601-100000.sqlite3"]
