"""The real bot process when the Bot API refuses its token: a brief 401 or 404 while polling is ridden out
with backoff; a refusal that lasts, or one at start-up, ends the process non-zero with a clear message."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.console.api import ApiError
from bot.runtime.token_watch import TokenWatch
from tests.support.bot_api_server import FakeBotApiServer
from tests.support.bot_process import TOKEN, bot_environment, launch, stop

SECRET_PART = TOKEN.partition(":")[2]
REFUSALS = [ApiError(401, "Unauthorized"), ApiError(404, "Not Found")]


@asynccontextmanager
async def polling_bot(tmp_path: Path, **env: str) -> AsyncIterator[tuple[FakeBotApiServer, asyncio.subprocess.Process]]:
    """The bot process polling the fake Bot API; its stderr goes to tmp_path/stderr.log."""
    server = await FakeBotApiServer().start()
    try:
        with (tmp_path / "stderr.log").open("wb") as err:
            proc = await launch(
                server, tmp_path / "bot.sqlite3", lambda c: c.method == "deleteWebhook", env=env, stderr=err
            )
            try:
                await server.api.wait_for_first_poll()
                yield server, proc
            finally:
                await stop(proc)
    finally:
        await server.stop()


async def _refused(server: FakeBotApiServer, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while server.refused < count:
        assert time.monotonic() < deadline, f"the bot asked {server.refused} time(s) in {timeout}s, not {count}"
        await asyncio.sleep(0.05)


def test_only_refusals_without_a_break_for_the_whole_grace_period_count_as_revoked() -> None:
    now = [0.0]
    stopped: list[str] = []
    watch = TokenWatch(grace=60, clock=lambda: now[0])
    watch.when_revoked(lambda: stopped.append(watch.reason))
    for t in (0, 30, 59):
        now[0] = t
        watch.refused("Unauthorized")
    now[0] = 70
    watch.accepted()  # a poll went through: the outage is over
    for t in (80, 130):
        now[0] = t
        watch.refused("Not Found")
    assert not watch.revoked and stopped == []
    now[0] = 140
    watch.refused("Not Found")
    now[0] = 150
    watch.refused("Not Found")
    assert watch.revoked and stopped == ["Not Found"]  # stopped once, with Telegram's reason


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda e: str(e.code))
async def test_a_brief_refusal_of_the_token_does_not_stop_polling(tmp_path: Path, refusal: ApiError) -> None:
    async with polling_bot(tmp_path) as (server, proc):
        server.refusal = refusal
        await _refused(server, 3, timeout=10)  # it keeps asking, backing off (PTB: 1 s, then 1.5 s, ...)
        server.refusal = None
        start = len(server.api.calls)
        server.api.send_text(42, "/start", first_name="Ana")
        reply = await server.api.wait_for(lambda c: c.method == "sendMessage", timeout=15, start=start)
        assert "Hello Ana!" in reply.shown
        assert proc.returncode is None
    output = (tmp_path / "stderr.log").read_text(encoding="utf-8")
    assert "refuses the token" in output
    assert SECRET_PART not in output


async def test_a_lasting_refusal_of_the_token_ends_the_process_with_a_clear_message(tmp_path: Path) -> None:
    async with polling_bot(tmp_path, TELEGRAM_TOKEN_REFUSED_SECONDS="2") as (server, proc):
        server.refusal = REFUSALS[0]
        started = time.monotonic()
        await asyncio.wait_for(proc.wait(), 30)
        took = time.monotonic() - started
    assert proc.returncode not in (0, None)
    assert 2 <= took < 15
    output = (tmp_path / "stderr.log").read_text(encoding="utf-8")
    assert "Telegram has refused the bot's token for 2 s (Unauthorized)" in output, output
    assert "TELEGRAM_BOT_TOKEN" in output
    assert SECRET_PART not in output


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda e: str(e.code))
async def test_a_token_refused_at_start_up_ends_the_process_at_once(tmp_path: Path, refusal: ApiError) -> None:
    server = await FakeBotApiServer().start()
    server.refusal = refusal
    err_path = tmp_path / "stderr.log"
    try:
        with err_path.open("wb") as err:
            started = time.monotonic()
            env = bot_environment(server, tmp_path / "bot.sqlite3")
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=tmp_path, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=err
            )
            try:
                await asyncio.wait_for(proc.wait(), 30)
            finally:
                await stop(proc)
            took = time.monotonic() - started
    finally:
        await server.stop()
    assert proc.returncode == 1
    assert took < 15
    output = err_path.read_text(encoding="utf-8")
    assert f"Telegram refused the bot's token ({refusal.description})" in output, output
    assert "Stopped by an unexpected error" not in output  # an expected failure, said plainly
    assert SECRET_PART not in output
