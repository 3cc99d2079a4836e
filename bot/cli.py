"""Command line: run the bot, open the local console, check a programme file, import, broadcast, purge, back up
and restore."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from bot import logs
from bot.programme.errors import ProgrammeError
from bot.programme.loader import load_programme
from bot.services import Services, start_services
from bot.settings import Settings
from bot.storage.db import DatabaseUnavailable

logger = logging.getLogger(__name__)


class CompositionRoot(Protocol):
    """What the command line needs of handlers/application.py (typed loosely: bot/ does not import telegram)."""

    def build_application(self, services: Services, request: Any = None) -> Any: ...

    def run(self, services: Services) -> None: ...


RootLoader = Callable[[], CompositionRoot]

NO_TOKEN = """No TELEGRAM_BOT_TOKEN is set, so here is the local console instead.
To run on Telegram: talk to @BotFather in Telegram, send /newbot, copy the token it gives you into
.env as TELEGRAM_BOT_TOKEN=..., and run `make run` again.
"""


def _logging(settings: Settings, quiet: bool = False, to: Path | None = None) -> None:
    logs.setup(settings.log_level, quiet=quiet, secrets=logs.secrets_of(settings), to=to)


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        lines = [f"  {'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors()]
        raise SystemExit("Invalid configuration:\n" + "\n".join(lines)) from exc


def _count(n: int, one: str, many: str) -> str:
    """'1 session', '2 sessions': the organiser's terminal is English (as the logs), its counts in words."""
    return f"{n} {one if n == 1 else many}"


def cmd_check(args: argparse.Namespace) -> int:
    settings = _settings()
    try:
        programme = load_programme(args.path, args.timezone or settings.event_timezone)
    except ProgrammeError as exc:
        print(f"{_count(len(exc.problems), 'problem', 'problems')} in {args.path}:")
        for problem in exc.problems:
            print(f"  - {problem}")
        return 1
    print(f"{programme.name} ({programme.format}), time zone {programme.timezone}")
    if programme.extra.get("time_zone_source"):
        print(f"  time zone from: {programme.extra['time_zone_source']}")
    per_day = Counter(s.day for s in programme.sessions)
    print(f"  days: {len(programme.days)}")
    for day in programme.days:
        print(f"    {day:%a %d %b %Y}: {_count(per_day.get(day, 0), 'session', 'sessions')}")
    print(f"  rooms: {len(programme.rooms)}")
    print(
        f"  sessions: {len(programme.sessions)}"
        f" ({sum(s.is_provisional for s in programme.sessions)} provisional,"
        f" {sum(s.is_cancelled for s in programme.sessions)} cancelled)"
    )
    print(f"  speakers: {len(programme.speakers)}")
    return 0


def _services_or_exit(settings: Settings) -> Services:
    try:
        # Its own event loop, closed again: the bot's (or the console's) starts after it.
        return asyncio.run(start_services(settings))
    except ProgrammeError as exc:
        lines = "\n".join(f"  - {p}" for p in exc.problems)
        raise SystemExit(
            f"The programme {settings.programme_path} is invalid and the database holds no earlier version,"
            f" so the bot will not start:\n{lines}"
        ) from exc


def _root(args: argparse.Namespace) -> CompositionRoot:
    if args.root is None:
        raise SystemExit("This command runs the bot: start it as `python -m bot`.")
    root: CompositionRoot = args.root()
    return root


