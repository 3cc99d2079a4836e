"""The local console: chat with the very same handlers in a terminal, through the local Bot API."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from telegram.ext import Application
from telegram.request import BaseRequest

from bot.console.api import Call, LocalBotApi
from bot.console.request import LocalRequest
from bot.runtime.lifecycle import running
from bot.services import Services

CONSOLE_USER = 1
RECENT_KEYBOARDS = 5  # the buttons of this many latest messages can be pressed by number


@dataclass(frozen=True)
class Numbered:
    """A button the user can press by typing `number`, and the message it belongs to."""

    number: int
    message: dict[str, Any]
    button: dict[str, Any]


class ConsolePrinter:
    """Prints what the bot sends, numbering the buttons of its last few messages; saves the files it sends."""

    def __init__(self, out: TextIO, files: Path | None = None) -> None:
        self.out = out
        self.files = files
        self._next = 1
        self._keyboards: dict[int, list[Numbered]] = {}  # message id → its numbered buttons, oldest message first

    def button(self, number: int) -> Numbered | None:
        return next((b for buttons in self._keyboards.values() for b in buttons if b.number == number), None)

    @property
    def numbers(self) -> list[int]:
        return [b.number for buttons in self._keyboards.values() for b in buttons]

    def __call__(self, call: Call) -> None:
        if call.error:
            self.out.write(f"! Bot API refused {call.method}: {call.error}\n")
        elif call.method in ("sendMessage", "editMessageText", "sendDocument", "sendPhoto"):
            self._message(call)
        elif call.method == "editMessageReplyMarkup":
            self._markup(call)
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            self.out.write(f"bot (notice)> {call.params['text']}\n")
        self.out.flush()

    def _message(self, call: Call) -> None:
        result = call.result if isinstance(call.result, dict) else {}
        label = {"editMessageText": "bot (edited)", "sendDocument": "bot (file)", "sendPhoto": "bot (photo)"}
        head = label.get(call.method, "bot")
        body = result.get("text") or result.get("caption") or ""
        if call.method in ("sendDocument", "sendPhoto"):
            body = f"[{self._save(call)}] {body}"
        self.out.write(f"\n{head}> " + body.replace("\n", "\n    ") + "\n")
        self._number(result, call.buttons)

    def _markup(self, call: Call) -> None:
        result = call.result if isinstance(call.result, dict) else {}
        first_line = (result.get("text") or result.get("caption") or "").split("\n", 1)[0]
        gone = "" if call.buttons else ", buttons removed"
        self.out.write(f"\nbot (buttons changed{gone})> {first_line}\n")
        self._number(result, call.buttons)

    def _number(self, message: dict[str, Any], rows: list[list[dict[str, Any]]]) -> None:
        """Number the message's buttons; an edited message keeps its numbers where the new buttons fit in them."""
        message_id = int(message.get("message_id", 0))
        before = self._keyboards.pop(message_id, [])
        count = sum(len(row) for row in rows)
        latest = not self._keyboards or message_id > max(self._keyboards)
        number = before[0].number if before and (latest or count <= len(before)) else self._next
        if not rows:
            return
        numbered: list[Numbered] = []
        for row in rows:
            cells = []
            for b in row:
                numbered.append(Numbered(number, message, b))
                cells.append(f"[{number}] {b['text']}")
                number += 1
            self.out.write("    " + "   ".join(cells) + "\n")
        self._keyboards[message_id] = numbered
        self._keyboards = dict(sorted(self._keyboards.items()))
        self._next = 1 + max(self.numbers)
        while len(self._keyboards) > RECENT_KEYBOARDS:
            self._keyboards.pop(next(iter(self._keyboards)))

    def _save(self, call: Call) -> str:
        """Write the uploaded file to the console's folder; its name, and where it went."""
        upload = next(iter(call.files.values()), None)
        if not upload or self.files is None:
            return "file"
        name = Path(str(upload[0] or "file")).name
        self.files.mkdir(parents=True, exist_ok=True)
        target = self.files / name
        target.write_bytes(upload[1])
        return f"{name}, saved as {target}"


