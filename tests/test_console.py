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
    environment.update(DATABASE_PATH=str(tmp_path / "c.sqlite3"), PYTHONPATH=str(ROOT), **env)
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


def test_run_without_token_explains_botfather_and_opens_the_console(tmp_path: Path) -> None:
    result = run_bot(tmp_path, stdin="/venue\n")
    assert result.returncode == 0, result.stderr
    assert "@BotFather" in result.stderr
    assert "Albereda" in result.stdout


def test_check_command_summarises_or_lists_errors(tmp_path: Path) -> None:
    ok = run_bot(tmp_path, "check", str(ROOT / "data" / "programme.yaml"))
    assert ok.returncode == 0, ok.stderr
    assert "days: 2" in ok.stdout and "sessions: 25" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text((ROOT / "tests" / "fixtures" / "mini.yaml").read_text().replace("room: b", "room: q"))
    fail = run_bot(tmp_path, "check", str(bad))
    assert fail.returncode == 1
    assert "unknown room 'q'" in fail.stdout


def test_bot_refuses_to_start_on_an_invalid_programme(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("conference: {name: x}\n")
    result = run_bot(tmp_path, "console", PROGRAMME_PATH=str(bad))
    assert result.returncode != 0
    assert "is invalid and the database holds no earlier version, so the bot will not start" in result.stderr
    assert "conference.timezone: required field is missing" in result.stderr
