"""Speakers: the A–Z index (paged, with a letter jump), a speaker's page, and the speaker buttons of a card."""

from __future__ import annotations

from bot.i18n import Lang
from bot.programme.model import Programme, Session, Speaker
from bot.speakers import letter_ranges, sessions_of, speakers_index
from bot.views import callback_data as cb
from bot.views.agenda import session_row
from bot.views.format import MAX_BUTTON_LABEL, MAX_TEXT, clip, esc, session_line, zone_label
from bot.views.reply import Button, Reply

PAGE_SIZE = 7  # names per page: with the paging row and the letter jump, ten buttons at most
SESSIONS_PAGE_SIZE = 7  # sessions on a speaker's page: with the paging row and the way back, ten buttons
LETTER_RANGES = 8  # buttons of the letter jump, two a row
LETTER_JUMP_FROM = 3 * PAGE_SIZE  # fewer speakers than this page through quickly without a jump
CARD_SPEAKER_BUTTONS = 4  # a card with more speakers gets one "Speakers" button instead
SESSION_SPEAKER_BUTTONS = 8
BIO_CHARS = 1200


def speakers_page(programme: Programme, start: int, lang: Lang) -> Reply:
    """The A–Z index from its `start`-th speaker: a button per speaker, paging and, when long, a letter jump."""
    _ = lang._
    index = speakers_index(programme)
    if not index:
        return no_speakers(programme, lang)
    start = min(max(start, 0), len(index) - 1)
    chunk = index[start : start + PAGE_SIZE]
    lines = [
        "🎤 " + _("<b>Speakers at %(conference)s</b>") % {"conference": esc(programme.name)},
        _("%(first)d–%(last)d of %(n)d, A–Z") % {"first": start + 1, "last": start + len(chunk), "n": len(index)},
        "",
        _("Tap a name to see their sessions, or just type a name to ask about it."),
    ]
    rows: list[tuple[Button, ...]] = [(Button(_name_label(sp), cb.speaker(sp.key)),) for sp in chunk]
    nav: list[Button] = []
    if start > 0:
        nav.append(Button("◀ " + _("Earlier"), cb.speakers(max(0, start - PAGE_SIZE))))
    if start + PAGE_SIZE < len(index):
        nav.append(Button(_("Later") + " ▶", cb.speakers(start + PAGE_SIZE)))
    if nav:
        rows.append(tuple(nav))
    if len(index) >= LETTER_JUMP_FROM:
        rows.append((Button("🔤 " + _("Jump to a letter"), cb.SPEAKER_LETTERS),))
    return Reply("\n".join(lines), tuple(rows))


def letters_menu(programme: Programme, lang: Lang) -> Reply:
    """The letter jump: runs of initials ('A–C · 120'), each opening the index where it starts."""
    _ = lang._
    index = speakers_index(programme)
    if not index:
        return no_speakers(programme, lang)
    buttons = [
        Button(
            (r.first if r.first == r.last else f"{r.first}–{r.last}") + f" · {r.count}",
            cb.speakers(r.start),
        )
        for r in letter_ranges(index, LETTER_RANGES)
    ]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    text = "🎤 " + _("Speakers by the first letter of their name:")
    return Reply(text, tuple(rows))


def no_speakers(programme: Programme, lang: Lang) -> Reply:
    _ = lang._
    text = _(
        "The programme of %(conference)s does not name its speakers, so there is no list of them yet. "
        "You can browse the sessions by day instead."
    ) % {"conference": esc(programme.name)}
    return Reply(text, ((Button("📅 " + _("Programme"), cb.DAYS),),))


def _name_label(speaker: Speaker, limit: int = MAX_BUTTON_LABEL) -> str:
    """The name for a button; Telegram refuses a button whose label shows nothing (a name of zero-width signs)."""
    label = clip(speaker.name, limit)
    return label if any(c.isprintable() and not c.isspace() for c in label) else "?"


def _role(speaker: Speaker) -> str:
    return ", ".join(p for p in (speaker.role, speaker.organisation) if p)


