"""Every speakers screen of every real export fits a phone: ten buttons at most, two a row, data within 64 bytes."""

from __future__ import annotations

import pytest

from bot import i18n
from bot.programme.loader import load_programme
from bot.programme.model import Programme, Speaker
from bot.speakers import letter_ranges, speakers_index
from bot.views import callback_data as cb
from bot.views.format import MAX_TEXT
from bot.views.reply import Reply
from bot.views.speakers import PAGE_SIZE, letters_menu, session_speakers, speaker_page, speaker_rows, speakers_page
from tests.conftest import BUNDLED, shared_schedule

# The file, and the zone to pass when the file names none (as tests/test_import_real.py loads them).
EXPORTS = [
    ("camp2019-frab.json", None),
    ("rc3-2020-pretalx.json", "Europe/Berlin"),
    ("fosdem-2019-pentabarf.xml", "Europe/Brussels"),
    ("fosdem-2025-pentabarf.xml", None),
    ("38c3-frab.xml", None),
    ("debconf23-wafer-frab.xml", None),
    ("lca2020.ics", None),
    ("sessionize-demo-all.json", "Europe/Madrid"),
]


def assert_fits(reply: Reply) -> None:
    buttons = [b for row in reply.buttons for b in row]
    assert len(buttons) <= 10, reply.buttons
    assert all(len(row) <= 2 for row in reply.buttons), reply.buttons
    assert all(b.label.strip() and len(b.data.encode()) <= cb.MAX_DATA_BYTES for b in buttons), reply.buttons
    assert len(reply.text) <= MAX_TEXT


def check_every_screen(programme: Programme) -> list[Speaker]:
    """Every screen of the speakers' part fits; the speakers listed by the index pages, in order."""
    lang = i18n.lang("en")
    index = speakers_index(programme)
    listed: list[str] = []
    for start in range(0, max(1, len(index)), PAGE_SIZE):
        page = speakers_page(programme, start, lang)
        assert_fits(page)
        listed += [b.data for row in page.buttons for b in row if b.data.startswith(f"{cb.SPEAKER}|")]
    assert listed == [cb.speaker(sp.key) for sp in index]
    assert_fits(letters_menu(programme, lang))
    for sp in index:
        assert_fits(speaker_page(programme, sp, 0, lang))
    for session in programme.sessions:
        rows = speaker_rows(programme, session, lang)
        assert len([b for row in rows for b in row]) <= 4 and all(len(row) <= 2 for row in rows)
        if session.speaker_ids:
            assert_fits(session_speakers(programme, session, lang))
    return list(index)


@pytest.mark.parametrize(("name", "zone"), EXPORTS, ids=[name for name, _ in EXPORTS])
def test_every_speakers_screen_of_a_real_export_fits_a_phone(name: str, zone: str | None) -> None:
    programme = load_programme(shared_schedule(name), zone)
    index = check_every_screen(programme)
    assert {sp.id for sp in index} == {
        sid for s in programme.sessions for sid in s.speaker_ids if programme.speaker(sid)
    }
    ranges = letter_ranges(tuple(index), 8)
    assert len(ranges) <= 8 and sum(r.count for r in ranges) == len(index)
    assert [r.start for r in ranges] == sorted({r.start for r in ranges})


def test_every_speakers_screen_of_the_bundled_programme_fits_a_phone() -> None:
    index = check_every_screen(load_programme(BUNDLED))
    assert len(index) == 13
