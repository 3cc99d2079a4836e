"""FreeDict for topic words in another language: the dictd files read into a lookup file, English words left
alone, and a German question about an English title answered through it."""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import pytest

from bot.answer import dictionary, search
from bot.answer.engine import Kind, answer
from bot.answer.index import index_for
from bot.answer.query import parse
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from tests.conftest import small_programme

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
BEFORE = datetime.fromisoformat("2024-06-20T10:00:00+02:00")

# (headword, definition as FreeDict writes it: the headword line, then the senses)
GERMAN = [
    ("00-database-info", "00-database-info\n  FreeDict test dictionary\n"),
    ("Hitzewelle", "Hitzewelle /ˈhɪʦəˌvɛlə/\n [meteo.] heat-wave <n>\n\n see: {Hitzewellen}\n"),
    ("Rost", "Rost\n rust <n>\n"),
    ("Rüst", "Rüst\n setting-up <n>\n"),
    ("Sauerteig", "Sauerteig\n [cook.] leaven <n>, sourdough <n>\n"),
    ("Schreiben", "Schreiben\n letter <n>\n"),
    ("schreiben", "schreiben\n to write <v>, writing\n"),
    ("Schlaf", "Schlaf\n sleep <n>, somnus <n> [med.]\n"),
    ("Dämmung", "Dämmung\n insulation <n>\n"),
    ("Dach", "Dach\n roof <n>\n"),
    ("Wand", "Wand\n wall <n>\n"),
    ("Zauberstab", "Zauberstab\n wand <n>\n"),  # so 'wand' is an English word too
    ("Ostsee", "Ostsee\n Baltic Sea <n>\n"),
    ("Freier", "Freier\n punter <n>\n"),  # the noun; the adjective 'frei' inflects to 'freier' as well
    ("frei", "frei\n free <adj>\n"),
    ("Bau", "Bau\n construction <n>\n"),
]
SPANISH = [("sueño", "sueño\n1. sleep\n2. dream\n")]


def _number(n: int) -> str:
    digits = ""
    while True:
        digits = B64[n % 64] + digits
        n //= 64
        if not n:
            return digits


def write_dictd(folder: Path, name: str, entries: list[tuple[str, str]]) -> None:
    body, index = b"", []
    for head, definition in entries:
        raw = definition.encode()
        index.append(f"{head}\t{_number(len(body))}\t{_number(len(raw))}")
        body += raw
    (folder / f"{name}.index").write_text("\n".join(sorted(index, key=str.lower)) + "\n", encoding="utf-8")
    (folder / f"{name}.dict.dz").write_bytes(gzip.compress(body))


def install(folder: Path) -> dictionary.Dictionary:
    """Build the lookup file from the dictd files written in `folder` and answer with it (conftest puts the
    machine's default back after each test)."""
    cache = folder / "lookup.sqlite3"
    dictionary.build(folder, cache)
    found = dictionary.Dictionary(cache)
    dictionary.use(found)
    search.expand.cache_clear()
    return found


@pytest.fixture
def book(tmp_path: Path) -> dictionary.Dictionary:
    write_dictd(tmp_path, "freedict-deu-eng", GERMAN)
    write_dictd(tmp_path, "freedict-spa-eng", SPANISH)
    cache = tmp_path / "lookup.sqlite3"
    assert dictionary.build(tmp_path, cache) == 15  # 14 German (Schreiben and schreiben are one) and 1 Spanish
    found = dictionary.Dictionary(cache)
    dictionary.use(found)
    search.expand.cache_clear()
    yield found
    dictionary.use(dictionary.NoDictionary())


def test_senses_are_read_without_labels_numbers_or_references(book: dictionary.Dictionary) -> None:
    assert book.english("hitzewelle") == ("heat-wave",)
    assert book.english("sauerteig") == ("leaven", "sourdough")
    assert book.english("schlaf") == ("sleep", "somnus")
    assert book.english("sueno") == ("sleep", "dream")  # 'sueño' folded, its numbered senses
    assert set(book.english("schreiben")) == {"letter", "write", "writing"}  # both entries of one folded word
    assert book.english("unbekannt") == ()


