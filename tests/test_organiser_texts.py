"""Organisers' error texts come from the catalogue, in their language, from pure checks."""

from __future__ import annotations

from bot import i18n
from bot.runup import PLACEHOLDERS, PlaceholderProblem, placeholder_problem
from bot.views import changes
from bot.views.scheduled import bad_placeholder


def test_placeholder_problem_names_the_unknown_placeholder_or_the_unpaired_brace() -> None:
    assert placeholder_problem("Welcome to {venue}, {days_to_go} days to go") is None
    assert placeholder_problem("See you at {place}") == PlaceholderProblem("place")
    assert placeholder_problem("Price: {5") == PlaceholderProblem()
    assert placeholder_problem("Literal {{braces}} are fine") is None
    after = PLACEHOLDERS - {"day", "bookmarks"}  # an entry after the conference is about no day
    assert placeholder_problem("Thanks for {conference}", after) is None
    assert placeholder_problem("Your {day}", after) == PlaceholderProblem("day", needs_day=True)


def test_the_dialogue_explains_the_problem_in_the_organisers_language() -> None:
    en = bad_placeholder(PlaceholderProblem("place"), i18n.lang("en"))
    assert "unknown placeholder {place}" in en and "{venue}" in en and "/cancel" in en
    es = bad_placeholder(PlaceholderProblem(), i18n.lang("es"))
    assert "sin su pareja" in es and "/cancel" in es
    de = bad_placeholder(PlaceholderProblem("day", needs_day=True), i18n.lang("de"), frozenset({"venue"}))
    assert "{day} braucht einen Konferenztag" in de and "verwenden Sie {venue}" in de and "{bookmarks}" not in de


def test_refused_files_are_explained_in_the_organisers_language() -> None:
    de = i18n.lang("de")
    assert changes.file_too_large("big.xml", 50 * 2**20, de) == "big.xml: größer als 50 MB"
    assert "erneut" in changes.download_failed("p.json", de)
