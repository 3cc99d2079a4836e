"""Texts shared by every organiser-only feature."""

from __future__ import annotations

from bot.i18n import Lang


def organisers_only(lang: Lang) -> str:
    """The plain refusal for anyone who is not an organiser (commands and buttons alike)."""
    return lang._("Sorry, this is for organisers.")
