"""Walk the browsing screens as pure views: what each button shows, as the handlers would draw it, without a bot."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from datetime import datetime

from bot.i18n import Lang
from bot.programme.model import Programme
from bot.speakers import speakers_index
from bot.views import browse, now, speakers
from bot.views import callback_data as cb
from bot.views.agenda import bookmark_rows
from bot.views.format import MAX_TEXT
from bot.views.reply import Reply

Screen = Callable[[str], Reply | None]
# Buttons that do something else than show another browsing screen: toggles, the agenda, settings, questions.
ELSEWHERE = (f"{cb.BOOKMARK}|", cb.MY, cb.ICS, cb.SETTINGS, cb.VENUE, cb.HELP, f"{cb.ASK}|")


def screens(programme: Programme, lang: Lang, at: datetime, bookmarked: Collection[str] = ()) -> Screen:
    """What the bot shows for a button's data at `at` (None for data the walk does not follow)."""

    def show(data: str) -> Reply | None:
        if data == cb.DAYS:
            return browse.days_menu(programme, lang)
        if (day := cb.parse_day(data)) is not None:
            return browse.day_page(programme, day[0], day[1], lang, bookmarked, at)
        if (groups := cb.parse_day_groups(data)) is not None:
            by = browse.TRACKS if groups[0] == cb.DAY_TRACKS else browse.ROOMS
            return browse.groups_view(programme, groups[1], by, groups[2], lang)
        if (group := cb.parse_group_day(data)) is not None:
            by = browse.TRACKS if group[0] == cb.TRACK else browse.ROOMS
            return browse.group_day(programme, group[1], by, group[2], group[3], lang, bookmarked, at)
        if (key := cb.parse_session(data)) is not None:
            session = programme.session(key)
            assert session is not None, data
            return browse.session_card(programme, session, lang, bookmark_rows(session, bookmarked, lang), at)
        if (listing := cb.parse_now_page(data)) is not None:
            view = now.next_view if listing[0] else now.now_view
            return view(programme, at, lang, bookmarked, listing[1], listing[2])
        if (narrow := cb.parse_now_narrow(data)) is not None:
            return now.narrow_view(programme, at, narrow[0], narrow[1], narrow[2], lang)
        return _speakers_screen(programme, lang, data)

    return show


def _speakers_screen(programme: Programme, lang: Lang, data: str) -> Reply | None:
    if data == cb.SPEAKER_LETTERS:
        return speakers.letters_menu(programme, lang)
    if (start := cb.parse_speakers(data)) is not None:
        return speakers.speakers_page(programme, start, lang)
    if (found := cb.parse_speaker(data)) is not None:
        speaker = programme.speaker(found[0])
        assert speaker is not None and speaker in speakers_index(programme), data
        return speakers.speaker_page(programme, speaker, found[1], lang)
    if (key := cb.parse_session_speakers(data)) is not None:
        session = programme.session(key)
        assert session is not None, data
        return speakers.session_speakers(programme, session, lang)
    assert data.startswith(ELSEWHERE), f"a button the walk does not know: {data}"
    return None


def walk(
    show: Screen, starts: Collection[str], follow: Callable[[str], bool] = lambda data: True
) -> Iterator[tuple[str, Reply]]:
    """Every screen reachable from `starts` by the buttons `follow` accepts, each once, with its data."""
    seen = set(starts)
    todo = list(starts)
    while todo:
        data = todo.pop()
        reply = show(data)
        if reply is None:
            continue
        yield data, reply
        for row in reply.buttons:
            for button in row:
                if button.data and button.data not in seen and follow(button.data):
                    seen.add(button.data)
                    todo.append(button.data)


def misfits(reply: Reply) -> list[str]:
    """What about a screen does not fit a phone or Telegram's limits: empty when it fits."""
    buttons = [b for row in reply.buttons for b in row]
    found = []
    if len(buttons) > 10:
        found.append(f"{len(buttons)} buttons")
    if any(len(row) > 2 for row in reply.buttons):
        found.append("a row of more than two buttons")
    if any(not b.label.strip() for b in buttons):
        found.append("an empty label")
    if any(len(b.data.encode()) > cb.MAX_DATA_BYTES for b in buttons):
        found.append("callback data over 64 bytes")
    if len(reply.text) > MAX_TEXT or not reply.text.strip():
        found.append(f"text of {len(reply.text)} characters")
    return found
