"""SIGKILL of the real bot process half-way through a broadcast, then a restart: nobody is missed, and nobody
gets it twice beyond what the organiser's delivery report announces, which is at most what was on the wire."""

from __future__ import annotations

from pathlib import Path

from tests.support.crash import crash_mid_broadcast
from tests.support.limited_api import LimitedBotApi

RECIPIENTS = 200
IN_FLIGHT = 4


async def test_a_crash_mid_broadcast_duplicates_no_more_than_the_report_announces(tmp_path: Path) -> None:
    api = await LimitedBotApi().start()  # 50 ms per request, as Telegram: a few are always on the wire
    api.server.api.limits = None  # no flood limits: the crash is the point here, not pacing
    try:
        crash = await crash_mid_broadcast(
            api, tmp_path, RECIPIENTS, SEND_RATE_PER_SECOND="100", SEND_MAX_IN_FLIGHT=str(IN_FLIGHT)
        )
    finally:
        await api.stop()
    assert 0 < crash.at_kill < RECIPIENTS, "the kill did not land mid-broadcast: the test proves nothing"
    assert crash.lost == 0
    assert crash.duplicates <= crash.announced <= IN_FLIGHT
    if crash.announced:
        assert f"{crash.announced} message" in crash.report and "may have arrived twice" in crash.report
