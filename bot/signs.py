"""Printable signs for the venue: one A4 page per room with a QR code to the room's deep link and its sessions as
a fallback list, and one for the entrance with a QR code to the programme. A PDF drawn with matplotlib's PDF
backend in DejaVu Sans (shipped with matplotlib: accents and umlauts in every catalogue language), QR codes by
segno; `python -m bot signs` and the organisers' /signs make the same file.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot import deep_links
from bot.i18n import Lang
from bot.programme.model import Programme, Session
from bot.views.format import clip, day_label, hhmm, long_day_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

A4_INCHES = (8.27, 11.69)
LINES_PER_COLUMN = 40  # fallback lines a column holds at the list's font size
COLUMNS = 2
ROOMY_LINES = 20  # up to this many lines, the list is printed large
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules
MODULE_PIXELS = 8
FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Sign:
    """One page: what it is for, the link its QR code holds, and the list printed beside it."""

    title: str
    heading: str
    hint: str
    url: str
    lines: tuple[str, ...]  # a line starting with "#" is a day's heading
    footer: str
    note: str = ""  # under the list, never cut: what the * beside a provisional session means


def rooms_in_use(programme: Programme) -> list[str]:
    """The ids of rooms that hold a session, in the programme's order of rooms (unlisted ones after, A–Z)."""
    used = {s.room_id for s in programme.sessions}
    listed = [r.id for r in programme.rooms if r.id in used]
    return listed + sorted(used.difference(listed), key=str.casefold)


def _session_lines(sessions: Sequence[Session], programme: Programme) -> list[str]:
    """One line a session; a provisional one marked * (a time not confirmed is never printed as if it were)."""
    return [
        hhmm(s.start, programme)
        + ("✗" if s.is_cancelled else "*" if s.is_provisional or programme.provisional else " ")  # never clipped
        + f" {clip(s.title, 70)}"
        for s in sessions
    ]


def _provisional_note(programme: Programme, room_id: str, lang: Lang) -> str:
    """What * means, when the room has a provisional session (or the whole programme is provisional)."""
    marked = programme.provisional or any(
        s.is_provisional and not s.is_cancelled for s in programme.sessions if s.room_id == room_id
    )
    return lang._("* provisional: the time or the speakers may still change") if marked else ""


def _fallback(programme: Programme, room_id: str, today: date | None, lang: Lang) -> list[str]:
    """The room's sessions: today's alone when it has some today, else each day under its heading."""
    in_room = [s for s in programme.sessions if s.room_id == room_id]
    if today is not None and any(s.day == today for s in in_room):
        shown = [s for s in in_room if s.day == today]
        return ["# " + long_day_label(today, lang), *_session_lines(shown, programme)]
    lines: list[str] = []
    for d in programme.days:
        on_day = [s for s in in_room if s.day == d]
        if on_day:
            lines += ["# " + day_label(d, lang), *_session_lines(on_day, programme)]
    return lines


def signs(programme: Programme, bot_username: str, lang: Lang, today: date | None = None) -> list[Sign]:
    """Every page, rooms first in the programme's order, the entrance last."""
    _ = lang._
    footer = f"{programme.name} · t.me/{bot_username}"
    pages = [
        Sign(
            title=programme.room(room_id).name,
            heading=_("What's on in this room"),
            hint=_("Scan the code for what is on here now and next, on your phone."),
            url=deep_links.url(bot_username, deep_links.room_payload(room_id)),
            lines=tuple(_fallback(programme, room_id, today, lang)),
            footer=footer,
            note=_provisional_note(programme, room_id, lang),
        )
        for room_id in rooms_in_use(programme)
    ]
    pages.append(
        Sign(
            title=programme.name,
            heading=_("Welcome! The programme on your phone"),
            hint=_("Scan the code: the programme, what is on now, your own agenda and reminders."),
            url=deep_links.url(bot_username, deep_links.PROGRAMME),
            lines=tuple(p for p in (programme.venue.name, programme.venue.address) if p),
            footer=footer,
        )
    )
    return pages


@functools.cache
def _has_glyph(char: str) -> bool:
    from matplotlib.font_manager import FontProperties, findfont, get_font

    return char.isspace() or get_font(findfont(FontProperties(family=FONT))).get_char_index(ord(char)) != 0


