"""The outbox sender's plan, as plain values: pacing under Telegram's limits, and bursts released in time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.outbox_plan import (
    CAREFUL_SLACK,
    SAFETY_SECONDS,
    DeadlineGroup,
    Pacing,
    on_time_one_at_a_time,
    one_at_a_time,
    release_times,
    released_until,
    retry_delay,
    sending_seconds,
)

D = datetime(2024, 6, 25, 9, 20, tzinfo=UTC)  # a plenary at 09:30, reminders 10 minutes before
PACING = Pacing(rate_per_second=30)


def test_pacing_stays_under_the_configured_rate_and_the_plan_under_the_pace() -> None:
    assert 1 / PACING.send_interval < 30
    assert 1 / PACING.send_interval >= 0.95 * 30
    assert PACING.planned_rate < 1 / PACING.send_interval
    assert PACING.chat_interval(42) == 1.0
    assert PACING.chat_interval(-100123) == 3.0  # groups: 20 a minute


def test_one_reminder_is_released_just_before_its_deadline() -> None:
    (release,) = release_times([DeadlineGroup(D, 1)], PACING).values()
    assert D - timedelta(seconds=SAFETY_SECONDS + 1) < release < D - timedelta(seconds=SAFETY_SECONDS)


def test_a_burst_of_2000_starts_early_enough_and_no_earlier_than_needed() -> None:
    (release,) = release_times([DeadlineGroup(D, 2000)], PACING).values()
    lead = (D - release).total_seconds()
    at_full_pace = 2000 * PACING.send_interval  # what sending actually takes with nothing else going on
    assert lead > at_full_pace + SAFETY_SECONDS  # room for replies to users sharing the pace
    assert lead < at_full_pace * 1.1 + SAFETY_SECONDS  # but not minutes early
    assert released_until([DeadlineGroup(D, 2000)], PACING, release - timedelta(seconds=1)) is None
    assert released_until([DeadlineGroup(D, 2000)], PACING, release) == D


def test_a_rehearsal_clock_stretches_the_lead_in_clock_time() -> None:
    groups = [DeadlineGroup(D, 2000)]
    (real,) = release_times(groups, PACING, speed=1).values()
    (fast,) = release_times(groups, PACING, speed=60).values()
    assert (D - fast).total_seconds() == pytest.approx(60 * (D - real).total_seconds())


def test_back_to_back_deadlines_leave_room_for_each_other() -> None:
    first, second = DeadlineGroup(D, 1500), DeadlineGroup(D + timedelta(seconds=30), 1500)
    releases = release_times([second, first], PACING)
    # The second burst cannot all go in its own 30 seconds: it starts before the first deadline, so the first
    # must start earlier still, and finish before the second starts.
    second_start = releases[second.deadline]
    assert second_start < first.deadline
    needed = timedelta(seconds=sending_seconds(1500, 1, PACING))
    assert releases[first.deadline] + needed <= second_start
    assert released_until([first, second], PACING, releases[first.deadline]) == first.deadline
    assert sorted(releases.values()) == [releases[first.deadline], second_start]  # the next release: the second


def test_several_messages_to_one_chat_are_a_second_apart() -> None:
    assert sending_seconds(5, 5, PACING) >= 4.0
    assert sending_seconds(5, 1, PACING) < 1.0
    assert sending_seconds(0, 0, PACING) == 0.0


def test_a_long_burst_and_backoff() -> None:
    assert sending_seconds(0, 1, PACING) == 0.0
    assert 330 < sending_seconds(10_000, 1, PACING) < 400
    assert [retry_delay(n) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]
    assert retry_delay(20) == 60.0


def test_one_at_a_time_is_as_fast_as_round_trips_allow_and_never_above_the_rate() -> None:
    slow = one_at_a_time(PACING, 0.055)  # 50 ms of latency and the bot's own work
    assert 13 < slow.planned_rate < 1 / 0.055
    assert slow.private_chat_interval == PACING.private_chat_interval
    assert one_at_a_time(PACING, 0.002).rate_per_second == 30


def test_a_burst_with_lead_time_goes_one_at_a_time_and_pipelines_only_when_it_would_be_late() -> None:
    careful = one_at_a_time(PACING, 0.055)
    burst = [DeadlineGroup(D, 2000)]
    start = released_until(burst, careful, D - timedelta(minutes=5), careful=True)
    assert start is None  # five minutes ahead is too early even one at a time
    (full_pace,) = release_times(burst, PACING).values()
    (alone,) = release_times(burst, careful, margin_seconds=SAFETY_SECONDS + CAREFUL_SLACK).values()
    assert 2000 / careful.planned_rate < (D - alone).total_seconds() < 2000 / careful.planned_rate + 10
    assert alone < full_pace - timedelta(seconds=60)  # it starts earlier than it would pipelined
    assert released_until(burst, careful, alone, careful=True) == D
    assert on_time_one_at_a_time(burst, D, careful, alone)
    assert on_time_one_at_a_time(burst, D, careful, alone + timedelta(seconds=CAREFUL_SLACK - 1))
    # Behind (a crash, slow requests): the rest goes pipelined.
    assert not on_time_one_at_a_time(burst, D, careful, alone + timedelta(seconds=CAREFUL_SLACK + 1))
    assert not on_time_one_at_a_time(burst, None, careful, alone)  # nothing released: nothing to send alone
