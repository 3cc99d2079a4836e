"""What the bot's reach shows: deep links that lead nowhere any more, the Share button, inline results, the
pointer from a group to the private chat, and the bot's profile texts."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot import deep_links
from bot.i18n import Lang
from bot.programme.model import Programme, Session
from bot.views import callback_data as cb
from bot.views.agenda import session_row
from bot.views.format import clip, esc, room_name, session_line, speaker_names, when
from bot.views.reply import Button, Reply
from bot.views.start import private_chat_only

MAX_SAME_TIME = 7  # sessions offered in place of a removed one, a button each
# Telegram's limits for the bot's profile texts (setMyName, setMyShortDescription, setMyDescription).
MAX_NAME, MAX_SHORT_DESCRIPTION, MAX_DESCRIPTION = 64, 120, 512


def share_button(session: Session, lang: Lang) -> Button:
    """A card's Share button: Telegram's chat picker, then this session as an inline result in the chat chosen."""
    return Button("📤 " + lang._("Share"), switch_inline=deep_links.inline_session_query(session))


def with_note(note: str, reply: Reply) -> Reply:
    """`reply` with a one-line note above it."""
    return Reply(f"<i>{note}</i>\n\n{reply.text}", reply.buttons, reply.attachments)


def link_not_understood(lang: Lang) -> str:
    return lang._("That link does not lead anywhere I know, so here is the main menu.")


def link_gone(lang: Lang) -> str:
    return lang._("That link leads to something no longer in the programme, so here are the days instead.")


def removed_session(
    programme: Programme, gone: Session | None, lang: Lang, bookmarked: Collection[str] | None = None
) -> Reply:
    """A link to a session the programme dropped: say so, and offer what runs at the same time instead."""
    _ = lang._
    programme_button = (Button("📅 " + _("Programme"), cb.DAYS),)
    if gone is None:
        return Reply(_("That session is no longer in the programme."), (programme_button,))
    lines = [
        _("“%(title)s” (%(when)s) is no longer in the programme.")
        % {"title": esc(clip(gone.title, 120)), "when": esc(when(gone, programme, lang))}
    ]
    instead = deep_links.at_the_same_time(programme, gone)[:MAX_SAME_TIME]
    if instead:
        lines += ["", "<b>" + _("At the same time:") + "</b>"]
        lines += [session_line(s, programme, lang) for s in instead]
    else:
        lines += ["", _("Nothing else is on at that time.")]
    rows = [session_row(s, programme, lang, bookmarked) for s in instead]
    return Reply("\n".join(lines), (*rows, programme_button))


def continue_in_private(bot_username: str, lang: Lang) -> Reply:
    """The answer in a group to what shows someone's own data: a button to the private chat."""
    text = private_chat_only(bot_username, lang)
    button = Button("🔒 " + lang._("Continue in private"), url=deep_links.url(bot_username, deep_links.MENU))
    return Reply(text, ((button,),))


@dataclass(frozen=True)
class InlineCard:
    """One inline result: the article's id, title and description, and the message it sends (HTML)."""

    id: str
    title: str
    description: str
    text: str
    open_label: str
    open_url: str


def inline_card(
    programme: Programme, session: Session, bot_username: str, lang: Lang, bookmarked: Collection[str] | None
) -> InlineCard:
    """A session as an inline result: a compact card for any chat, and a button that opens it in the bot."""
    _ = lang._
    star = "★ " if bookmarked is not None and session.id in bookmarked else ""
    where = room_name(session, programme)
    # Forwarded into any chat, the card still says when a time is not confirmed.
    unconfirmed = not session.is_cancelled and (session.is_provisional or programme.provisional)
    at = when(session, programme, lang) + (" " + _("(provisional)") if unconfirmed else "")
    lines = [f"<b>{esc(clip(session.title, 200))}</b>", f"🗓 {esc(at)}", f"📍 {esc(where)}"]
    names = speaker_names(session, programme)
    if names:
        lines.append(f"🎤 {esc(clip(names, 200))}")
    if session.is_cancelled:
        lines.insert(0, "❌ <b>" + _("Cancelled") + "</b>")
    lines.append(f"<i>{esc(clip(programme.name, 100))}</i>")
    description = " · ".join(p for p in (at, where, clip(names, 80)) if p)
    return InlineCard(
        id=deep_links.session_payload(session)[:64],
        title=clip(star + session.title, 120),
        description=description,
        text="\n".join(lines),
        open_label="📲 " + _("Open in the bot"),
        open_url=deep_links.url(bot_username, deep_links.session_payload(session)),
    )


def inline_page(sessions: Sequence[Session], offset: int, size: int) -> tuple[Sequence[Session], str]:
    """One page of inline results from `offset`, and the `next_offset` that asks for the next ("" at the end)."""
    chunk = sessions[offset : offset + size]
    more = offset + size < len(sessions)
    return chunk, str(offset + size) if more else ""


def profile_texts(programme: Programme, lang: Lang) -> tuple[str, str, str]:
    """The bot's name, short description and description in `lang` (plain text, within Telegram's limits)."""
    _ = lang._
    name = clip(_("%(conference)s companion") % {"conference": programme.acronym or programme.name}, MAX_NAME)
    short = clip(
        _("Programme, what's on now, your agenda and reminders for %(conference)s.") % {"conference": programme.name},
        MAX_SHORT_DESCRIPTION,
    )
    long = clip(
        _(
            "I am the companion bot of %(conference)s. Browse the programme by day, room or track, see what is on "
            "now and next, ask questions in your own words, bookmark sessions and get a reminder before they start."
        )
        % {"conference": programme.name},
        MAX_DESCRIPTION,
    )
    return name, short, long
