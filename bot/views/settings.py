"""/settings: reminders (lead or off), the morning digest, run-up messages, change alerts and language, per user."""

from __future__ import annotations

from datetime import date, time
from html import escape

from bot.i18n import Lang, available_languages, native_name
from bot.storage.preferences import REMINDER_CHOICES, Preferences
from bot.views import callback_data as cb
from bot.views.reply import Button, Reply

# Field letters in callback data (set|<field>|<value>).
LEAD, DIGEST, RUNUP, ALERTS, MUTE, LANGUAGE, FEED = "r", "d", "u", "a", "m", "l", "c"
LANGUAGES_PER_ROW = 3  # native names stay readable on a phone


def _onoff(value: bool, lang: Lang) -> str:
    return lang._("on") if value else lang._("off")


def settings_view(
    prefs: Preferences, lang: Lang, *, today: date | None, digest_at: time, feed: bool | None = None
) -> Reply:
    """The current settings, with a button for each change (each sets a value, so a double tap is harmless).

    `feed`: whether the delegate has a live calendar feed; None when this bot has no public address for feeds.
    """
    _ = lang._
    if prefs.reminders:
        reminders = _("%(n)d minutes before each session in your agenda") % {"n": prefs.reminder_minutes}
    else:
        reminders = _("off")
    lines = [
        "⚙️ <b>" + _("Settings") + "</b>",
        "",
        "⏰ " + _("Reminders: %(state)s") % {"state": reminders},
    ]
    muted = today is not None and prefs.muted_on(today)
    if muted:
        lines.append("🔕 " + _("Reminders are muted for today."))
    lines += [
        "🌅 "
        + _("Morning digest at %(time)s: %(state)s")
        % {"time": f"{digest_at:%H:%M}", "state": _onoff(prefs.digest, lang)},
        "📣 " + _("Organisers' run-up messages: %(state)s") % {"state": _onoff(prefs.runup, lang)},
        "🔔 " + _("Alerts when your sessions change: %(state)s") % {"state": _onoff(prefs.change_alerts, lang)},
        "🌐 " + _("Language: %(language)s") % {"language": native_name(lang.code)},
        "📅 " + _feed_line(feed, lang),
    ]
    current = prefs.reminder_minutes if prefs.reminders else 0
    leads = [Button(("✓ " if current == 0 else "") + _("Off"), cb.setting(LEAD, 0))]
    leads += [
        Button(("✓ " if current == m else "") + _("%(n)d min") % {"n": m}, cb.setting(LEAD, m))
        for m in REMINDER_CHOICES
    ]
    rows: list[tuple[Button, ...]] = [(Button("⏰ " + _("Remind me before a session:"), cb.SETTINGS),), tuple(leads)]
    if muted:
        rows.append((Button("🔔 " + _("Unmute today"), cb.setting(MUTE, 0)),))
    rows += [
        (_toggle("🌅 " + _("Morning digest"), prefs.digest, DIGEST, lang),),
        (_toggle("📣 " + _("Run-up messages"), prefs.runup, RUNUP, lang),),
        (_toggle("🔔 " + _("Change alerts"), prefs.change_alerts, ALERTS, lang),),
        *_feed_rows(feed, lang),
        *_language_rows(lang),
        (Button("⭐ " + _("My agenda"), cb.MY), Button("🔒 " + _("Privacy"), cb.PRIVACY)),
    ]
    return Reply("\n".join(lines), tuple(rows))


def _feed_line(feed: bool | None, lang: Lang) -> str:
    if feed is None:
        return lang._("Live calendar feed: not available on this bot.")
    return lang._("Live calendar feed: %(state)s") % {"state": _onoff(feed, lang)}


def _feed_rows(feed: bool | None, lang: Lang) -> list[tuple[Button, ...]]:
    _ = lang._
    if feed is None:
        return []
    if not feed:
        return [(Button("📅 " + _("Live calendar feed"), cb.setting(FEED, 1)),)]
    return [(Button("📅 " + _("New calendar link"), cb.setting(FEED, 1)), Button(_("Stop feed"), cb.setting(FEED, 0)))]


def feed_issued(webcal: str, url: str, lang: Lang) -> Reply:
    """The delegate's new feed link: to subscribe in a calendar app, which then follows every change."""
    _ = lang._
    text = "\n".join(
        [
            "📅 <b>" + _("Your live calendar") + "</b>",
            "",
            _(
                "Subscribe to this link in your calendar app: it shows your agenda and follows every programme "
                "change and every bookmark you add or remove."
            ),
            "",
            f"<code>{escape(webcal)}</code>",
            "",
            _("Anyone with the link can see your agenda. A new link in /settings stops the old one."),
        ]
    )
    return Reply(text, ((Button("📅 " + _("Add to calendar"), url=url),),))


def feed_stopped(lang: Lang) -> str:
    return lang._("Calendar feed stopped: its link no longer works.")


def _language_rows(lang: Lang) -> list[tuple[Button, ...]]:
    """Every catalogue by its native name, so a delegate can read the choice whatever the bot speaks now."""
    buttons = [
        Button(("✓ " if code == lang.code else "") + native_name(code), cb.setting(LANGUAGE, code))
        for code in sorted(available_languages(), key=native_name)
    ]
    return [tuple(buttons[i : i + LANGUAGES_PER_ROW]) for i in range(0, len(buttons), LANGUAGES_PER_ROW)]


def _toggle(label: str, value: bool, field: str, lang: Lang) -> Button:
    state = ("✓ " + lang._("on")) if value else lang._("off")
    return Button(
        lang._("%(setting)s: %(state)s") % {"setting": label, "state": state}, cb.setting(field, int(not value))
    )


def saved(lang: Lang) -> str:
    return lang._("Saved.")


def invalid_setting(lang: Lang) -> str:
    return lang._("That setting is not available any more. Here are your current settings.")
