"""The /broadcast dialogue: asking for the message, choosing the audience, the preview, progress and report."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from babel import Locale
from babel.core import UnknownLocaleError

from bot.audience import ALL, LANGUAGE, ROOM, SESSION, Audience
from bot.i18n import Lang
from bot.programme.model import Programme
from bot.storage.broadcasts import Broadcast
from bot.views import callback_data as cb
from bot.views.callback_data import BroadcastAction as Act
from bot.views.format import button_label, clip, day_label, esc, hhmm
from bot.views.reply import Button, Reply

SESSIONS_PER_PAGE = 8


def ask_for_message(lang: Lang) -> Reply:
    _ = lang._
    return Reply(
        "📣 "
        + _(
            "<b>New broadcast.</b> Send me the message: text (bold, italics and links are kept), or a photo or a "
            "document with a caption."
        )
        + "\n"
        + _("Send /cancel to stop.")
    )


def empty_message(lang: Lang) -> str:
    return lang._("That message is empty. Send the text to broadcast, or /cancel.")


def too_long(length: int, limit: int, lang: Lang) -> str:
    return lang._(
        "That is %(length)d characters; Telegram allows %(limit)d. Shorten it and send it again, or /cancel."
    ) % {
        "length": length,
        "limit": limit,
    }


def unsupported_media(lang: Lang) -> str:
    return lang._("I can broadcast text, a photo or a document (with a caption). Send one of those, or /cancel.")


def dialogue_cancelled(lang: Lang, *, programme_discarded: int = 0) -> str:
    text = lang._("Cancelled. Nothing was sent.")
    if programme_discarded:
        text += "\n" + lang._("The programme update you were shown was discarded; the programme in force is unchanged.")
    return text


def nothing_to_cancel(lang: Lang) -> str:
    return lang._("There is nothing to cancel.")


def language_name(code: str, lang: Lang) -> str:
    try:
        name = Locale.parse(code).get_display_name(lang.locale) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def audience_label(audience: Audience, programme: Programme, lang: Lang) -> str:
    """Who gets it, in words (HTML)."""
    _ = lang._
    if audience.kind == SESSION:
        session = programme.session(audience.session_id)
        title = session.title if session else audience.session_id
        return _("people who bookmarked “%(title)s”") % {"title": esc(clip(title, 80))}
    if audience.kind == LANGUAGE:
        return _("people whose language is %(language)s") % {"language": esc(language_name(audience.language, lang))}
    if audience.kind == ROOM and audience.day:
        return _("people with a bookmark in %(room)s on %(day)s") % {
            "room": esc(programme.room(audience.room_id).name),
            "day": esc(day_label(audience.day, lang)),
        }
    return _("everyone")


def audience_menu(broadcast_id: int, everyone: int, lang: Lang) -> Reply:
    _ = lang._
    text = "👆 " + _("That is how your broadcast will look. Who should get it?")
    return Reply(
        text,
        (
            (
                Button(
                    "👥 " + _("Everyone (%(n)d)") % {"n": everyone},
                    cb.broadcast(Act.PICK, broadcast_id, ALL),
                ),
            ),
            (
                Button(
                    "🔖 " + _("People who bookmarked a session"),
                    cb.broadcast(Act.SESSION_DAYS, broadcast_id),
                ),
            ),
            (Button("🌐 " + _("People by language"), cb.broadcast(Act.LANGUAGES, broadcast_id)),),
            (Button("🏛 " + _("Bookmarks in a room on a day"), cb.broadcast(Act.ROOM_DAYS, broadcast_id)),),
            (Button("✖ " + _("Cancel"), cb.broadcast(Act.CANCEL, broadcast_id)),),
        ),
    )


def _back(broadcast_id: int, lang: Lang) -> tuple[Button, ...]:
    return (Button("⬅ " + lang._("Back"), cb.broadcast(Act.MENU, broadcast_id)),)


def choose_day(broadcast_id: int, programme: Programme, action: cb.BroadcastAction, lang: Lang) -> Reply:
    """Days of the conference, for picking a session (SESSIONS) or a room (ROOMS) next."""
    rows = [(Button(day_label(d, lang), cb.broadcast(action, broadcast_id, f"{d:%Y%m%d}")),) for d in programme.days]
    return Reply(lang._("Which day?"), (*rows, _back(broadcast_id, lang)))


def choose_session(broadcast_id: int, programme: Programme, day: date, page: int, lang: Lang) -> Reply:
    sessions = programme.sessions_on(day)
    pages = max(1, -(-len(sessions) // SESSIONS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = sessions[page * SESSIONS_PER_PAGE : (page + 1) * SESSIONS_PER_PAGE]
    rows: list[tuple[Button, ...]] = [
        (
            Button(
                button_label(s, programme, lang),
                cb.broadcast(Act.PICK, broadcast_id, Audience(SESSION, session_id=s.id).spec),
            ),
        )
        for s in chunk
    ]
    nav = []
    if page > 0:
        nav.append(Button("◀", cb.broadcast(Act.SESSIONS, broadcast_id, f"{day:%Y%m%d}.{page - 1}")))
    if page < pages - 1:
        nav.append(Button("▶", cb.broadcast(Act.SESSIONS, broadcast_id, f"{day:%Y%m%d}.{page + 1}")))
    if nav:
        rows.append(tuple(nav))
    text = lang._("People who bookmarked which session? (%(day)s)") % {"day": esc(day_label(day, lang))}
    return Reply(text, (*rows, _back(broadcast_id, lang)))


def choose_room(broadcast_id: int, programme: Programme, day: date, lang: Lang) -> Reply:
    used = {s.room_id for s in programme.sessions_on(day)}
    rows = [
        (
            Button(
                clip(r.name, 60),
                cb.broadcast(Act.PICK, broadcast_id, Audience(ROOM, room_id=r.id, day=day).spec),
            ),
        )
        for r in programme.rooms
        if r.id in used
    ]
    text = lang._("People with a bookmark in which room on %(day)s?") % {"day": esc(day_label(day, lang))}
    return Reply(text, (*rows, _back(broadcast_id, lang)))


def choose_language(broadcast_id: int, counts: dict[str, int], lang: Lang) -> Reply:
    rows = [
        (
            Button(
                f"{language_name(code, lang)} ({n})",
                cb.broadcast(Act.PICK, broadcast_id, Audience(LANGUAGE, language=code).spec),
            ),
        )
        for code, n in counts.items()
    ]
    return Reply(lang._("People whose language is…"), (*rows, _back(broadcast_id, lang)))


def preview_controls(broadcast: Broadcast, audience: Audience, count: int, programme: Programme, lang: Lang) -> Reply:
    """Below the preview: who gets it, how many, and what to do."""
    _ = lang._
    who = audience_label(audience, programme, lang)
    bid = broadcast.id
    change = Button("👥 " + _("Change audience"), cb.broadcast(Act.MENU, bid))
    cancel = Button("✖ " + _("Cancel"), cb.broadcast(Act.CANCEL, bid))
    if count == 0:
        text = "⚠️ " + _("No one matches this audience (%(who)s). Choose another one.") % {"who": who}
        return Reply(text, ((change,), (cancel,)))
    text = (
        "👆 "
        + _("Preview above, exactly as recipients will see it.")
        + "\n"
        + _("Audience: %(who)s.") % {"who": who}
        + "\n"
        + lang.n_("%(n)d person will get it.", "%(n)d people will get it.", count) % {"n": count}
    )
    label = lang.n_("Send to %(n)d person", "Send to %(n)d people", count) % {"n": count}
    send = Button("✅ " + label, cb.broadcast(Act.SEND, bid))
    return Reply(
        text,
        ((send,), (Button("🕒 " + _("Schedule…"), cb.broadcast(Act.SCHEDULE, bid)), change), (cancel,)),
    )


def ask_for_time(programme: Programme, now: datetime, lang: Lang) -> Reply:
    _ = lang._
    example = programme.local(now + timedelta(days=1)).replace(minute=0)
    return Reply(
        "🕒 "
        + _("When should it go out? Send a date and time in %(zone)s, for example <code>%(example)s</code>.")
        % {"zone": esc(str(programme.timezone)), "example": f"{example:%Y-%m-%d %H:%M}"}
        + "\n"
        + _("Send /cancel to keep it unscheduled.")
    )


def time_unreadable(lang: Lang) -> str:
    return lang._("I could not read that time. Write it like 2024-06-24 18:00, or /cancel.")


def time_in_past(now: datetime, programme: Programme, lang: Lang) -> str:
    return lang._("That time has already passed (it is now %(now)s). Send a later time, or /cancel.") % {
        "now": f"{programme.local(now):%Y-%m-%d %H:%M}"
    }


def scheduled_note(broadcast: Broadcast, who: str, programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    at = broadcast.scheduled_at
    assert at is not None
    when = f"{day_label(programme.local(at).date(), lang)} {hhmm(at, programme)} ({programme.timezone})"
    return Reply(
        "🕒 "
        + _("<b>Broadcast #%(id)d scheduled</b> for %(when)s, to %(who)s.")
        % {"id": broadcast.id, "when": esc(when), "who": who}
        + "\n"
        + _("Use /scheduled to cancel it or send it now.")
    )


def cancelled(broadcast_id: int, lang: Lang) -> Reply:
    return Reply("✖ " + lang._("Broadcast #%(id)d cancelled. Nothing was sent.") % {"id": broadcast_id})


def not_a_draft(broadcast: Broadcast | None, lang: Lang) -> str:
    """The answer to a button of a broadcast that has moved on (double tap, another organiser, old message)."""
    _ = lang._
    if broadcast is None:
        return _("That broadcast no longer exists.")
    states = {
        "scheduled": _("That broadcast is scheduled; see /scheduled."),
        "sending": _("That broadcast is already being sent."),
        "done": _("That broadcast was already sent."),
        "stopped": _("That broadcast was stopped."),
        "cancelled": _("That broadcast was cancelled."),
    }
    return states.get(broadcast.state, _("That broadcast cannot be changed any more."))


def already_ended(broadcast: Broadcast | None, lang: Lang) -> str:
    """The answer to Stop on a broadcast that had ended before it was pressed."""
    if broadcast is not None and broadcast.state == "done":
        return lang._("That broadcast had already finished: every message was handled, so there was nothing to stop.")
    return not_a_draft(broadcast, lang)


def unknown_choice(lang: Lang) -> str:
    return lang._("That choice is no longer available.")


def no_one(lang: Lang) -> str:
    return lang._("No one matches this audience, so there is nothing to send. Choose another audience.")
