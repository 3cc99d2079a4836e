"""Chat words and colloquial forms in five languages: understood, or at least never the topic of a 'nothing found'."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.answer.engine import Frame, Kind, answer
from bot.programme.model import Programme

DAY_ONE = datetime.fromisoformat("2024-06-25T11:00:00+02:00")


@pytest.mark.parametrize(
    "question",
    ["wassup", "sup?", "what's up", "was geht?", "¿qué se cuece?", "quoi de neuf ?", "che si dice?", "qué pasa"],
)
def test_whats_up_alone_asks_what_is_on_now(cmc: Programme, question: str) -> None:
    result = answer(question, cmc, DAY_ONE)
    assert result.kind is Kind.SESSIONS and result.frame in (Frame.RUNNING, Frame.NOTHING_THEN_NEXT), question


@pytest.mark.parametrize("question", ["yo", "ok", "hmm", "lol"])
def test_a_filler_alone_is_no_search(cmc: Programme, question: str) -> None:
    assert answer(question, cmc, DAY_ONE).kind is Kind.EMPTY


@pytest.mark.parametrize(
    "question",
    [
        "what's on at the end of the day",
        "was läuft am Ende des Tages",
        "qué hay al final del día",
        "qu'est-ce qu'il y a à la fin de la journée",
        "cosa c'è alla fine della giornata",
    ],
)
def test_the_end_of_the_day_is_todays_last_session(cmc: Programme, question: str) -> None:
    result = answer(question, cmc, DAY_ONE)
    assert result.frame is Frame.LAST, question
    assert result.sessions[0].title == "Day 1 wrap-up"


def test_fillers_beside_a_question_do_not_sink_it(cmc: Programme) -> None:
    result = answer("yo wassup, what's on this arvo?", cmc, DAY_ONE)
    assert result.kind is Kind.SESSIONS and result.sessions
    assert all(s.start.astimezone(cmc.timezone).hour >= 12 for s in result.sessions)


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("was kommt nach dem Eröffnungspanel", "Coffee break"),  # Eröffnung + Panel: the opening panel's follower
        ("wann ist die Abschlusssitzung", "Closing session"),  # Abschluss + Sitzung
    ],
)
def test_a_german_compound_the_programme_lacks_is_read_as_its_two_words(
    cmc: Programme, question: str, title: str
) -> None:
    result = answer(question, cmc, DAY_ONE)
    assert result.sessions and result.sessions[0].title == title
    if "nach" in question:
        assert result.anchor is not None and result.anchor.title.startswith("Opening panel")
