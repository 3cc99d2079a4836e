"""End to end: /speakers (A–Z, paged, the letter jump), a speaker's page, and the speaker buttons of a card."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.answer.text import fold, words
from bot.console.api import Call
from bot.programme.model import Programme
from bot.views import callback_data as cb
from tests.conftest import BotHarness, make_harness, shared_schedule

MAX_BUTTONS = 10
MAX_ROW = 2
STALE = "This button has expired"


def sends(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method in ("sendMessage", "editMessageText") and not c.error]


def flat(call: Call) -> list[dict[str, Any]]:
    return [b for row in call.buttons for b in row]


def assert_phone_layout(call: Call) -> None:
    buttons = flat(call)
    assert len(buttons) <= MAX_BUTTONS, call.button_labels
    assert all(len(row) <= MAX_ROW for row in call.buttons), call.button_labels
    assert all(len(b["callback_data"].encode()) <= cb.MAX_DATA_BYTES for b in buttons if "callback_data" in b)


def speaking_names(programme: Programme) -> list[str]:
    """The names of everyone named in a session, computed from the sessions rather than from the index."""
    return sorted({sp.name for s in programme.sessions for sp in programme.speakers_of(s)})


async def walk_index(h: BotHarness) -> tuple[list[str], list[Call]]:
    """/speakers, then 'Later ▶' until the last page: the speaker buttons' labels in order, and every page."""
    (page,) = sends(await h.say("/speakers"))
    pages = [page]
    while True:
        assert_phone_layout(page)
        later = [b for b in flat(page) if b["text"].startswith("Later")]
        if not later:
            break
        (page,) = sends(await h.press(page.result, later[0]["callback_data"]))
        pages.append(page)
    names = [b["text"] for p in pages for b in flat(p) if b["callback_data"].startswith(f"{cb.SPEAKER}|")]
    return names, pages


def sort_key(name: str) -> str:
    return " ".join(words(fold(name)))


async def test_paging_reaches_every_speaker_of_the_bundled_programme(harness: BotHarness) -> None:
    names, pages = await walk_index(harness)
    assert sorted(names) == speaking_names(harness.services.programme)
    assert names == sorted(names, key=sort_key)
    assert len(pages) == 2 and "1–7 of 13" in pages[0].text and "8–13 of 13" in pages[1].text
    # Thirteen names page through in two taps: no letter jump.
    assert not [p for p in pages if cb.SPEAKER_LETTERS in [b["callback_data"] for b in flat(p)]]


async def test_the_command_is_in_the_menu_and_in_help(harness: BotHarness) -> None:
    menu = next(c for c in harness.api.calls if c.method == "setMyCommands")
    assert "speakers" in [c["command"] for c in menu.params["commands"]]
    (reply,) = sends(await harness.say("/help", language="de"))
    assert "/speakers — Vortragende von A bis Z und ihre Sitzungen" in reply.text


async def test_a_speaker_page_lists_exactly_their_sessions(harness: BotHarness) -> None:
    programme = harness.services.programme
    (index,) = sends(await harness.say("/speakers"))
    (button,) = [b for b in flat(index) if b["text"] == "Maider Etxebarria"]
    (page,) = sends(await harness.press(index.result, button["callback_data"]))
    assert_phone_layout(page)
    assert "<b>Maider Etxebarria</b>" in page.text
    expected = [s for s in programme.sessions if "maider-etxebarria" in s.speaker_ids]
    opened = [b["callback_data"] for b in flat(page) if b["callback_data"].startswith(f"{cb.SESSION}|")]
    assert opened == [cb.session(s.key) for s in expected]
    assert "1 session" in page.text and "Debate of Spanish Mission Cities mayors" in page.text

    (catala,) = sends(await harness.press(index.result, cb.speaker(programme.speaker("maria-jose-catala").key)))
    assert "<i>Mayor of Valencia, conference host</i>" in catala.text
    opened = [b["callback_data"] for b in flat(catala) if b["callback_data"].startswith(f"{cb.SESSION}|")]
    assert opened == ["ses|cmc24-d1-inaugural", "ses|cmc24-d2-carta-verde"]
    # Back to the index page that holds her name.
    (back,) = sends(await harness.press(index.result, catala.buttons[-1][0]["callback_data"]))
    assert "María José Catalá" in back.button_labels


