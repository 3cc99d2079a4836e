"""The disk under the database: full, the bot still answers without a spurious error (logged once); read-only,
the bot exits at once with a clear message instead of hanging."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage import users
from bot.storage.db import open_database
from tests.conftest import BotHarness, make_harness
from tests.support.bot_api_server import FakeBotApiServer
from tests.support.bot_process import bot_environment, kill

WRONG = "Sorry, something went wrong"
NEWCOMERS = (9_000_001, 9_000_002)  # ids above every filler row: their rows belong in the full last page


async def fill_the_disk(h: BotHarness) -> None:
    """Let the database grow no more, then fill its users table up to the last byte of its last page."""
    db = h.services.database
    (pages,) = next(iter(await db.execute_fetchall("PRAGMA page_count")))
    await db.execute(f"PRAGMA max_page_count = {pages}")
    for filler in range(1, 1_000_000):
        try:
            await users.record_contact(db, filler, "D", "en", h.clock.now())
        except sqlite3.OperationalError as exc:
            refusal = str(exc)
            break
    else:
        raise AssertionError("the database never filled up")
    assert refusal == "database or disk is full"


async def test_a_full_disk_spoils_no_reply_and_is_logged_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    async with make_harness(tmp_path) as h:
        await h.say("/start", user_id=42)  # a contact row written while there was room
        await fill_the_disk(h)
        caplog.clear()
        for uid in NEWCOMERS:
            replies = [c.shown for c in await h.say("/start", user_id=uid) if c.method == "sendMessage"]
            assert len(replies) == 1 and "Hello Delegate!" in replies[0], replies
            assert await users.get_user(h.services.database, uid) is None  # the write did fail
        assert not [s for s in (c.shown for c in h.api.calls) if WRONG in s]
        problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
        assert [r.getMessage() for r in problems] == [
            "Could not record the contact of a delegate (database or disk is full); answering anyway"
        ]


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder the bot process may read but not write once `make_read_only`, as on a read-only disk."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    yield folder
    for path in (folder, *folder.iterdir()):
        path.chmod(0o755)  # so that pytest can clean up


def make_read_only(folder: Path) -> None:
    for path in (*folder.iterdir(), folder):
        path.chmod(0o444 if path.is_file() else 0o555)


def as_the_bot(*command: str) -> list[str]:
    """`command` unable to write where the permissions say no: root writes anywhere, unless it gives that up."""
    if os.geteuid() != 0:
        return list(command)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, without setpriv to drop root's power to write anywhere")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]


async def test_an_existing_database_on_a_read_only_disk_stops_the_bot_with_a_clear_message(
    read_only_dir: Path,
) -> None:
    database = read_only_dir / "bot.sqlite3"
    await (await open_database(database)).close()  # created and migrated while the disk could be written
    make_read_only(read_only_dir)
    server = await FakeBotApiServer().start()
    err_path = read_only_dir.parent / "stderr.log"
    try:
        with err_path.open("wb") as err:
            proc = await asyncio.create_subprocess_exec(
                *as_the_bot(sys.executable, "-m", "bot"),
                cwd=read_only_dir,
                env=bot_environment(server, database),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=err,
            )
            try:
                await asyncio.wait_for(proc.wait(), 30)
            finally:
                await kill(proc)
    finally:
        await server.stop()
    output = err_path.read_text(encoding="utf-8")
    assert proc.returncode == 1, output
    assert f"The bot cannot use its database {database} (attempt to write a readonly database)" in output
    assert "Traceback" not in output
    assert server.api.sent() == []
