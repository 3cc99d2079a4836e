"""Texts shared by every organiser-only feature."""

from __future__ import annotations

from bot.i18n import N_, Lang


def organisers_only(lang: Lang) -> str:
    """The plain refusal for anyone who is not an organiser (commands and buttons alike)."""
    return lang._("Sorry, this is for organisers.")


# Shown in the command menu of organisers' own chats only (registered per chat at start-up), never publicly.
ORGANISER_COMMANDS: tuple[tuple[str, str], ...] = (
    ("broadcast", N_("Send a message to delegates")),
    ("scheduled", N_("Scheduled broadcasts and the run-up plan")),
    ("stats", N_("Delegates, demand per session, deliveries")),
    ("reload", N_("Read the programme again: see what changed, then apply it")),
)
