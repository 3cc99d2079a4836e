"""Cognates: a word of another bot language the dictionaries lack finds the English word of the same root, in a
question clearly in that language ('compostaggio' → composting, 'participativos' → participatory)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.answer.engine import Kind, answer
from bot.programme.model import Programme
from tests.conftest import small_programme

BEFORE = datetime.fromisoformat("2024-06-20T10:00:00+02:00")


@pytest.fixture
def civic(tmp_path: Path) -> Programme:
    return small_programme(
        tmp_path,
        "Civic Days",
        """\
  - {id: comp, title: Community composting in courtyards, start: "2024-06-25T09:00", end: "2024-06-25T10:00",
     room: a}
  - {id: budget, title: Participatory budgeting in ten cities, start: "2024-06-25T10:00", end: "2024-06-25T11:00",
     room: a}
  - {id: eco, title: The ecological cost of data centres, start: "2024-06-25T11:00", end: "2024-06-25T12:00",
     room: a}
""",
    )


@pytest.mark.parametrize(
    ("question", "session"),
    [
        ("Dov'è il laboratorio di compostaggio?", "comp"),
        ("Où est l'atelier de compostage ?", "comp"),
        ("¿Hay algo sobre presupuestos participativos?", "budget"),
        ("C'è qualcosa sul bilancio partecipativo?", "budget"),  # a vowel apart too: 'partecip-' / 'particip-'
        ("¿Cuándo es la charla sobre el coste ecológico de los centros de datos?", "eco"),
    ],
)
def test_a_cognate_finds_the_english_title(civic: Programme, question: str, session: str) -> None:
    result = answer(question, civic, BEFORE)
    assert result.kind is Kind.SESSIONS and result.sessions[0].id == session, (question, result.kind)


def test_an_english_question_is_not_read_for_cognates(civic: Programme) -> None:
    # Only a question clearly in another language: 'compostaggio' typed alone could be anything.
    assert answer("compostaggio", civic, BEFORE).kind is Kind.NO_MATCH
