"""Which language a question is in: only clear evidence changes the language of the answer."""

from __future__ import annotations

import itertools

import pytest

from bot.answer.language import EVIDENCE, question_language


def test_no_word_counts_for_two_languages() -> None:
    for a, b in itertools.combinations(EVIDENCE, 2):
        assert not EVIDENCE[a] & EVIDENCE[b], (a, b, EVIDENCE[a] & EVIDENCE[b])


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("¿dónde está la sala Rodrigo?", "es"),
        ("qué hay esta tarde", "es"),
        ("wann ist die Eröffnung?", "de"),
        ("Gibt es heute etwas über Mobilität?", "de"),
        ("quand commence la séance de clôture ?", "fr"),
        ("où est la salle Iturbi", "fr"),
        ("quando inizia la sessione di chiusura", "it"),
        ("cosa c'è dopo pranzo?", "it"),
        ("when is the closing session", "en"),
        ("what's on this afternoon in room 2?", "en"),
        ("Y a-t-il une conférence sur la plantation d'arbres ?", "fr"),  # 'une', the 't' of 'a-t-il'
        ("oye tío, ¿la charla de comida?", "es"),
        ("allora, la roba sui vestiti?", "it"),
        ("Kann man das nochmal sehen?", "de"),
    ],
)
def test_a_clear_question_names_its_language_whatever_the_setting(question: str, asked: str) -> None:
    for setting in ("en", "es", "fr", "de", "it"):
        assert question_language(question, setting) == asked


@pytest.mark.parametrize(
    "question",
    [
        "Datenbanken",  # a topic word alone: no evidence at all
        "wann?",  # one word is too little to override a choice the delegate made
        "Rafał Trzaskowski",
        "10:30",
        "la sala",  # words two languages share
        "<script>alert(1)</script>",
    ],
)
def test_too_little_evidence_keeps_the_setting(question: str) -> None:
    for setting in ("en", "es", "de"):
        assert question_language(question, setting) == setting


def test_a_pasted_title_is_no_evidence() -> None:
    title = "Opening panel: city leaders on the role of cities in delivering the European Green Deal"
    words = frozenset(title.lower().replace(":", "").split())
    assert question_language(title, "es", words) == "es"
    assert question_language(f"¿cuándo es {title}?", "en", words) == "es"


def test_mixed_evidence_keeps_the_setting() -> None:
    # As much German as English: no clear other language.
    assert question_language("wann is the Vortrag", "en") == "en"