def _who(speaker: Speaker) -> str:
    role = _role(speaker)
    return f"• {esc(clip(speaker.name, 200))}" + (f" — {esc(clip(role, 200))}" if role else "")


def speaker_page(programme: Programme, speaker: Speaker, page: int, lang: Lang) -> Reply:
    """Who the speaker is (when the programme says) and their sessions in time order, each opening its card."""
    _ = lang._
    sessions = sessions_of(programme, speaker)
    pages = max(1, -(-len(sessions) // SESSIONS_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    chunk = sessions[page * SESSIONS_PAGE_SIZE : (page + 1) * SESSIONS_PAGE_SIZE]
    lines = [f"🎤 <b>{esc(clip(speaker.name, 200))}</b>"]
    if _role(speaker):
        lines.append(f"<i>{esc(clip(_role(speaker), 300))}</i>")
    if speaker.bio.strip():
        lines += ["", esc(clip(speaker.bio, BIO_CHARS))]
    header = "<b>" + lang.n_("%(n)d session", "%(n)d sessions", len(sessions)) % {"n": len(sessions)} + "</b>"
    if pages > 1:
        header += " · " + _("page %(page)d of %(pages)d") % {"page": page + 1, "pages": pages}
    lines += ["", header]
    if chunk:
        lines.append(_("Times in %(zone)s") % {"zone": esc(zone_label(programme, chunk[0].start))})
    lines += [session_line(s, programme, lang, with_day=True) for s in chunk]
    rows: list[tuple[Button, ...]] = [session_row(s, programme, lang, None, with_day=True) for s in chunk]
    nav: list[Button] = []
    if page > 0:
        nav.append(Button("◀ " + _("Earlier"), cb.speaker(speaker.key, page - 1)))
    if page < pages - 1:
        nav.append(Button(_("Later") + " ▶", cb.speaker(speaker.key, page + 1)))
    if nav:
        rows.append(tuple(nav))
    rows.append((Button("⬅ " + _("All speakers"), cb.speakers(_index_start(programme, speaker))),))
    return Reply(clip("\n".join(lines), MAX_TEXT), tuple(rows))


def _index_start(programme: Programme, speaker: Speaker) -> int:
    """Where the index page holding `speaker` starts, so 'All speakers' goes back to the names around them."""
    index = speakers_index(programme)
    position = index.index(speaker) if speaker in index else 0
    return position - position % PAGE_SIZE


def speaker_rows(
    programme: Programme, session: Session, lang: Lang, most: int = CARD_SPEAKER_BUTTONS
) -> tuple[tuple[Button, ...], ...]:
    """A card's way to its speakers: a button each, two a row, or one 'Speakers' button when more than `most`."""
    speakers = programme.speakers_of(session)
    if not speakers:
        return ()
    if len(speakers) > most:
        label = "🎤 " + lang._("Speakers (%(n)d)") % {"n": len(speakers)}
        return ((Button(label, cb.session_speakers(session.key)),),)
    buttons = [Button("🎤 " + _name_label(sp, MAX_BUTTON_LABEL // 2), cb.speaker(sp.key)) for sp in speakers]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def session_speakers(programme: Programme, session: Session, lang: Lang) -> Reply:
    """The speakers of a session with too many for its card: each named, and a button each (the first few)."""
    _ = lang._
    speakers = programme.speakers_of(session)
    lines = ["🎤 " + _("Speakers of <b>%(title)s</b>") % {"title": esc(clip(session.title, 200))}, ""]
    lines += [_who(sp) for sp in speakers]
    buttons = [
        Button(_name_label(sp, MAX_BUTTON_LABEL // 2), cb.speaker(sp.key)) for sp in speakers[:SESSION_SPEAKER_BUTTONS]
    ]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    rows.append((Button("⬅ " + _("Back to the session"), cb.session(session.key)),))
    return Reply(clip("\n".join(lines), MAX_TEXT), tuple(rows))
