"""A rehearsal of both conference days of the bundled programme: what each delegate receives, and when.

The bot runs on a rehearsal clock at 30× (its ticks, horizons and burst room scale as in a rehearsal), moved in
steps by the test: 5 minutes through the conference hours, 30 minutes at night. At each step the reminders and
run-up jobs run and the outbox sender sends what is due, so a row's `sent_at` is the step it went out at.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from bot.reminders.queue import tick
from bot.storage import bookmarks, preferences, users
from bot.storage.outbox import QueuedMessage, queued
from bot.storage.reminders import reminder_key, snooze_key
from tests.conftest import BotHarness, make_harness

SPEED = 30
START = datetime.fromisoformat("2024-06-24T18:00:00+02:00")  # the evening before: the "eve" run-up message
END = datetime.fromisoformat("2024-06-27T00:00:00+02:00")
ZONE = "🕘 Times in Europe/Madrid, CEST (UTC+02:00)"
# Who bookmarks what, and with which reminder lead (minutes).
KEEN, SPANISH, LATECOMER = 101, 102, 103
PLAN = {
    KEEN: ("en", 10, ["cmc24-d1-inaugural", "cmc24-d1-ws-ccc", "cmc24-d2-opening-mayors"]),
    SPANISH: ("es", 5, ["cmc24-d2-ws-finance", "cmc24-d2-closing"]),
    LATECOMER: ("de", 10, []),  # nothing until the afternoon of the first day
}
AFTERNOON = datetime.fromisoformat("2024-06-25T14:00:00+02:00")
LATE_MARKS = ["cmc24-d1-ws-governance", "cmc24-d2-governance-panel"]  # bookmarked by LATECOMER at AFTERNOON
SNOOZED = "cmc24-d2-opening-mayors"  # KEEN presses "remind me again 5 min before" on its reminder


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def step(now: datetime) -> timedelta:
    conference_hours = 7 <= now.astimezone(START.tzinfo).hour < 20 and now.date() >= at("2024-06-25T00:00+02:00").date()
    return timedelta(minutes=5 if conference_hours else 30)


async def sent_rows(h: BotHarness, chat_id: int) -> list[QueuedMessage]:
    async with h.services.database.execute(
        "SELECT * FROM outbox WHERE chat_id = ? AND state = 'sent' ORDER BY sent_at, id", (chat_id,)
    ) as cur:
        return [queued(row) for row in await cur.fetchall()]


async def run_days(h: BotHarness) -> None:
    """Move the clock through both days, running the jobs and letting the outbox sender send at each step."""
    db, snoozed = h.services.database, False
    now = START
    while now < END:
        h.clock.set(now)
        if now == AFTERNOON:
            for session_id in LATE_MARKS:
                await bookmarks.add_bookmark(db, LATECOMER, session_id, now)
            await tick(h.services, LATECOMER)  # what the bookmark button does
        await h.run_job("reminders")
        await h.run_job("runup-tick")
        await h.settle(*PLAN)
        if not snoozed:
            reminder = [c for c in h.api.sent(KEEN) if "Starting soon" in c.shown and "Opening session" in c.shown]
            if reminder:
                await h.press(reminder[0], f"rem|a|{SNOOZED}", user_id=KEEN)
                snoozed = True
        now += step(now)


async def test_both_days_one_morning_message_reminders_on_time_and_the_zone_everywhere(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=START, speed=SPEED, runup_tick_seconds=3600) as h:
        # Telegram's second between two messages to a chat is real time, which this test does not keep: each
        # step would wait it out for the chats just written to (a third of the test's time) for nothing.
        pacer = h.app.bot_data["outbox"].pacer
        pacer.pacing = replace(pacer.pacing, private_chat_interval=0.01)
        db = h.services.database
        programme = h.services.programme
        for uid, (language, lead, marks) in PLAN.items():
            await users.record_contact(db, uid, f"D{uid}", language, START - timedelta(days=3))
            await preferences.update_preferences(db, uid, START, reminder_minutes=lead)
            for session_id in marks:
                await bookmarks.add_bookmark(db, uid, session_id, START - timedelta(days=2))
        await run_days(h)

        margin = timedelta(minutes=5)  # one step: the rehearsal's burst room at 30× is 4 clock minutes
        for uid, (_, lead_minutes, marks) in PLAN.items():
            lead = timedelta(minutes=lead_minutes)
            rows = await sent_rows(h, uid)
            # What was expected, with the window its row had to go out in.
            expected: dict[str, tuple[datetime, datetime]] = {
                f"runup:eve:{uid}": (at("2024-06-24T19:00:00+02:00"),) * 2,
                f"digest:{uid}:2024-06-25": (at("2024-06-25T08:00:00+02:00"),) * 2,
                f"digest:{uid}:2024-06-26": (at("2024-06-26T08:00:00+02:00"),) * 2,
            }
            for session_id in marks + (LATE_MARKS if uid == LATECOMER else []):
                session = programme.session(session_id)
                assert session is not None
                expected[reminder_key(uid, session)] = (session.start - lead - margin, session.start - lead)
            if uid == KEEN:
                opening = programme.session(SNOOZED)
                assert opening is not None
                snooze_at = opening.start - timedelta(minutes=5)
                expected[snooze_key(uid, opening)] = (snooze_at, snooze_at)
            got = {r.key: r.sent_at for r in rows}
            assert sorted(got) == sorted(expected), f"delegate {uid}: unexpected or missing messages"
            for key, (earliest, latest) in expected.items():
                sent_at = got[key]
                assert sent_at is not None and earliest <= sent_at <= latest, f"{key} sent at {sent_at}"

            # One morning message a day (the keys above), nothing else in the chat, and every text that shows a
            # time carries the zone.
            texts = [c.shown for c in h.api.sent(uid)]
            assert len(texts) == len(rows) and sum(r.kind == "digest" for r in rows) == 2
            for text in texts:
                if re.search(r"\b\d{2}:\d{2}\b", text):
                    assert ZONE.split(" ", 1)[0] in text and "Europe/Madrid, CEST (UTC+02:00)" in text, text

        # The latecomer's first morning: the organisers' text and a pointer, never "you bookmarked: … none".
        (first, second) = [c.shown for c in h.api.sent(LATECOMER) if "Guten Morgen" in c.shown]
        assert "/programme" in first and "gemerkt" in first and "Uhr" not in first
        assert "Valencia Cities Climate Week" in second  # bookmarked in the afternoon of day one
