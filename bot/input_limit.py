"""How much one person may ask of the bot at once: a burst, then a steady pace; the excess is dropped.

A delegate types a message every few seconds and pages through a list a few taps a second; a flood (a stuck
key, a script, a hostile user) sends hundreds. Each person has a bucket of `burst` updates that refills at
`per_second`; an update that finds it empty is dropped, and the first one dropped in a while gets one notice
(so a flood costs the bot a handful of replies, not hundreds, and never holds up anyone else).
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

# A person told to slow down is not told again for this long (real seconds), however long they go on.
NOTICE_EVERY = 60.0
# Buckets are forgotten once full again; the table is swept when it grows past this many people.
SWEEP_AT = 10_000


class Admission(enum.Enum):
    ADMIT = "admit"
    NOTIFY = "notify"  # dropped, and the person should be told once to slow down
    DROP = "drop"  # dropped silently: they have been told


@dataclass
class _Bucket:
    tokens: float
    at: float
    told: float = float("-inf")


class InputLimit:
    """Per-person token buckets on real (monotonic) time."""

    def __init__(self, burst: int, per_second: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.per_second = per_second
        self._monotonic = monotonic
        self._buckets: dict[int, _Bucket] = {}
        self.dropped = 0

    def arrive(self, person: int) -> Admission:
        """Count one update from `person` now, and say whether to handle it."""
        now = self._monotonic()
        bucket = self._buckets.get(person)
        if bucket is None:
            if len(self._buckets) >= SWEEP_AT:
                self._sweep(now)
            bucket = self._buckets[person] = _Bucket(float(self.burst), now)
        bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.per_second)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return Admission.ADMIT
        self.dropped += 1
        if now - bucket.told >= NOTICE_EVERY:
            bucket.told = now
            return Admission.NOTIFY
        return Admission.DROP

    def _sweep(self, now: float) -> None:
        """Forget people whose bucket has refilled and who were not told anything recently."""
        refill = self.burst / self.per_second
        for person in [p for p, b in self._buckets.items() if now - b.at >= refill and now - b.told >= NOTICE_EVERY]:
            del self._buckets[person]
