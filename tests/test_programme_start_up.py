"""Which programme is in force at start-up: the newest applied version, or PROGRAMME_PATH when it changed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bot.programme_updates import apply as updates
from bot.storage import bookmarks, users
from bot.storage import programme_versions as versions
from bot.storage.db import open_database
from tests.conftest import BUNDLED, FIXTURES, make_harness
from tests.support.bot_api_server import FakeBotApiServer
from tests.support.bot_process import launch, stop
from tests.test_e2e_reload import drained

BEFORE = datetime.fromisoformat("2024-06-20T10:00:00+02:00")


async def _change_alerts(h: object) -> list[str]:
    db = h.services.database  # type: ignore[attr-defined]
    async with db.execute("SELECT chat_id FROM outbox WHERE kind = 'change_alert'") as cur:
        return [row[0] for row in await cur.fetchall()]


async def test_an_edited_programme_file_is_applied_at_restart_and_followers_are_told(tmp_path: Path) -> None:
    edited = tmp_path / "programme.yaml"
    edited.write_text(BUNDLED.read_text())
    async with make_harness(tmp_path, programme_path=edited, now=BEFORE) as h:
        await users.record_contact(h.services.database, 42, "Ana", "en", BEFORE)
        await bookmarks.add_bookmark(h.services.database, 42, "cmc24-d2-governance-panel", BEFORE)
        await h.say("/start")
    # The organiser moves the panel by half an hour and restarts the bot.
    edited.write_text(
        BUNDLED.read_text()
        .replace('start: "2024-06-26T11:30"', 'start: "2024-06-26T12:00"')
        .replace('end: "2024-06-26T12:30"\n    room: iturbi', 'end: "2024-06-26T13:00"\n    room: iturbi')
    )
    async with make_harness(tmp_path, programme_path=edited, now=BEFORE) as h:
        panel = h.services.programme.session("cmc24-d2-governance-panel")
        assert panel is not None
        assert h.services.programme.local(panel.start).strftime("%H:%M") == "12:00"
        assert await _change_alerts(h) == [42]
    # Restarting again with the same file changes nothing and tells nobody twice.
    async with make_harness(tmp_path, programme_path=edited, now=BEFORE) as h:
        assert await _change_alerts(h) == [42]


async def test_an_unchanged_file_does_not_override_a_newer_imported_version(tmp_path: Path) -> None:
    from bot.programme.loader import load_programme
    from bot.programme_updates.apply import apply, compare

    async with make_harness(tmp_path, now=BEFORE) as h:
        newer = replace(
            load_programme(BUNDLED),
            sessions=tuple(s for s in load_programme(BUNDLED).sessions if s.id != "cmc24-d1-lunch"),
        )
        prepared = await compare(h.services, newer, created_by="test: command line")
        assert prepared.version_id is not None
        await apply(h.services, prepared.version_id)
    async with make_harness(tmp_path, now=BEFORE) as h:
        assert h.services.programme.session("cmc24-d1-lunch") is None  # the imported version stays in force


async def test_pointing_programme_path_at_another_conference_switches_to_it_once_confirmed_twice(
    tmp_path: Path,
) -> None:
    async with make_harness(tmp_path, now=BEFORE, admin_ids=frozenset({ADMIN})) as h:
        await h.say("/start")
    other = FIXTURES / "import" / "reload.yaml"
    async with make_harness(tmp_path, programme_path=other, now=BEFORE, admin_ids=frozenset({ADMIN})) as h:
        assert h.services.programme.name == "Cities Mission Conference 2024", "another conference: ask first"
        await drained(h)
        (ask,) = [c for c in h.api.sent(ADMIN) if "Programme update" in c.shown]
        assert "This is a different conference: “Reload Summit”" in ask.shown
        assert "not “Cities Mission Conference 2024” (" in ask.shown
        assert "Not applied automatically: it is a different conference." in ask.shown
        calls = await h.press(ask, ask.buttons[0][0]["callback_data"], user_id=ADMIN)
        (confirm,) = [c for c in calls if "Replace the conference in force?" in c.shown]
        assert h.services.programme.name == "Cities Mission Conference 2024", "Apply alone replaces nothing"
        labels = [b["text"] for row in confirm.params["reply_markup"]["inline_keyboard"] for b in row]
        assert labels == ["⚠️ Replace the conference", "✖ Discard"]
        replace = confirm.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        calls = await h.press(ask, replace, user_id=ADMIN)
        assert any("Applied: programme version 2" in c.shown for c in calls)
        assert h.services.programme.name == "Reload Summit"
        (reply,) = [c for c in await h.say("/start") if c.method == "sendMessage"]
        assert "Reload Summit" in reply.shown


# --- hostile files at PROGRAMME_PATH (issue #12, item 6) -------------------------------------------------------
ADMIN = 1
DELEGATE = 42


def programme_yaml(sessions: int) -> str:
    """A generated programme: `sessions` one-hour sessions over two days and three rooms, one line each."""
    lines = [
        "conference: {name: Cut Conference, timezone: Europe/Madrid, days: [2024-06-25, 2024-06-26]}",
        "venue: {name: Hall}",
        "rooms: [{id: r0, name: Room 0}, {id: r1, name: Room 1}, {id: r2, name: Room 2}]",
        "sessions:",
    ]
    for i in range(sessions):
        day, slot = 25 + i // 15, i % 15
        start = f"2024-06-{day}T{9 + slot // 3:02d}:00"
        end = f"2024-06-{day}T{10 + slot // 3:02d}:00"
        lines.append(f'  - {{id: s{i:02d}, title: Talk {i:02d}, start: "{start}", end: "{end}", room: r{slot % 3}}}')
    return "\n".join(lines) + "\n"


def cut_after_session(text: str, kept: int) -> str:
    """The file as a copy interrupted at the end of a line: it still parses, with only `kept` sessions."""
    head, _, rest = text.partition("sessions:\n")
    return head + "sessions:\n" + "".join(rest.splitlines(keepends=True)[:kept])


def cut_mid_line(text: str) -> str:
    """The file as a copy interrupted in the middle of a line: it no longer parses."""
    return text[: text.index("Talk 09") + 3]


async def _organiser_messages(h: object) -> list[str]:
    db = h.services.database  # type: ignore[attr-defined]
    rows = await db.execute_fetchall(
        "SELECT payload FROM outbox WHERE kind = 'programme_update' AND chat_id = ? ORDER BY created_at", (ADMIN,)
    )
    return [json.loads(row[0])["text"] for row in rows]


async def test_a_truncated_file_waits_for_an_organiser_and_is_asked_about_once(tmp_path: Path) -> None:
    path = tmp_path / "programme.yaml"
    full = programme_yaml(25)
    path.write_text(full)
    settings = {"programme_path": path, "now": BEFORE, "admin_ids": frozenset({ADMIN})}
    async with make_harness(tmp_path, **settings) as h:
        await users.record_contact(h.services.database, DELEGATE, "Ana", "en", BEFORE)
        await bookmarks.add_bookmark(h.services.database, DELEGATE, "s20", BEFORE)
    path.write_text(cut_after_session(full, 7))
    async with make_harness(tmp_path, **settings) as h:
        assert len(h.services.programme.sessions) == 25, "18 of 25 sessions removed without a confirmation"
        assert await _change_alerts(h) == []
        (asked,) = await _organiser_messages(h)
        assert "Removed: 18" in asked and "18 of the 25 sessions" in asked and "Not applied automatically" in asked
        await drained(h)
        (ask,) = [c for c in h.api.sent(ADMIN) if "Programme update" in c.shown]
        assert ask.button_labels == ["✅ Apply", "✖ Discard"]
        version = updates.version_of(h.services.programme)
    async with make_harness(tmp_path, **settings) as h:
        assert updates.version_of(h.services.programme) == version
        assert len(await _organiser_messages(h)) == 1, "the same file is not asked about at every restart"
        await drained(h)
        assert not [c for c in h.api.sent(ADMIN) if "Programme update" in c.shown]


async def test_a_file_that_no_longer_parses_keeps_the_stored_version_and_tells_the_organisers_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "programme.yaml"
    full = programme_yaml(25)
    path.write_text(full)
    async with make_harness(tmp_path, programme_path=path, now=BEFORE) as h:
        await h.say("/start", user_id=DELEGATE)  # the good version is stored at this first start
    path.write_text(cut_mid_line(full))
    db_path = tmp_path / "bot.sqlite3"
    server = await FakeBotApiServer().start()
    env = {"PROGRAMME_PATH": str(path), "ADMIN_IDS": str(ADMIN), "BOT_CLOCK_START": BEFORE.isoformat()}
    ready = lambda c: c.method == "deleteWebhook"  # noqa: E731 - start-up (post_init) is over by then
    try:
        proc = await launch(server, db_path, ready, env=env, timeout=20)
        try:
            told = await server.api.wait_for(lambda c: c.chat_id == ADMIN and "not updated" in c.shown, timeout=10)
            assert str(path) in told.shown and "The programme in force and all bookmarks are unchanged" in told.shown
            start = len(server.api.calls)
            server.api.send_text(DELEGATE, "/programme")
            reply = await server.api.wait_for(lambda c: c.chat_id == DELEGATE, timeout=10, start=start)
            labels = ["Tue 25 June · 15 sessions", "Wed 26 June · 10 sessions"]
            assert reply.button_labels[:2] == labels, "the stored version, all 25 sessions, is served"
        finally:
            await stop(proc)
        proc = await launch(server, db_path, ready, env=env, timeout=20)
        await stop(proc)
    finally:
        await server.stop()
    db = await open_database(db_path)
    try:
        rows = await db.execute_fetchall("SELECT COUNT(*) FROM outbox WHERE kind = 'programme_update'")
        stored = await versions.latest_applied(db)
    finally:
        await db.close()
    assert rows[0][0] == 1, "the same broken file is reported once, not at every restart"
    assert stored is not None and stored.id == 1 and stored.sessions == 25
