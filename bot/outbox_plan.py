"""When the outbox sender sends what: pacing at Telegram's limits, and deadline-aware start of bursts.

Pure: no Telegram, no database. The outbox sender (bot/runtime/outbox_sender.py) feeds it what storage holds.

The three times of an outbox row, and how they interact:
- `not_before` — never sent earlier. Hard.
- `deadline` — should have *arrived* by then. A row with a deadline is held back until its release instant:
  the latest moment at which sending it, together with every other pending row whose deadline is no later,
  at the paced rate and one message per second per chat, still finishes `SAFETY_SECONDS` (real) before its
  deadline. It is released at `max(not_before, release)`: `not_before` wins, so a producer that wants a burst
  on time leaves room between the two (at least count / rate × clock speed). Released rows go first,
  earliest deadline first, and a burst once released goes on at full pace (the outbox sender does not hold it
  back again as it shrinks), so it ends a little before the margin; a deadline that has passed does not stop
  a row (it is late, not void).
- `expires_at` — never sent at or after this; the row becomes 'expired'.
- A row without a deadline is sent as soon as possible after `not_before`, after released deadline rows.
- Deadline rows are planned one request at a time (`one_at_a_time`, from the measured round trip), so that
  a crash duplicates at most one of them; `on_time_one_at_a_time` says when that would make them late and
  they must be pipelined at the full pace instead.

Telegram's limits are in real seconds, so pacing is too. The plan works on the bot's clock (which may run
`speed` times faster in a rehearsal): a burst that takes 70 real seconds takes 70 × speed clock seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

# Spacing is a little wider than 1/rate so that arrival jitter never puts rate + 1 requests in one second.
HEADROOM = 0.03
# The share of the paced rate a burst can count on: replies to users share the same pace.
PLANNED_SHARE = 0.95
# Real seconds a burst aims to finish before its deadline: request latency, a retry, a slow tick.
SAFETY_SECONDS = 3.0
# A burst sent one request at a time starts this much (real seconds) earlier still, so that a slow request
# does not at once make it fall behind and switch to pipelining.
CAREFUL_SLACK = 5.0
# Sending one request at a time takes its round trip plus the bot's own work between two (claim, commit).
CAREFUL_OVERHEAD = 1.15


@dataclass(frozen=True)
class Pacing:
    """Telegram's flood limits as the bot applies them (real seconds)."""

    rate_per_second: float = 30.0  # SEND_RATE_PER_SECOND, for the whole bot
    private_chat_interval: float = 1.0  # one message per second to one user
    group_chat_interval: float = 3.0  # twenty messages per minute to one group

    @property
    def send_interval(self) -> float:
        """Real seconds between two requests of the bot."""
        return (1.0 + HEADROOM) / self.rate_per_second

    @property
    def planned_rate(self) -> float:
        """Messages per real second a burst plan counts on."""
        return PLANNED_SHARE / self.send_interval

    def chat_interval(self, chat_id: int) -> float:
        return self.group_chat_interval if chat_id < 0 else self.private_chat_interval


@dataclass(frozen=True)
class DeadlineGroup:
    """The pending rows sharing one deadline."""

    deadline: datetime
    count: int
    most_to_one_chat: int = 1


def sending_seconds(count: int, most_to_one_chat: int, pacing: Pacing) -> float:
    """Real seconds to send `count` messages, of which at most `most_to_one_chat` go to the same chat."""
    if count <= 0:
        return 0.0
    overall = count / pacing.planned_rate
    one_chat = (most_to_one_chat - 1) * pacing.private_chat_interval + 1 / pacing.planned_rate
    return max(overall, one_chat)


def one_at_a_time(pacing: Pacing, round_trip: float) -> Pacing:
    """The pace of sending with no other outbox request on the wire (round trip in real seconds)."""
    return replace(pacing, rate_per_second=min(pacing.rate_per_second, 1.0 / (round_trip * CAREFUL_OVERHEAD)))


def release_times(
    groups: Sequence[DeadlineGroup], pacing: Pacing, speed: float = 1.0, margin_seconds: float = SAFETY_SECONDS
) -> dict[datetime, datetime]:
    """For each deadline, the clock instant its rows are released (latest start that meets every deadline).

    Backwards from the last deadline: a group must finish before its own deadline and before the next group
    has to start, since released groups go out earliest deadline first.
    """
    releases: dict[datetime, datetime] = {}
    next_start: datetime | None = None
    margin = timedelta(seconds=margin_seconds * speed)
    for group in sorted(groups, key=lambda g: g.deadline, reverse=True):
        finish = group.deadline - margin
        if next_start is not None:
            finish = min(finish, next_start)
        duration = sending_seconds(group.count, group.most_to_one_chat, pacing) * speed
        next_start = finish - timedelta(seconds=duration)
        releases[group.deadline] = next_start
    return releases


def released_until(
    groups: Sequence[DeadlineGroup], pacing: Pacing, now: datetime, speed: float = 1.0, *, careful: bool = False
) -> datetime | None:
    """The latest deadline whose rows are released at `now` (releases grow with deadlines), or None.

    `careful`: `pacing` is one request at a time, and bursts start `CAREFUL_SLACK` earlier."""
    margin = SAFETY_SECONDS + (CAREFUL_SLACK if careful else 0.0)
    released = [deadline for deadline, at in release_times(groups, pacing, speed, margin).items() if at <= now]
    return max(released, default=None)


def on_time_one_at_a_time(
    groups: Sequence[DeadlineGroup], released: datetime | None, careful: Pacing, now: datetime, speed: float = 1.0
) -> bool:
    """Whether the released rows can all still go one request at a time (pace `careful`) and be on time.

    Then a crash can duplicate at most the one request that was on its way; when they cannot (a burst too
    big for its lead time, slow requests), they are pipelined at full pace: late is worse than twice."""
    if released is None:
        return False
    return all(at >= now for deadline, at in release_times(groups, careful, speed).items() if deadline <= released)


def retry_delay(attempt: int, *, base: float = 0.5, cap: float = 60.0) -> float:
    """Real seconds before retrying after the `attempt`-th consecutive network error or 5xx (1-based)."""
    return min(cap, base * 2 ** max(0, attempt - 1))
