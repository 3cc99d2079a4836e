"""Replies to small talk: thanks and goodbyes (greetings get the hint, 'who are you?' the help)."""

from __future__ import annotations

from bot.i18n import Lang
from bot.programme.model import Programme
from bot.views.format import esc
from bot.views.reply import Reply
from bot.views.start import main_menu


def thanks(programme: Programme, lang: Lang) -> Reply:
    text = lang._("You're welcome! Ask me anything else about %(conference)s whenever you like.")
    return Reply("😊 " + text % {"conference": esc(programme.name)}, main_menu(lang))


def goodbye(programme: Programme, lang: Lang) -> Reply:
    text = lang._("Goodbye, and enjoy %(conference)s! I am here whenever you need the programme.")
    return Reply("👋 " + text % {"conference": esc(programme.name)})
