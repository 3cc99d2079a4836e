"""The bot's web server on 127.0.0.1 (a free port): webhook, live calendar feeds, /healthz and /metrics.

The real Application runs on a local Bot API (the harness); the web server is the one the process serves.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from icalendar import Calendar
from prometheus_client.parser import text_string_to_metric_families

from bot.cli import main
from bot.programme_updates import apply as updates
from bot.runtime.web import SECRET_HEADER, Webhook, WebServer, web_app
from bot.storage import bookmarks, outbox
from bot.storage.reminders import REMINDER
from bot.views import callback_data as cb
from bot.views import settings as views
from tests.conftest import FIXTURES, BotHarness, make_harness
from tests.support.outbox import message

SECRET = "s3cret-for-tests"
RELOAD = FIXTURES / "import" / "reload.yaml"
PANEL_MOVED = (
    'start: "2024-06-26T11:30", end: "2024-06-26T12:30", room: iturbi',
    'start: "2024-06-26T12:00", end: "2024-06-26T13:00", room: rodrigo',
)
WORKSHOP_CANCELLED = ("title: Data workshop,", "title: Data workshop, status: cancelled,")


@asynccontextmanager
async def served(tmp_path: Path, **settings: Any) -> AsyncIterator[tuple[BotHarness, str, aiohttp.ClientSession]]:
    """The bot (on a copy of the reload fixture) and its web server with a webhook at /hook, and a client."""
    path = tmp_path / "programme.yaml"
    shutil.copy(RELOAD, path)
    settings.setdefault("public_url", "http://127.0.0.1:1")
    async with make_harness(tmp_path, programme_path=path, **settings) as h:
        server = WebServer(web_app(h.app, h.services, Webhook("/hook", SECRET, 4096)), "127.0.0.1", 0)
        port = await server.start()
        try:
            async with aiohttp.ClientSession() as http:
                yield h, f"http://127.0.0.1:{port}", http
        finally:
            await server.stop()


def _update(update_id: int, text: str, user_id: int = 7) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "text": text,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "W"},
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}] if text[0] == "/" else [],
        },
    }


async def test_the_webhook_answers_updates_with_the_secret_and_refuses_all_others(tmp_path: Path) -> None:
    async with served(tmp_path) as (h, base, http):
        hook = f"{base}/hook"
        for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET[:-1]}):
            async with http.post(hook, json=_update(1, "/venue"), headers=headers) as answer:
                assert answer.status == 403
        async with http.post(hook, data=b"x" * 5000, headers={SECRET_HEADER: SECRET}) as answer:
            assert answer.status == 413  # larger than the limit: not even parsed
        async with http.post(hook, data=b"{not json", headers={SECRET_HEADER: SECRET}) as answer:
            assert answer.status == 400
        await asyncio.sleep(0.3)  # time enough to answer a forged update, were it taken
        assert not [c for c in h.api.calls if c.method == "sendMessage"]
        start = len(h.api.calls)
        async with http.post(hook, json=_update(2, "/venue"), headers={SECRET_HEADER: SECRET}) as answer:
            assert answer.status == 200
        reply = await h.api.wait_for(lambda c: c.method == "sendMessage", timeout=5, start=start)
        assert reply.chat_id == 7 and "Test Palace" in reply.shown


def _feed_link(calls: list[Any]) -> tuple[str, str]:
    """The webcal link in the message the bot sent, and its "Add to calendar" button's URL."""
    message = next(c for c in calls if c.method == "sendMessage" and "webcal://" in (c.text or ""))
    webcal = re.search(r"webcal://\S+?\.ics", message.text).group(0)
    (url,) = [b["url"] for row in message.buttons for b in row if b.get("url")]
    return webcal, url


