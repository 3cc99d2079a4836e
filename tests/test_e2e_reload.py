"""End to end through the Bot API: an organiser's /reload with confirmation, one combined alert per affected
delegate and none for the others, reminders at the new time, debounce, files sent to the bot, bad input."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.console.api import Call
from bot.programme_updates import apply as updates
from bot.reminders.queue import tick
from bot.storage import bookmarks, preferences
from tests.conftest import FIXTURES, BotHarness, make_harness

ADMIN = 1
RELOAD = FIXTURES / "import" / "reload.yaml"
JUNE_1 = datetime.fromisoformat("2024-06-01T10:00:00+02:00")
ALERT = "Programme change for your agenda"


@asynccontextmanager
async def bot(tmp_path: Path, now: datetime = JUNE_1, **settings: Any) -> AsyncIterator[tuple[BotHarness, Path]]:
    """A bot on a copy of the reload fixture (PROGRAMME_PATH), with one organiser."""
    path = tmp_path / "programme.yaml"
    shutil.copy(RELOAD, path)
    async with make_harness(tmp_path, now=now, programme_path=path, admin_ids=frozenset({ADMIN}), **settings) as h:
        yield h, path


def edit(path: Path, *changes: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


PANEL_MOVED = (
    'start: "2024-06-26T11:30", end: "2024-06-26T12:30", room: iturbi',
    'start: "2024-06-26T12:00", end: "2024-06-26T13:00", room: rodrigo',
)
WORKSHOP_CANCELLED = ("title: Data workshop,", "title: Data workshop, status: cancelled,")
OPENING_RENAMED = ("title: Opening,", "title: Opening and welcome,")
LATE_MOVED = (
    'start: "2024-06-25T16:00", end: "2024-06-25T17:00"',
    'start: "2024-06-25T16:30", end: "2024-06-25T17:30"',
)


async def follow(h: BotHarness, user_id: int, *session_ids: str) -> None:
    await h.say("/start", user_id=user_id)
    for sid in session_ids:
        await bookmarks.add_bookmark(h.services.database, user_id, sid, h.services.clock.now())


async def drained(h: BotHarness, *quiet: int, timeout: float = 5.0) -> None:
    """Wait until the outbox sender has sent every outbox row that is due, then until it has made a pass after that.

    `quiet`: chats that must get nothing more, whose last message may be less than a second old (the outbox sender
    skips them until that second is over; BotHarness.settle)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    now = h.services.clock.now().astimezone(UTC).isoformat()  # the outbox stores UTC ISO strings
    while loop.time() < end:
        async with h.services.database.execute(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending') AND not_before <= ?", (now,)
        ) as cur:
            (due,) = await cur.fetchone()  # type: ignore[misc]
        if not due:
            await h.settle(*quiet)
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"outbox not drained at {now}")


def alerts(h: BotHarness, user_id: int) -> list[Call]:
    return [c for c in h.api.sent(user_id) if ALERT in c.text]


def reminders(h: BotHarness, user_id: int) -> list[Call]:
    return [c for c in h.api.sent(user_id) if c.shown.startswith("⏰ Starting soon:")]


async def reload_and_apply(h: BotHarness) -> Call:
    (summary,) = [c for c in await h.say("/reload", user_id=ADMIN) if c.method == "sendMessage"]
    assert summary.button_labels == ["✅ Apply", "✖ Discard"]
    calls = await h.press(summary, summary.buttons[0][0]["callback_data"], user_id=ADMIN)
    edits = [c for c in calls if c.method == "editMessageText"]
    assert len(edits) == 1, [(c.method, c.text[:300], c.error) for c in calls]
    return edits[0]


