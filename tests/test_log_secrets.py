"""No secret in the log or on stderr: the token, the webhook secret and PROGRAMME_URL's password are redacted
at every level, from every logger, in exception text, and on the bot process's error paths."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import logs
from bot.console.api import ApiError
from tests.support.bot_api_server import FakeBotApiServer
from tests.support.bot_process import TOKEN, launch, stop
from tests.test_e2e_reload import ADMIN, PANEL_MOVED, RELOAD
from tests.test_import_url import FakeServer, serving

SECRET_PART = TOKEN.partition(":")[2]  # the bot id before the colon is public (getMe tells anyone)
PASSWORD = "pa55-w0rd"
LEVELS = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL]
# Loggers that write the token in the wild: PTB's bot at DEBUG, httpx's request lines, PTB's network loop.
LOGGERS = ["telegram.ext.ExtBot", "httpx", "telegram.ext", "tornado.access", "bot.programme_updates.poll"]


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the root logger's handler writes, with the redaction filter installed as the bot installs it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    secrets = logs.SecretFilter()
    secrets.hide(SECRET_PART, "webhook-Secret_1")  # as `logs.secrets_of` gives them
    handler.addFilter(secrets)
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in LOGGERS}
    root.addHandler(handler)
    for name in LOGGERS:  # the bot turns some down; here every level must reach the handler
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("name", LOGGERS)
@pytest.mark.parametrize("level", LEVELS, ids=logging.getLevelName)
def test_no_logger_writes_a_secret_at_any_level(log_output: io.StringIO, name: str, level: int) -> None:
    logger = logging.getLogger(name)
    url = f"http://127.0.0.1:8081/bot{TOKEN}/getUpdates"
    logger.log(level, "HTTP Request: POST %s", url)
    logger.log(level, f"Set Bot API URL: {url}")  # noqa: G004 (PTB formats some messages itself)
    logger.log(level, "setWebhook with %r", {"secret_token": "webhook-Secret_1"})
    logger.log(level, "Programme poll of %s", f"https://reader:{PASSWORD}@example.org/programme.yaml")
    try:
        raise ValueError(f"The token `{TOKEN}` was rejected by the server.")
    except ValueError:
        logger.log(level, "Start-up failed", exc_info=True, stack_info=True)
    text = log_output.getvalue()
    assert text.count(f"{logging.getLevelName(level)} {name}:") == 5  # every record was written ...
    assert "Traceback" in text and "Stack (most recent call last)" in text
    for secret in (SECRET_PART, "webhook-Secret_1", PASSWORD):  # ... and none with a secret in it
        assert secret not in text
    assert text.count(logs.REDACTED) == 5
    assert "http://127.0.0.1:8081/bot123456:" in text  # only the secret part goes: the rest still helps


def test_the_secrets_of_the_settings_are_what_is_hidden() -> None:
    from bot.settings import Settings

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=TOKEN,
        webhook_secret="webhook-Secret_1",
        programme_url=f"https://reader:{PASSWORD}@example.org/programme.yaml",
    )
    assert set(logs.secrets_of(settings)) >= {SECRET_PART, "webhook-Secret_1", PASSWORD}
    assert logs.secrets_of(Settings(_env_file=None)) == []  # type: ignore[call-arg]


async def test_a_token_the_bot_api_rejects_at_start_up_is_not_written_out(tmp_path: Path) -> None:
    server = await FakeBotApiServer().start()
    server.api.failures["getMe"] = [ApiError(401, "Unauthorized")]
    err_path = tmp_path / "stderr.log"
    try:
        with err_path.open("wb") as err:
            proc = await launch(server, tmp_path / "bot.sqlite3", lambda c: c.method == "getMe", stderr=err)
            try:
                await asyncio.wait_for(proc.wait(), 30)  # it gives up by itself
            finally:
                await stop(proc)
    finally:
        await server.stop()
    output = err_path.read_bytes()
    assert proc.returncode not in (0, None)
    assert b"rejected" in output, output.decode()
    assert SECRET_PART.encode() not in output, output.decode()


async def test_a_debug_run_handling_messages_writes_no_secret(tmp_path: Path) -> None:
    moved = RELOAD.read_text(encoding="utf-8").replace(*PANEL_MOVED).encode()
    server = await FakeBotApiServer().start()
    err_path = tmp_path / "stderr.log"
    try:
        async with serving(FakeServer(moved)) as programme:
            url = programme.url.replace("http://", f"http://reader:{PASSWORD}@")
            env = {"LOG_LEVEL": "DEBUG", "ADMIN_IDS": str(ADMIN), "PROGRAMME_PATH": str(RELOAD), "PROGRAMME_URL": url}
            with err_path.open("wb") as err:
                proc = await launch(
                    server, tmp_path / "bot.sqlite3", lambda c: c.method == "deleteWebhook", env=env, stderr=err
                )
                try:
                    start = len(server.api.calls)
                    server.api.send_text(42, "/start", first_name="Ana")
                    await server.api.wait_for(lambda c: c.chat_id == 42, timeout=10, start=start)
                    server.api.send_text(ADMIN, "/reload", first_name="Org")
                    await server.api.wait_for(lambda c: "Apply" in str(c.params), timeout=10, start=start)
                finally:
                    await stop(proc)
    finally:
        await server.stop()
    output = err_path.read_text(encoding="utf-8")
    assert " DEBUG telegram.ext.ExtBot: " in output and "getUpdates" in output  # DEBUG lines were written
    assert "Programme version 2 read from" in output
    assert SECRET_PART not in output
    assert PASSWORD not in output
    assert logs.REDACTED in output
