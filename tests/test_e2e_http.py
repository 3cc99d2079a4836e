"""The bot as a real process against a Bot API-compatible HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from pathlib import Path

import aiosqlite

from tests.conftest import ROOT
from tests.support.bot_api_server import FakeBotApiServer
from tests.support.bot_process import launch, stop


async def _spawn(base_url: str, tmp_path: Path, **env: str) -> asyncio.subprocess.Process:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    environment.update(
        TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN",
        TELEGRAM_API_BASE_URL=base_url,
        PYTHONPATH=str(ROOT),
        DATABASE_PATH=str(tmp_path / "bot.sqlite3"),
        LOG_LEVEL="WARNING",
        DICTIONARY_DIR=str(tmp_path / "no-dictionaries"),  # the same answers, FreeDict installed or not
        APERTIUM_DIR=str(tmp_path / "no-dictionaries"),
        WORDNET_DIR=str(tmp_path / "no-dictionaries"),
    )
    environment.update(env)
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _dialogue_saved(database: Path, timeout: float = 5.0) -> None:
    """Wait until the bot process has saved a step of an unfinished dialogue in its database."""
    deadline = time.monotonic() + timeout
    async with aiosqlite.connect(f"file:{database}?mode=ro", uri=True) as db:
        while True:
            async with db.execute("SELECT COUNT(*) FROM dialogues WHERE scope LIKE 'conversation:%'") as cur:
                (saved,) = await cur.fetchone()  # type: ignore[misc]
            if saved:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"no dialogue step saved in {database} within {timeout}s")
            await asyncio.sleep(0.05)


async def _stop(proc: asyncio.subprocess.Process) -> bytes:
    if proc.returncode is None:
        proc.terminate()
    _, err = await asyncio.wait_for(proc.communicate(), 20)
    return err


async def test_polling_bot_answers_start_within_two_seconds(tmp_path: Path) -> None:
    server = await FakeBotApiServer().start()
    proc = await _spawn(server.base_url, tmp_path)
    try:
        await server.api.wait_for(lambda c: c.method == "setMyCommands", timeout=30)
        await server.api.wait_for(lambda c: c.method == "getUpdates" or c.method == "deleteWebhook", timeout=30)
        start = len(server.api.calls)
        sent_at = time.monotonic()
        server.api.send_text(42, "/start", first_name="Ana")
        reply = await server.api.wait_for(lambda c: c.method == "sendMessage", timeout=10, start=start)
        elapsed = time.monotonic() - sent_at
        assert "Hello Ana!" in reply.shown
        assert elapsed < 2.0, f"/start took {elapsed:.2f}s"
    finally:
        err = await _stop(proc)
    assert b"Traceback" not in err, err.decode()
    await server.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


VENUE_UPDATE = {
    "update_id": 1,
    "message": {
        "message_id": 1,
        "date": 0,
        "text": "/venue",
        "chat": {"id": 9, "type": "private"},
        "from": {"id": 9, "is_bot": False, "first_name": "W"},
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    },
}


async def _post_update(url: str, secret: str | None) -> int:
    """POST an update to the bot's webhook, as Telegram would (with `secret` in its header), once it listens."""
    import aiohttp

    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with aiohttp.ClientSession() as http:
        for _ in range(100):  # the webhook server starts right after setWebhook
            try:
                async with http.post(url, json=VENUE_UPDATE, headers=headers) as answer:
                    return answer.status
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.1)
    raise TimeoutError(f"nothing listens at {url}")


