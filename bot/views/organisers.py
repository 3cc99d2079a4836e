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
    ("signs", N_("Printable room signs with QR codes (PDF)")),
)


def signs_caption(rooms: int, lang: Lang) -> str:
    """The caption of the signs PDF sent to an organiser."""
    return lang.n_(
        "Signs for %(n)d room and the entrance: one A4 page each, with a QR code to the bot. Print and put them up.",
        "Signs for %(n)d rooms and the entrance: one A4 page each, with a QR code to the bot. Print and put them up.",
        rooms,
    ) % {"n": rooms}
