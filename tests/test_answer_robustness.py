"""Hostile and random input: FTS syntax, SQL, 4,096 characters, emoji, RTL text, empty messages — every one
answered gracefully, within Telegram's limits, and nothing raises."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from bot import i18n
from bot.answer.faq import Faq, load_faq
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.views.answer import answer_page, reply_to
from bot.views.format import MAX_TEXT
from bot.views.reply import Reply
from tests.conftest import BUNDLED, FIXTURES, ROOT

HOSTILE = [
    "",
    "   \n\t  ",
    '"',
    '"""',
    "*",
    "kubernetes*",
    "NEAR(",
    "NEAR(opening ceremony, 2)",
    "opening AND",
    "AND OR NOT",
    "-",
    "--",
    "title:opening",
    "^opening",
    "{title}: x",
    "opening ceremony'); DROP TABLE fts; --",
    "SELECT * FROM sessions WHERE 1=1",
    "' OR '1'='1",
    "x" * 4096,
    "when is " * 600,
    "🎉🔥💥🤖" * 50,
    "👩‍💻 talk?",
    "متى يبدأ حفل الافتتاح؟",  # RTL: when does the opening ceremony start?
    "\u202eeremony gninepo",  # right-to-left override
    "שלום",
    "開幕式はいつですか",
    "\x00\x01\x02",
    "\u200b\u200b",
    "at 99:99 on the 45/13",
    "on 31 February at 25:00",
    "day 0",
    "day 999",
    "@conference_companion_bot",
    "/search",
    "%(name)s {venue} {0} <b>bold</b> &amp;",
]


@pytest.fixture(scope="module")
def fest() -> Programme:
    return load_programme(FIXTURES / "answer-fest.yaml")


@pytest.fixture(scope="module")
def faq() -> Faq:
    return load_faq(ROOT / "data" / "faq.yaml")


def within_limits(reply: Reply) -> None:
    assert reply.text.strip()
    assert len(reply.text) <= MAX_TEXT
    for row in reply.buttons:
        for b in row:
            assert 0 < len(b.label) <= 64
            assert b.url or 0 < len(b.data.encode()) <= 64


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_gets_a_graceful_reply(fest: Programme, faq: Faq, text: str) -> None:
    reply = reply_to(text, fest, datetime.fromisoformat("2025-05-15T10:10:00+01:00"), i18n.lang("en"), faq)
    within_limits(reply)
    assert "Traceback" not in reply.text and "Error" not in reply.text


def test_user_text_is_escaped_in_the_reply(fest: Programme) -> None:
    reply = reply_to("<b>pwned</b> &", fest, datetime.fromisoformat("2025-05-01T10:00:00+01:00"), i18n.lang("en"))
    assert "<b>pwned" not in reply.text


def _random_text(rng: random.Random) -> str:
    pieces = [
        '"', "*", "(", ")", "NEAR", "AND", "OR", "NOT", "-", ":", "^", "{", "}", "'", ";", "--", "%", "\\",
        "opening", "ceremony", "Kubernetes", "talk", "by", "who", "is", "when", "wo", "¿qué", "ahora", "mañana",
        "at", "11:45", "3pm", "26/06", "friday", "Mittwoch", "after", "lunch", "day", "2", "next", "now", "last",
        "room", "Tide", "Anchor", "Rosa", "Marques", "Ivan", "🎉", "👩‍💻", "متى", "שלום", "開幕", "\u202e", "\u200b",
        "\x00", "ß", "İ", "ﬁ", "Å", "e\u0301", " ", "  ", "\n", "?", "!", "@conference_companion_bot",
    ]  # fmt: skip
    n = rng.randrange(0, 14)
    text = " ".join(rng.choice(pieces) for _ in range(n))
    if rng.random() < 0.2:
        text += "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(1, 40)))
    if rng.random() < 0.02:
        text = text * rng.randrange(50, 400)
    return text


def test_thousands_of_random_strings_never_raise(fest: Programme, faq: Faq) -> None:
    cmc = load_programme(BUNDLED)
    rng = random.Random(20240625)
    start = datetime.fromisoformat("2025-05-14T08:00:00+01:00")
    for n in range(3000):
        programme = fest if n % 3 else cmc
        now = start + timedelta(minutes=rng.randrange(0, 60 * 24 * 5))
        reply = reply_to(_random_text(rng), programme, now, i18n.lang(rng.choice(["en", "es", "de", None])), faq)
        within_limits(reply)


def test_forged_page_buttons_are_refused_or_answered(fest: Programme) -> None:
    rng = random.Random(7)
    for data in ["ask|", "ask|1", "ask|1|2", "ask|99999|a|x", "ask|-1|a|x", "ask|1|zzzzzzzzzz|x", "ask|1|a|   "]:
        assert answer_page(data, fest, i18n.lang("en")) is None
    for _ in range(200):
        data = f"ask|{rng.randrange(0, 50)}|{rng.randrange(0, 36**6):x}|" + _random_text(rng)[:40]
        reply = answer_page(data, fest, i18n.lang("en"))
        if reply is not None:
            within_limits(reply)
