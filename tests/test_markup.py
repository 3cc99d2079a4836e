"""The keyboard's own wire form is exactly what PTB would have sent for the same buttons."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.runtime.markup import Keyboard, markup
from bot.views.reply import Button, Reply


def test_wire_form_matches_ptbs_serialisation() -> None:
    reply = Reply(
        "x",
        (
            (Button("★ Café <b>", "ses|1"), Button("☆", "bm|1|1|l")),
            (Button("Map", url="https://example.org/a?b=c&d"),),
        ),
    )
    keyboard = markup(reply)
    assert isinstance(keyboard, Keyboard)
    assert keyboard.to_dict() == InlineKeyboardMarkup(keyboard.inline_keyboard).to_dict()
    assert keyboard.to_dict()["inline_keyboard"][1] == [{"text": "Map", "url": "https://example.org/a?b=c&d"}]


def test_no_buttons_no_keyboard() -> None:
    assert markup(Reply("x")) is None