async def _get(url: str) -> int:
    """GET `url` once something listens there; its status."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        for _ in range(100):
            try:
                async with http.get(url) as answer:
                    return answer.status
            except aiohttp.ClientConnectorError:
                await asyncio.sleep(0.1)
    raise TimeoutError(f"nothing listens at {url}")


async def test_polling_mode_serves_feeds_and_health_on_http_port(tmp_path: Path) -> None:
    port = _free_port()
    server = await FakeBotApiServer().start()
    proc = await _spawn(server.base_url, tmp_path, HTTP_PORT=str(port))
    try:
        await server.api.wait_for(lambda c: c.method == "deleteWebhook", timeout=30)  # polling starts
        assert await _get(f"http://127.0.0.1:{port}/healthz") == 200
        assert await _get(f"http://127.0.0.1:{port}/cal/programme.ics") == 200
        assert await _get(f"http://127.0.0.1:{port}/hook") == 404  # no webhook while polling
        assert not [c for c in server.api.calls if c.method == "setWebhook"]
        server.api.send_text(42, "/start", first_name="Ana")
        reply = await server.api.wait_for(lambda c: c.method == "sendMessage", timeout=10)
        assert "Hello Ana!" in reply.shown
    finally:
        err = await _stop(proc)
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err, err.decode()
    await server.stop()


def _webhook_env(port: int, **env: str) -> dict[str, str]:
    return {
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        **env,
    }


async def test_webhook_mode_checks_the_secret(tmp_path: Path) -> None:
    port = _free_port()
    server = await FakeBotApiServer().start()
    proc = await _spawn(server.base_url, tmp_path, **_webhook_env(port, WEBHOOK_SECRET="s3cret"))
    try:
        hook = await server.api.wait_for(lambda c: c.method == "setWebhook", timeout=30)
        assert hook.params["url"] == f"http://127.0.0.1:{port}/hook"
        assert hook.params["secret_token"] == "s3cret"
        assert set(hook.params["allowed_updates"]) == {
            "message",
            "edited_message",
            "callback_query",
            "inline_query",
            "my_chat_member",
        }
        assert hook.params["drop_pending_updates"] in (False, "false", "False")
        assert await _post_update(f"http://127.0.0.1:{port}/hook", "wrong") == 403
        assert not server.api.sent()
        assert await _post_update(f"http://127.0.0.1:{port}/hook", "s3cret") == 200
        reply = await server.api.wait_for(lambda c: c.method == "sendMessage", timeout=10)
        assert "Albereda" in reply.shown
        assert await _get(f"http://127.0.0.1:{port}/healthz") == 200  # the same server answers health checks
    finally:
        err = await _stop(proc)
    assert b"Traceback" not in err, err.decode()
    await server.stop()


async def test_webhook_mode_without_a_secret_refuses_forged_updates(tmp_path: Path) -> None:
    port = _free_port()
    server = await FakeBotApiServer().start()
    err_path = tmp_path / "stderr.log"
    with err_path.open("wb") as err:
        env = _webhook_env(port, LOG_LEVEL="DEBUG")
        proc = await launch(server, tmp_path / "bot.sqlite3", lambda c: c.method == "setWebhook", env=env, stderr=err)
        try:
            hook = await server.api.wait_for(lambda c: c.method == "setWebhook")
            secret = str(hook.params.get("secret_token") or "")
            # Telegram's rule for the header: 1-256 characters, A-Z a-z 0-9 _ and -; long enough not to be guessed.
            assert re.fullmatch(r"[A-Za-z0-9_-]{32,256}", secret), secret
            url = f"http://127.0.0.1:{port}/hook"
            assert await _post_update(url, None) == 403
            assert await _post_update(url, "wrong") == 403
            await asyncio.sleep(0.5)  # time enough to answer a forged update, were it taken
            assert not server.api.sent()
            assert await _post_update(url, secret) == 200  # Telegram's own posts still get through
            reply = await server.api.wait_for(lambda c: c.method == "sendMessage", timeout=10)
            assert "Albereda" in reply.shown
        finally:
            await stop(proc)
            await server.stop()
    output = err_path.read_text(encoding="utf-8")
    assert "wrong or missing secret token refused" in output  # the DEBUG log was written ...
    assert secret not in output  # ... and the secret made up for this run is not in it
    assert " ERROR " not in output and " CRITICAL " not in output, output


async def test_a_broadcast_dialogue_survives_a_crash_of_the_bot(tmp_path: Path) -> None:
    server = await FakeBotApiServer().start()
    proc = await _spawn(server.base_url, tmp_path, ADMIN_IDS="1")
    try:
        await server.api.wait_for(lambda c: c.method == "deleteWebhook", timeout=30)
        server.api.send_text(1, "/broadcast", first_name="Org")
        asked = await server.api.wait_for(lambda c: c.method == "sendMessage", timeout=10)
        assert "Send me the message" in asked.shown
        await _dialogue_saved(tmp_path / "bot.sqlite3")  # PTB hands the step over within a second
        proc.kill()  # SIGKILL: no shutdown code runs
        await proc.wait()
        proc = await _spawn(server.base_url, tmp_path, ADMIN_IDS="1")
        start = len(server.api.calls)
        await server.api.wait_for(lambda c: c.method == "deleteWebhook", timeout=30, start=start)
        start = len(server.api.calls)
        server.api.send_text(1, "Doors open at 08:30", first_name="Org")
        menu = await server.api.wait_for(lambda c: "Who should get it?" in c.shown, timeout=10, start=start)
        assert menu.chat_id == 1 and any(label.startswith("👥 Everyone") for label in menu.button_labels)
    finally:
        err = await _stop(proc)
    assert b"Traceback" not in err, err.decode()
    await server.stop()


async def test_an_organisers_file_is_downloaded_from_the_configured_bot_api(tmp_path: Path) -> None:
    """Before: files came from api.telegram.org whatever TELEGRAM_API_BASE_URL said (a self-hosted Bot API failed)."""
    server = await FakeBotApiServer().start()
    proc = await launch(
        server, tmp_path / "bot.sqlite3", lambda c: c.method == "deleteWebhook", env={"ADMIN_IDS": "42"}
    )
    try:
        start = len(server.api.calls)
        reload = ROOT / "tests" / "fixtures" / "import" / "reload.yaml"
        server.api.send_document(42, "programme.yaml", reload.read_bytes())
        summary = await server.api.wait_for(
            lambda c: c.method == "sendMessage" and c.chat_id == 42 and not c.error, timeout=20, start=start
        )
        assert "Programme update" in summary.shown, summary.shown
        assert server.downloads == 1
    finally:
        await stop(proc)
        await server.stop()


async def test_the_bot_process_publishes_its_profile_and_answers_inline_queries_and_deep_links(tmp_path: Path) -> None:
    """Over real HTTP, as PTB encodes it: the profile per language, an inline answer Telegram would accept, and a
    deep link opened by someone new."""
    server = await FakeBotApiServer().start()
    proc = await _spawn(server.base_url, tmp_path)
    try:
        await server.api.wait_for(lambda c: c.method == "setChatMenuButton", timeout=30)
        assert {lang for field, lang in server.api.profile if field == "description"} == {"", "de", "es", "fr", "it"}
        start = len(server.api.calls)
        server.api.inline_query(42, "governance", language="es")
        answer = await server.api.wait_for(lambda c: c.method == "answerInlineQuery", timeout=10, start=start)
        assert not answer.error and 1 <= len(answer.params["results"]) <= 50
        assert answer.params["results"][0]["reply_markup"]["inline_keyboard"][0][0]["text"] == "📲 Abrir en el bot"
        start = len(server.api.calls)
        server.api.send_text(4242, "/start programme", first_name="Nuevo", language="fr")
        reply = await server.api.wait_for(lambda c: c.method == "sendMessage", timeout=10, start=start)
        assert reply.shown.endswith("— choisissez un jour\u00a0:")
    finally:
        err = await _stop(proc)
    assert b"Traceback" not in err, err.decode()
    await server.stop()