async def test_reload_shows_the_difference_and_applies_only_after_confirmation(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, path):
        await follow(h, 101, "s-panel", "s-open")
        await follow(h, 102, "s-work")
        await follow(h, 103, "s-close")
        await follow(h, 104, "s-panel")
        (menu,) = [c for c in await h.say("/settings", user_id=104) if c.method == "sendMessage"]
        toggle = next(b["callback_data"] for row in menu.buttons for b in row if b["text"].startswith("🔔"))
        await h.press(menu, toggle, user_id=104)  # 104 switches change alerts off in /settings
        assert not (await preferences.get_preferences(h.services.database, 104)).change_alerts
        edit(path, PANEL_MOVED, WORKSHOP_CANCELLED, OPENING_RENAMED)

        (summary,) = [c for c in await h.say("/reload", user_id=ADMIN) if c.method == "sendMessage"]
        assert "Programme update" in summary.shown and "programme.yaml" in summary.shown
        assert "Added: 0, 🗑 Removed: 0, ❌ Cancelled: 1, ✅ Restored: 0, 🔁 Changed: 2" in summary.shown
        assert "Governance panel: Wed 26 June 11:30 Sala Iturbi → 12:00 Sala Rodrigo (time, room)" in summary.shown
        assert "2 delegates follow the affected sessions" in summary.shown  # 104 switched alerts off
        panel = h.services.programme.session("s-panel")
        assert panel is not None and panel.room_id == "iturbi", "nothing applied before the confirmation"

        calls = await h.press(summary, summary.buttons[0][0]["callback_data"], user_id=ADMIN)
        (done,) = [c for c in calls if c.method == "editMessageText"]
        assert "Applied: programme version 2 is now in force." in done.shown
        assert "2 delegates will get one message about their sessions (within 10 min)." in done.shown
        panel = h.services.programme.session("s-panel")
        assert panel is not None and panel.room_id == "rodrigo"

        await drained(h, 101)
        assert not alerts(h, 101), "alerts wait for the debounce"
        h.clock.set(h.clock.now() + timedelta(minutes=10, seconds=1))
        await drained(h, 103, 104)
        (first,) = alerts(h, 101)
        assert "Governance panel\nWed 26 June 11:30 Sala Iturbi → 12:00 Sala Rodrigo" in first.shown
        assert "Opening and welcome\nTue 25 June 09:00 Sala Iturbi\n(was “Opening”)" in first.shown
        assert "Data workshop" not in first.shown, "nothing about sessions they do not follow"
        (second,) = alerts(h, 102)
        assert "❌ Cancelled: Data workshop\nWed 26 June 11:30 Sala Rodrigo" in second.shown
        assert "At the same time instead:" in second.shown
        assert "• 11:45 Side meeting · Sala Martín" in second.shown
        assert "• 12:00 Governance panel · Sala Rodrigo" in second.shown
        assert second.button_labels[:2] == ["11:45 Side meeting", "12:00 Governance panel"]  # each opens its card
        assert not h.api.sent(103)[1:], "unaffected delegates get nothing"
        assert not alerts(h, 104), "change alerts switched off"

        # An alternative opens its card, which bookmarks it.
        (card,) = [c for c in await h.press(second, second.buttons[0][0]["callback_data"], user_id=102) if c.shown]
        assert "Side meeting" in card.shown and card.button_labels[0] == "☆ Add to my agenda"
        await h.press(card, card.buttons[0][0]["callback_data"], user_id=102)
        assert "s-side" in await bookmarks.bookmarked_ids(h.services.database, 102)


async def test_non_organisers_are_refused_and_discard_changes_nothing(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, path):
        (refusal,) = [c for c in await h.say("/reload", user_id=55) if c.method == "sendMessage"]
        assert refusal.shown == "Sorry, this is for organisers."
        edit(path, PANEL_MOVED)
        (summary,) = [c for c in await h.say("/reload", user_id=ADMIN) if c.method == "sendMessage"]
        forged = await h.press(summary, summary.buttons[0][0]["callback_data"], user_id=55)
        assert any(c.method == "answerCallbackQuery" and "organisers" in c.params.get("text", "") for c in forged)
        calls = await h.press(summary, summary.buttons[0][1]["callback_data"], user_id=ADMIN)
        assert any("Discarded. The programme in force is unchanged." in c.shown for c in calls)
        panel = h.services.programme.session("s-panel")
        assert panel is not None and panel.room_id == "iturbi"
        again = await h.press(summary, summary.buttons[0][0]["callback_data"], user_id=ADMIN)
        notice = "This update is no longer waiting (it was discarded)."
        assert any(c.params.get("text") == notice for c in again if c.method == "answerCallbackQuery")


