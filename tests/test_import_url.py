"""PROGRAMME_URL against a local HTTP server on 127.0.0.1: conditional GET (304), asking organisers or applying
automatically, and a URL that times out or returns HTML (reported once, nothing changed, no alert)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.programme_updates.poll import poll
from bot.storage import bookmarks
from tests.conftest import BotHarness
from tests.test_e2e_reload import ADMIN, ALERT, PANEL_MOVED, RELOAD, alerts, bot, drained, follow


@dataclass
class FakeServer:
    """Serves one programme body with an ETag, answering If-None-Match with 304."""

    body: bytes = b""
    content_type: str = "application/yaml"
    delay: float = 0.0
    requests: list[dict[str, str]] = field(default_factory=list)
    url: str = ""

    @property
    def etag(self) -> str:
        return f'"{abs(hash(self.body))}"'

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(dict(request.headers))
        if self.delay:
            await asyncio.sleep(self.delay)
        if request.headers.get("If-None-Match") == self.etag:
            return web.Response(status=304)
        return web.Response(body=self.body, content_type=self.content_type, headers={"ETag": self.etag})


@asynccontextmanager
async def serving(server: FakeServer) -> AsyncIterator[FakeServer]:
    app = web.Application()
    app.router.add_get("/programme.yaml", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.url = f"http://127.0.0.1:{port}/programme.yaml"
    try:
        yield server
    finally:
        await runner.cleanup()


@asynccontextmanager
async def polled_bot(tmp_path: Path, server: FakeServer, **settings: Any) -> AsyncIterator[BotHarness]:
    async with serving(server), bot(tmp_path, programme_url=server.url, **settings) as (h, _path):
        await follow(h, 101, "s-panel")
        await h.say("/start", user_id=ADMIN)
        yield h


def moved() -> bytes:
    return RELOAD.read_text(encoding="utf-8").replace(*PANEL_MOVED).encode()


async def test_conditional_get_asks_the_organisers_and_then_gets_304(tmp_path: Path) -> None:
    server = FakeServer(RELOAD.read_bytes())
    async with polled_bot(tmp_path, server) as h:
        first = await poll(h.services)
        assert first is not None and first.text == "unchanged" and first.version_id is None
        assert "If-None-Match" not in server.requests[0]
        second = await poll(h.services)
        assert second is not None and second.text == "not modified"
        assert server.requests[1]["If-None-Match"] == server.etag

        server.body = moved()
        third = await poll(h.services)
        assert third is not None and third.version_id == 2 and not third.applied and third.told_organisers == 1
        await drained(h)
        (ask,) = [c for c in h.api.sent(ADMIN) if "Programme update" in c.shown]
        assert server.url in ask.shown and "🔁 Changed: 1" in ask.shown
        panel = h.services.programme.session("s-panel")
        assert panel is not None and panel.room_id == "iturbi", "not applied without the organiser"

        calls = await h.press(ask, ask.buttons[0][0]["callback_data"], user_id=ADMIN)
        assert any("Applied: programme version 2" in c.shown for c in calls)
        assert (await poll(h.services)).text == "not modified"  # type: ignore[union-attr]
        h.clock.set(h.clock.now() + timedelta(minutes=11))
        await drained(h)
        assert len(alerts(h, 101)) == 1


async def test_auto_apply_tells_delegates_and_organisers(tmp_path: Path) -> None:
    server = FakeServer(moved())
    async with polled_bot(tmp_path, server, programme_auto_apply=True) as h:
        outcome = await poll(h.services)
        assert outcome is not None and outcome.applied and outcome.text == "version 2 applied"
        panel = h.services.programme.session("s-panel")
        assert panel is not None and panel.room_id == "rodrigo"
        await drained(h)
        (told,) = [c for c in h.api.sent(ADMIN) if "Programme update" in c.shown]
        assert "Applied automatically" in told.shown and not told.buttons
        h.clock.set(h.clock.now() + timedelta(minutes=11))
        await drained(h)
        (alert,) = alerts(h, 101)
        assert "11:30 Sala Iturbi → 12:00 Sala Rodrigo" in alert.shown


async def _nothing_changed(h: BotHarness) -> None:
    panel = h.services.programme.session("s-panel")
    assert panel is not None and panel.room_id == "iturbi"
    assert await bookmarks.bookmarked_ids(h.services.database, 101) == {"s-panel"}
    async with h.services.database.execute("SELECT COUNT(*) FROM outbox WHERE kind = 'change_alert'") as cur:
        assert (await cur.fetchone())[0] == 0  # type: ignore[index]
    assert not [c for c in h.api.sent(101) if ALERT in c.text]


async def test_a_url_that_times_out_is_reported_once_and_changes_nothing(tmp_path: Path) -> None:
    server = FakeServer(moved(), delay=1.0)
    async with polled_bot(tmp_path, server, programme_fetch_timeout=0.2) as h:
        outcome = await poll(h.services)
        assert outcome is not None and outcome.text == f"error: {server.url}: not read within 0.2 s"
        assert outcome.told_organisers == 1
        again = await poll(h.services)
        assert again is not None and again.told_organisers == 0, "the same problem is reported once"
        await drained(h)
        (told,) = [c for c in h.api.sent(ADMIN) if "not updated" in c.shown]
        assert "not read within 0.2 s" in told.shown
        await _nothing_changed(h)


async def test_a_url_that_returns_html_is_refused(tmp_path: Path) -> None:
    server = FakeServer(b"<!DOCTYPE html><html><body>Log in</body></html>", content_type="text/html")
    async with polled_bot(tmp_path, server) as h:
        outcome = await poll(h.services)
        assert outcome is not None and "returned a web page (HTML), not a programme file" in outcome.text
        (reply,) = [c for c in await h.say("/reload", user_id=ADMIN) if c.method == "sendMessage"]
        assert "returned a web page (HTML)" in reply.shown and "The programme in force" in reply.shown
        await _nothing_changed(h)


async def test_a_broken_file_at_the_url_is_refused(tmp_path: Path) -> None:
    server = FakeServer(moved()[:300])
    async with polled_bot(tmp_path, server) as h:
        outcome = await poll(h.services)
        assert outcome is not None and outcome.text.startswith("error: ") and server.url in outcome.text
        await _nothing_changed(h)


def one_session() -> bytes:
    """The feed as a half-published export: the same conference with only its first session."""
    text = RELOAD.read_text(encoding="utf-8")
    head, _, rest = text.partition("sessions:\n")
    return (head + "sessions:\n" + rest.splitlines(keepends=True)[0]).encode()


async def test_auto_apply_still_asks_before_a_feed_removes_most_sessions(tmp_path: Path) -> None:
    server = FakeServer(one_session())
    async with polled_bot(tmp_path, server, programme_auto_apply=True) as h:
        outcome = await poll(h.services)
        assert outcome is not None and not outcome.applied and outcome.version_id is not None
        assert outcome.text == f"version {outcome.version_id} waits for an organiser"
        assert len(h.services.programme.sessions) == 6, "5 of 6 sessions removed without a confirmation"
        await drained(h)
        (ask,) = [c for c in h.api.sent(ADMIN) if "Programme update" in c.shown]
        assert "Removed: 5" in ask.shown and "5 of the 6 sessions" in ask.shown
        assert "Not applied automatically" in ask.shown and ask.button_labels == ["✅ Apply", "✖ Discard"]
        await _nothing_changed(h)
        again = await poll(h.services)
        assert again is not None and again.told_organisers == 0, "asked once"


async def test_auto_apply_still_asks_before_a_feed_of_another_conference_replaces_this_one(tmp_path: Path) -> None:
    other = RELOAD.read_text(encoding="utf-8").replace("name: Reload Summit", "name: Another Summit", 1)
    server = FakeServer(other.replace(*PANEL_MOVED).encode())
    async with polled_bot(tmp_path, server, programme_auto_apply=True) as h:
        outcome = await poll(h.services)
        assert outcome is not None and not outcome.applied and outcome.version_id is not None
        assert h.services.programme.name == "Reload Summit"
        await drained(h)
        (ask,) = [c for c in h.api.sent(ADMIN) if "Programme update" in c.shown]
        assert "This is a different conference: “Another Summit”" in ask.shown
        assert "Not applied automatically: it is a different conference. The programme in force stays." in ask.shown
        await _nothing_changed(h)


async def test_each_distinct_problem_is_reported_once_and_so_is_the_recovery(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Before: a file deep enough to exhaust the parser's recursion escaped as RecursionError, a traceback at every
    poll, and the organisers never heard of it."""
    deep = b"conference:\n  name: " + b"[" * 50_000 + b"]" * 50_000 + b"\nsessions: []\n"
    server = FakeServer(deep)
    async with polled_bot(tmp_path, server) as h:
        told = []
        for body, content_type in [
            (deep, "application/yaml"),  # a problem
            (deep, "application/yaml"),  # the same: 304, nothing new
            (b"conference: [", "application/yaml"),  # another problem
            (b"<html><body>Log in</body></html>", "text/html"),  # another, found before the body is read
            (b"<html><body>Log in</body></html>", "text/html"),  # the same again, read afresh
            (RELOAD.read_bytes(), "application/yaml"),  # readable again: the programme in force
            (RELOAD.read_bytes(), "application/yaml"),  # nothing new
        ]:
            server.body, server.content_type = body, content_type
            outcome = await poll(h.services)
            assert outcome is not None
            told.append(outcome.told_organisers)
        assert told == [1, 0, 1, 1, 0, 1, 0]
        await drained(h)
        messages = [c.shown for c in h.api.sent(ADMIN) if "not updated" in c.shown or "can be read again" in c.shown]
        assert len(messages) == 4
        assert "line 2, column" in messages[0] and "nested too deeply" in messages[0]
        assert "YAML syntax error" in messages[1]
        assert "returned a web page (HTML)" in messages[2]
        assert messages[3] == f"✅ {server.url} can be read again. It holds the programme in force: nothing changed."
        await _nothing_changed(h)
    assert "Traceback" not in caplog.text
