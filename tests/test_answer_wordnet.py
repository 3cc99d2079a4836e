"""WordNet for the programme's own word: a translation that is right but not the programme's ('nocturnal' for
'Night markets') reaches it through WordNet's synonyms, adjective nouns and derivations, read from a small
database in WordNet's own format (CI has no WordNet installed)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.answer import dictionary, search, wordnet
from bot.answer.engine import Kind, answer
from tests.conftest import small_programme
from tests.test_answer_dictionary import write_dictd

BEFORE = datetime.fromisoformat("2024-06-20T10:00:00+02:00")
LICENCE = "  1 This software and database is being provided to you, the LICENSEE, by Princeton University\n"
# (file, lines): offsets are the synsets' own numbers; a pointer is symbol, offset, part of speech, source/target.
DATABASE = {
    "data.noun": [
        "00000001 15 n 01 night 0 000 | the time after sunset",
        "00000002 06 n 02 gymnasium 0 gym 0 000 | a hall for sports",
        "00000003 15 n 01 winter 0 000 | the coldest season",
        "00000004 06 n 01 lyceum 0 000 | a school",
    ],
    "index.noun": [
        "gym n 1 0 1 0 00000002",
        "gymnasium n 2 0 2 0 00000002 00000004",
        "lyceum n 1 0 1 0 00000004",
        "night n 1 0 1 0 00000001",
        "winter n 1 0 1 0 00000003",
    ],
    "data.adj": [
        "00000010 00 a 01 nocturnal 0 001 \\ 00000001 n 0101 | of the night",
        "00000011 00 s 01 wintry(a) 0 001 + 00000003 n 0101 | of winter",
    ],
    "index.adj": ["nocturnal a 1 1 \\ 1 0 00000010", "wintry a 1 1 + 1 0 00000011"],
}


def write_wordnet(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for name, lines in DATABASE.items():
        (folder / name).write_text(LICENCE + "\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_synonyms_adjective_nouns_and_derivations_are_read(tmp_path: Path) -> None:
    related = dict(wordnet.read_related(write_wordnet(tmp_path / "wordnet")))
    assert related["nocturnal"] == ("night",)  # the noun the adjective pertains to
    assert related["wintry"] == ("winter",)  # a derivation, from a satellite adjective written 'wintry(a)'
    assert related["gymnasium"] == ("gym", "lyceum")  # its first two senses' synonyms
    assert related["gym"] == ("gymnasium",)
    assert "night" not in related  # nothing close to it
    assert dict(wordnet.read_related(tmp_path / "none")) == {}


@pytest.fixture
def book(tmp_path: Path) -> dictionary.Dictionary:
    source = tmp_path / "dictd"
    source.mkdir()
    write_dictd(source, "freedict-spa-eng", [("nocturno", "nocturno\n nocturnal <adj>\n")])
    write_dictd(source, "freedict-fra-eng", [("gymnase", "gymnase\n gymnasium <n>\n")])
    found = dictionary.open_dictionary(source, tmp_path / "lookup.sqlite3", None, write_wordnet(tmp_path / "wn"))
    assert isinstance(found, dictionary.Dictionary)
    search.expand.cache_clear()
    yield found
    dictionary.use(dictionary.NoDictionary())


@pytest.mark.parametrize(
    ("question", "session"),
    [
        ("¿A qué hora es lo de los mercados nocturnos?", "night"),
        ("Où est la session sur les gymnases ?", "gyms"),
    ],
)
def test_a_translation_finds_the_programmes_own_word_through_wordnet(
    book: dictionary.Dictionary, tmp_path: Path, question: str, session: str
) -> None:
    programme = small_programme(
        tmp_path,
        "Local Days",
        """\
  - {id: night, title: Night markets and street food, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: gyms, title: Opening school gyms after hours, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
  - {id: other, title: Farmers' markets, start: "2024-06-25T11:00", end: "2024-06-25T12:00", room: a}
""",
    )
    result = answer(question, programme, BEFORE)
    assert result.kind is Kind.SESSIONS and result.sessions[0].id == session, (question, result.kind)
    dictionary.use(dictionary.NoDictionary())
    search.expand.cache_clear()
    assert answer(question, programme, BEFORE).sessions[:1] != result.sessions[:1]  # it was WordNet's doing