def _events(body: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(body)
    return {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


async def test_a_delegates_feed_follows_bookmarks_and_programme_changes_until_revoked(tmp_path: Path) -> None:
    async with served(tmp_path) as (h, base, http):
        db, now = h.services.database, h.clock.now()
        await h.say("/start")
        for session_id in ("s-panel", "s-work", "s-open"):
            await bookmarks.add_bookmark(db, 42, session_id, now)
        calls = await h.say("/settings")
        card = next(c for c in calls if c.method == "sendMessage")
        assert "Live calendar feed: off" in card.text
        webcal, url = _feed_link(await h.press(card, cb.setting(views.FEED, 1)))
        assert webcal == "webcal://" + url.split("://", 1)[1]
        local = base + url.split("127.0.0.1:1", 1)[1]  # PUBLIC_URL is the proxy's address; this is the server

        async with http.get(local) as answer:
            assert answer.status == 200 and answer.content_type == "text/calendar"
            etag, modified, body = answer.headers["ETag"], answer.headers["Last-Modified"], await answer.read()
        events = _events(body)
        assert set(events) == {"s-panel", "s-work", "s-open"}
        panel = events["s-panel"]
        assert panel["dtstart"].dt.hour == 11 and panel["dtstart"].dt.minute == 30
        (alarm,) = panel.walk("VALARM")
        assert alarm["trigger"].dt == -timedelta(minutes=10)  # the delegate's reminder lead
        async with http.get(local, headers={"If-None-Match": etag}) as answer:
            assert answer.status == 304
        async with http.get(local, headers={"If-Modified-Since": modified}) as answer:
            assert answer.status == 304

        path = tmp_path / "programme.yaml"
        text = path.read_text(encoding="utf-8")
        for old, new in (PANEL_MOVED, WORKSHOP_CANCELLED):
            text = text.replace(old, new)
        text = re.sub(r"\n  - \{id: s-open,[^\n]*", "", text)  # the opening is removed
        prepared = await updates.prepare(h.services, text.encode(), "programme.yaml", timezone=None, created_by="t")
        assert prepared.version_id is not None
        await updates.apply(h.services, prepared.version_id)

        async with http.get(local, headers={"If-None-Match": etag}) as answer:
            assert answer.status == 200
            assert answer.headers["ETag"] != etag
            events = _events(await answer.read())
        assert set(events) == {"s-panel", "s-work"}  # the removed session disappears
        assert events["s-panel"]["dtstart"].dt.hour == 12  # the moved one moves, same UID, newer SEQUENCE
        assert events["s-panel"]["sequence"] > panel["sequence"]
        assert str(events["s-work"]["status"]) == "CANCELLED"

        await h.press(h.last_message(), cb.setting(views.FEED, 0))
        async with http.get(local) as answer:
            assert answer.status == 404  # revoked
        async with http.get(f"{base}/cal/{'A' * 32}.ics") as answer:
            assert answer.status == 404  # never issued
        async with http.get(f"{base}/cal/programme.ics") as answer:
            assert answer.status == 200
            assert "s-close" in _events(await answer.read())  # the whole programme, for anyone


async def test_settings_say_feeds_are_unavailable_without_a_public_address(tmp_path: Path) -> None:
    async with make_harness(tmp_path) as h:
        calls = await h.say("/settings")
        card = next(c for c in calls if c.method == "sendMessage")
        assert "Live calendar feed: not available" in card.text
        feed_buttons = cb.setting(views.FEED, "")
        assert not any(b.get("callback_data", "").startswith(feed_buttons) for row in card.buttons for b in row)


async def test_healthz_reports_the_database_and_goes_503_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with served(tmp_path) as (h, base, http):
        async with http.get(f"{base}/healthz") as answer:
            report = await answer.json()
            assert answer.status == 200, report
        assert report["database"] == "ok" and report["outbox_backlog"] == 0
        await h.say("/start")
        monkeypatch.setenv("HTTP_PORT", base.rsplit(":", 1)[1])
        assert await asyncio.to_thread(main, ["healthcheck"]) == 0  # the container's HEALTHCHECK
        db = h.services.db
        h.services.db = None  # as after the database failed to open
        try:
            async with http.get(f"{base}/healthz") as answer:
                assert answer.status == 503
                assert (await answer.json())["status"] == "unavailable"
            assert await asyncio.to_thread(main, ["healthcheck"]) == 1
        finally:
            h.services.db = db


async def test_metrics_parse_and_count_updates_replies_and_outbox_sends(tmp_path: Path) -> None:
    async with served(tmp_path) as (h, base, http):
        await h.say("/start")
        await h.say("/venue")
        now = h.clock.now()
        late = message("reminder:late", 42, now - timedelta(minutes=2), deadline=now - timedelta(minutes=1))
        await outbox.enqueue(h.services.database, [replace(late, kind=REMINDER)], now)
        await h.settle(42)
        async with http.get(f"{base}/metrics") as answer:
            assert answer.status == 200
            text = await answer.text()
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert samples[("bot_updates_handled_total", ())] >= 2
    assert samples[("bot_update_seconds_count", ())] >= 2
    assert samples[("bot_replies_total", (("result", "sent"),))] >= 2
    assert samples[("bot_outbox_backlog", ())] == 0
    assert samples[("bot_outbox_sends_total", (("result", "sent"),))] >= 1
    assert samples[("bot_reminders_sent_total", ())] == 1
    assert samples[("bot_reminders_sent_late_total", ())] == 1  # after its deadline
