"""The real bot as a process (`python -m bot`) against the limited fake Bot API, on an outbox seeded for it.

For the benches that measure delivery: seed the outbox, start the bot, SIGKILL or stop it, count the rows.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from bot.storage.db import open_database
from bot.storage.outbox import OutgoingMessage, enqueue
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


async def start_bot(api: LimitedBotApi, db: Path, **env: str) -> asyncio.subprocess.Process:
    """`python -m bot` against the fake, on `db`; returns once it polls for updates."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "BOT_CLOCK"))}
    environment.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.server.base_url,
        DATABASE_PATH=str(db),
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
        SEND_RATE_PER_SECOND=str(RATE),
    )
    environment.update(env)
    start = len(api.server.api.calls)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=db.parent, env=environment, stdout=asyncio.subprocess.DEVNULL
    )
    await api.server.api.wait_for(lambda c: c.method == "deleteWebhook", timeout=60, start=start)
    return proc


async def kill(proc: asyncio.subprocess.Process) -> None:
    """SIGKILL: no shutdown code runs, exactly like a crash."""
    proc.send_signal(signal.SIGKILL)
    await proc.wait()


async def stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.terminate()
        await proc.wait()
