"""SIGKILL of the real bot process right after an organiser's Apply: the version and its change alerts go
together, so a restart finds either both or neither, and never an alert twice."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.clock import Clock
from bot.programme_updates import apply as updates
from bot.services import build_services
from bot.storage import bookmarks, users
from bot.storage import programme_versions as versions
from bot.storage.db import open_database, transaction
from bot.views import callback_data as cb
from tests.conftest import FIXTURES, make_settings
from tests.support.bot_api_server import FakeBotApiServer
from tests.support.bot_process import kill, launch, stop

ADMIN = 1
DELEGATES = range(10_000, 13_000)
JUNE_1 = datetime.fromisoformat("2024-06-01T10:00:00+02:00")
RELOAD = FIXTURES / "import" / "reload.yaml"
MOVED = ("room: iturbi,\n     speakers: [ada, grace]", "room: rodrigo,\n     speakers: [ada, grace]")


def _programme(tmp_path: Path) -> tuple[Path, bytes]:
    """PROGRAMME_PATH, and the next version of it: the panel moves to another room."""
    path = tmp_path / "programme.yaml"
    text = RELOAD.read_text(encoding="utf-8")
    assert MOVED[0] in text
    path.write_text(text, encoding="utf-8")
    return path, text.replace(*MOVED).encode()


async def _seed(tmp_path: Path, programme: Path, moved: bytes) -> int:
    """3,000 delegates following the panel, and a version moving it that waits for the organiser's Apply."""
    services = build_services(make_settings(tmp_path, programme_path=programme), clock=Clock.frozen_at(JUNE_1))
    services.db = await open_database(tmp_path / "bot.sqlite3")
    try:
        async with transaction(services.db):
            for uid in DELEGATES:
                await users.record_contact(services.db, uid, "D", "en", JUNE_1)
                await bookmarks.add_bookmark(services.db, uid, "s-panel", JUNE_1)
        prepared = await updates.prepare(services, moved, "moved.yaml", timezone=None, created_by="test")
        assert prepared.version_id is not None and prepared.followers == len(DELEGATES)
        return prepared.version_id
    finally:
        await services.database.close()


async def _state(db_path: Path, version_id: int) -> tuple[str, dict[int, int]]:
    """The version's state, and how many change alert rows each delegate has."""
    db = await open_database(db_path)
    try:
        stored = await versions.get_version(db, version_id)
        rows = await db.execute_fetchall(
            "SELECT chat_id, COUNT(*) FROM outbox WHERE kind = 'change_alert' GROUP BY chat_id"
        )
    finally:
        await db.close()
    assert stored is not None
    return stored.state, {row[0]: row[1] for row in rows}


async def _wait_applied(db_path: Path, version_id: int, timeout: float = 30.0) -> None:
    """Return the moment another connection sees the version applied: the kill lands right then."""
    db = await open_database(db_path)
    try:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            stored = await versions.get_version(db, version_id)
            if stored is not None and stored.state == versions.APPLIED:
                return
            await asyncio.sleep(0.002)
    finally:
        await db.close()
    raise AssertionError(f"version {version_id} was not applied within {timeout} s")


def _card() -> dict[str, Any]:
    return {"message_id": 1, "date": int(time.time()), "chat": {"id": ADMIN, "type": "private"}, "text": "summary"}


async def test_a_kill_right_after_apply_keeps_every_change_alert_exactly_once(tmp_path: Path) -> None:
    programme, moved = _programme(tmp_path)
    version_id = await _seed(tmp_path, programme, moved)
    db_path = tmp_path / "bot.sqlite3"
    server = await FakeBotApiServer().start()
    env = {"PROGRAMME_PATH": str(programme), "ADMIN_IDS": str(ADMIN), "BOT_CLOCK_START": JUNE_1.isoformat()}
    ready = lambda c: c.method == "deleteWebhook"  # noqa: E731 - start-up (post_init) is over by then
    try:
        proc = await launch(server, db_path, ready, env=env)
        try:
            server.api.press(ADMIN, _card(), cb.update_apply(version_id))
            await _wait_applied(db_path, version_id)
        finally:
            await kill(proc)
        state, alerts = await _state(db_path, version_id)
        assert state == versions.APPLIED
        assert len(alerts) == len(DELEGATES), f"{len(DELEGATES) - len(alerts)} alerts lost by the kill"

        proc = await launch(server, db_path, ready, env=env)
        await stop(proc)
    finally:
        await server.stop()
    state, alerts = await _state(db_path, version_id)
    assert state == versions.APPLIED
    assert set(alerts) == set(DELEGATES) and set(alerts.values()) == {1}, "each delegate's alert exactly once"