async def test_reload_without_changes_says_so(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, _path):
        (reply,) = [c for c in await h.say("/reload", user_id=ADMIN) if c.method == "sendMessage"]
        assert reply.shown.startswith("✅ No changes:")
        assert not reply.buttons


async def test_reminders_follow_the_new_time_and_never_fire_at_the_old(tmp_path: Path) -> None:
    async with bot(tmp_path, now=datetime.fromisoformat("2024-06-26T11:14:00+02:00")) as (h, path):
        await follow(h, 101, "s-panel")
        await tick(h.services)  # the 11:30 reminder (due 11:20) is queued now
        async with h.services.database.execute("SELECT key FROM outbox WHERE kind = 'reminder'") as cur:
            assert [r[0] for r in await cur.fetchall()] == ["reminder:101:s-panel:20240626T093000Z"]
        edit(path, PANEL_MOVED)
        await reload_and_apply(h)
        await drained(h)
        (alert,) = alerts(h, 101)  # the session is near: the alert does not wait for the debounce
        assert "11:30 Sala Iturbi → 12:00 Sala Rodrigo" in alert.shown

        for minute in (15, 18, 20, 25):
            h.clock.set(datetime.fromisoformat(f"2024-06-26T11:{minute}:00+02:00"))
            await tick(h.services)
            await drained(h, 101)
        assert reminders(h, 101) == [], "nothing at the old time"
        h.clock.set(datetime.fromisoformat("2024-06-26T11:49:58+02:00"))
        await tick(h.services)
        await drained(h)
        (reminder,) = reminders(h, 101)
        assert "Governance panel" in reminder.shown
        assert "12:00–13:00" in reminder.shown and "Sala Rodrigo" in reminder.shown


async def test_two_quick_imports_merge_into_one_message(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, path):
        await follow(h, 101, "s-panel", "s-late")
        await follow(h, 102, "s-late")
        edit(path, PANEL_MOVED)
        await reload_and_apply(h)
        h.clock.set(h.clock.now() + timedelta(minutes=3))
        edit(
            path,
            LATE_MOVED,
            ("room: rodrigo,\n     speakers: [ada, grace]", "room: martin,\n     speakers: [ada, grace]"),
        )
        done = await reload_and_apply(h)
        assert "version 3" in done.shown
        h.clock.set(h.clock.now() + timedelta(minutes=3))
        await drained(h, 101)
        assert not alerts(h, 101), "the first window is still open"
        h.clock.set(h.clock.now() + timedelta(minutes=5))
        await drained(h, 102)
        (merged,) = alerts(h, 101)
        assert "Governance panel\nWed 26 June 11:30 Sala Iturbi → 12:00 Sala Martín" in merged.shown  # first → last
        assert "Late session\nTue 25 June 16:00 Sala Rodrigo → 16:30" in merged.shown
        assert not alerts(h, 102), "102's window opened with the second import"
        h.clock.set(h.clock.now() + timedelta(minutes=3))
        await drained(h, 101)
        (only_late,) = alerts(h, 102)
        assert "Late session" in only_late.shown and "Governance panel" not in only_late.shown
        assert len(alerts(h, 101)) == 1