async def _settle(api: LocalBotApi, start: int, timeout: float = 10.0) -> None:
    """Wait until the bot has answered the last input and gone quiet."""
    try:
        await api.wait_for(lambda c: c.method != "getUpdates", timeout=timeout, start=start)
    except TimeoutError:
        return
    while True:
        seen = len(api.calls)
        await asyncio.sleep(0.15)
        if len(api.calls) == seen:
            return


def introduction(services: Services, files: Path, log: Path | None) -> str:
    """What the console is, who the user is in it, and where files and log lines go."""
    settings = services.settings
    if settings.is_admin(CONSOLE_USER):
        role = f"You are user {CONSOLE_USER}, an organiser (ADMIN_IDS): /broadcast, /scheduled, /stats, /reload work."
    else:
        role = (
            f"You are user {CONSOLE_USER}, a delegate. To try it as an organiser (/broadcast, /scheduled, /stats, "
            f"/reload), start it with ADMIN_IDS={CONSOLE_USER}, e.g. `ADMIN_IDS={CONSOLE_USER} make run`."
        )
    lines = [
        f"Console chat with the {services.programme.name} bot. Type a message, a /command, or the number of a "
        "button (of the last few messages). Ctrl-D to quit.",
        role,
        f"Files the bot sends (calendar, CSV, chart) are saved in {files}.",
    ]
    if log is not None:
        lines.append(f"Log lines go to {log}.")
    if not _from_programme_path(services):
        # Start-up kept the stored programme (another conference, or a cut file): the reason is in the log.
        lines.append(
            f"The programme in force is the database's ({services.programme.source}), not PROGRAMME_PATH "
            f"({settings.programme_path}): {'see ' + str(log) if log else 'see the log'}. To try another programme, "
            "give it its own DATABASE_PATH."
        )
    return "\n".join(lines) + "\n"


def _from_programme_path(services: Services) -> bool:
    source = services.programme.source
    return not source or "://" in source or Path(source).resolve() == services.settings.programme_path.resolve()


async def run_console(
    services: Services,
    build_application: Callable[[Services, BaseRequest], Application],
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    language: str = "en",
    log: Path | None = None,
) -> None:
    """Read lines from `stdin` until EOF; a number presses that button of one of the last few messages."""
    api = LocalBotApi()
    files = console_files(services)
    printer = ConsolePrinter(out, files)
    api.listeners.append(printer)
    app = build_application(services, LocalRequest(api))
    interactive = stdin.isatty()
    loop = asyncio.get_running_loop()
    async with running(app):
        out.write(introduction(services, files, log))
        out.flush()
        while True:
            if interactive:
                out.write("\nyou> ")
                out.flush()
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            text = line.rstrip("\n")
            if not text.strip():
                continue
            if not interactive:
                out.write(f"\nyou> {text}\n")
            start = len(api.calls)
            if text.strip().isdigit() and printer.numbers:
                if not _press(api, printer, int(text.strip()), out):
                    continue
            else:
                api.send_text(CONSOLE_USER, text, first_name="Console", language=language)
            await _settle(api, start)


def console_files(services: Services) -> Path:
    """Where the console saves the files the bot sends: beside the database."""
    return services.settings.database_path.resolve().parent / "console-files"


def _press(api: LocalBotApi, printer: ConsolePrinter, number: int, out: TextIO) -> bool:
    found = printer.button(number)
    if found is None:
        out.write(f"(no button {number} in the last {RECENT_KEYBOARDS} messages with buttons)\n")
        return False
    if "url" in found.button:
        out.write(f"(opens {found.button['url']})\n")
        return False
    if "switch_inline_query" in found.button:
        shared = found.button["switch_inline_query"]
        out.write(f"(opens Telegram's chat picker to share: @{api.bot_username} {shared})\n")
        return False
    api.press(CONSOLE_USER, found.message, found.button["callback_data"])
    return True
