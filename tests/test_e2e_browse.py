"""End to end: a day by track or by room, their sessions in time slots, cards that lead on, /now and /next paged
and narrowed, and past sessions shown as past."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from bot.console.api import Call
from tests.conftest import FIXTURES, BotHarness, make_harness, shared_schedule

WEDNESDAY_LATE_MORNING = datetime.fromisoformat("2024-06-26T11:40:00+02:00")
FOSDEM_SATURDAY = datetime.fromisoformat("2025-02-01T11:00:00+01:00")


def shown(calls: list[Call]) -> Call:
    (call,) = [c for c in calls if c.method in ("sendMessage", "editMessageText") and not c.error]
    return call


def labels(call: Call) -> list[str]:
    return call.button_labels


async def tap(h: BotHarness, call: Call, label: str) -> Call:
    """Press the button of `call` whose label starts with `label`, and return what it shows."""
    found = [b["callback_data"] for row in call.buttons for b in row if b["text"].startswith(label)]
    assert found, f"no {label!r} in {labels(call)}"
    return shown(await h.press(call.result, found[0]))


async def test_a_day_by_track_then_by_room_with_their_counts(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=WEDNESDAY_LATE_MORNING) as h:
        days = shown(await h.say("/programme"))
        tracks = await tap(h, days, "Wed 26 June")
        assert "Wednesday 26 June 2024</b> · Tracks\n10 sessions" in tracks.text
        assert labels(tracks) == [
            "Connecting Missions · 1",
            "Finance · 1",
            "Multi-level governance · 1",
            "Peer learning · 1",
            "Plenary · 3",
            "Other sessions · 3",  # sessions the programme files under no track
            "📍 By room",
            "🕘 By time",
            "📅 All days",
        ]
        plenary = await tap(h, tracks, "Plenary")
        assert plenary.text.startswith("🏷 <b>Plenary</b> · Wed 26 June · 3 sessions")
        assert "Times in Europe/Madrid" in plenary.text
        times = [label[:5] for label in labels(plenary)[:3]]
        assert times == sorted(times)  # in time order
        assert labels(plenary)[-1] == "⬅ Tracks"

        rooms = await tap(h, await tap(h, plenary, "⬅ Tracks"), "📍 By room")
        assert "Wednesday 26 June 2024</b> · Rooms" in rooms.text
        assert labels(rooms)[:2] == ["Sala José Iturbi · 2", "Sala Joaquín Rodrigo · 3"]
        assert labels(rooms)[-3:] == ["🏷 By track", "🕘 By time", "📅 All days"]
        iturbi = await tap(h, rooms, "Sala José Iturbi")
        assert iturbi.text.startswith("📍 <b>Sala José Iturbi</b> · Wed 26 June · 2 sessions")
        # Past sessions are shown, marked as over; what runs now is marked too.
        assert "✓ <b>09:00–10:00</b> Opening session" in iturbi.text and "(over)" in iturbi.text
        assert "▶ <b>11:30–12:30</b> Valencia Cities Climate Week" in iturbi.text and "(on now)" in iturbi.text


async def test_a_card_leads_to_its_room_track_and_neighbours(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=WEDNESDAY_LATE_MORNING) as h:
        card = shown(await h.press(shown(await h.say("/programme")).result, "ses|cmc24-d2-opening-mayors"))
        assert labels(card)[0] == "☆ Add to my agenda"
        assert "📍 Sala José Iturbi" in labels(card) and "🏷 Plenary" in labels(card)
        assert labels(card)[-2:] == ["⬅ Back to Wed 26 June", "📤 Share"]
        # The room's day, opened at what runs there now, later in the day than this card.
        room = await tap(h, card, "📍 Sala José Iturbi")
        assert "▶ <b>11:30–12:30</b>" in room.text and "(on now)" in room.text
        track = await tap(h, card, "🏷 Plenary")
        assert track.text.startswith("🏷 <b>Plenary</b> · Wed 26 June")
        following = await tap(h, card, "11:30 Valencia")  # the next session in the same room
        assert "Leveraging multi-level governance" in following.text
        back = await tap(h, following, "◀ 09:00")
        assert back.text == card.text


async def test_the_room_marks_what_is_next_there(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=datetime.fromisoformat("2024-06-26T10:30:00+02:00")) as h:
        card = shown(await h.press(shown(await h.say("/programme")).result, "ses|cmc24-d2-opening-mayors"))
        room = await tap(h, card, "📍 Sala José Iturbi")
        assert "Valencia Cities Climate Week" in room.text.split("⏭ <i>next in this room</i>")[0]
        assert room.text.count("next in this room") == 1


async def test_fosdem_tracks_index_long_track_times_and_a_slot_that_continues(tmp_path: Path) -> None:
    path = shared_schedule("fosdem-2025-pentabarf.xml")
    async with make_harness(tmp_path, programme_path=path, now=FOSDEM_SATURDAY) as h:
        days = shown(await h.say("/programme"))
        index = await tap(h, days, "Sat 1 February")
        assert "36 in all, A–Z: choose where to start." in index.text
        assert len([b for b in labels(index) if " – " in b]) == 6  # six pages of six tracks
        first = await tap(h, index, labels(index)[0])
        assert "Tracks · page 1 of 6" in first.text and all(" · " in b for b in labels(first)[:6])
        assert labels(first)[-2:] == ["Later ▶", "⬅ Tracks"]
        # A track with more than two pages opens on its times, so a session is one tap further, not three.
        containers = await tap(h, await tap(h, index, "Containers – "), "Containers · 22")
        assert "Choose a time:" in containers.text and "🕘 Times in Europe/Brussels" in containers.text
        assert len(labels(containers)) == 5 and labels(containers)[-1] == "⬅ Tracks"
        page = await tap(h, containers, labels(containers)[-2])
        assert "🏷 <b>Containers</b> · Sat 1 February · 22 sessions · page 4 of 4" in page.text
        # The whole day by time: 24 sessions start at 10:30, more than a page holds, and the page says so.
        by_time = await tap(h, index, "🕘 By time")
        pages = [by_time]
        while "continues on the next page" not in pages[-1].text:
            pages.append(await tap(h, pages[-1], "Later ▶"))
        assert "(this time slot continues on the next page)" in pages[-1].text
        assert len(labels(pages[-1])) <= 10


async def test_now_pages_with_more_and_narrows_to_a_track_or_room(tmp_path: Path) -> None:
    path = shared_schedule("fosdem-2025-pentabarf.xml")
    async with make_harness(tmp_path, programme_path=path, now=FOSDEM_SATURDAY) as h:
        now = shown(await h.say("/now"))
        assert "On now" in now.text and "page 1 of" in now.text and "…and" not in now.text
        assert now.text.endswith("🕘 Times in Europe/Brussels, CET (UTC+01:00)")
        assert labels(now)[-3:] == ["More ▶", "🔎 Narrow down", "⏭ Next"]
        second = await tap(h, now, "More ▶")
        assert "page 2 of" in second.text and "◀ Back" in labels(second)
        assert not set(labels(second)[:6]) & set(labels(now)[:6])
        which = await tap(h, second, "🔎 Narrow down")
        assert "Which track?" in which.text and "📍 By room" in labels(which)
        assert labels(which)[0] == "Android Open Source Project · 1"
        narrowed = await tap(h, which, "Android Open Source Project")
        assert "🏷 Android Open Source Project" in narrowed.text and "Times in Europe/Brussels" in narrowed.text
        assert len(labels(narrowed)) == 3 and labels(narrowed)[-2:] == ["✖ Show all", "⏭ Next"]
        room = await tap(h, await tap(h, which, "📍 By room"), "H.1308 (Rolin) · 1")
        assert "📍 H.1308 (Rolin)" in room.text and len(labels(room)) == 3  # the one talk, show all, next
        upcoming = shown(await h.say("/next"))
        assert "Starting next" in upcoming.text and "page 1 of" in upcoming.text
        assert labels(upcoming)[-1] == "⏱ Now"


async def test_a_programme_without_tracks_skips_them_and_one_room_skips_rooms(tmp_path: Path) -> None:
    async with make_harness(tmp_path, programme_path=FIXTURES / "agenda.yaml") as h:
        rooms = await tap(h, shown(await h.say("/programme")), "Tue 25 June")
        assert "Rooms" in rooms.text and "🏷 By track" not in labels(rooms)
    single = tmp_path / "one-room.yaml"
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace("room: b", "room: a")
    single.write_text(text, encoding="utf-8")
    async with make_harness(tmp_path / "single", programme_path=single) as h:
        day = await tap(h, shown(await h.say("/programme")), "Tue 25 June")
        assert "<b>Tuesday 25 June 2024</b>" in day.text and labels(day)[-1] == "⬅ All days"
        card = await tap(h, day, "09:00 Opening")
        assert not [b for b in labels(card) if b.startswith(("📍", "🏷"))]


async def test_old_day_buttons_still_open_the_day(tmp_path: Path) -> None:
    async with make_harness(tmp_path) as h:
        menu: dict[str, Any] = shown(await h.say("/programme")).result
        page = shown(await h.press(menu, "day|20240625|1"))
        assert "Tuesday 25 June 2024</b> · page 2 of 3" in page.text


async def test_stale_or_forged_browse_buttons_get_a_friendly_answer(tmp_path: Path) -> None:
    async with make_harness(tmp_path, now=WEDNESDAY_LATE_MORNING) as h:
        menu = shown(await h.say("/programme")).result
        for data, notice, then in (
            ("tk|20240626|00000000", "That track or room has no sessions on this day any more.", "· Tracks"),
            ("dt|20300101", "That day is not part of the programme.", "choose a day"),
            ("rm|20240626|00000000|3", "That track or room has no sessions on this day any more.", "· Rooms"),
            ("rm|20240699|abc", "That day is not part of the programme.", "choose a day"),
        ):
            calls = await h.press(menu, data)
            answers = [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"]
            assert answers == [notice], data
            assert then in shown(calls).text, data
        narrowed = shown(await h.press(menu, "nw|n|0|t00000000"))
        assert "Nothing in this track or room at the moment." in narrowed.text
        assert narrowed.button_labels == ["✖ Show all", "⏭ Next"]
        calls = await h.press(menu, "nw|q|0|")  # malformed: the stale-button answer, never an error
        assert [c.params.get("text") for c in calls if c.method == "answerCallbackQuery"] == [
            "This button has expired. Here is the current menu."
        ]
