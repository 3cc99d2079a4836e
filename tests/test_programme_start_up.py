"""Which programme is in force at start-up: the newest applied version, or PROGRAMME_PATH when it changed."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bot.storage import bookmarks, users
from tests.conftest import BUNDLED, make_harness, shared_schedule

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


async def test_pointing_programme_path_at_another_programme_switches_to_it(tmp_path: Path) -> None:
    camp = shared_schedule("camp2019-frab.json")
    async with make_harness(tmp_path, now=BEFORE) as h:
        await h.say("/start")
    async with make_harness(tmp_path, programme_path=camp, now=BEFORE) as h:
        assert h.services.programme.name == "Chaos Communication Camp 2019"
        (reply,) = [c for c in await h.say("/start") if c.method == "sendMessage"]
        assert "Chaos Communication Camp 2019" in reply.shown
