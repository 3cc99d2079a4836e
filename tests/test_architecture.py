"""The layering rules hold: domain code never imports telegram, and time comes only from the clock."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

# Telegram glue lives in handlers/ and bot/runtime/; everything else in bot/ is domain, storage, services.
TELEGRAM_ALLOWED = ("bot/runtime/",)
# The clock itself, and the local Bot API fake (it stamps Telegram's own message dates), may read wall time.
WALL_CLOCK_ALLOWED = ("bot/clock.py", "bot/runtime/local_api.py", "bot/runtime/local_users.py")


def _modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_domain_modules_never_import_telegram() -> None:
    offenders = []
    for path in _modules("bot"):
        rel = _rel(path)
        if rel.startswith(TELEGRAM_ALLOWED):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{rel}: {n}" for n in names if n == "telegram" or n.startswith("telegram.")]
    assert offenders == []


def test_time_is_read_only_through_the_clock() -> None:
    offenders = []
    for path in _modules("bot", "handlers"):
        rel = _rel(path)
        if rel in WALL_CLOCK_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                func = node.func
                owner = func.value.id if isinstance(func.value, ast.Name) else getattr(func.value, "attr", "")
                if (owner, func.attr) in {
                    ("datetime", "now"),
                    ("datetime", "utcnow"),
                    ("date", "today"),
                    ("time", "time"),
                }:
                    offenders.append(f"{rel}:{node.lineno}: {owner}.{func.attr}()")
    assert offenders == []


def test_the_architecture_check_sees_the_code() -> None:
    # Guards the two tests above against silently scanning nothing (e.g. after a move).
    assert len(_modules("bot")) > 20
    assert any(_rel(p) == "bot/clock.py" for p in _modules("bot"))