def test_an_english_word_is_not_translated(book: dictionary.Dictionary) -> None:
    # 'Rüst' folds to 'rust', which is English (a sense of 'Rost'): a question saying 'rust' means rust.
    assert book.english("rust") == ()
    assert search.translated("rust") == ()


def test_a_translation_with_a_hyphen_also_reads_as_one_word_and_two(book: dictionary.Dictionary) -> None:
    assert set(search.translated("hitzewellen")) >= {"heatwave", "heat wave"}  # the plural's singular entry


def test_a_word_only_a_dictionary_to_german_or_from_english_knows_is_read_through_them(tmp_path: Path) -> None:
    write_dictd(
        tmp_path,
        "freedict-deu-eng",
        [
            ("Mangel", "Mangel\n shortage <n>, lack <n>\n"),
            ("parken", "parken\n to park <v>, parking\n"),
            ("Mist", "Mist\n dung <n>\n"),
            ("Feuchtgebiet", "Feuchtgebiet\n wetland <n>\n"),
            ("Nebel", "Nebel\n fog <n>\n"),
        ],
    )
    write_dictd(tmp_path, "freedict-fra-eng", [("manque", "manque\n lack <n>\n")])
    # French to German: a noun through German–English; a verb ('parken') drifts ('garer' is no 'parking' talk).
    write_dictd(tmp_path, "freedict-fra-deu", [("pénurie", "pénurie\n Mangel <n, m>\n"), ("garer", "garer\n parken\n")])
    # English to Italian, read backwards; a word a dictionary to English has keeps its own senses.
    # A headword no dictionary to English knows as English ('peopleppl', a run-together entry) is left out.
    write_dictd(
        tmp_path,
        "freedict-eng-ita",
        [("wetland", "wetland\n palude <n>\n"), ("peopleppl", "peopleppl\n gente <n>\n")],
    )
    write_dictd(
        tmp_path,
        "freedict-eng-fra",
        [("shortage", "shortage\n manque\n"), ("fog", "fog\n brume\n"), ("mist", "mist\n bruine\n")],
    )
    cache = tmp_path / "lookup.sqlite3"
    dictionary.build(tmp_path, cache)
    book = dictionary.Dictionary(cache)
    assert book.english("penurie") == ("shortage", "lack")
    assert book.english("garer") == ()
    assert book.english("palude") == ("wetland",)
    assert book.english("gente") == ()
    assert book.english("manque") == ("lack",)
    assert book.english("brume") == ("fog",)
    # Only the dictionaries to English say which words are English: 'mist', a headword of English–French alone,
    # is none, so 'Mist' in a question is still German and 'bruine' is left untranslated.
    assert book.english("mist") == ("dung",)
    assert book.english("bruine") == ()


def test_the_questions_language_is_looked_up_first(tmp_path: Path) -> None:
    # Italian 'donne' is the plural of 'donna' (women); French 'donne' is a form of 'donner'.
    write_dictd(tmp_path, "freedict-ita-eng", [("donna", "donna\n woman <n>\n")])
    write_dictd(tmp_path, "freedict-fra-eng", [("donne", "donne\n deal <n>\n")])
    cache = tmp_path / "lookup.sqlite3"
    dictionary.build(tmp_path, cache)
    book = dictionary.Dictionary(cache)
    assert book.senses("donne", True, "it") == ("woman",)
    assert book.senses("donne", True, "fr") == ("deal",)
    assert book.senses("donne", True) == ("deal",)  # language unknown: the word as written first
    assert book.senses("donna", True, "de") == ("woman",)  # none in the question's language: any


