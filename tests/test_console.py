"""The local console with piped input, as `python -m bot console` runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run_bot(tmp_path: Path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as a user runs it: no token, its own database, `env` on top."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment.update({"DATABASE_PATH": str(tmp_path / "c.sqlite3"), "PYTHONPATH": str(ROOT), **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        cwd=tmp_path,
    )


def test_console_with_piped_input(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path, "console", stdin="/start\n1\n2\n/now\nwhat?\n", BOT_CLOCK_START="2024-06-26T11:40:00+02:00"
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "you> /start" in out and "Hello Console!" in out
    assert "[1] 📅 Programme" in out
    assert "bot (edited)> Cities Mission Conference 2024 — choose a day:" in out
    assert "Wednesday 26 June 2024" in out  # pressed 2
    assert "On now" in out and "11:30–12:30" in out
    assert "/help" in out
    assert "Traceback" not in result.stderr


def test_console_numbers_the_buttons_of_recent_messages_and_shows_button_edits(tmp_path: Path) -> None:
    # Programme → Wednesday → a track → its session's card → ☆, all in one message; then /venue, and the card's
    # "Back" is 5 (6 is its Share).
    stdin = "/start\n1\n2\n3\n1\n1\n/venue\n5\n"
    result = run_bot(tmp_path, "console", stdin=stdin, BOT_CLOCK_START="2024-06-20T10:00:00+02:00")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "You are user 1, a delegate. To try it as an organiser" in out
    assert "start it with ADMIN_IDS=1, e.g. `ADMIN_IDS=1 make run`." in out
    assert "bot (edited)> 🏷 Multi-level governance · Wed 26 June · 1 session" in out
    assert "bot (buttons changed)> Valencia Cities Climate Week: Leveraging multi-level governance" in out
    assert "    [1] ★ In my agenda · remove\n    [2] 📍 Sala José Iturbi   [3] 🏷 Multi-level governance\n" in out
    assert "    [7] 🗺 Open the map\n\nyou> 5\n\nbot (edited)> Wednesday 26 June 2024 · page 1 of 2" in out


def test_console_as_an_organiser_saves_files_and_keeps_log_lines_out_of_the_chat(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "console", stdin="/start\n/stats\n", ADMIN_IDS="1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    files = tmp_path / "console-files"
    assert "You are user 1, an organiser (ADMIN_IDS): /broadcast, /scheduled, /stats, /reload work." in out
    assert f"Files the bot sends (calendar, CSV, chart) are saved in {files}." in out
    assert f"Log lines go to {tmp_path / 'console.log'}." in out
    assert f"bot (file)> [demand.csv, saved as {files / 'demand.csv'}]" in out
    assert f"bot (photo)> [demand.png, saved as {files / 'demand.png'}]" in out
    assert (files / "demand.csv").read_text(encoding="utf-8-sig").startswith("session_id,title,")
    assert (files / "demand.png").read_bytes().startswith(b"\x89PNG")
    # The real clock is long after the bundled conference: the run-up plan's expired entries are logged, in the file.
    assert "WARNING" in (tmp_path / "console.log").read_text(encoding="utf-8")
    assert "WARNING" not in out and "WARNING" not in result.stderr


def test_another_conference_at_programme_path_does_not_take_over_and_the_console_says_why(tmp_path: Path) -> None:
    first = run_bot(tmp_path, "console", stdin="/start\n")
    assert first.returncode == 0, first.stderr
    other = ROOT / "tests" / "fixtures" / "import" / "reload.yaml"  # Reload Summit, on the same days
    result = run_bot(tmp_path, "console", stdin="/start\n", PROGRAMME_PATH=str(other))
    assert result.returncode == 0, result.stderr
    assert f"not PROGRAMME_PATH ({other}): see {tmp_path / 'console.log'}." in result.stdout
    assert "To try another programme, give it its own DATABASE_PATH." in result.stdout
    assert "Hello Console! I am the companion bot of Cities Mission Conference 2024." in result.stdout
    log = (tmp_path / "console.log").read_text(encoding="utf-8")
    assert "holds another conference ('Reload Summit') than the one in force" in log


def test_run_without_token_explains_botfather_and_opens_the_console(tmp_path: Path) -> None:
    result = run_bot(tmp_path, stdin="/venue\n")
    assert result.returncode == 0, result.stderr
    assert "@BotFather" in result.stderr
    assert "Albereda" in result.stdout


def test_check_command_summarises_or_lists_errors(tmp_path: Path) -> None:
    ok = run_bot(tmp_path, "check", str(ROOT / "data" / "programme.yaml"))
    assert ok.returncode == 0, ok.stderr
    assert "days: 2" in ok.stdout and "sessions: 25" in ok.stdout and "Wed 26 Jun 2024: 10 sessions" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "tests" / "fixtures" / "mini.yaml").read_text().replace("room: b", "room: q"))
    fail = run_bot(tmp_path, "check", str(bad))
    assert fail.returncode == 1
    assert "unknown room 'q'" in fail.stdout and f"1 problem in {bad}:" in fail.stdout  # a count in words


def test_bot_refuses_to_start_on_an_invalid_programme(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("conference: {name: x}\n")
    result = run_bot(tmp_path, "console", PROGRAMME_PATH=str(bad))
    assert result.returncode != 0
    assert "is invalid and the database holds no earlier version, so the bot will not start" in result.stderr
    assert "conference.timezone: required field is missing" in result.stderr


def test_console_on_a_fresh_checkout_creates_the_folder_of_its_database(tmp_path: Path) -> None:
    """Before: `make run` on a fresh clone stopped with FileNotFoundError: var/, where the log goes, did not exist."""
    fresh = tmp_path / "var"
    result = run_bot(tmp_path, "console", stdin="/start\n", DATABASE_PATH=str(fresh / "bot.sqlite3"))
    assert result.returncode == 0, result.stderr
    assert "Hello Console!" in result.stdout and (fresh / "console.log").exists()