async def test_a_cards_speaker_buttons_open_the_speaker_pages(harness: BotHarness) -> None:
    (menu,) = sends(await harness.say("/start"))
    (card,) = sends(await harness.press(menu, "ses|cmc24-d1-inaugural"))
    assert_phone_layout(card)
    assert ["🎤 María José Catalá", "🎤 Patrick Child"] in [[b["text"] for b in row] for row in card.buttons]
    (child,) = [b for b in flat(card) if b["text"] == "🎤 Patrick Child"]
    (page,) = sends(await harness.press(menu, child["callback_data"]))
    assert "<b>Patrick Child</b>" in page.text and "European Commission" in page.text
    assert "ses|cmc24-d1-inaugural" in [b["callback_data"] for b in flat(page)]

    # Five speakers: one button leads to all of them, each then to their page.
    (panel,) = sends(await harness.press(menu, "ses|cmc24-d2-carta-verde"))
    assert_phone_layout(panel)
    (many,) = [b for b in flat(panel) if b["text"].startswith("🎤")]
    assert many["text"] == "🎤 Speakers (5)"
    (listed,) = sends(await harness.press(menu, many["callback_data"]))
    assert_phone_layout(listed)
    assert listed.button_labels[:5] == [
        "María José Catalá",
        "José Luis Martínez-Almeida",
        "Natalia Chueca",
        "Jesús Julio Carnero",
        "Maider Etxebarria",
    ]
    assert listed.button_labels[-1] == "⬅ Back to the session"
    (chueca,) = sends(await harness.press(menu, listed.buttons[1][0]["callback_data"]))
    assert "<b>Natalia Chueca</b>" in chueca.text


async def test_forged_and_stale_speaker_buttons_get_the_stale_answer(harness: BotHarness) -> None:
    (menu,) = sends(await harness.say("/start"))
    for data in (
        "sp|nobody|0",
        "sp||0",
        "sp|andre-sobczak|x",
        "sp|andre-sobczak",
        "spk|99999",
        "spk|13",
        "spk|-1",
        "spk|x",
        "sps|no-such-session",
        "sps|cmc24-d1-lunch",  # a session without speakers
        "sps|",
    ):
        calls = await harness.press(menu, data)
        answers = [c for c in calls if c.method == "answerCallbackQuery"]
        assert [a.params.get("text", "") for a in answers] == ["This button has expired. Here is the current menu."], (
            data
        )
        assert [c for c in sends(calls) if "/speakers" in c.text], f"{data!r}: no menu"
        assert not [c for c in calls if c.error], data


HOSTILE_NAME = "<b>Eve</b> & <script>alert(1)</script>"


