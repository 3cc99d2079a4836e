"""The one clock all time logic reads, so tests and rehearsals can run at any instant of a conference."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class Clock:
    """Wall time, optionally started at another instant and running faster (BOT_CLOCK_START / SPEED)."""

    def __init__(
        self,
        start: datetime | None = None,
        speed: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if speed <= 0:
            raise ValueError("clock speed must be positive")
        self._monotonic = monotonic
        self._speed = speed
        self._origin_real = monotonic()
        self._origin = start.astimezone(UTC) if start else datetime.now(UTC)
        self._frozen = False

    def now(self) -> datetime:
        """The current instant (timezone-aware, UTC)."""
        if self._frozen:
            return self._origin
        elapsed = (self._monotonic() - self._origin_real) * self._speed
        return self._origin + timedelta(seconds=elapsed)

    @property
    def speed(self) -> float:
        return self._speed

    def set(self, instant: datetime) -> None:
        """Jump to `instant`; the clock keeps running from there unless frozen."""
        self._origin = instant.astimezone(UTC)
        self._origin_real = self._monotonic()

    def freeze(self, instant: datetime | None = None) -> None:
        """Stop the clock (tests): `now()` returns the same instant until set."""
        self.set(instant or self.now())
        self._frozen = True

    @classmethod
    def frozen_at(cls, instant: datetime) -> Clock:
        clock = cls(start=instant)
        clock.freeze(instant)
        return clock
