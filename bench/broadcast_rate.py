"""Broadcast throughput and crash safety against a fake Bot API with Telegram's limits (prints its figures).

    .venv/bin/python bench/broadcast_rate.py [--users 10000] [--crash-users 3000] [--crash-runs 1] [--skip-naive]

The fake Bot API (tests/support/bot_api_server.py) is served over HTTP on 127.0.0.1 with Telegram-like flood limits
(30 messages/s overall, 1/s per chat, 429 with retry_after beyond) and 50 ms latency per request.
1. The real bot process (`python -m bot`) runs; `python -m bot broadcast --text … --audience all` queues a
   broadcast to every user and the bot's outbox sender delivers it: achieved rate / 30, 429s received,
   duplicates and losses.
2. The same number of messages with a naive `for chat in chats: await bot.send_message(...)` loop.
3. A broadcast to --crash-users users; the bot is SIGKILLed half-way and restarted: losses and duplicates.
Not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Bot  # noqa: E402
from telegram.error import RetryAfter  # noqa: E402

from bot.console.api import Call, RateLimits  # noqa: E402
from tests.support.bot_api_server import FakeBotApiServer  # noqa: E402
from tests.support.bot_process import TOKEN, bot_environment  # noqa: E402

LATENCY = 0.05
LIMIT = 30.0


async def _seed_users(db: Path, count: int) -> None:
    from bot.storage.db import open_database

    conn = await open_database(db)
    stamp = "2024-05-01T00:00:00+00:00"
    await conn.executemany(
        "INSERT INTO users (user_id, first_name, language, first_seen, last_seen) VALUES (?, 'D', 'en', ?, ?)",
        [(10_000 + n, stamp, stamp) for n in range(count)],
    )
    await conn.commit()
    await conn.close()


async def _start_bot(server: FakeBotApiServer, db: Path, cwd: Path) -> asyncio.subprocess.Process:
    start = len(server.api.calls)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=cwd, env=bot_environment(server, db, ADMIN_IDS=""),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await server.api.wait_for(lambda c: c.method == "deleteWebhook", timeout=60, start=start)
    except TimeoutError:
        proc.kill()  # never leave a bot process behind
        await proc.wait()
        raise
    await asyncio.sleep(1.0)  # its outbox sender takes the outbox lease at start-up
    return proc


async def _cli_broadcast(server: FakeBotApiServer, db: Path, cwd: Path, text: str) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "broadcast", "--text", text, "--audience", "all", cwd=cwd,
        env=bot_environment(server, db, ADMIN_IDS=""), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await proc.communicate()
    return out.decode().strip()


def _deliveries(calls: list[Call], text: str) -> list[Call]:
    return [c for c in calls if c.method == "sendMessage" and not c.error and c.text == text]


def _figures(label: str, sent: list[Call], users: int, refused: int, elapsed: float) -> None:
    per_chat = Counter(c.chat_id for c in sent)
    duplicates = sum(n - 1 for n in per_chat.values())
    lost = users - len(per_chat)
    rate = (len(sent) - 1) / elapsed if elapsed > 0 and len(sent) > 1 else 0.0
    print(f"{label:<34} {len(sent):6d} sent in {elapsed:7.1f} s   {rate:5.2f} msg/s   rate/30 = {rate / LIMIT:4.2f}"
          f"   429s {refused:5d}   duplicates {duplicates}   lost {lost}")  # fmt: skip


async def outbox_run(users: int, workdir: Path) -> None:
    server = await FakeBotApiServer().start()
    server.api.latency, server.api.limits = LATENCY, RateLimits(LIMIT, 1.0)
    db = workdir / "rate.sqlite3"
    await _seed_users(db, users)
    proc = await _start_bot(server, db, workdir)
    text = f"Outbox broadcast to {users}"
    try:
        refused_before = server.api.limits.refused
        print("  " + (await _cli_broadcast(server, db, workdir, text)).replace("\n", "\n  "))
        while len(_deliveries(server.api.calls, text)) < users:
            await asyncio.sleep(0.5)
            if proc.returncode is not None:
                break
        await asyncio.sleep(2.0)  # anything sent twice would show up now
        sent = _deliveries(server.api.calls, text)
        elapsed = sent[-1].at - sent[0].at if sent else 0.0
        _figures("outbox sender (bot process)", sent, users, server.api.limits.refused - refused_before, elapsed)
    finally:
        proc.terminate()
        await proc.wait()
        await server.stop()


async def naive_run(users: int) -> None:
    server = await FakeBotApiServer().start()
    server.api.latency, server.api.limits = LATENCY, RateLimits(LIMIT, 1.0)
    text = f"Naive loop to {users}"
    retry_afters = 0
    async with Bot(TOKEN, base_url=server.base_url) as bot:
        started = time.monotonic()
        for chat in range(10_000, 10_000 + users):
            try:
                await bot.send_message(chat, text)
            except RetryAfter:  # a naive loop has no plan for this: the message is simply lost
                retry_afters += 1
        elapsed = time.monotonic() - started
    sent = _deliveries(server.api.calls, text)
    _figures("naive for-loop of send_message", sent, users, server.api.limits.refused, elapsed)
    await server.stop()


async def crash_run(users: int, workdir: Path) -> None:
    server = await FakeBotApiServer().start()
    server.api.latency, server.api.limits = LATENCY, RateLimits(LIMIT, 1.0)
    db = workdir / "crash.sqlite3"
    await _seed_users(db, users)
    text = f"Crash test broadcast to {users}"
    proc = await _start_bot(server, db, workdir)
    await _cli_broadcast(server, db, workdir, text)
    while len(_deliveries(server.api.calls, text)) < users // 2:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    await proc.wait()
    at_kill = len(_deliveries(server.api.calls, text))
    proc = await _start_bot(server, db, workdir)
    try:
        deadline = time.monotonic() + users / 10 + 120
        while len({c.chat_id for c in _deliveries(server.api.calls, text)}) < users and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.5)
        await asyncio.sleep(2.0)
    finally:
        proc.terminate()
        await proc.wait()
        await server.stop()
    sent = _deliveries(server.api.calls, text)
    per_chat = Counter(c.chat_id for c in sent)
    print(
        f"SIGKILL after {at_kill} of {users} sent, restart: {len(per_chat)} reached, lost {users - len(per_chat)},"
        f" duplicates {sum(n - 1 for n in per_chat.values())} (1 crash), 429s {server.api.limits.refused}"
    )


async def main(users: int, crash_users: int, crash_runs: int, naive: bool) -> None:
    print(f"Fake Bot API: {LIMIT:g} msg/s overall, 1 msg/s per chat, {LATENCY * 1000:g} ms latency, 429 beyond")
    with tempfile.TemporaryDirectory() as tmp:
        if users:
            await outbox_run(users, Path(tmp))
            if naive:
                await naive_run(users)
        for run in range(crash_runs if crash_users else 0):
            workdir = Path(tmp) / f"crash{run}"
            workdir.mkdir()
            await crash_run(crash_users, workdir)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--crash-users", type=int, default=3_000)
    parser.add_argument("--crash-runs", type=int, default=1, help="repeat the crash test (a fresh database each)")
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.users, args.crash_users, args.crash_runs, not args.skip_naive))
