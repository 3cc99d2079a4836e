"""The local console: chat with the very same handlers in a terminal, through the local Bot API."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any, TextIO

from telegram.ext import Application
from telegram.request import BaseRequest

from bot.console.api import Call, LocalBotApi
from bot.console.request import LocalRequest
from bot.runtime.lifecycle import running
from bot.services import Services

CONSOLE_USER = 1


class ConsolePrinter:
    """Prints what the bot sends, with numbered buttons the user can press by typing the number."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.keyboard: list[dict[str, Any]] = []
        self.keyboard_message: dict[str, Any] | None = None

    def __call__(self, call: Call) -> None:
        if call.error:
            self.out.write(f"! Bot API refused {call.method}: {call.error}\n")
        elif call.method in ("sendMessage", "editMessageText", "sendDocument", "sendPhoto"):
            self._message(call)
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            self.out.write(f"bot (notice)> {call.params['text']}\n")
        self.out.flush()

    def _message(self, call: Call) -> None:
        result = call.result if isinstance(call.result, dict) else {}
        label = {"editMessageText": "bot (edited)", "sendDocument": "bot (file)", "sendPhoto": "bot (photo)"}
        head = label.get(call.method, "bot")
        body = result.get("text") or result.get("caption") or ""
        if call.method == "sendDocument":
            body = f"[{(result.get('document') or {}).get('file_name', 'file')}] {body}"
        self.out.write(f"\n{head}> " + body.replace("\n", "\n    ") + "\n")
        rows = call.buttons
        if rows:
            self.keyboard = [b for row in rows for b in row]
            self.keyboard_message = result
            n = 0
            for row in rows:
                cells = []
                for b in row:
                    n += 1
                    cells.append(f"[{n}] {b['text']}")
                self.out.write("    " + "   ".join(cells) + "\n")


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


async def run_console(
    services: Services,
    build_application: Callable[[Services, BaseRequest], Application],
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    language: str = "en",
) -> None:
    """Read lines from `stdin` until EOF; a number presses that button of the last keyboard."""
    api = LocalBotApi()
    printer = ConsolePrinter(out)
    api.listeners.append(printer)
    app = build_application(services, LocalRequest(api))
    interactive = stdin.isatty()
    loop = asyncio.get_running_loop()
    async with running(app):
        out.write(
            f"Console chat with the {services.programme.name} bot. Type a message, a /command, or the "
            "number of a button. Ctrl-D to quit.\n"
        )
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
            if text.strip().isdigit() and printer.keyboard:
                if not _press(api, printer, int(text.strip()), out):
                    continue
            else:
                api.send_text(CONSOLE_USER, text, first_name="Console", language=language)
            await _settle(api, start)


def _press(api: LocalBotApi, printer: ConsolePrinter, number: int, out: TextIO) -> bool:
    if not 1 <= number <= len(printer.keyboard) or printer.keyboard_message is None:
        out.write(f"(no button {number}; the last message has {len(printer.keyboard)})\n")
        return False
    button = printer.keyboard[number - 1]
    if "url" in button:
        out.write(f"(opens {button['url']})\n")
        return False
    api.press(CONSOLE_USER, printer.keyboard_message, button["callback_data"])
    return True
