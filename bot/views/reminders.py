"""What a reminder and a morning digest look like, and the reminder's buttons before and after a tap."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.agenda import clashes, next_in_room
from bot.i18n import Lang
from bot.programme.model import Programme, Session
from bot.reminders.due import SNOOZE_BEFORE
from bot.views import callback_data as cb
from bot.views.callback_data import RemindAction as Act
from bot.views.format import (
    MAX_TEXT,
    MAX_TOAST,
    button_label,
    clip,
    esc,
    hhmm,
    long_day_label,
    room_name,
    span,
    when,
    zone_line,
)
from bot.views.reply import Button, Reply

DIGEST_ENTRIES = 25  # with titles clipped, 25 lines stay far below Telegram's 4,096 characters


def reminder_buttons(
    session: Session, lang: Lang, state: str = "", lead: timedelta | None = None
) -> tuple[tuple[Button, ...], ...]:
    """Open the card, snooze (when `lead` leaves room for it), and mute/stop — or, once muted or stopped, the way
    back."""
    _ = lang._
    card = (Button("📄 " + _("Open the card"), cb.remind(Act.OPEN_CARD, session.key)),)
    if state == "muted":
        return (card, (Button("🔔 " + _("Unmute today"), cb.remind(Act.UNMUTE, session.key)),))
    if state == "stopped":
        return (card, (Button("🔔 " + _("Turn reminders back on"), cb.remind(Act.TURN_ON, session.key)),))
    rows: list[tuple[Button, ...]] = [card]
    if lead is not None and lead > timedelta(0):
        again = _("Remind me again 5 min before") if lead > SNOOZE_BEFORE else _("Remind me again at start")
        rows.append((Button("⏰ " + again, cb.remind(Act.SNOOZE, session.key)),))
    rows.append(
        (
            Button("🔕 " + _("Mute for today"), cb.remind(Act.MUTE_TODAY, session.key)),
            Button("🛑 " + _("Stop reminders"), cb.remind(Act.STOP, session.key)),
        )
    )
    return tuple(rows)


def reminder_view(programme: Programme, session: Session, lang: Lang, lead: timedelta | None = None) -> Reply:
    """The session, its time and room, and what follows in the same room; a snooze button when `lead` allows."""
    _ = lang._
    lines = [
        "⏰ " + _("Starting soon:") + f" <b>{esc(clip(session.title, 300))}</b>",
        f"🗓 {esc(when(session, programme, lang))}",  # as on the card: 🕘 is the time zone's line below
        f"📍 {esc(room_name(session, programme))}",
        zone_line(programme, lang, session.start),
    ]
    if session.is_provisional:
        lines.append("⚠️ " + _("Provisional: check the card for the latest."))
    after = next_in_room(programme, session)
    if after is not None:
        lines.append(
            "⏭ "
            + _("Then in the same room: %(time)s %(title)s")
            % {"time": span(after, programme), "title": esc(clip(after.title, 200))}
        )
    return Reply("\n".join(lines), reminder_buttons(session, lang, lead=lead))


def snooze_toast(at: datetime | None, session: Session, programme: Programme, lang: Lang) -> str:
    _ = lang._
    if at is None:
        return _("This session has already started.")
    if at >= session.start:
        return _("I will remind you again when it starts (%(time)s).") % {"time": hhmm(at, programme)}
    return _("I will remind you again at %(time)s, 5 minutes before it starts.") % {"time": hhmm(at, programme)}


def reminder_toast(action: str, lang: Lang, *, restored: int = 0, missed: int = 0) -> str:
    """What a mute/stop button or its undo did; after the undo, what became of the "remind me again" it had dropped."""
    _ = lang._
    toast = {
        "m": _("No more reminders today."),
        "u": _("Reminders are back on for today."),
        "s": _("Reminders are off. Turn them on again here or in /settings."),
        "o": _("Reminders are on again."),
    }.get(action, "")
    if restored:
        toast += " " + lang.n_(
            "The reminder you asked to have again will come too.",
            "The %(n)d reminders you asked to have again will come too.",
            restored,
        ) % {"n": restored}
    if missed:
        toast += " " + lang.n_(
            "The reminder you asked to have again was due while they were off: it will not come.",
            "%(n)d reminders you asked to have again were due while they were off: they will not come.",
            missed,
        ) % {"n": missed}
    return clip(toast, MAX_TOAST)  # both sentences, in German, come near Telegram's limit


def morning_view(
    programme: Programme, day: date, organisers: str | None, sessions: tuple[Session, ...], lang: Lang
) -> Reply | None:
    """One morning message: the organisers' text of the day (HTML) and the delegate's sessions, or a pointer to
    /programme when they have none; None when there is neither text nor session."""
    _ = lang._
    if not any(not s.is_cancelled for s in sessions):
        if organisers is None:
            return None
        pointer = "📅 " + _("Nothing bookmarked for today: the whole programme is in /programme.")
        return Reply(clip(f"{organisers}\n\n{pointer}", MAX_TEXT), ((Button("📅 " + _("Programme"), cb.DAYS),),))
    digest = digest_view(programme, day, sessions, lang, greeting=organisers is None)
    if organisers is None:
        return digest
    return Reply(clip(f"{organisers}\n\n{digest.text}", MAX_TEXT), digest.buttons)


def digest_view(
    programme: Programme, day: date, sessions: tuple[Session, ...], lang: Lang, *, greeting: bool = True
) -> Reply:
    """The day's bookmarked sessions, overlaps and cancellations marked, and the time zone."""
    _ = lang._
    if greeting:
        head = "🌅 " + _("Good morning! Your sessions today, %(day)s:") % {"day": esc(long_day_label(day, lang))}
    else:
        head = "⭐ " + _("Your sessions today:")
    lines = [head, ""]
    clashing = clashes(list(sessions))
    for s in sessions[:DIGEST_ENTRIES]:
        mark = " ⚠️" if s.id in clashing else ""
        if s.is_cancelled:
            lines.append(f"❌ <s>{span(s, programme)} {esc(clip(s.title, 80))}</s> " + _("(cancelled)"))
        else:
            lines.append(f"<b>{span(s, programme)}</b> {esc(clip(s.title, 80))} · {esc(room_name(s, programme))}{mark}")
    if len(sessions) > DIGEST_ENTRIES:
        lines.append(_("…and %(n)d more.") % {"n": len(sessions) - DIGEST_ENTRIES})
    if clashing:
        lines += ["", "⚠️ " + _("Some of these overlap.")]
    lines += ["", zone_line(programme, lang, sessions[0].start if sessions else None)]
    rows: list[tuple[Button, ...]] = [
        (Button(button_label(s, programme, lang), cb.remind(Act.OPEN_CARD, s.key)),)
        for s in sessions[:DIGEST_ENTRIES]
        if not s.is_cancelled
    ]
    rows.append((Button("⭐ " + _("My agenda"), cb.MY), Button("⚙️ " + _("Settings"), cb.SETTINGS)))
    return Reply(clip("\n".join(lines), MAX_TEXT), tuple(rows))
