"""Formatting shared by every view: escaping, times in the event zone, dates in the user's language."""

from __future__ import annotations

import functools
import html
from datetime import date, datetime, timedelta

from babel import Locale
from babel.dates import (
    format_date,
    format_interval,
    format_skeleton,
    match_skeleton,
    tokenize_pattern,
    untokenize_pattern,
)

from bot.i18n import Lang
from bot.programme.model import Programme, Session

MAX_TEXT = 4096  # Telegram's limit for one message
MAX_CAPTION = 1024  # ... and for a photo's or document's caption
MAX_BUTTON_LABEL = 60
MAX_TOAST = 200  # ... and for the text a button press answers with


def esc(text: str) -> str:
    """Escape programme or user text for HTML parse mode."""
    return html.escape(text, quote=False)


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def clip_words(text: str, limit: int) -> str:
    """`clip` for a button label: cut at a word boundary when one is near, so no word is shown half."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: max(0, limit - 1)]
    cut = head.rfind(" ")
    if cut >= limit // 2:
        head = head[:cut]
    return head.rstrip(" ,;:-–·") + "…"


def hhmm(instant: datetime, programme: Programme) -> str:
    # The 24-hour '09:30' in every language: it is how the programme prints times, and CLDR's short times
    # differ only in a leading zero ('9:30' in Spanish) that would misalign the lists.
    return programme.local(instant).strftime("%H:%M")


def span(session: Session, programme: Programme) -> str:
    return f"{hhmm(session.start, programme)}–{hhmm(session.end, programme)}"


def _widened_pattern(skeleton: str, locale: Locale) -> str:
    """The locale's CLDR pattern for a skeleton, its weekday as wide as the skeleton asks."""
    options = locale.datetime_skeletons
    best = match_skeleton(skeleton, options, allow_different_fields=True)
    if best is None:
        return str(locale.date_formats["long"])
    # Babel matches 'MMMMEEEEd' to a locale's 'MMMMEd' and keeps its short weekday ('mar', 'Di.'); ICU widens
    # the field to what was asked, and so does this.
    width = skeleton.count("E")
    tokens = tokenize_pattern(options[best].pattern)
    for i, (kind, value) in enumerate(tokens):
        if kind == "field" and isinstance(value, tuple) and value[0] in ("E", "c") and width:
            tokens[i] = (kind, (value[0], max(width, value[1])))
    return untokenize_pattern(tokens)


def weekday_date(day: date, lang: Lang) -> str:
    """The weekday in full and the date, no year: 'Tuesday 25 June', 'martes, 25 de junio', 'Dienstag, 25. Juni'."""
    return format_date(day, _widened_pattern("MMMMEEEEd", lang.locale), locale=lang.locale)


def day_label(day: date, lang: Lang) -> str:
    """Weekday and date as CLDR writes them in the user's language: 'Wed 26 June', 'mié, 26 de junio'."""
    return _day_skeleton("MMMMEd", day, lang.locale)


@functools.lru_cache(maxsize=1024)
def _day_skeleton(skeleton: str, day: date, locale: Locale) -> str:
    # Every list line with a day asks again; Babel matches the skeleton anew each time (a twentieth of a reply).
    return format_skeleton(skeleton, day, locale=locale)


def when(session: Session, programme: Programme, lang: Lang) -> str:
    """'Wed 26 June 11:30–12:30'. A session after midnight shows its real date and the night it belongs to,
    so '01:30' is never read as the early morning before its conference day."""
    calendar_day = programme.local(session.start).date()
    label = f"{day_label(calendar_day, lang)} {span(session, programme)}"
    if calendar_day != session.day:
        night = format_skeleton("Ed", session.day, locale=lang.locale)
        label += " " + lang._("(night of %(day)s)") % {"day": night}
    return label


def days_label(first: date, last: date, lang: Lang) -> str:
    """'Tue 25 June – Wed 26 June 2024', 'mar 15 settembre – gio 17 settembre 2037': the month always whole."""
    if first == last:
        return day_label(first, lang)
    # CLDR's intervals abbreviate the month in most languages ('Tue, 25 Jun – Wed, 26 Jun', 'mar 15 – gio 17 set'):
    # its form only where it keeps the month whole ('mar, 15 de septiembre – jue, 17 de septiembre de 2037').
    joined = format_interval(first, last, "yMMMMEd", locale=lang.locale)
    if lang.code != "en" and format_date(last, "MMMM", locale=lang.locale) in joined:
        return joined
    return f"{day_label(first, lang)} – {day_label(last, lang)} {last.year}"