async def test_a_change_undone_within_the_debounce_sends_nothing(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, path):
        await follow(h, 101, "s-panel")
        original = path.read_text(encoding="utf-8")
        edit(path, PANEL_MOVED)
        await reload_and_apply(h)
        path.write_text(original, encoding="utf-8")
        await reload_and_apply(h)
        h.clock.set(h.clock.now() + timedelta(minutes=11))
        await drained(h, 101)
        assert alerts(h, 101) == []


async def test_a_removed_session_keeps_its_bookmarks_and_comes_back_restored(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, path):
        await follow(h, 101, "s-close")
        original = path.read_text(encoding="utf-8")
        text = original.replace(
            '  - {id: s-close, title: Closing, start: "2024-06-26T17:00", end: "2024-06-26T18:00", room: iturbi}\n', ""
        )
        path.write_text(text, encoding="utf-8")
        await reload_and_apply(h)
        h.clock.set(h.clock.now() + timedelta(minutes=11))
        await drained(h)
        (gone,) = alerts(h, 101)
        assert "No longer in the programme: Closing\n(was Wed 26 June 17:00 Sala Iturbi)" in gone.shown
        assert "s-close" in await bookmarks.bookmarked_ids(h.services.database, 101)
        path.write_text(original, encoding="utf-8")
        await reload_and_apply(h)
        h.clock.set(h.clock.now() + timedelta(minutes=11))
        await drained(h)
        back = alerts(h, 101)[-1]
        assert "✅ Back in the programme: Closing\nWed 26 June 17:00 Sala Iturbi" in back.shown


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("programme.xml", (FIXTURES / "import" / "frab-modern.xml").read_bytes()[:900], "malformed XML"),
        ("programme.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "no usable time zone"),
        ("programme.csv", b"title,start,end,room\n", "the file contains no sessions"),
        (
            "programme.csv",
            b"id,title,start,end,room,timezone\na,A,2024-06-26 10:00,11:00,R,Europe/Madrid\n"
            b"a,B,2024-06-26 11:00,12:00,R,Europe/Madrid\n",
            "duplicate id 'a'",
        ),
        ("programme.csv", b"title,start,end,room,timezone\nA,2024-06-26 10:00,11:00,R,Mars/Olympus\n", "Mars/Olympus"),
        ("notes.txt", b"just some notes", "unrecognised programme format"),
        # These escaped as RecursionError and OverflowError: "Sorry, something went wrong".
        ("deep.json", b'{"schedule": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "line 1, column 113: nested too deeply"),
        ("late.csv", b"title,start,end,room,timezone\nA,9999-12-31 23:00,00:30,R,UTC\n", "line 2, start"),
        (
            "odd.ics",
            b"BEGIN:VCALENDAR\r\nX-WR-TIMEZONE:UTC\r\nBEGIN:VEVENT\r\nSUMMARY:T\r\nDTSTART:soon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "VEVENT[1] (T).DTSTART: unreadable value",
        ),
    ],
)
async def test_a_bad_file_is_refused_with_the_reason_and_changes_nothing(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    async with bot(tmp_path) as (h, _path):
        await follow(h, 101, "s-panel")
        before = h.services.programme
        (reply,) = [c for c in await h.send_file(ADMIN, name, content) if c.method == "sendMessage"]
        assert reply.shown.startswith("⚠️ The programme was not updated.")
        assert expected in reply.shown and name in reply.shown
        assert "all bookmarks are unchanged; no delegate was told anything" in reply.shown
        assert h.services.programme is before
        assert await bookmarks.bookmarked_ids(h.services.database, 101) == {"s-panel"}
        async with h.services.database.execute("SELECT COUNT(*) FROM outbox WHERE kind = 'change_alert'") as cur:
            assert (await cur.fetchone())[0] == 0  # type: ignore[index]


async def test_a_programme_file_sent_by_an_organiser_is_offered_for_confirmation(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, _path):
        content = RELOAD.read_text(encoding="utf-8")
        for old, new in (PANEL_MOVED,):
            content = content.replace(old, new)
        (summary,) = [
            c for c in await h.send_file(ADMIN, "new-programme.yaml", content.encode()) if c.method == "sendMessage"
        ]
        assert "new-programme.yaml" in summary.shown and "🔁 Changed: 1" in summary.shown
        (other,) = [
            c for c in await h.send_file(77, "new-programme.yaml", content.encode()) if c.method == "sendMessage"
        ]
        assert "I can only read text messages" in other.shown  # a delegate's file is not an update


async def test_the_bot_starts_from_the_latest_applied_version(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, path):
        edit(path, PANEL_MOVED)
        await reload_and_apply(h)
    shutil.copy(RELOAD, path)  # PROGRAMME_PATH is back to the old file; the database knows better
    async with make_harness(tmp_path, programme_path=path, admin_ids=frozenset({ADMIN})) as again:
        panel = again.services.programme.session("s-panel")
        assert panel is not None and panel.room_id == "rodrigo"
        assert updates.version_of(again.services.programme) == 2


async def test_confirming_an_outdated_summary_compares_again(tmp_path: Path) -> None:
    async with bot(tmp_path) as (h, path):
        edit(path, PANEL_MOVED)
        (first,) = [c for c in await h.say("/reload", user_id=ADMIN) if c.method == "sendMessage"]
        edit(path, OPENING_RENAMED)
        (second,) = [c for c in await h.say("/reload", user_id=ADMIN) if c.method == "sendMessage"]
        await h.press(second, second.buttons[0][0]["callback_data"], user_id=ADMIN)  # applies both changes
        calls = await h.press(first, first.buttons[0][0]["callback_data"], user_id=ADMIN)
        notices = [c.params.get("text", "") for c in calls if c.method == "answerCallbackQuery"]
        assert notices == ["The programme changed since this summary was made; here is the difference now."]
        (again,) = [c for c in calls if c.method == "editMessageText"]
        assert again.shown.startswith("📋 Programme update")
        # Compared with what is now in force, the first file only takes the new title back.
        assert "🔁 Changed: 1" in again.shown and "• Opening: Tue 25 June 09:00 Sala Iturbi (title)" in again.shown
        assert again.button_labels == ["✅ Apply", "✖ Discard"]


async def test_a_file_of_another_conference_needs_a_second_confirmation_and_cancel_discards_it(
    tmp_path: Path,
) -> None:
    async with bot(tmp_path) as (h, _path):
        content = RELOAD.read_text(encoding="utf-8").replace("name: Reload Summit", "name: Another Summit", 1)
        content = content.replace(*PANEL_MOVED)
        (summary,) = [
            c for c in await h.send_file(ADMIN, "another.yaml", content.encode()) if c.method == "sendMessage"
        ]
        assert "⚠️ This is a different conference: “Another Summit” (25 Jun 2024 – 26 Jun 2024)" in summary.shown
        assert summary.button_labels == ["✅ Apply", "✖ Discard"]
        calls = await h.press(summary, summary.buttons[0][0]["callback_data"], user_id=ADMIN)
        (confirm,) = [c for c in calls if c.method == "editMessageText"]
        assert confirm.shown.startswith("⚠️ Replace the conference in force?")
        assert confirm.button_labels == ["⚠️ Replace the conference", "✖ Discard"]
        assert h.services.programme.name == "Reload Summit"
        (reply,) = [c for c in await h.say("/cancel", user_id=ADMIN) if c.method == "sendMessage"]
        assert reply.shown == (
            "Cancelled. Nothing was sent.\n"
            "The programme update you were shown was discarded; the programme in force is unchanged."
        )
        calls = await h.press(summary, confirm.buttons[0][0]["callback_data"], user_id=ADMIN)
        (answer,) = [c for c in calls if c.method == "answerCallbackQuery"]
        assert answer.params["text"].startswith("This update is no longer waiting")
        assert h.services.programme.name == "Reload Summit"
