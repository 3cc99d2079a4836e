"""/privacy: who runs the bot (from the organisers' file), what it stores and why, how long, and the rights."""

from __future__ import annotations

from datetime import date, timedelta

from bot.i18n import Lang
from bot.privacy import PrivacyNotice
from bot.views import callback_data as cb
from bot.views.format import esc, long_day_label
from bot.views.reply import Button, Reply


def _heading(text: str) -> str:
    return f"<b>{esc(text)}</b>"


def _who(notice: PrivacyNotice | None, lang: Lang) -> list[str]:
    _ = lang._
    if notice is None:
        return [_("The organisers have not published their details yet: ask them at the conference.")]
    lines = [
        _("Controller: %(name)s") % {"name": esc(notice.controller)},
        _("Contact about your data: %(contact)s") % {"contact": esc(notice.contact)},
    ]
    if notice.dpo:
        lines.append(_("Data protection officer: %(contact)s") % {"contact": esc(notice.dpo)})
    return lines


def _why(notice: PrivacyNotice | None, lang: Lang) -> list[str]:
    if notice is None:
        return []
    code = lang.code if lang.code in notice.purpose else "en"
    return [
        "",
        _heading(lang._("Why")),
        esc(notice.purpose[code]),
        lang._("Legal basis: %(basis)s") % {"basis": esc(notice.legal_basis[code])},
    ]


def _stored(lang: Lang) -> list[str]:
    _ = lang._
    items = (
        _("your Telegram id, first name and language"),
        _("your bookmarks and settings"),
        _("the reminders, morning messages and alerts queued for you or sent to you, with their dates"),
        _("which organisers' messages you received (not who else received them)"),
        _("where you are in an unfinished step with the bot"),
    )
    return [
        "",
        _heading(_("What is stored")),
        *("• " + item for item in items),
        _("Your questions are answered, not stored; nor are your last name, username or phone number."),
    ]


def _how_long(last_day: date, retention_days: int, lang: Lang) -> list[str]:
    _ = lang._
    until = long_day_label(last_day + timedelta(days=retention_days), lang)
    kept = lang.n_(
        "Until %(date)s, %(n)d day after the conference's last day; then it is deleted automatically.",
        "Until %(date)s, %(n)d days after the conference's last day; then it is deleted automatically.",
        retention_days,
    ) % {"date": until, "n": retention_days}
    return ["", _heading(_("How long")), kept, _("Only counts that name no one are kept.")]


def _rights(notice: PrivacyNotice | None, lang: Lang) -> list[str]:
    _ = lang._
    lines = [
        "",
        _heading(_("Your rights")),
        "/mydata — " + _("see everything stored about you"),
        "/forget — " + _("delete all of it, at any time"),
    ]
    if notice is not None:
        complain = _("You may also complain to a supervisory authority: %(authority)s")
        lines.append(complain % {"authority": esc(notice.authority)})
    return lines


def privacy_view(notice: PrivacyNotice | None, lang: Lang, *, last_day: date, retention_days: int) -> Reply:
    """The whole notice in the delegate's language; `notice` None when the organisers' file is missing or broken."""
    _ = lang._
    lines = ["🔒 " + _heading(_("Privacy")), "", _heading(_("Who runs this bot")), *_who(notice, lang)]
    lines += _why(notice, lang) + _stored(lang) + _how_long(last_day, retention_days, lang) + _rights(notice, lang)
    note = (notice.note.get(lang.code) or notice.note.get("en")) if notice is not None else None
    if note:
        lines += ["", esc(note)]
    buttons = ((Button("⚙️ " + _("Settings"), cb.SETTINGS), Button("❓ " + _("Help"), cb.HELP)),)
    return Reply("\n".join(lines), buttons)
