"""The welcome message, the help text and the pointer for messages the bot does not understand."""

from __future__ import annotations

from bot.i18n import N_, Lang
from bot.programme.model import Programme
from bot.views import callback_data as cb
from bot.views.format import days_label, esc
from bot.views.reply import Button, Reply

# (command, description msgid) in the order /help and Telegram's menu show them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Welcome and main menu")),
    ("programme", N_("Browse the programme by day")),
    ("now", N_("What is on right now")),
    ("next", N_("What starts next")),
    ("speakers", N_("Speakers A–Z and their sessions")),
    ("venue", N_("Venue, address and map")),
    ("search", N_("Search the programme: /search words (or just ask a question)")),
    ("my", N_("My agenda: bookmarked sessions, calendar file")),
    ("settings", N_("Reminders, morning digest and other settings")),
    ("privacy", N_("What the bot stores about you, why, and your rights")),
    ("mydata", N_("Everything the bot stores about you, as a file")),
    ("forget", N_("Delete everything the bot stores about you")),
    ("help", N_("What this bot can do")),
)


def main_menu(lang: Lang) -> tuple[tuple[Button, ...], ...]:
    _ = lang._
    return (
        (Button("📅 " + _("Programme"), cb.DAYS), Button("⭐ " + _("My agenda"), cb.MY)),
        (Button("⏱ " + _("Now"), cb.NOW), Button("⏭ " + _("Next"), cb.NEXT)),
        (Button("🎤 " + _("Speakers"), cb.speakers()), Button("📍 " + _("Venue"), cb.VENUE)),
        (Button("⚙️ " + _("Settings"), cb.SETTINGS), Button("❓ " + _("Help"), cb.HELP)),
    )


def dates_label(programme: Programme, lang: Lang) -> str:
    return days_label(programme.start_date, programme.end_date, lang)


def _visible(text: str) -> bool:
    """Whether `text` shows anything: a name of spaces or zero-width characters greets no one."""
    return any(c.isprintable() and not c.isspace() for c in text)


def welcome(programme: Programme, lang: Lang, first_name: str) -> Reply:
    _ = lang._
    name = esc(first_name.strip()) if _visible(first_name) else _("there")
    lines = [
        _("Hello %(name)s! I am the companion bot of <b>%(conference)s</b>.")
        % {"name": name, "conference": esc(programme.name)},
        "🗓 " + esc(dates_label(programme, lang)) + " · 📍 " + esc(programme.venue.name),
        "",
        _("Browse the programme, see what is on now and next, or just ask me a question in your own words."),
    ]
    if programme.has_provisional:
        lines += ["", "⚠️ " + _("Parts of the programme are provisional: the official programme will replace them.")]
    # A line, not a button: the main menu stays four rows of two on a phone.
    lines += ["", "🔒 " + _("What I store about you and why: /privacy")]
    return Reply("\n".join(lines), main_menu(lang))


def help_text(programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    lines = [_("<b>What I can do for %(conference)s</b>") % {"conference": esc(programme.name)}, ""]
    lines += [f"/{name} — {_(desc)}" for name, desc in COMMANDS]
    lines += ["", _("Times are shown in the conference time zone.")]
    return Reply("\n".join(lines), main_menu(lang))


def not_understood(lang: Lang) -> Reply:
    _ = lang._
    return Reply(_("Sorry, I did not understand that. Send /help to see what I can do."), main_menu(lang))


def unsupported_media(lang: Lang) -> Reply:
    _ = lang._
    return Reply(_("I can only read text messages. Send /help to see what I can do."))


def private_chat_only(bot_username: str, lang: Lang) -> str:
    """The answer in a group to a command that shows someone's own data (or organisers')."""
    return lang._("I answer that only in our private chat: write to me at @%(bot)s.") % {"bot": esc(bot_username)}


def expired_button(lang: Lang) -> str:
    return lang._("This button has expired. Here is the current menu.")


def something_went_wrong(lang: Lang) -> str:
    return lang._("Sorry, something went wrong on my side. Please try again in a moment.")


def slow_down(lang: Lang) -> str:
    return lang._(
        "You are sending messages faster than I can answer them, so I skipped some. Wait a few seconds, then ask again."
    )