def printable(text: str) -> str:
    """`text` without the characters DejaVu Sans has no glyph for (emoji in a talk's title), spaces tidied."""
    return " ".join("".join(c for c in text if _has_glyph(c)).split())


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code of `url` as rows of dark (True) and light modules, quiet zone included."""
    import segno

    code = segno.make(url, error="m", micro=False)
    return [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=QR_BORDER)]


def qr_image(url: str) -> list[list[bool]]:
    """The QR code as drawn: each module a square of MODULE_PIXELS × MODULE_PIXELS pixels."""
    rows = qr_matrix(url)
    wide = [[m for m in row for _ in range(MODULE_PIXELS)] for row in rows]
    return [row for row in wide for _ in range(MODULE_PIXELS)]


def _columns(lines: Sequence[str], lang: Lang) -> list[list[str]]:
    """The list in at most COLUMNS columns; what does not fit is counted on the last line."""
    room = LINES_PER_COLUMN * COLUMNS
    shown = list(lines)
    if len(shown) > room:
        left = len(shown) - (room - 1)
        more = lang.n_("… and %(n)d more: scan the code", "… and %(n)d more: scan the code", left) % {"n": left}
        shown = [*shown[: room - 1], more]
    return [shown[i : i + LINES_PER_COLUMN] for i in range(0, len(shown), LINES_PER_COLUMN)] or [[]]


def draw(sign: Sign, lang: Lang) -> Figure:
    """One sign as an A4 figure: the title, the heading, the QR code, the hint, the fallback list, the footer."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=A4_INCHES)
    fig.text(0.5, 0.94, printable(clip(sign.title, 60)), ha="center", va="top", fontsize=30, weight="bold", family=FONT)
    fig.text(0.5, 0.885, printable(sign.heading), ha="center", va="top", fontsize=18, family=FONT)
    ax = fig.add_axes((0.3, 0.55, 0.4, 0.4 * A4_INCHES[0] / A4_INCHES[1]))
    # Unresampled, a vector backend embeds the pixels as they are: sharp at any print size. A module is
    # MODULE_PIXELS wide so that every row fills whole bytes, which some PDF readers need for bit-packed images.
    ax.imshow(qr_image(sign.url), cmap="binary", interpolation="none", vmin=0, vmax=1)
    ax.set_axis_off()
    fig.text(0.5, 0.535, printable(sign.hint), ha="center", va="top", fontsize=11, family=FONT, wrap=True)
    fig.text(0.5, 0.51, sign.url, ha="center", va="top", fontsize=9, family=FONT, color="#444444")
    columns = _columns(sign.lines, lang)
    roomy = len(sign.lines) <= ROOMY_LINES  # a short list in a large font, readable from the corridor
    size, step, limit = (12, 0.02, 70) if roomy else (8, 0.0105, 48 if len(columns) > 1 else 95)
    width = 0.84 / len(columns)
    for n, column in enumerate(columns):
        y = 0.47
        for line in column:
            heading = line.startswith("# ")
            text = line[2:] if heading else line
            weight = "bold" if heading else "normal"
            fig.text(
                0.08 + n * width, y, printable(clip(text, limit)), va="top", fontsize=size, family=FONT, weight=weight
            )
            y -= step
    if sign.note:
        fig.text(0.08, 0.05, printable(sign.note), va="bottom", fontsize=9, family=FONT, style="italic")
    fig.text(0.5, 0.025, printable(sign.footer), ha="center", va="bottom", fontsize=8, family=FONT, color="#666666")
    return fig


def signs_pdf(pages: Sequence[Sign], lang: Lang) -> bytes:
    """All the signs as one PDF, a page each, fonts embedded as TrueType (text that a reader can search)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    out = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(out, metadata={"Title": "Signs"}) as pdf:
        for sign in pages:
            pdf.savefig(draw(sign, lang))
    return out.getvalue()


def sign_png(sign: Sign, lang: Lang, dpi: int = 50) -> bytes:
    """One sign as a small PNG (the README's picture)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = draw(sign, lang)
    FigureCanvasAgg(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()


SIGNS_FILENAME = "signs.pdf"
