"""`python -m bot broadcast`: queued for the running bot, delivered by itself when none runs, bad input refused."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import broadcast as lifecycle
from bot import cli
from bot.audience import ALL, Audience
from bot.clock import Clock
from bot.runtime.lifecycle import running
from bot.services import build_services
from bot.storage import broadcasts, users
from bot.storage.audit import entries as audit_entries
from bot.storage.db import open_database
from handlers.application import build_application
from tests.conftest import BUNDLED, make_settings
from tests.support.bot_api_server import FakeBotApiServer
from tests.support.organisers import organiser_harness


def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **extra: str) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "bot.sqlite3"))
    monkeypatch.setenv("PROGRAMME_PATH", str(BUNDLED))
    monkeypatch.setenv("BOT_CLOCK_START", "2024-06-20T10:00:00+02:00")
    for key, value in extra.items():
        monkeypatch.setenv(key, value)


async def run_cli(*args: str) -> int:
    # The command runs its own event loop, as from a shell; a thread keeps it apart from the test's loop.
    return await asyncio.to_thread(cli.main, ["broadcast", *args])


async def test_cli_queues_and_the_running_bot_delivers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path)
    async with organiser_harness(tmp_path, now=datetime.fromisoformat("2024-06-20T10:00:00+02:00")) as h:
        for uid in (11, 12):
            await h.say("/start", user_id=uid)
        await h.settle()  # the bot's outbox sender has taken the outbox lease: only its holder sends
        assert await run_cli("--text", "<b>Bus</b> at 18:00 from the main entrance", "--audience", "all") == 0
        printed = capsys.readouterr().out
        assert "Queued broadcast #1. Everyone: 2 messages." in printed
        assert "The running bot" in printed and "is sending them" in printed
        # The harness clock is frozen; the command line's ran on for a moment: let the bot's catch up.
        h.clock.set(h.clock.now() + timedelta(minutes=1))
        for uid in (11, 12):
            await h.api.wait_for(lambda c, uid=uid: c.chat_id == uid and "Bus at 18:00" in c.shown, timeout=10)
        audit = await audit_entries(h.services.database)
        assert [(a.organiser_id, a.action, a.count) for a in audit if a.action == "broadcast.send"] == [
            (0, "broadcast.send", 2)
        ]


async def test_cli_delivers_itself_when_no_bot_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    server = await FakeBotApiServer().start()
    _env(monkeypatch, tmp_path, TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN", TELEGRAM_API_BASE_URL=server.base_url)
    db = await open_database(tmp_path / "bot.sqlite3")
    for uid, language in ((11, "en"), (12, "es"), (13, "es")):
        await users.record_contact(db, uid, "D", language, datetime(2024, 6, 1, tzinfo=UTC))
    await db.close()
    try:
        assert await run_cli("--text", "Hola", "--audience", "lang:es") == 0
    finally:
        await server.stop()
    printed = capsys.readouterr().out
    assert "No bot is running on this database: delivering now." in printed
    assert "Done: 2 sent, 0 failed, 0 blocked, 0 not sent." in printed
    assert sorted(c.chat_id for c in server.api.sent() if c.shown == "Hola") == [12, 13]


async def test_cli_without_a_token_or_a_bot_queues_and_says_nothing_can_deliver_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    db = await open_database(tmp_path / "bot.sqlite3")
    for uid, language in ((11, "en"), (12, "es")):
        await users.record_contact(db, uid, "D", language, datetime(2024, 6, 1, tzinfo=UTC))
    await db.close()
    assert await run_cli("--text", "Hola", "--audience", "lang:es") == 3
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "Queued broadcast #1. People whose language is Spanish: 1 message.",
        "No bot is running on this database and TELEGRAM_BOT_TOKEN is not set, so nothing can deliver it now.",
        f"It waits in the outbox until a bot with a token runs on this database ({tmp_path / 'bot.sqlite3'}).",
    ]
    assert "Traceback" not in captured.err
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        queued = await broadcasts.get(db, 1)
        delivery = await broadcasts.delivery(db, queued.batch if queued else "")
    finally:
        await db.close()
    assert queued is not None and queued.state == "sending"
    assert (delivery.total, delivery.remaining) == (1, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--text", "  "], "The text is empty: nothing to broadcast."),
        (["--text", "x" * 5000], "The text is 5000 characters; Telegram allows 4096."),
        (["--text", "hi", "--audience", "session:nope"], "Audience: no session with id 'nope'"),
        (["--text", "hi", "--audience", "everybody"], "Audience: unknown audience 'everybody'"),
        (["--text", "hi", "--at", "2024-06-19T09:00"], "--at: 2024-06-19T09:00:00+02:00 has already passed"),
        (
            ["--text", "hi", "--audience", "lang:it"],
            "People whose language is Italian: no one matches this audience, so nothing was queued.",
        ),
    ],
)
async def test_cli_bad_input_is_refused_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    _env(monkeypatch, tmp_path)
    assert await run_cli(*args) != 0
    assert message in capsys.readouterr().out


async def test_cli_schedules_for_the_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _env(monkeypatch, tmp_path)
    db = await open_database(tmp_path / "bot.sqlite3")
    await users.record_contact(db, 11, "D", "en", datetime(2024, 6, 1, tzinfo=UTC))
    await db.close()
    assert await run_cli("--text", "Later", "--at", "2024-06-24 18:00") == 0
    printed = capsys.readouterr().out
    assert "Scheduled broadcast #1 for 2024-06-24T18:00:00+02:00. Everyone: 1 person now" in printed
    assert "No bot is running on this database now: a bot with a token must run on it (" in printed
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        b = await broadcasts.get(db, 1)
    finally:
        await db.close()
    assert b is not None and b.state == "scheduled" and b.organiser_id == 0


async def test_the_command_line_and_the_bot_send_the_same_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A link in the text: a bot object built without the Defaults would send it with a preview.
    text = "<b>Buses</b> leave at 18:00, map: https://example.org/buses"

    async def seed(path: Path) -> None:
        db = await open_database(path)
        for uid in (11, 12):
            await users.record_contact(db, uid, "D", "en", datetime(2024, 6, 1, tzinfo=UTC))
        await db.close()

    def sent(server: FakeBotApiServer) -> list[str]:
        return sorted(json.dumps(p, sort_keys=True) for method, p in server.requests if method == "sendMessage")

    # The command line, with no bot running: it delivers by itself.
    cli_server = await FakeBotApiServer().start()
    _env(monkeypatch, tmp_path, TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN", TELEGRAM_API_BASE_URL=cli_server.base_url)
    await seed(tmp_path / "bot.sqlite3")
    try:
        assert await run_cli("--text", text, "--audience", "all") == 0
    finally:
        await cli_server.stop()
    assert "Done: 2 sent" in capsys.readouterr().out

    # The running bot, on a database of its own, sending the same broadcast from its outbox.
    bot_server = await FakeBotApiServer().start()
    settings = make_settings(tmp_path / "bot", token="123456:TEST-TOKEN", telegram_api_base_url=bot_server.base_url)
    await seed(settings.database_path)
    services = build_services(settings, clock=Clock.frozen_at(datetime.fromisoformat("2024-06-20T10:00:00+02:00")))
    app = build_application(services)
    try:
        async with running(app, poll=False):
            draft = await lifecycle.create_draft(services, 7, text, audience=(Audience(ALL), 2))
            assert await lifecycle.send_now(services, draft, 7) == lifecycle.Sent(2)
            app.bot_data["outbox"].wake()
            await bot_server.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 11, timeout=10)
            await bot_server.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 12, timeout=10)
    finally:
        await bot_server.stop()

    assert len(sent(cli_server)) == 2
    assert sent(bot_server) == sent(cli_server)
    assert all('"link_preview_options": {"is_disabled": true}' in request for request in sent(cli_server))