def test_a_foreign_word_the_programme_has_only_by_an_english_stem_is_translated_first(tmp_path: Path) -> None:
    write_dictd(tmp_path, "freedict-deu-eng", [("ältere", "ältere\n older <adj>\n")])
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Health Days",
        """\
  - {id: alt, title: Alternatives to the car, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: old, title: Heat and older people, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    # 'ältere' folds to 'altere', which Porter stems like 'alternatives': the German word means older.
    result = answer("Gibt es einen Vortrag über ältere Leute?", programme, BEFORE)
    assert result.sessions and result.sessions[0].id == "old", [s.id for s in result.sessions]


def test_a_foreign_word_guessed_by_its_ending_is_also_read_through_the_dictionary(tmp_path: Path) -> None:
    write_dictd(tmp_path, "freedict-deu-eng", [("Spenden", "Spenden\n donations <n>\n")])
    write_dictd(tmp_path, "freedict-ita-eng", [("porti", "porti\n door <n>\n")])
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Coast Days",
        """\
  - {id: spend, title: Spend less on heating, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: gifts, title: Donations and crowdfunding, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
  - {id: ports, title: Cyber attacks on ports, start: "2024-06-25T11:00", end: "2024-06-25T12:00", room: a}
""",
    )
    # 'Spenden' without its ending is 'spend': the dictionary's 'donations' ranks first, the guess beside it.
    result = answer("Gibt es einen Vortrag über Spenden?", programme, BEFORE)
    assert result.sessions and result.sessions[0].id == "gifts", [s.id for s in result.sessions]
    # 'porti' is Italian for ports; the dictionary's 'door' (as if from 'porta') must not lose the guess.
    result = answer("attacchi informatici ai porti, quando?", programme, BEFORE, lang="it")
    assert result.sessions and result.sessions[0].id == "ports", [s.id for s in result.sessions]


def test_two_words_whose_english_is_one_closed_compound_of_a_title_are_one_term(tmp_path: Path) -> None:
    write_dictd(
        tmp_path,
        "freedict-spa-eng",
        [
            ("ola", "ola\n wave <n>\n"),
            ("calor", "calor\n heat <n>\n"),
            ("aprendizaje", "aprendizaje\n learning <n>\n"),
            ("profundo", "profundo\n deep <adj>\n"),
        ],
    )
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Heat Days",
        """\
  - {id: pumps, title: Heat pumps in old flats, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: waves, title: Heatwaves and older people, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
  - {id: deep, title: Deep learning in DeepLearning4J, start: "2024-06-25T11:00", end: "2024-06-25T12:00", room: a}
""",
    )
    index = index_for(programme)
    # 'ola' (wave) alone finds nothing; joined to 'calor' (heat) it is the title's 'Heatwaves'.
    assert "heatwave" in parse("ola de calor", index).hard
    result = answer("¿Cuándo es lo de la ola de calor?", programme, BEFORE, lang="es")
    assert [s.id for s in result.sessions] == ["waves"], [s.id for s in result.sessions]
    # Both words find something alone: they stay two words ('deeplearning' is one title's word only).
    assert parse("aprendizaje profundo", index).hard == ("aprendizaje", "profundo")


def _programme(tmp_path: Path) -> Programme:
    return small_programme(
        tmp_path,
        "Health Forum",
        """\
  - {id: heat, title: Heatwaves and older people, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: bread, title: "Workshop: sourdough for beginners", start: "2024-06-25T10:00", end: "2024-06-25T11:00",
     room: a}
  - {id: noise, title: "Sleep, noise and the city", start: "2024-06-25T11:00", end: "2024-06-25T12:00", room: a}
  - {id: walls, title: Insulating old houses, start: "2024-06-25T12:00", end: "2024-06-25T13:00", room: a}
  - {id: solar, title: Solar roofs for schools, start: "2024-06-25T14:00", end: "2024-06-25T15:00", room: a}
  - {id: green, title: Green walls for hot streets, start: "2024-06-25T15:00", end: "2024-06-25T16:00", room: a}
  - {id: flood, title: Flood defences for a rising Baltic, start: "2024-06-25T16:00", end: "2024-06-25T17:00",
     room: a}
""",
    )


@pytest.mark.parametrize(
    ("question", "session"),
    [
        ("Gibt es etwas zu Hitzewellen?", "heat"),
        ("Wann ist der Sauerteig-Workshop?", "bread"),
        ("Wann ist der Vortrag über Schlaf?", "noise"),
        ("¿Cuándo es la charla sobre el sueño?", "noise"),
        ("Wann geht es um Dämmung?", "walls"),  # 'insulation' finds 'Insulating' by its stem
        ("Gibt es was zu Dächern?", "solar"),  # 'dächern' is 'Dach' in the dictionary
        ("Wann geht es um die Ostsee?", "flood"),  # 'Baltic Sea' is no phrase of the programme, 'Baltic' is
    ],
)
def test_a_question_in_another_language_finds_the_english_title(
    book: dictionary.Dictionary, tmp_path: Path, question: str, session: str
) -> None:
    result = answer(question, _programme(tmp_path), BEFORE)
    assert result.kind is Kind.SESSIONS and result.sessions[0].id == session, (question, result.kind)


def test_without_a_dictionary_the_same_question_finds_nothing(tmp_path: Path) -> None:
    dictionary.use(dictionary.NoDictionary())
    search.expand.cache_clear()
    assert answer("Gibt es etwas zu Hitzewellen?", _programme(tmp_path), BEFORE).kind is Kind.NO_MATCH


def test_the_lookup_file_is_built_once_and_again_when_the_dictionaries_change(tmp_path: Path) -> None:
    source, cache = tmp_path / "dictd", tmp_path / "lookup.sqlite3"
    source.mkdir()
    assert isinstance(dictionary.open_dictionary(source, cache), dictionary.NoDictionary)  # none installed
    write_dictd(source, "freedict-deu-eng", GERMAN)
    try:
        first = dictionary.open_dictionary(source, cache)  # built in a child process
        assert first.english("schlaf") == ("sleep", "somnus")
        built = cache.stat().st_mtime_ns
        dictionary.open_dictionary(source, cache)
        assert cache.stat().st_mtime_ns == built  # fresh: not rebuilt
        assert cache.stat().st_mode & 0o777 == 0o600
        write_dictd(source, "freedict-deu-eng", [*GERMAN, ("Brot", "Brot\n bread <n>\n")])
        assert dictionary.open_dictionary(source, cache).english("brot") == ("bread",)
    finally:
        dictionary.use(dictionary.NoDictionary())


def test_two_builds_at_once_both_end_with_the_dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import threading
    import time

    # The bot and a `bot eval` after an upgrade: one build pauses half-way while the other runs to the end.
    write_dictd(tmp_path, "freedict-deu-eng", GERMAN)
    cache, half_way, go_on = tmp_path / "lookup.sqlite3", threading.Event(), threading.Event()

    def related(folder: Path) -> list[tuple[str, list[str]]]:
        if threading.current_thread().name == "first":
            half_way.set()
            go_on.wait(10)
        return []

    monkeypatch.setattr(dictionary.wordnet, "read_related", related)
    failed: list[BaseException] = []

    def first() -> None:
        try:
            dictionary.build(tmp_path, cache, wordnet_dir=tmp_path)
        except BaseException as exc:  # the thread's failure is the test's
            failed.append(exc)

    thread = threading.Thread(target=first, name="first")
    thread.start()
    assert half_way.wait(10)
    assert dictionary.build(tmp_path, cache, wordnet_dir=tmp_path) > 0  # the other, start to end
    go_on.set()
    thread.join(10)
    assert not failed
    assert dictionary.Dictionary(cache).english("schlaf") == ("sleep", "somnus")
    assert not list(tmp_path.glob("*.partial"))
    # A half-written file a crashed build left an hour ago goes at the next build; a fresh one may be a build's.
    crashed, running = tmp_path / "lookup.sqlite3.1.2.partial", tmp_path / "lookup.sqlite3.3.4.partial"
    crashed.write_bytes(b"half")
    running.write_bytes(b"half")
    os.utime(crashed, (time.time() - 7200, time.time() - 7200))
    dictionary.build(tmp_path, cache)
    assert not crashed.exists() and running.exists()


def test_at_start_a_lookup_file_to_build_is_built_in_the_background(tmp_path: Path) -> None:
    import time

    source, cache = tmp_path / "dictd", tmp_path / "lookup.sqlite3"
    source.mkdir()
    write_dictd(tmp_path, "freedict-spa-eng", SPANISH)
    dictionary.build(tmp_path, tmp_path / "earlier.sqlite3")
    dictionary.use(dictionary.Dictionary(tmp_path / "earlier.sqlite3"))  # one in use before
    dictionary.open_dictionary_soon(source, cache)  # none installed: the stand-in, at once
    assert isinstance(dictionary.current(), dictionary.NoDictionary)
    write_dictd(source, "freedict-deu-eng", GERMAN)
    try:
        dictionary.open_dictionary_soon(source, cache)  # to build: returns before it is built
        deadline = time.monotonic() + 60
        while not isinstance(dictionary.current(), dictionary.Dictionary) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert dictionary.current().english("schlaf") == ("sleep", "somnus")
        dictionary.use(dictionary.NoDictionary())
        dictionary.open_dictionary_soon(source, cache)  # built and fresh: opened at once
        assert isinstance(dictionary.current(), dictionary.Dictionary)
    finally:
        dictionary.use(dictionary.NoDictionary())


def test_a_word_that_is_also_english_is_translated_in_a_question_in_another_language(
    book: dictionary.Dictionary, tmp_path: Path
) -> None:
    # 'Wand' is German for wall and English for a magic wand: a German question means the wall.
    assert search.translated("wand") == ()
    german = answer("Wann ist der Vortrag über die Wand?", _programme(tmp_path), BEFORE)
    assert german.kind is Kind.SESSIONS and german.sessions[0].id == "green"
    assert answer("when is the talk about the wand?", _programme(tmp_path), BEFORE).kind is Kind.NO_MATCH


def test_a_bare_keyword_is_read_in_the_delegates_language(book: dictionary.Dictionary, tmp_path: Path) -> None:
    # 'Wand' alone says nothing of its language: a German delegate means the wall, an English one the wand.
    german = answer("Wand", _programme(tmp_path), BEFORE, lang="de")
    assert german.kind is Kind.SESSIONS and german.sessions[0].id == "green"
    assert answer("Wand", _programme(tmp_path), BEFORE, lang="en").kind is Kind.NO_MATCH


def test_a_german_adjective_in_lower_case_is_read_as_its_base_form(book: dictionary.Dictionary, tmp_path: Path) -> None:
    index = index_for(_programme(tmp_path))
    assert "frei" in parse("Gibt es einen Vortrag über Karten mit freier Lizenz?", index).hard
    assert "freier" in parse("Wann spricht der Freier?", index).hard  # a capital: the noun
    assert "freier" in parse("is there a freier talk", index).hard  # not a German question
    assert "bauen" in parse("Roboter selber bauen – gibt es dazu einen Vortrag?", index).hard  # a verb: no noun after


def test_a_compound_s_begins_its_second_word_when_both_readings_are_words(tmp_path: Path) -> None:
    entries = [
        ("Schule", "Schule\n school <n>\n"),
        ("Schuls", "Schuls\n school <n>\n"),  # as FreeDict reads a genitive
        ("Straßen", "Straßen\n streets <n>\n"),
        ("Dokumentation", "Dokumentation\n documentation <n>\n"),
        ("Trassen", "Trassen\n routes <n>\n"),
    ]
    write_dictd(tmp_path, "freedict-deu-eng", entries)
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Streets",
        """\
  - {id: st, title: "School streets: closing roads", start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
""",
    )
    assert parse("Wann geht es um Schulstraßen?", index_for(programme)).hard == ("schule", "strassen")
    steam = small_programme(
        tmp_path,
        "Docs",
        """\
  - {id: d, title: Documentation team, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: s, title: Steam engines, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    # After -ion the s links the words ('Dokumentation-s-team'): it never begins the second one.
    hard = parse("Vortrag übers Dokumentationsteam?", index_for(steam)).hard
    assert "team" in hard and "steam" not in hard and "ubers" not in hard, hard


def test_another_languages_sense_is_read_when_the_questions_language_finds_nothing(tmp_path: Path) -> None:
    write_dictd(tmp_path, "freedict-spa-eng", [("burro", "burro\n donkey <n>\n")])
    write_dictd(tmp_path, "freedict-ita-eng", [("burro", "burro\n butter <n>\n")])
    install(tmp_path)
    butter = small_programme(
        tmp_path,
        "Dairy",
        """\
  - {id: b, title: Butter from city farms, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: c, title: Card games, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    # Spanish first ('donkey'), which nothing has: the Italian sense finds the session.
    assert list(search.term_hits(index_for(butter), "burro", memo=search.Memo(True, "es")).rows) == [0]
    both = small_programme(
        tmp_path,
        "Farms",
        """\
  - {id: b, title: Butter from city farms, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: d, title: Donkeys in the park, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    assert list(search.term_hits(index_for(both), "burro", memo=search.Memo(True, "es")).rows) == [1]


@pytest.mark.parametrize(("word", "lang"), [("surtourisme", "fr"), ("sobreturismo", "es")])
def test_a_prefix_and_a_known_rest_make_the_programmes_english_word(tmp_path: Path, word: str, lang: str) -> None:
    write_dictd(tmp_path, "freedict-fra-eng", [("tourisme", "tourisme\n tourism <n>\n")])
    write_dictd(tmp_path, "freedict-spa-eng", [("turismo", "turismo\n tourism <n>\n")])
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Towns",
        """\
  - {id: t, title: Tourism statistics, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: o, title: Overtourism in old towns, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    assert list(search.term_hits(index_for(programme), word, memo=search.Memo(True, lang)).rows) == [1]


def test_a_cognate_the_programme_has_stands_beside_the_dictionarys_other_sense(tmp_path: Path) -> None:
    # 'compostage' is also the stamping of a ticket: the dictionary says so, the programme says composting.
    write_dictd(tmp_path, "freedict-fra-eng", [("compostage", "compostage\n stamping <n>\n")])
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Yards",
        """\
  - {id: s, title: Stamping out fare dodging, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: c, title: Community composting in courtyards, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    found = search.term_hits(index_for(programme), "compostage", memo=search.Memo(True, "fr")).rows
    assert set(found) == {0, 1}


@pytest.mark.parametrize(
    ("question", "lang", "expected"),
    [
        ("Quand a lieu la course du soir ?", "fr", ["Evening run along the harbour"]),  # the title's evening
        ("les livraisons de nuit, quand ?", "fr", ["Night deliveries with quiet trucks"]),
        ("Viene prima la corsa serale o il pranzo?", "it", ["Evening run along the harbour", "Lunch"]),
        ("la gravité quantique ce soir ?", "fr", []),  # an evening word a title has, and nothing on the topic
    ],
)
def test_a_part_of_the_day_in_another_language_that_a_title_has_is_no_time(
    tmp_path: Path, question: str, lang: str, expected: list[str]
) -> None:
    from tests.test_answer_quality import made

    write_dictd(
        tmp_path, "freedict-fra-eng", [("course", "course\n run <n>\n"), ("livraisons", "livraisons\n deliveries\n")]
    )
    write_dictd(tmp_path, "freedict-ita-eng", [("corsa", "corsa\n run <n>\n")])
    install(tmp_path)
    programme = made(["Lunch", "Night deliveries with quiet trucks", "Evening run along the harbour"])
    found = answer(question, programme, datetime.fromisoformat("2025-05-01T10:00:00+01:00"), lang=lang).sessions
    assert [s.title for s in found] == expected


def test_the_base_forms_senses_are_read_last_when_the_words_own_find_nothing(tmp_path: Path) -> None:
    write_dictd(
        tmp_path,
        "freedict-spa-eng",
        [("caballos", "caballos\n horsepower <n>\n"), ("caballo", "caballo\n horse <n>\n")],
    )
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Horses",
        """\
  - {id: e, title: Engines of the city, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: h, title: Carriage horses and animal welfare, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    assert list(search.term_hits(index_for(programme), "caballos", memo=search.Memo(True, "es")).rows) == [1]


def test_a_german_word_that_is_also_english_stays_whole_rather_than_two_made_up_parts(tmp_path: Path) -> None:
    write_dictd(
        tmp_path,
        "freedict-deu-eng",
        [("Orchester", "Orchester\n orchestra <n>\n"), ("Orche", "Orche\n orc <n>\n"), ("Ster", "Ster\n stere <n>\n")],
    )
    # Some dictionary gives 'orchester' as an English sense, so it is in the English word list too.
    write_dictd(tmp_path, "freedict-fra-eng", [("orchestre", "orchestre\n orchester <n>\n")])
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Music",
        """\
  - {id: o, title: Become an orchestra composer, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: w, title: Killer whales and orcs in games, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    assert "orchester" in parse("Wer hält den Vortrag übers Orchester-Komponieren?", index_for(programme)).hard
    found = answer("Wann ist der Vortrag über Orchester?", programme, BEFORE)
    assert found.kind is Kind.SESSIONS and [s.id for s in found.sessions] == ["o"]


def test_only_the_first_several_word_sense_and_its_forms_lend_their_parts(tmp_path: Path) -> None:
    write_dictd(
        tmp_path,
        "freedict-deu-eng",
        [
            ("Garderobe", "Garderobe\n dressing room <n>, cloakroom <n>, coat check <n>\n"),
            ("Notlager", "Notlager\n makeshift bed <n>, makeshift beds <n>\n"),
        ],
    )
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Checks",
        """\
  - {id: c, title: Password breach check, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: r, title: Welcome to the dev room, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
  - {id: b, title: Camp beds in a sports hall, start: "2024-06-25T11:00", end: "2024-06-25T12:00", room: a}
""",
    )
    # Neither 'coat check' (a later sense) nor 'room' (a word of the event itself) is the cloakroom.
    assert answer("Wo ist die Garderobe?", programme, BEFORE).kind is Kind.NO_MATCH
    found = answer("Gibt es was zu Notlager?", programme, BEFORE)  # 'makeshift beds', the first sense's plural
    assert found.kind is Kind.SESSIONS and [s.id for s in found.sessions] == ["b"]


def test_an_english_word_that_is_a_speakers_surname_is_no_speaker_without_who_or_by(tmp_path: Path) -> None:
    write_dictd(tmp_path, "freedict-deu-eng", [("Kran", "Kran\n crane <n>\n")])  # so 'crane' is English
    install(tmp_path)
    path = tmp_path / "cranes.yaml"
    path.write_text(
        """\
conference: {name: Cranes, timezone: Europe/Madrid, days: [2024-06-25]}
venue: {name: Hall, address: 1 Street}
rooms:
  - {id: a, name: Room A}
speakers:
  - {id: crane, name: Ada Crane}
sessions:
  - {id: t, title: Threats against politicians, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a,
     speakers: [crane]}
  - {id: b, title: The brewery next door, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
        encoding="utf-8",
    )
    programme = load_programme(path)
    question = "that big crane next to the brewery, is it going to be noisy all week?"
    assert "t" not in [s.id for s in answer(question, programme, BEFORE).sessions]
    assert [s.id for s in answer("talks by Crane", programme, BEFORE).sessions] == ["t"]  # asked as a person


def test_a_compounds_part_that_is_also_english_is_still_a_known_part(tmp_path: Path) -> None:
    write_dictd(
        tmp_path,
        "freedict-deu-eng",
        [("Lobby", "Lobby\n lobby group <n>\n"), ("Register", "Register\n register <n>\n")],
    )
    write_dictd(tmp_path, "freedict-fra-eng", [("lobby", "lobby\n lobby <n>\n")])  # so 'lobby' is English too
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Lobbies",
        """\
  - {id: l, title: Lobbying registers for city hall, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: o, title: Open contracts, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    assert parse("Wann ist der Vortrag über Lobbyregister?", index_for(programme)).hard == ("lobby", "register")


def test_a_title_naming_two_words_answers_alone_though_a_track_names_them_for_others(tmp_path: Path) -> None:
    write_dictd(
        tmp_path,
        "freedict-ita-eng",
        [("consigli", "consigli\n councils <n>\n"), ("quartiere", "quartiere\n neighbourhood <n>\n")],
    )
    install(tmp_path)
    # The track 'Neighbourhood …' heads the youth-council talk too; only one title says both words.
    programme = load_programme(Path(__file__).parent / "fixtures" / "round17-conference.yaml")
    found = answer("ciao scusa eh ma chi parla dei consigli di quartiere", programme, BEFORE)
    assert [s.title[:22] for s in found.sessions] == ["Neighbourhood councils"]


def test_a_short_head_the_dictionary_has_begins_a_compound_and_no_made_up_word_does(tmp_path: Path) -> None:
    write_dictd(
        tmp_path,
        "freedict-deu-eng",
        [("Kalk", "Kalk\n lime <n>\n"), ("Mörtel", "Mörtel\n mortar <n>\n"), ("live", "live\n live <adj>\n")],
    )
    write_dictd(tmp_path, "freedict-fra-eng", [("chaux", "chaux\n lime <n>\n"), ("direct", "direct\n live <adj>\n")])
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Walls",
        """\
  - {id: m, title: "Workshop: lime mortar on old walls", start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: s, title: "Streaming the council: a live stream on a phone", start: "2024-06-25T10:00",
     end: "2024-06-25T11:00", room: a}
""",
    )
    index = index_for(programme)
    # 'Kalk' is also an English word ('calk'), four letters long: still a word of the German compound.
    assert parse("Wo ist der Workshop zu Kalkmörtel?", index).hard == ("workshop", "kalk", "mortel")
    # 'livee' leads back to 'live' as a form, but is no word: 'Livestream' is 'live' + 'stream'.
    assert parse("Wann ist der Livestream?", index).hard == ("live", "stream")


def test_a_phrase_only_an_abstract_has_still_lends_its_words_to_titles(tmp_path: Path) -> None:
    write_dictd(tmp_path, "freedict-deu-eng", [("Gemeinderat", "Gemeinderat\n local council <n>\n")])
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Councils",
        """\
  - {id: c, title: "Streaming the council meeting", start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: k, title: "Keynote: trust in town halls", description: "Why a local council is trusted.",
     start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
  - {id: o, title: "Open contracts", start: "2024-06-25T11:00", end: "2024-06-25T12:00", room: a}
""",
    )
    index = index_for(programme)
    found = search.term_hits(index, "gemeinderat", memo=search.Memo(foreign=True, language="de"))
    assert {index.sessions[r].id for r in found.head} == {"c"}
    assert {index.sessions[r].id for r in found.rows} == {"c", "k"}


def test_a_translation_finds_its_irregular_plural_in_a_title(tmp_path: Path) -> None:
    write_dictd(tmp_path, "freedict-ita-eng", [("ladri", "ladri\n thief <n>\n")])
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Water",
        """\
  - {id: t, title: "Water thieves: meters that run backwards", start: "2024-06-25T09:00", end: "2024-06-25T10:00",
     room: a}
  - {id: o, title: "Open data on water", start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    found = answer("Chi tiene il talk sui ladri d'acqua?", programme, BEFORE)
    assert [s.id for s in found.sessions] == ["t"]


def test_an_eight_letter_compound_is_read_as_its_two_words(tmp_path: Path) -> None:
    write_dictd(tmp_path, "freedict-deu-eng", [("Büro", "Büro\n office <n>\n"), ("Dach", "Dach\n roof <n>\n")])
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Roofs",
        """\
  - {id: b, title: "Beehives on office roofs", start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: o, title: "Open data", start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    assert parse("Wer spricht über das Bürodach?", index_for(programme)).hard == ("buro", "dach")


def test_a_compound_whose_whole_sense_the_programme_lacks_goes_by_its_parts(tmp_path: Path) -> None:
    write_dictd(
        tmp_path,
        "freedict-deu-eng",
        [
            ("Bücherbus", "Bücherbus\n bookmobile <n>\n"),
            ("Bücher", "Bücher\n books <n>\n"),
            ("Datenbanken", "Datenbanken\n databases <n>\n"),
            ("Daten", "Daten\n data <n>\n"),
            ("Banken", "Banken\n banks <n>\n"),
        ],
    )
    install(tmp_path)
    programme = small_programme(
        tmp_path,
        "Books",
        """\
  - {id: b, title: "The book bus: a library on wheels", start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: d, title: "Databases for the catalogue", start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    index = index_for(programme)
    # 'bookmobile' is nowhere in the programme: 'Bücher' + 'bus', whose end the programme has as written.
    assert parse("Wer erzählt was über den Bücherbus?", index).hard[-2:] == ("bucher", "bus")
    # 'databases' is there: the word stays whole.
    assert parse("Wann ist der Vortrag über Datenbanken?", index).hard == ("datenbanken",)
