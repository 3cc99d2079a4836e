"""End to end: the run-up plan delivered at its clock instants, once across restarts, in each language."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from bot.storage import bookmarks, preferences, users
from bot.storage.db import open_database
from tests.conftest import ROOT, BotHarness
from tests.support.organisers import ORGANISER, organiser_harness, press, sent

EN, ES, OPTED_OUT = 11, 12, 13


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def runup_texts(h: BotHarness, uid: int, marker: str) -> list[str]:
    return [c.shown for c in h.api.sent(uid) if marker in c.shown]


async def settle(h: BotHarness) -> None:
    """Run the run-up tick at the clock's time (as its job does every 0.1 s), then let the outbox sender send."""
    await h.run_job("runup-tick")
    await h.settle()


async def join(h: BotHarness, uid: int, language: str = "en") -> None:
    await users.record_contact(h.services.database, uid, f"D{uid}", language, h.clock.now())


async def test_each_message_once_at_its_time_in_the_language_across_a_restart(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=at("2024-06-10T09:00:00+02:00")) as h:
        db = h.services.database
        for uid, language in ((EN, "en"), (ES, "es"), (OPTED_OUT, "en")):
            await join(h, uid, language)
        await preferences.update_preferences(db, OPTED_OUT, h.clock.now(), runup=False)
        await bookmarks.add_bookmark(db, EN, "cmc24-d1-inaugural", h.clock.now())

        h.clock.set(at("2024-06-11T09:59:00+02:00"))
        await settle(h)
        assert runup_texts(h, EN, "starts in") == []  # never early

        h.clock.set(at("2024-06-11T10:00:05+02:00"))
        await h.api.wait_for(lambda c: c.chat_id == ES and "empieza" in c.text, timeout=10)
        await h.api.wait_for(lambda c: c.chat_id == EN and "starts in" in c.text, timeout=10)
        (english,) = runup_texts(h, EN, "starts in")
        assert english.startswith(
            "📣 Cities Mission Conference 2024 starts in 14 days at Palau de la Música de València."
        )
        (spanish,) = runup_texts(h, ES, "empieza")
        assert spanish.startswith(
            "📣 Cities Mission Conference 2024 empieza dentro de 14 días. Sede: Palau de la Música de València."
        )
        await settle(h)
        assert runup_texts(h, OPTED_OUT, "starts in") == []

    # A restart a few minutes later (and a clock that jumps back and forth) sends nothing again.
    async with organiser_harness(tmp_path, now=at("2024-06-11T10:05:00+02:00")) as h:
        await settle(h)
        h.clock.set(at("2024-06-11T09:00:00+02:00"))
        await settle(h)
        h.clock.set(at("2024-06-11T10:30:00+02:00"))
        await settle(h)
        assert runup_texts(h, EN, "starts in") == [] and runup_texts(h, ES, "empieza") == []

        # A delegate who joins now gets the next message, not the past one; bookmarks of the first day listed.
        late = 14
        await join(h, late)
        h.clock.set(at("2024-06-18T10:00:05+02:00"))
        await h.api.wait_for(lambda c: c.chat_id == late and "One week to go" in c.text, timeout=10)
        await h.api.wait_for(lambda c: c.chat_id == EN and "One week to go" in c.text, timeout=10)
        (week,) = runup_texts(h, EN, "One week to go")
        assert "opens on Tuesday 25 June" in week
        assert "• 09:30–10:15 Inaugural session of the València Cities Climate Week · Sala Joaquín Rodrigo" in week
        assert "Sala Joaquín Rodrigo\n🕘 Times in Europe/Madrid, CEST (UTC+02:00)" in week
        (late_week,) = runup_texts(h, late, "One week to go")
        assert "Times in" not in late_week  # no session, no time, no zone
        assert "You have not bookmarked any session for that day yet" in late_week
        assert runup_texts(h, late, "starts in") == []
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        async with db.execute("SELECT key, state FROM outbox WHERE key LIKE 'runup:d14:%' ORDER BY key") as cur:
            rows = [tuple(r) for r in await cur.fetchall()]
    finally:
        await db.close()
    assert rows == [(f"runup:d14:{EN}", "sent"), (f"runup:d14:{ES}", "sent")]


