"""The layering rules hold: imports flow handlers → bot, telegram only in the glue, no cycles, time from the clock."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

# Telegram glue lives in handlers/, bot/runtime/ and bot/console/ (the offline Telegram); everything else in bot/
# is domain, storage, services.
TELEGRAM_ALLOWED = ("bot/runtime/", "bot/console/")
# The clock itself, and the offline Bot API (it stamps Telegram's own message dates), may read wall time.
WALL_CLOCK_ALLOWED = ("bot/clock.py", "bot/console/api.py", "bot/console/users.py")


def _modules(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _imported_names(path: Path) -> list[str]:
    """What every import of `path` names, at any depth: `import a.b` → a.b, `from a import b` → a.b."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [f"{node.module}.{a.name}" for a in node.names]
    return names


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_domain_modules_never_import_telegram() -> None:
    offenders = []
    for path in _modules("bot"):
        rel = _rel(path)
        if rel.startswith(TELEGRAM_ALLOWED):
            continue
        offenders += [f"{rel}: {n}" for n in _imported_names(path) if _within(n, "telegram")]
    assert offenders == []


def test_benches_take_from_tests_only_the_test_support() -> None:
    # Fakes and helpers shared with the tests live in tests/support/; a test module or the fixtures are not an API.
    benches = _modules("bench")
    offenders = [
        f"{_rel(path)}: {n}"
        for path in benches
        for n in _imported_names(path)
        if _within(n, "tests") and not _within(n, "tests.support")
    ]
    assert offenders == []
    # Guards the check against scanning nothing: the benches do import the support package.
    assert any(_within(n, "tests.support") for path in benches for n in _imported_names(path))


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


# The process entry point is the one module of bot/ that may reach the glue: it hands the composition root
# (handlers/application.py) to the command line, imported only by the commands that build the bot.
ENTRY_POINT = "bot/__main__.py"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of the file except those under `if TYPE_CHECKING:` (type hints import nothing at run time)."""
    nodes: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        nodes.append(node)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            todo += node.orelse
            continue
        todo += ast.iter_child_nodes(node)
    return nodes


def _imports(path: Path, known: set[str]) -> set[str]:
    """The project modules `path` imports at run time, at any depth of the file (lazy imports count too)."""
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{a.name}" for a in node.names} & known
            found |= subs or ({node.module} & known)
    return found


def _graph() -> dict[str, set[str]]:
    paths = _modules("bot", "handlers")
    known = {_module_name(p) for p in paths}
    return {_module_name(p): _imports(p, known) - {_module_name(p)} for p in paths}


def test_bot_never_imports_handlers() -> None:
    offenders = []
    for path in _modules("bot"):
        if _rel(path) == ENTRY_POINT:
            continue
        known = {_module_name(p) for p in _modules("bot", "handlers")} | {"handlers"}
        offenders += [f"{_rel(path)}: {m}" for m in _imports(path, known) if m.split(".")[0] == "handlers"]
    assert offenders == []


def test_no_import_cycles() -> None:
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_command_line_imports_no_handler_until_the_bot_is_built() -> None:
    code = "import sys, bot.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'handlers'))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"
    # The cycle and direction checks above see real imports: the composition root imports every handler.
    assert {"handlers.start", "handlers.context"} <= _graph()["handlers.application"]


def test_reads_never_leave_a_cursor_open_across_an_await() -> None:
    # An open cursor keeps its read snapshot: another task's BEGIN IMMEDIATE on the same connection then fails
    # at once with "database is locked" (bot/storage/db.py, fetch_one). Reads go through execute_fetchall.
    offenders = []
    for path in _modules("bot", "handlers"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.AsyncWith):
                for item in node.items:
                    call = item.context_expr
                    if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "execute":
                        offenders.append(f"{_rel(path)}:{node.lineno}")
    assert offenders == []
