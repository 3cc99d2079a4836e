"""`python -m bot import`: the summary, --dry-run, refusing bad input, and a running bot picking the version up."""

from __future__ import annotations

import io
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.programme_updates import apply as updates
from bot.programme_updates.command import import_command
from bot.storage import programme_versions as versions
from bot.storage.db import open_database
from tests.conftest import make_settings
from tests.test_e2e_reload import ALERT, JUNE_1, PANEL_MOVED, RELOAD, alerts, bot, drained, follow


def _moved(tmp_path: Path) -> Path:
    path = tmp_path / "next.yaml"
    path.write_text(RELOAD.read_text(encoding="utf-8").replace(*PANEL_MOVED), encoding="utf-8")
    return path


async def _run(
    tmp_path: Path, location: str, *, dry_run: bool = False, timezone: str | None = None, now: datetime = JUNE_1
) -> tuple[int, str]:
    programme = tmp_path / "programme.yaml"
    if not programme.exists():
        shutil.copy(RELOAD, programme)
    settings = make_settings(tmp_path, programme_path=programme, bot_clock_start=now)  # the bot's rehearsal clock
    out = io.StringIO()
    code = await import_command(settings, location, timezone, dry_run, out)
    return code, out.getvalue()


async def test_dry_run_prints_the_difference_and_stores_nothing(tmp_path: Path) -> None:
    code, out = await _run(tmp_path, str(_moved(tmp_path)), dry_run=True)
    assert code == 0
    assert "native-yaml · time zone Europe/Madrid\n" in out
    assert "Governance panel: Wed 26 June 11:30 Sala Iturbi → 12:00 Sala Rodrigo (time, room)" in out
    assert out.rstrip().endswith("Dry run: nothing was applied.")
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        assert await versions.latest_applied(db) is None
        assert await versions.pending_versions(db) == []
    finally:
        await db.close()


async def test_import_applies_and_the_running_bot_follows(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, _path):
        await follow(h, 101, "s-panel")
        code, out = await _run(tmp_path, str(_moved(tmp_path)))
        assert code == 0 and "Applied: programme version 2 is now in force." in out
        assert "1 delegate will get one message" in out
        assert await updates.sync_from_database(h.services)  # the bot's programme-sync job does this
        panel = h.services.programme.session("s-panel")
        assert panel is not None and panel.room_id == "rodrigo"
        h.clock.set(h.clock.now() + timedelta(minutes=11))
        await drained(h)
        (alert,) = alerts(h, 101)  # queued by the command line, sent by the bot
        assert "11:30 Sala Iturbi → 12:00 Sala Rodrigo" in alert.shown
        code, out = await _run(tmp_path, str(_moved(tmp_path)))
        assert code == 0 and out.startswith("✅ No changes:")


async def test_the_running_bot_shows_an_imported_version_before_its_alert_goes_out(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, _path):
        await follow(h, 101, "s-panel")
        code, out = await _run(tmp_path, str(_moved(tmp_path)))
        assert code == 0 and "Applied: programme version 2 is now in force." in out
        panel = h.services.programme.session("s-panel")
        assert panel is not None and panel.room_id == "iturbi", "not picked up yet (the sync job waits 30 s)"
        # The alert falls due after the debounce; the programme-sync job has not run (its first run is at 30 s).
        start = len(h.api.calls)
        h.clock.set(h.clock.now() + timedelta(minutes=11))
        h.app.bot_data["outbox"].wake()
        await h.api.wait_for(lambda c: c.chat_id == 101 and ALERT in c.text, timeout=10, start=start)
        assert updates.version_of(h.services.programme) == 2  # put in force by the outbox sender first
        (card,) = [c for c in await h.say("/my", user_id=101) if c.method == "sendMessage"]
        assert "12:00" in card.shown and "11:30" not in card.shown


async def test_bad_input_exits_1_naming_the_problem(tmp_path: Path) -> None:
    code, out = await _run(tmp_path, str(_moved(tmp_path)), timezone="Mars/Olympus")
    assert code == 1 and "unknown time zone 'Mars/Olympus' (--timezone / EVENT_TIMEZONE)" in out
    code, out = await _run(tmp_path, str(tmp_path / "missing.xml"))
    assert code == 1 and "missing.xml: cannot read the file" in out
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<?xml version='1.0'?><schedule><conference>")
    code, out = await _run(tmp_path, str(broken))
    assert code == 1 and "broken.xml: line 1" in out and "malformed XML" in out
    assert "The programme in force and all bookmarks are unchanged" in out


def test_the_subcommand_is_wired(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(RELOAD, tmp_path / "programme.yaml")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))
    monkeypatch.setenv("PROGRAMME_PATH", str(tmp_path / "programme.yaml"))
    assert main(["import", str(_moved(tmp_path)), "--dry-run"]) == 0
    assert "Dry run: nothing was applied." in capsys.readouterr().out


def _other_conference(
    tmp_path: Path, *, name: str = "Reload Summit", year: str = "2024", days: str = "2024-06-25, 2024-06-26"
) -> Path:
    path = tmp_path / "other.yaml"
    # A session moved too: a file whose sessions are all the same changes nothing, whatever its name.
    text = _moved(tmp_path).read_text(encoding="utf-8").replace("name: Reload Summit", f"name: {name}", 1)
    text = text.replace("days: [2024-06-25, 2024-06-26]", f"days: [{days}]", 1)
    path.write_text(text.replace("2024-06-", f"{year}-06-"), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "year"),
    [
        pytest.param("Chaos Communication Camp 2019", "2024", id="another-name"),
        pytest.param("Reload Summit", "2025", id="dates-that-do-not-overlap"),
    ],
)
def test_another_conference_is_refused_unless_replace_conference(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str, year: str
) -> None:
    shutil.copy(RELOAD, tmp_path / "programme.yaml")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))
    monkeypatch.setenv("PROGRAMME_PATH", str(tmp_path / "programme.yaml"))
    other = _other_conference(tmp_path, name=name, year=year)
    assert main(["import", str(other)]) == 1
    out = capsys.readouterr().out
    assert "⚠️ This is a different conference: “" + name in out
    assert "not “Reload Summit” (25 Jun 2024 – 26 Jun 2024). Applying it replaces the whole conference." in out
    assert f"Not applied: {other} is not a new version of the conference in force." in out
    assert "run the command again with --replace-conference" in out
    assert "Applied" not in out
    assert main(["import", str(other), "--replace-conference"]) == 0
    assert "Applied: programme version 3 is now in force." in capsys.readouterr().out


def test_a_new_version_of_the_same_conference_needs_no_confirmation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(RELOAD, tmp_path / "programme.yaml")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "cli.sqlite3"))
    monkeypatch.setenv("PROGRAMME_PATH", str(tmp_path / "programme.yaml"))
    # One more day overlaps the days in force; the name differs only in spacing and case.
    renamed = _other_conference(tmp_path, name="reload  summit", days="2024-06-25, 2024-06-26, 2024-06-27")
    assert main(["import", str(renamed)]) == 0
    out = capsys.readouterr().out
    assert "different conference" not in out and "Applied: programme version 2 is now in force." in out