def cmd_console(args: argparse.Namespace) -> int:
    from bot.console.terminal import run_console

    settings = _settings()
    # Into a file, beside the database: log lines written to the terminal would land in the middle of the chat.
    log = settings.database_path.resolve().parent / "console.log"
    log.parent.mkdir(parents=True, exist_ok=True)  # a fresh checkout has no var/ yet: the database makes it later
    _logging(settings, quiet=True, to=log)
    services = _services_or_exit(settings)
    asyncio.run(run_console(services, _root(args).build_application, language=args.language, log=log))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings()
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        args.language = "en"
        return cmd_console(args)
    _logging(settings)
    services = _services_or_exit(settings)
    _root(args).run(services)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot import evaluate
    from bot.answer import dictionary, semantic
    from bot.settings import DEFAULT_PROGRAMME, ROOT

    settings = _settings()
    _logging(settings, quiet=True)
    path = Path(args.path)
    # Cases name programmes by file name: look beside the questions file, then in ../shared/schedules.
    dirs = [Path(d) for d in args.schedules] or [path.parent.parent / "schedules", path.parent / "schedules"]
    dirs.append(ROOT.parent / "shared" / "schedules")
    programmes = evaluate.Programmes(DEFAULT_PROGRAMME, dirs, args.timezone or settings.event_timezone)
    if not args.no_dictionary:
        settings.dictionary_cache.parent.mkdir(parents=True, exist_ok=True)
        dictionary.open_dictionary(
            settings.dictionary_dir, settings.dictionary_cache, settings.apertium_dir, settings.wordnet_dir
        )
    if not args.no_semantic and settings.semantic_answers:
        semantic.use(semantic.load(), wait=True, cache_dir=settings.dictionary_cache.parent)
    outcomes = evaluate.evaluate(path, programmes, settings.faq_path)
    return evaluate.report(outcomes, args.threshold, verbose=args.verbose)


def cmd_import(args: argparse.Namespace) -> int:
    from bot.programme_updates.command import import_command

    settings = _settings()
    _logging(settings, quiet=True)
    return asyncio.run(
        import_command(
            settings,
            args.location,
            args.timezone,
            args.dry_run,
            sys.stdout,
            replace_conference=args.replace_conference,
        )
    )


def cmd_broadcast(args: argparse.Namespace) -> int:
    from bot.broadcast_cli import broadcast_command

    settings = _settings()
    _logging(settings, quiet=True)
    return asyncio.run(broadcast_command(settings, args.text, args.audience, args.at, sys.stdout))


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.retention import purge_command

    settings = _settings()
    _logging(settings, quiet=True)
    return asyncio.run(purge_command(settings, args.dry_run, sys.stdout))


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.clock import Clock
    from bot.storage.backup import BackupError, backup_now

    settings = _settings()
    try:
        made = backup_now(settings.database_path.resolve(), Path(args.dest).resolve(), Clock().now())
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Backed up {settings.database_path} to {made} (integrity check: ok)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.clock import Clock
    from bot.storage.backup import BackupError, restore_now

    settings = _settings()
    try:
        aside = restore_now(Path(args.source).resolve(), settings.database_path.resolve(), Clock().now())
    except BackupError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Restored {settings.database_path} from {args.source} (integrity check: ok)")
    if aside is not None:
        print(f"The database it replaced is kept as {aside}")
    return 0


def cmd_healthcheck(args: argparse.Namespace) -> int:
    """Ask the running bot's /healthz (a container's HEALTHCHECK: no curl in a slim image); 0 when it says 200."""
    import urllib.error
    import urllib.request

    settings = _settings()
    if settings.webhook_url:
        listen, port = settings.webhook_listen, settings.webhook_port
    elif settings.http_port:
        listen, port = settings.http_listen, settings.http_port
    else:
        print("No web server to ask: set WEBHOOK_URL or HTTP_PORT", file=sys.stderr)
        return 1
    host = "127.0.0.1" if listen in ("0.0.0.0", "", "127.0.0.1") else listen
    host = f"[{host}]" if ":" in host else host
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=args.timeout) as answer:
            print(answer.read().decode())
            return 0 if answer.status == 200 else 1
    except urllib.error.HTTPError as exc:
        print(exc.read().decode() or exc, file=sys.stderr)
    except OSError as exc:
        print(f"/healthz did not answer: {exc}", file=sys.stderr)
    return 1


