"""The real bot as a process (`python -m bot`) against the fake Bot API, on an outbox seeded for it.

For the benches that measure delivery: seed the outbox, start the bot, SIGKILL or stop it, count the rows;
`launch` starts it against any FakeBotApiServer (bench/crowd.py: polling or webhook).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from bot.console.api import Call
from bot.storage.db import open_database
from bot.storage.outbox import OutgoingMessage, enqueue
from tests.support.bot_api_server import FakeBotApiServer
from tests.support.limited_api import RATE, LimitedBotApi

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:BENCH-TOKEN"


async def seed(db: Path, messages: Iterable[OutgoingMessage]) -> int:
    """Create the database and queue `messages` in it, as the bot's producers would."""
    conn = await open_database(db)
    try:
        return await enqueue(conn, list(messages), datetime.now(UTC))
    finally:
        await conn.close()


async def outbox_states(db: Path) -> dict[str, int]:
    conn = await open_database(db)
    try:
        async with conn.execute("SELECT state, COUNT(*) AS n FROM outbox GROUP BY state") as cur:
            counts = {row["state"]: row["n"] for row in await cur.fetchall()}
        async with conn.execute("SELECT COUNT(*) FROM outbox WHERE resends > 0") as cur:
            row = await cur.fetchone()
        counts["possible duplicates"] = row[0] if row else 0
        return counts
    finally:
        await conn.close()


def bot_environment(server: FakeBotApiServer, db: Path, **env: str) -> dict[str, str]:
    """The environment of `python -m bot` against `server`, on `db`: the caller's, minus Telegram settings."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "BOT_CLOCK"))}
    environment.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_PATH=str(db),
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
        # The same answers on every machine, FreeDict installed or not (tests/test_answer_dictionary.py).
        DICTIONARY_DIR=str(db.parent / "no-dictionaries"),
        APERTIUM_DIR=str(db.parent / "no-dictionaries"),
    )
    environment.update(env)
    return environment


async def launch(
    server: FakeBotApiServer,
    db: Path,
    ready: Callable[[Call], bool],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
    stderr: IO[bytes] | None = None,
    module: str = "bot",
) -> asyncio.subprocess.Process:
    """`python -m bot` (or `module`) against `server`, on `db`; returns once the fake saw a call making `ready` true."""
    start = len(server.api.calls)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        module,
        cwd=db.parent,
        env=bot_environment(server, db, **(env or {})),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=stderr,
    )
    try:
        await server.api.wait_for(ready, timeout=timeout, start=start)
    except BaseException:
        await kill(proc)  # never leave a bot process behind
        raise
    return proc


async def start_bot(api: LimitedBotApi, db: Path, **env: str) -> asyncio.subprocess.Process:
    """`python -m bot` against the fake, on `db`; returns once it polls for updates."""
    env = {"SEND_RATE_PER_SECOND": str(RATE), **env}
    return await launch(api.server, db, lambda c: c.method == "deleteWebhook", env=env)


async def kill(proc: asyncio.subprocess.Process) -> None:
    """SIGKILL: no shutdown code runs, exactly like a crash."""
    if proc.returncode is None:
        proc.send_signal(signal.SIGKILL)
    await proc.wait()


async def stop(proc: asyncio.subprocess.Process, grace: float = 10.0) -> None:
    """SIGTERM and wait for a clean shutdown; SIGKILL after `grace` seconds, or at once if the wait is cancelled."""
    if proc.returncode is not None:
        return
    proc.terminate()
    try:
        await asyncio.wait_for(proc.wait(), grace)
    except TimeoutError:
        pass
    finally:
        if proc.returncode is None:
            proc.kill()  # never leave a bot process behind, even when the caller is being cancelled
    await proc.wait()