def tiny_programme(path: Path, speakers: list[dict[str, str]], speaker_ids: list[str]) -> Path:
    """A one-session native programme, written as JSON (which is YAML) so no value needs quoting."""
    doc = {
        "conference": {"name": "Tiny <i>Conf</i>", "timezone": "UTC", "days": ["2024-06-01"]},
        "venue": {"name": "Hall"},
        "rooms": [{"id": "a", "name": "Room A"}],
        "speakers": speakers,
        "sessions": [
            {
                "id": "s1",
                "title": "Talk <u>one</u>",
                "start": "2024-06-01T10:00",
                "end": "2024-06-01T11:00",
                "room": "a",
                "speakers": speaker_ids,
            }
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


async def test_hostile_speaker_names_are_escaped(tmp_path: Path) -> None:
    speakers = [
        {"id": "eve", "name": HOSTILE_NAME, "role": "<i>CEO", "organisation": "A & B", "bio": "x < y </b>"},
        *({"id": f"p{i}", "name": f"Person {i} <b>"} for i in range(4)),
        {"id": "zw", "name": "\u200b\u200b"},  # shows nothing: Telegram refuses an empty button label
    ]
    path = tiny_programme(tmp_path / "tiny.yaml", speakers, [s["id"] for s in speakers])
    async with make_harness(tmp_path, programme_path=path) as h:
        (index,) = sends(await h.say("/speakers"))
        assert "Tiny &lt;i&gt;Conf&lt;/i&gt;" in index.text
        assert HOSTILE_NAME in index.button_labels and "?" in index.button_labels
        (eve,) = [b for b in flat(index) if b["text"] == HOSTILE_NAME]
        (page,) = sends(await h.press(index.result, eve["callback_data"]))
        assert "<b>&lt;b&gt;Eve&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;</b>" in page.text
        assert "&lt;i&gt;CEO, A &amp; B" in page.text and "x &lt; y &lt;/b&gt;" in page.text
        assert "Talk &lt;u&gt;one&lt;/u&gt;" in page.text
        assert HOSTILE_NAME in h.last_message()["text"]  # shown as written, not as markup
        (card,) = sends(await h.press(index.result, "ses|s1"))
        (many,) = [b for b in flat(card) if b["text"].startswith("🎤")]
        (listed,) = sends(await h.press(index.result, many["callback_data"]))
        escaped = "&lt;b&gt;Eve&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
        assert f"• {escaped} — &lt;i&gt;CEO, A &amp; B" in listed.text
        assert "Person 3 &lt;b&gt;" in listed.text


async def test_a_programme_without_speakers_says_so_politely(tmp_path: Path) -> None:
    path = tiny_programme(tmp_path / "tiny.yaml", [], [])
    async with make_harness(tmp_path, programme_path=path) as h:
        (reply,) = sends(await h.say("/speakers"))
        assert "does not name its speakers" in reply.text and "Tiny &lt;i&gt;Conf&lt;/i&gt;" in reply.text
        assert reply.button_labels == ["📅 Programme"]
        (card,) = sends(await h.press(reply.result, "ses|s1"))
        assert not [label for label in card.button_labels if label.startswith("🎤")]


async def test_fosdem_2025_every_speaker_is_reached_and_the_letter_jump_lands_on_its_letter(tmp_path: Path) -> None:
    path = shared_schedule("fosdem-2025-pentabarf.xml")
    # A reader tapping through 142 pages as fast as a test can is no flood.
    async with make_harness(tmp_path, programme_path=path, input_burst=1000, input_per_second=1000) as h:
        programme = h.services.programme
        names, pages = await walk_index(h)
        assert sorted(names) == speaking_names(programme)
        assert len(names) > 900
        jump = [b for b in flat(pages[0]) if b["callback_data"] == cb.SPEAKER_LETTERS]
        assert jump, "a long index offers the letter jump"
        (letters,) = sends(await h.press(pages[0].result, cb.SPEAKER_LETTERS))
        assert_phone_layout(letters)
        assert letters.button_labels[-1].startswith("W–Z")
        for button in flat(letters):
            first_letter = button["text"].split(" · ")[0].split("–")[0]
            (landed,) = sends(await h.press(letters.result, button["callback_data"]))
            assert_phone_layout(landed)
            first = next(b["text"] for b in flat(landed) if b["callback_data"].startswith(f"{cb.SPEAKER}|"))
            assert first_letter == "#" or sort_key(first).upper().startswith(first_letter), (button["text"], first)


async def test_fosdem_2025_a_speaker_page_and_a_card_link_both_ways(tmp_path: Path) -> None:
    path = shared_schedule("fosdem-2025-pentabarf.xml")
    async with make_harness(tmp_path, programme_path=path) as h:
        programme = h.services.programme
        # The busiest speaker: their sessions need a second page.
        speaker = max(programme.speakers, key=lambda sp: sum(sp.id in s.speaker_ids for s in programme.sessions))
        expected = [cb.session(s.key) for s in programme.sessions if speaker.id in s.speaker_ids]
        assert len(expected) > 8
        (menu,) = sends(await h.say("/start"))
        (card,) = sends(await h.press(menu, expected[0]))
        assert_phone_layout(card)
        (button,) = [b for b in flat(card) if b["text"] == f"🎤 {speaker.name}"]
        (page,) = sends(await h.press(menu, button["callback_data"]))
        opened: list[str] = []
        while True:
            assert_phone_layout(page)
            opened += [b["callback_data"] for b in flat(page) if b["callback_data"].startswith(f"{cb.SESSION}|")]
            later = [b for b in flat(page) if b["text"].startswith("Later")]
            if not later:
                break
            (page,) = sends(await h.press(menu, later[0]["callback_data"]))
        assert opened == expected


async def test_typing_a_speakers_name_still_answers_with_their_sessions(harness: BotHarness) -> None:
    (reply,) = sends(await harness.say("Patrick Child"))
    assert "Inaugural session" in reply.text
    (reply,) = sends(await harness.say("talks by Maider Etxebarria"))
    assert "Debate of Spanish Mission Cities mayors" in reply.text
