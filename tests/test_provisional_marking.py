"""A session card marks a provisional session once, in the delegate's language; organisers' notes as written."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot import i18n
from bot.evaluate import visible
from bot.programme.loader import load_programme
from bot.programme.model import Programme, Session
from bot.views.browse import session_card
from tests.conftest import BUNDLED

LABEL = "<b>Provisional</b>: the official programme will replace it."
LANGUAGES = ("en", "es", "fr", "de", "it")


@pytest.fixture(scope="module")
def programme() -> Programme:
    return load_programme(BUNDLED)


def with_note(programme: Programme, session: Session, note: str) -> tuple[Programme, Session]:
    noted = replace(session, note=note)
    return replace(programme, sessions=tuple(noted if s.id == session.id else s for s in programme.sessions)), noted


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_card_marks_provisional_once_in_the_delegates_language(programme: Programme, code: str) -> None:
    lang = i18n.lang(code)
    label = re.sub("<[^>]+>", "", lang._(LABEL))
    word = label.split(":")[0].strip()  # 'Provisional', 'Provisoire', 'Vorläufig' …
    assert code == "en" or label != "Provisional: the official programme will replace it."
    provisional = 0
    for session in programme.sessions:
        card = visible(session_card(programme, session, lang))
        assert card.count(word) == (1 if session.is_provisional else 0), (code, session.id, card)
        assert card.count(label) == (1 if session.is_provisional else 0), (code, session.id)
        if code != "en":
            assert "the official programme will replace" not in card.lower(), (code, session.id)
        provisional += session.is_provisional
    assert provisional >= 20  # the bundled programme is mostly provisional: the loop checked real cards


def test_an_organisers_note_is_shown_as_written_and_labelled(programme: Programme) -> None:
    inaugural = programme.session("cmc24-d1-inaugural")
    assert inaugural is not None and inaugural.is_provisional and inaugural.note
    note = " ".join(inaugural.note.split())
    labels = {"en": "Organisers' note: ", "fr": "Note des organisateurs : ", "de": "Hinweis der Veranstalter: "}
    for code, label in labels.items():
        card = visible(session_card(programme, inaugural, i18n.lang(code)))
        assert "📝 " + label + note in card, code
        assert card.count(note[:40]) == 1


def test_a_note_that_only_repeats_the_status_is_not_shown_again(programme: Programme) -> None:
    coffee = programme.session("cmc24-d1-coffee-am")
    assert coffee is not None and coffee.is_provisional and not coffee.note
    for note in ("Provisional: the official programme will replace it.", "provisional", " PROVISIONAL. "):
        changed, repeated = with_note(programme, coffee, note)
        assert repeated.organisers_note == ""
        card = visible(session_card(changed, repeated, i18n.lang("en")))
        assert card.lower().count("provisional") == 1 and "Organisers' note" not in card
    changed, specific = with_note(programme, coffee, "Provisional: the caterer confirms the time in May.")
    assert specific.organisers_note == specific.note
    card = visible(session_card(changed, specific, i18n.lang("es")))
    assert "📝 Nota de los organizadores: Provisional: the caterer confirms the time in May." in card


def test_a_confirmed_session_has_no_provisional_mark_but_keeps_its_note(programme: Programme) -> None:
    confirmed = next(s for s in programme.sessions if not s.is_provisional and not s.is_cancelled)
    changed, noted = with_note(programme, confirmed, "Interpretation into Spanish is provided.")
    card = visible(session_card(changed, noted, i18n.lang("it")))
    assert "Provvisoria" not in card and "provisional" not in card.lower()
    assert "📝 Nota degli organizzatori: Interpretation into Spanish is provided." in card
