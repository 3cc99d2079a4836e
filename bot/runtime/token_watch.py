"""Telling a brief refusal of the bot's token by the Bot API from a revoked token.

Telegram answers 401 (or 404) for a token it does not know, but also, now and then, for a few seconds during
its own incidents. Polling retries a refusal with backoff; only refusals without a success in between for
longer than TELEGRAM_TOKEN_REFUSED_SECONDS count as a revoked token, which ends the process (non-zero), so that a
supervisor or an organiser notices instead of a bot that runs on and hears nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class TokenWatch:
    """How long the Bot API has been refusing the token without a break, and what to do once that is too long."""

    def __init__(self, grace: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.grace = grace
        self._clock = clock
        self._refused_since: float | None = None
        self.revoked = False
        self.reason = ""  # the Bot API's description of the last refusal ("Unauthorized", "Not Found")
        self._on_revoked: Callable[[], None] = lambda: None

    def when_revoked(self, stop: Callable[[], None]) -> None:
        """Call `stop` once the refusals have lasted longer than the grace period."""
        self._on_revoked = stop

    @property
    def refusing(self) -> bool:
        return self._refused_since is not None

    def refused(self, reason: str) -> None:
        """Note a refusal; the first one that ends the grace period marks the token revoked and calls `stop`."""
        now = self._clock()
        if self._refused_since is None:
            self._refused_since = now
        self.reason = reason
        if not self.revoked and now - self._refused_since >= self.grace:
            self.revoked = True
            self._on_revoked()

    def accepted(self) -> None:
        """A request went through: whatever was refused before was passing."""
        self._refused_since = None