def cmd_signs(args: argparse.Namespace) -> int:
    from bot import i18n
    from bot.signs import SIGNS_FILENAME, rooms_in_use, signs, signs_pdf

    settings = _settings()
    username = (args.bot_username or settings.bot_username or "").lstrip("@")
    if not username:
        raise SystemExit(
            "The signs' QR codes link to the bot, so its username is needed: pass --bot-username NAME "
            "or set BOT_USERNAME in .env (the name @BotFather gave the bot, without the @)."
        )
    path = Path(args.programme) if args.programme else settings.programme_path
    try:
        programme = load_programme(path, settings.event_timezone)
    except ProgrammeError as exc:
        raise SystemExit(f"Cannot read {path}: {exc}") from None
    lang = i18n.lang(args.language)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / SIGNS_FILENAME
    target.write_bytes(signs_pdf(signs(programme, username, lang), lang))
    rooms = len(rooms_in_use(programme))
    print(f"Wrote {target}: {_count(rooms, 'room', 'rooms')} and the entrance, {rooms + 1} A4 pages")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Conference companion bot for Telegram")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (the default; the console when no token is set)")
    console = sub.add_parser("console", help="chat with the bot in this terminal, offline")
    console.add_argument("--language", default="en", help="the console user's language code")
    check = sub.add_parser("check", help="validate a programme file and print a summary")
    check.add_argument("path")
    check.add_argument("--timezone", help="time zone for files that name none")
    cast = sub.add_parser("broadcast", help="send organisers' message to delegates (the running bot, or now)")
    cast.add_argument("--text", required=True, help="the message (Telegram HTML)")
    cast.add_argument("--audience", default="all", help="all | session:ID | lang:CODE | room:ROOM:YYYY-MM-DD")
    cast.add_argument("--at", help="send at this time instead (ISO 8601; event time zone unless an offset is given)")
    imp = sub.add_parser("import", help="show what a new programme (file or URL) changes, then apply it")
    imp.add_argument("location", metavar="PATH_OR_URL")
    imp.add_argument("--timezone", help="time zone for files that name none (else EVENT_TIMEZONE)")
    imp.add_argument("--dry-run", action="store_true", help="only show the difference; apply nothing")
    imp.add_argument(
        "--replace-conference",
        action="store_true",
        help="apply a file of another conference (another name, or no day in common) in place of this one",
    )
    ev = sub.add_parser("eval", help="answer every question of a questions file; print failures and the pass rate")
    ev.add_argument("path", help="questions file (format: the header of ../shared/qa/public.yaml)")
    ev.add_argument("--schedules", action="append", default=[], help="folder of the programmes the cases name")
    ev.add_argument("--threshold", type=float, default=95.0, help="exit 1 below this pass rate in %% (default 95)")
    ev.add_argument("--timezone", help="time zone for programme files that name none")
    ev.add_argument("-v", "--verbose", action="store_true", help="print every reply, not only the failures")
    ev.add_argument("--no-dictionary", action="store_true", help="answer without FreeDict (the topic groups alone)")
    ev.add_argument("--no-semantic", action="store_true", help="answer without the sentence-embedding model")
    purge = sub.add_parser("purge", help="delete every delegate's personal data now, keeping counts (retention)")
    purge.add_argument("--dry-run", action="store_true", help="count what would be deleted; change nothing")
    backup = sub.add_parser("backup", help="copy the database consistently (also while the bot runs), checked")
    backup.add_argument("dest", help="the backup file to write, or a folder for a dated one")
    restore = sub.add_parser("restore", help="replace the database by a backup (the bot must be stopped)")
    restore.add_argument("source", help="the backup file; the database it replaces is kept beside it")
    health = sub.add_parser("healthcheck", help="ask the running bot's /healthz; exit 0 when it is healthy")
    health.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for the answer")
    signs = sub.add_parser("signs", help="write printable room signs with QR codes to the bot (a PDF)")
    signs.add_argument("--out", required=True, help="the folder to write signs.pdf into")
    signs.add_argument("--bot-username", help="the bot's @username, for the links (else BOT_USERNAME)")
    signs.add_argument("--programme", help="the programme file (else PROGRAMME_PATH)")
    signs.add_argument("--language", default="en", help="the signs' language: en, es, fr, de or it")
    return parser


COMMANDS = {"run": cmd_run, "console": cmd_console, "check": cmd_check, "eval": cmd_eval}

COMMANDS["import"] = cmd_import
COMMANDS["broadcast"] = cmd_broadcast
COMMANDS["purge"] = cmd_purge
COMMANDS["backup"] = cmd_backup
COMMANDS["restore"] = cmd_restore
COMMANDS["healthcheck"] = cmd_healthcheck
COMMANDS["signs"] = cmd_signs


def main(argv: list[str] | None = None, root: RootLoader | None = None) -> int:
    """Run one command; `root` loads the composition root for the commands that build the bot."""
    args = build_parser().parse_args(argv)
    args.root = root
    try:
        return COMMANDS[args.command or "run"](args)
    except DatabaseUnavailable as exc:
        raise SystemExit(str(exc)) from None
