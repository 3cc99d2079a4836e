"""The process's log: one format on stderr, noisy libraries turned down, and no secret ever written out.

The token is in every Bot API URL (PTB writes it at DEBUG, and quotes it when Telegram rejects it), the
webhook secret in setWebhook's parameters, and PROGRAMME_URL may carry a password. One filter on the root
logger's handlers sees every record from every logger (PTB, httpx, tornado, ours) and rewrites its message,
exception and stack text before any handler writes it; uncaught exceptions are routed through the log, so
a failed start's stderr passes the same filter.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from bot.settings import Settings

REDACTED = "[redacted]"
NOISY = ("httpx", "apscheduler")  # a line per request or per job run at INFO
# user:password@ (or user@) in any URL, whatever its scheme: PROGRAMME_URL, or one it redirected to.
URL_CREDENTIALS = re.compile(r"(?<=://)[^/?#@\s]+@")


class SecretFilter(logging.Filter):
    """Replaces every hidden secret, and credentials in URLs, in a record's message, exception and stack."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: list[str] = []
        self._plain = logging.Formatter()  # formats exceptions as every stdlib formatter would

    def hide(self, *secrets: str | None) -> None:
        """Never write these strings (as given and URL-quoted) from now on."""
        for secret in secrets:
            for form in {secret, quote(secret or "", safe="")}:
                if form and form not in self._secrets:
                    self._secrets.append(form)
        self._secrets.sort(key=len, reverse=True)  # a secret before any shorter one it contains

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return URL_CREDENTIALS.sub(REDACTED + "@", text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: the handler reports it, without secrets
            message = f"{record.msg} {record.args}"
        record.msg, record.args = self.redact(message), None
        if record.exc_info:
            # Formatted here so that no handler formats the original; chained exceptions included.
            record.exc_text = record.exc_text or self._plain.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


SECRETS = SecretFilter()  # one per process: the root's handlers share it, `hide` reaches them all


def secrets_of(settings: Settings) -> list[str]:
    """What the settings hold that must never be written out."""
    found: list[str] = []
    if settings.token:
        # The part after the colon is the secret; the bot's id before it is public and helps reading logs.
        found.append(settings.token.partition(":")[2] or settings.token)
    if settings.webhook_secret:
        found.append(settings.webhook_secret.get_secret_value())
    password = urlsplit(settings.programme_url or "").password
    if password:
        found += [password, unquote(password)]
    return found


def hide(*secrets: str | None) -> None:
    """Keep these out of the log too (a secret made up at run time)."""
    SECRETS.hide(*secrets)


def setup(level: str, *, quiet: bool = False, secrets: Iterable[str] = (), to: Path | None = None) -> None:
    """Log to stderr (or the file `to`) at `level` (WARNING when `quiet`), with every secret redacted."""
    where: dict[str, Any] = {"filename": to, "encoding": "utf-8"} if to is not None else {"stream": sys.stderr}
    logging.basicConfig(
        level=logging.WARNING if quiet else getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        **where,
    )
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    SECRETS.hide(*secrets)
    for handler in logging.getLogger().handlers:
        if SECRETS not in handler.filters:
            handler.addFilter(SECRETS)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    logging.getLogger("bot").critical("Stopped by an unexpected error", exc_info=(kind, error, trace))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None and args.exc_type is not SystemExit:  # as the default hook: a thread's exit
        _log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)