def long_day_label(day: date, lang: Lang) -> str:
    if lang.code == "en":  # without the comma of CLDR's British 'Tuesday, 25 June 2024', as the texts were written
        return format_date(day, "EEEE d MMMM y", locale=lang.locale)
    return format_date(day, "full", locale=lang.locale)


def zone_label(programme: Programme, at: datetime | None = None) -> str:
    """The event time zone as people read it: 'Europe/Madrid, CEST (UTC+02:00)'."""
    at = at or (programme.sessions[0].start if programme.sessions else datetime(2000, 1, 1))
    local = at.astimezone(programme.timezone)
    offset = local.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    utc = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    name = str(programme.timezone)
    abbrev = local.tzname() or ""
    if name.startswith("Etc/") or name == "UTC":
        return utc
    if abbrev and not abbrev.startswith(("+", "-")) and abbrev != name:
        return f"{name}, {abbrev} ({utc})"
    return f"{name} ({utc})"


def zone_line(programme: Programme, lang: Lang, at: datetime | None = None) -> str:
    """'🕘 Times in Europe/Madrid, CEST (UTC+02:00)': under every message that shows a time."""
    return "🕘 " + lang._("Times in %(zone)s") % {"zone": esc(zone_label(programme, at))}


def duration_label(delta: timedelta, lang: Lang) -> str:
    """'3 days 4 h', '2 h 05 min', '7 min' — a countdown that reads well on a phone."""
    total = max(0, int(delta.total_seconds()) // 60)
    days, rest = divmod(total, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return lang.n_("%(n)d day", "%(n)d days", days) % {"n": days} + (f" {hours} h" if hours else "")
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"


def room_name(session: Session, programme: Programme) -> str:
    return programme.room(session.room_id).name


def speaker_names(session: Session, programme: Programme) -> str:
    return ", ".join(sp.name for sp in programme.speakers_of(session))


def session_line(
    session: Session, programme: Programme, lang: Lang, *, with_day: bool = False, now: datetime | None = None
) -> str:
    """One line in a list: time, title, room, type tag, speakers and status marks (over, on now, when `now`)."""
    time_label = when(session, programme, lang) if with_day else span(session, programme)
    parts = [f"<b>{esc(time_label)}</b> {esc(clip(session.title, 120))}"]
    meta = [esc(room_name(session, programme))]
    if session.type:
        meta.append(f"<i>{esc(clip(session.type, 30))}</i>")
    line = parts[0] + "\n    " + " · ".join(meta)
    names = speaker_names(session, programme)
    if names:
        line += " · " + esc(clip(names, 100))
    if session.is_cancelled:
        line = "❌ <s>" + line.replace("\n", " ") + "</s> " + lang._("(cancelled)")
    elif session.is_provisional:
        line += " " + lang._("(provisional)")
    if now is not None and not session.is_cancelled:
        if session.end <= now:
            line = "✓ " + line + " " + lang._("(over)")
        elif session.start <= now:
            line = "▶ " + line + " " + lang._("(on now)")
    return line


def button_label(
    session: Session, programme: Programme, lang: Lang, *, with_day: bool = False, bookmarked: bool = False
) -> str:
    """'★ 09:30 Title': the start, the title cut at a word, ★ when in the user's agenda, ❌ when cancelled."""
    prefix = hhmm(session.start, programme)
    if with_day:
        prefix = f"{day_label(session.day, lang)} {prefix}"
    mark = (CANCELLED_MARK if session.is_cancelled else "") + (BOOKMARKED_MARK if bookmarked else "")
    return clip_words(f"{mark}{prefix} {session.title}", MAX_BUTTON_LABEL)


BOOKMARKED_MARK = "★ "  # opens a session row's label when the session is in the user's agenda
CANCELLED_MARK = "❌ "