async def test_one_missed_while_down_is_sent_on_start_up_if_not_expired(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=at("2024-06-24T12:00:00+02:00")) as h:
        await join(h, EN)
    # Down over the 19:00 "evening before" message; back at 23:00, before its expiry at midnight.
    async with organiser_harness(tmp_path, now=at("2024-06-24T23:00:00+02:00")) as h:
        await h.api.wait_for(lambda c: c.chat_id == EN and "See you tomorrow" in c.text, timeout=10)
    # Down again over the 08:00 morning message of the first day; back at 11:00 (DIGEST_LATEST): no longer morning.
    async with organiser_harness(tmp_path, now=at("2024-06-25T11:00:00+02:00")) as h:
        await h.run_job("reminders")
        await settle(h)
        assert runup_texts(h, EN, "Good morning") == []
        (listing,) = sent(await h.say("/scheduled", user_id=ORGANISER))
        assert "morning-0625 · Tue 25 June 08:00 · ⌛ missed while the bot was down" in listing.shown
        assert "eve · Mon 24 June 19:00 · ✅ sent to 1 delegate" in listing.shown


async def test_organiser_skips_edits_and_makes_urgent_from_scheduled(tmp_path: Path) -> None:
    async with organiser_harness(tmp_path, now=at("2024-06-17T09:00:00+02:00")) as h:
        db = h.services.database
        await join(h, EN)
        await join(h, ES, "es")
        await join(h, OPTED_OUT)
        await preferences.update_preferences(db, OPTED_OUT, h.clock.now(), runup=False)
        (listing,) = sent(await h.say("/scheduled", user_id=ORGANISER))
        await press(h, listing, "sc|rs|d7")  # skip the 7-days-before message
        urgent = await press(h, listing, "sc|ru|eve")  # the evening before reaches everyone
        assert "d7 · Tue 18 June 10:00 · ⏭ skipped" in urgent.shown
        assert "eve · Mon 24 June 19:00 🚨" in urgent.shown
        languages = await press(h, listing, "sc|re|eve")
        assert languages.button_labels[:5] == ["en", "es", "fr", "de", "it"]
        start = len(h.api.calls)
        h.api.press(ORGANISER, listing.result, "sc|rl|eve:es")
        await h.api.wait_for(lambda c: c.method == "sendMessage" and "Send the new es text" in c.text, start=start)
        (saved,) = sent(await h.say("¡Mañana empezamos en {venue}! Faltan {days_to_go} días.", user_id=ORGANISER))
        assert "Saved eve (es)" in saved.shown and "en Palau de la Música de València!" in saved.shown

        h.clock.set(at("2024-06-18T10:00:05+02:00"))
        await settle(h)
        assert runup_texts(h, EN, "One week to go") == []
        h.clock.set(at("2024-06-24T19:00:05+02:00"))
        await h.api.wait_for(lambda c: c.chat_id == OPTED_OUT and "See you tomorrow" in c.text, timeout=10)
        await h.api.wait_for(lambda c: c.chat_id == ES and "Mañana empezamos" in c.text, timeout=10)
        (edited,) = runup_texts(h, ES, "Mañana empezamos")
        assert edited == "¡Mañana empezamos en Palau de la Música de València! Faltan 1 días."
        actions = [(a.action, a.detail) for a in reversed(await _audit(h))]
        assert actions == [("runup.skip", "d7"), ("runup.urgent", "eve"), ("runup.edit", "eve (es)")]


async def _audit(h: BotHarness) -> list:  # type: ignore[type-arg]
    from bot.storage.audit import entries as audit_log

    return await audit_log(h.services.database)


async def test_a_malformed_plan_keeps_the_previous_one_and_says_why(tmp_path: Path) -> None:
    plan = tmp_path / "runup.yaml"
    shutil.copy(ROOT / "data" / "runup.yaml", plan)
    async with organiser_harness(tmp_path, now=at("2024-06-10T09:00:00+02:00"), runup_path=plan) as h:
        await join(h, EN)
        plan.write_text(plan.read_text().replace("  - id: d14\n", "  - id: D 14!\n"))
        await settle(h)
        (listing,) = sent(await h.say("/scheduled", user_id=ORGANISER))
        assert "The run-up file has problems, so the previous plan stays in force:" in listing.shown
        assert f"{plan}: entries[0].id:" in listing.shown
        assert "d14 · Tue 11 June 10:00" in listing.shown
        h.clock.set(at("2024-06-11T10:00:05+02:00"))
        await h.api.wait_for(lambda c: c.chat_id == EN and "starts in 14 days" in c.text, timeout=10)
