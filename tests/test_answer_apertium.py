"""Apertium's bilingual transducers as a dictionary: lt-print's listing walked into word pairs, French and
Italian through Spanish, and a Spanish question about an English title answered through them.

`lt-print` is lttoolbox's; here a stand-in script prints hand-written listings in its format, so the test runs
where Apertium is not installed (the real pairs were read on a machine that has them: see the README)."""

from __future__ import annotations

import logging
import os
import re
import stat
from datetime import datetime
from pathlib import Path

import pytest

from bot.answer import apertium, dictionary, search
from bot.answer.engine import Kind, answer
from tests.conftest import small_programme

BEFORE = datetime.fromisoformat("2024-06-20T10:00:00+02:00")
_SYMBOL = re.compile(r"<[^>]+>|.")


def listing(pairs: list[tuple[str, str]], state: int = 0) -> str:
    """An lt-print section: one chain of arcs per pair from state 0 (lt-print's format, not minimised)."""
    lines, finals, next_state = [], [], state + 1
    for given, made in pairs:
        a, b = _SYMBOL.findall(given), _SYMBOL.findall(made)
        a += ["ε"] * (len(b) - len(a))
        b += ["ε"] * (len(a) - len(b))
        here = state
        for x, y in zip(a, b, strict=True):
            lines.append(f"{here}\t{next_state}\t{x}\t{y}\t0.000000\t")
            here, next_state = next_state, next_state + 1
        finals.append(f"{here}\t0.000000")
    return "\n".join(lines + finals)


SPANISH = [
    ("contenedor<n><m>", "container<n>"),
    ("residuo<n><m><pl>", "waste<n><sg>"),
    ("residuo<n><m><sg>", "residue<n><sg>"),
    ("bicicleta<n><f>", "bicycle<n>"),
    ("huerto<n><m>", "kitchen garden<n>"),
    ("vertedero<n><m>", "landfill<n>"),
    ("abatir<vblex>", "knock# down<vblex>"),  # a verb: the question's word, not a topic
    ("San Sebastián<np>", "San Sebastián<np>"),  # a name of two words: left out
]
FRENCH = [("vélo<n><m>", "bicicleta<n><f>"), ("déchet<n><m><pl>", "residuo<n><m><pl>"), ("ordi<n>", "ordenador<n>")]
ITALIAN = [("rifiuto<n>", "residuo<n>")]
# A number's digits loop on one state (left out); a section with another cycle has endless paths (skipped).
DIGITS = "0\t1\t<num>\t<num>\t0.000000\t\n1\t1\t7\t7\t0.000000\t\n1\t0.000000"
CYCLE = "0\t1\ta\ta\t0.000000\t\n1\t0\t<n>\t<n>\t0.000000\t\n1\t0.000000"


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An Apertium folder with the three pairs, and an `lt-print` that prints their listings."""
    folder = tmp_path / "apertium"
    for name, pairs in (
        ("apertium-eng-spa/spa-eng", SPANISH),
        ("apertium-fr-es/fr-es", FRENCH),
        ("apertium-spa-ita/ita-spa", ITALIAN),
    ):
        binary = folder / f"{name}.autobil.bin"
        binary.parent.mkdir(parents=True, exist_ok=True)
        binary.write_bytes(b"compiled")
        binary.with_name(binary.name + ".att").write_text(f"{listing(pairs)}\n--\n{DIGITS}\n--\n{CYCLE}\n")
    tools = tmp_path / "bin"
    tools.mkdir()
    script = tools / "lt-print"
    script.write_text('#!/bin/sh\nexec cat "$1.att"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    return folder


def test_every_path_of_a_listing_is_read_and_looping_ones_are_left_out() -> None:
    printed = f"{listing(SPANISH[:2])}\n--\n{DIGITS}\n--\n{CYCLE}"
    assert sorted(apertium.transducer_paths(printed)) == [
        ("<num>", "<num>"),  # the digit's self-loop left out, its one-symbol path kept
        ("contenedor<n><m>", "container<n>"),
        ("residuo<n><m><pl>", "waste<n><sg>"),
    ]


def test_nouns_and_adjectives_keep_every_translation_of_their_lemma() -> None:
    pairs = apertium.lemma_pairs(apertium.transducer_paths(listing(SPANISH)))
    assert pairs == {
        "contenedor": ["container"],
        "residuo": ["waste", "residue"],
        "bicicleta": ["bicycle"],
        "huerto": ["kitchen garden"],
        "vertedero": ["landfill"],
    }


def test_french_and_italian_reach_english_through_spanish(installed: Path, tmp_path: Path) -> None:
    found = {(lang, word): senses for lang, word, senses in apertium.read_apertium(installed)}
    assert found[("es", "contenedor")] == ("container",)
    assert found[("fr", "velo")] == ("bicycle",)  # folded like a question's words
    assert found[("fr", "dechet")] == ("waste", "residue")
    assert found[("it", "rifiuto")] == ("waste", "residue")
    assert ("fr", "ordi") not in found  # its Spanish ('ordenador') has no English here


def test_without_lt_print_the_pairs_are_left_out_and_the_log_says_so(
    installed: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", "")  # Debian's lttoolbox without lttoolbox-dev: the pairs but no lt-print
    with caplog.at_level(logging.WARNING, logger="bot.answer.apertium"):
        assert apertium.files(installed) == {}
    assert "lttoolbox-dev" in caplog.text


def test_without_spanish_there_is_nothing_to_read(installed: Path, caplog: pytest.LogCaptureFixture) -> None:
    (installed / "apertium-eng-spa" / "spa-eng.autobil.bin").unlink()
    assert apertium.files(installed) == {}  # French and Italian alone reach no English
    assert not caplog.records  # nothing to warn about: Apertium is simply not there


def test_a_spanish_or_french_question_finds_the_english_title(installed: Path, tmp_path: Path) -> None:
    cache = tmp_path / "lookup.sqlite3"
    try:
        book = dictionary.open_dictionary(tmp_path / "no-freedict", cache, installed)  # built in a child process
        assert book.english("contenedor") == ("container",)
        search.expand.cache_clear()
        programme = small_programme(
            tmp_path,
            "Circular Cities",
            """\
  - {id: tip, title: Closing the last landfill, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: bikes, title: Bicycle lanes that last, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
        )
        for question, session in (
            ("¿Cuándo es la charla sobre los vertederos?", "tip"),  # a plural of the lemma
            ("Quand parle-t-on de vélo ?", "bikes"),
        ):
            result = answer(question, programme, BEFORE)
            assert result.kind is Kind.SESSIONS and result.sessions[0].id == session, (question, result.kind)
        dictionary.use(dictionary.NoDictionary())
        search.expand.cache_clear()
        assert answer("¿Hay algo sobre vertederos?", programme, BEFORE).kind is Kind.NO_MATCH
    finally:
        dictionary.use(dictionary.NoDictionary())
        search.expand.cache_clear()
