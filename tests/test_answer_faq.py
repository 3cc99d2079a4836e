"""The organiser's FAQ file: its format, its errors, how questions find entries, and the shipped content."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.answer.engine import Kind, answer
from bot.answer.faq import Faq, FaqError, load_faq, match, parse_faq
from bot.answer.text import fold, words
from bot.programme.loader import load_programme
from tests.conftest import BUNDLED, ROOT

SHIPPED = ROOT / "data" / "faq.yaml"


def hit(faq: Faq, question: str, programme_name: str = "Expo", event_words: frozenset[str] = frozenset()) -> str:
    found = match(faq, tuple(words(fold(question))), programme_name, event_words, tuple(words(fold(question))))
    return found.entry.id if found else ""


def test_the_shipped_faq_covers_the_practical_topics() -> None:
    faq = parse_faq(SHIPPED.read_text(encoding="utf-8"))
    ids = {e.id for e in faq.entries}
    assert {"venue", "address", "getting-there", "time-zone", "final", "registration", "contact"} <= ids
    assert faq.conference == "Cities Mission Conference 2024"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Where is the conference?", "venue"),
        ("¿Dónde es la conferencia?", "venue"),
        ("what's the address of the venue", "address"),
        ("how do I get there by metro?", "getting-there"),
        ("what time zone are the times in?", "time-zone"),
        ("In welcher Zeitzone stehen die Zeiten im Fahrplan?", "time-zone"),  # 'Fahrplan' is the schedule
        ("c'est quel fuseau horaire pour les horaires du congrès ?", "time-zone"),  # not the dates
        ("in che fuso orario sono gli orari del congresso?", "time-zone"),
        ("les horaires du congrès, c'est l'heure de quelle ville ?", "time-zone"),  # whose clock the times keep
        ("las horas del programa del congreso, ¿son hora de España o UTC?", "time-zone"),
        ("a che ora inizia il congresso?", "dates"),  # one 'time' alone asks when
        ("quand a lieu le congrès ?", "dates"),
        ("In welchem Gebäude findet die Konferenz statt?", "venue"),
        ("In che edificio si svolge il congresso?", "venue"),
        ("is the programme final?", "final"),
        ("Ist das Programm endgültig?", "final"),
        ("how can I register?", "registration"),
        ("who organises this?", "contact"),
        ("is there wifi at the venue?", "wifi"),
        ("is there a conference dinner?", "social"),
    ],
)
def test_shipped_entries_answer_delegates_questions(question: str, entry: str) -> None:
    result = answer(question, load_programme(BUNDLED), datetime(2024, 6, 1, tzinfo=UTC), load_faq(SHIPPED))
    assert result.kind is Kind.FAQ and result.faq is not None
    assert result.faq.id == entry


def test_facts_the_research_did_not_find_are_not_published_yet() -> None:
    faq = load_faq(SHIPPED)
    answers = {e.id: e.answer for e in faq.entries}
    for topic in ("getting-there", "wifi", "accessibility", "badges", "catering", "livestream"):
        assert "not been published" in answers[topic] or "announced yet" in answers[topic]


def test_patterns_words_prefixes_phrases_and_groups() -> None:
    faq = parse_faq(
        """
conference: Expo
entries:
  - {id: reg, ask: ["regist*"], answer: "R"}
  - {id: tz, ask: ["time+zone|zeitzone"], answer: "T"}
  - {id: when, ask: ["@when @event"], answer: "W"}
"""
    )
    assert hit(faq, "registration please") == "reg"
    assert hit(faq, "which time zone") == "tz" and hit(faq, "zone of time") == ""
    assert hit(faq, "wann ist die Konferenz") == "when"
    assert hit(faq, "when is the expo", event_words=frozenset({"expo"})) == "when"
    assert hit(faq, "when is the expo") == ""


def test_entries_of_another_conference_do_not_apply() -> None:
    faq = parse_faq(
        """
conference: Expo 2030
entries:
  - {id: mine, ask: ["ticket"], answer: "only at Expo"}
  - {id: any, any_programme: true, ask: ["ticket"], answer: "see {url}"}
"""
    )
    assert hit(faq, "ticket?", "Expo 2030") == "mine"
    assert hit(faq, "ticket?", "Other Camp") == "any"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("entries: [{id: a, ask: [x]}]", "answer"),
        ("entries: [{id: a, ask: [], answer: b}]", "list of patterns"),
        ("entries: [{id: a, ask: ['@nowhere'], answer: b}]", "unknown group"),
        ("entries: [{id: a, ask: ['a.b'], answer: b}]", "is not a word"),
        ("entries: [{id: a, ask: [x], answer: b, colour: red}]", "unknown keys colour"),
        ("entries: [{id: a, ask: [x], answer: b, button: rocket}]", "button"),
        ("entries: {a: 1}", "list of 'entries'"),
        ("entries: [", "not valid YAML"),
    ],
)
def test_errors_name_the_place(text: str, message: str) -> None:
    with pytest.raises(FaqError, match=message):
        parse_faq(text)


def test_load_reloads_on_change_and_survives_a_broken_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "faq.yaml"
    assert load_faq(path) == Faq()  # no file: no FAQ
    path.write_text("entries: [{id: a, ask: [wifi], answer: none}]\n", encoding="utf-8")
    assert [e.id for e in load_faq(path).entries] == ["a"]
    path.write_text("entries: [{id: b, ask: [wifi], answer: none}]\n", encoding="utf-8")
    os.utime(path, ns=(1, 2_000_000_000_000_000_000))
    assert [e.id for e in load_faq(path).entries] == ["b"]
    path.write_text("entries: [{id: c}]\n", encoding="utf-8")
    os.utime(path, ns=(1, 3_000_000_000_000_000_000))
    with caplog.at_level(logging.ERROR):
        assert load_faq(path) == Faq()
    assert "not usable" in caplog.text


def test_the_schedules_own_name_is_the_programme_not_a_topic() -> None:
    from tests.conftest import shared_schedule

    # 38C3 calls its schedule the 'Fahrplan', and talks are about building Fahrplan apps.
    programme = load_programme(shared_schedule("38c3-frab.xml"))
    question = "In welcher Zeitzone stehen die Zeiten im Fahrplan?"
    result = answer(question, programme, datetime(2024, 12, 1, tzinfo=UTC), load_faq(SHIPPED), lang="de")
    assert result.kind is Kind.FAQ and result.faq is not None and result.faq.id == "time-zone"
