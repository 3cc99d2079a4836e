"""Every browsing screen fits a phone: from /programme, /now, /next and /speakers, of the bundled conference and
FOSDEM 2025 (and, for the browsing itself, of every real export): at most ten buttons, two a row, labels that
show something, callback data within 64 bytes, text within Telegram's limit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot import i18n
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.views import callback_data as cb
from tests.conftest import BUNDLED, shared_schedule
from tests.support.browse_walk import misfits, screens, walk
from tests.test_speakers_layout import EXPORTS

STARTS = (cb.DAYS, cb.NOW, cb.NEXT, cb.speakers(0))
SPEAKERS = (f"{cb.SPEAKER}|", f"{cb.SPEAKERS}|", cb.SPEAKER_LETTERS, f"{cb.SESSION_SPEAKERS}|")


def now_or_next(data: str) -> bool:
    return data in (cb.NOW, cb.NEXT) or data.startswith((f"{cb.NOW_PAGE}|", f"{cb.NOW_NARROW}|"))


def instants(programme: Programme) -> list[datetime]:
    """Before, during (every two hours of every day) and after the conference."""
    first, last = programme.sessions[0].start, max(s.end for s in programme.sessions)
    during = [
        datetime.combine(day, datetime.min.time(), programme.timezone) + timedelta(hours=h)
        for day in programme.days
        for h in range(8, 22, 2)
    ]
    return [first - timedelta(days=2), *during, last + timedelta(hours=1)]


def check(programme: Programme, full: bool) -> dict[str, int]:
    """Walk every screen and assert each fits; how many screens of each kind were seen."""
    lang = i18n.lang("en")
    bookmarked = frozenset(s.id for s in programme.sessions[::5])
    moments = instants(programme)
    follow = (lambda data: True) if full else (lambda data: not data.startswith(SPEAKERS))
    kinds: dict[str, int] = {}
    bad: list[tuple[str, list[str]]] = []
    for data, reply in walk(screens(programme, lang, moments[1], bookmarked), STARTS, follow):
        kinds[data.split("|")[0]] = kinds.get(data.split("|")[0], 0) + 1
        bad += [(data, found)] if (found := misfits(reply)) else []
    # /now and /next change with the time: their screens at every moment, without walking the rest again.
    for at in moments:
        show = screens(programme, lang, at, bookmarked)
        for data, reply in walk(show, (cb.NOW, cb.NEXT), now_or_next):
            bad += [(f"{at:%a %H:%M} {data}", found)] if (found := misfits(reply)) else []
    assert not bad, bad[:5]
    return kinds


def test_every_screen_of_the_bundled_conference_fits_a_phone() -> None:
    programme = load_programme(BUNDLED)
    kinds = check(programme, full=True)
    assert kinds["ses"] == len(programme.sessions)  # every card is reached by buttons
    assert kinds["sp"] == 13 and kinds["dt"] and kinds["dr"] and kinds["tk"] and kinds["rm"]


def test_every_screen_of_fosdem_2025_fits_a_phone() -> None:
    programme = load_programme(shared_schedule("fosdem-2025-pentabarf.xml"))
    kinds = check(programme, full=True)
    assert kinds["ses"] == len(programme.sessions)
    assert kinds["nw"] and kinds["nn"]  # /now paged and narrowed


OTHERS = [e for e in EXPORTS if e[0] != "fosdem-2025-pentabarf.xml"]


@pytest.mark.parametrize(("name", "zone"), OTHERS, ids=[name for name, _ in OTHERS])
def test_every_browsing_screen_of_a_real_export_fits_a_phone(name: str, zone: str | None) -> None:
    programme = load_programme(shared_schedule(name), zone)
    kinds = check(programme, full=False)
    assert kinds["ses"] == len(programme.sessions)
