"""Taking questions apart: times, days, rooms, people and topic words in five languages."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from bot.answer.index import ProgrammeIndex, index_for
from bot.answer.query import parse
from bot.answer.resolve import resolve
from bot.answer.text import clean_question, fold, other_forms
from bot.answer.when import DayRef, Relative, When, parse_when
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from tests.conftest import FIXTURES, small_programme


def one_session(tmp_path: Path, name: str, title: str) -> Programme:
    """A programme of one session called `title`: what a parse needs to tell the programme's words from others."""
    entry = f'  - {{id: t, title: "{title}", start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}}\n'
    return small_programme(tmp_path, name, entry)


FEST = FIXTURES / "answer-fest.yaml"


@pytest.fixture(scope="module")
def fest() -> Programme:
    return load_programme(FEST)


@pytest.fixture(scope="module")
def index(fest: Programme) -> ProgrammeIndex:
    return index_for(fest)


def when(text: str) -> When:
    return parse_when(fold(text))[0]


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("what's on at 11:45", time(11, 45)),
        ("at 3pm", time(15)),
        ("11 am", time(11)),
        ("¿qué hay a las 11?", time(11)),
        ("um 18 Uhr", time(18)),
        ("à 14h30", time(14, 30)),
        ("alle 9:15", time(9, 15)),
        ("at 11.45", time(11, 45)),
        ("at 3", time(15)),  # a bare afternoon hour at a conference
        ("noon", time(12)),
    ],
)
def test_clock_times(text: str, at: time) -> None:
    assert when(text).at == at


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("between 14:00 and 16h", time(14), time(16)),
        ("after 15:00", time(15), None),
        ("before 10:30", None, time(10, 30)),
        ("tomorrow morning", time(5), time(12)),
        ("el viernes por la tarde", time(12), time(18)),
        ("samedi après-midi", time(12), time(18)),
    ],
)
def test_time_windows(text: str, start: time | None, end: time | None) -> None:
    parsed = when(text)
    assert (parsed.start, parsed.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("2024-06-26", ((2024, 6, 26),)),
        ("on 26/06", ((None, 6, 26),)),
        ("26 June", ((None, 6, 26),)),
        ("June 26th", ((None, 6, 26),)),
        ("le 26 juin", ((None, 6, 26),)),
        ("am 26. Juni", ((None, 6, 26),)),
        ("26 de junio", ((None, 6, 26),)),
        ("26.6.", ((None, 6, 26),)),
    ],
)
def test_dates(text: str, dates: tuple[tuple[int | None, int, int], ...]) -> None:
    assert when(text).dates == dates


@pytest.mark.parametrize(
    ("text", "weekday"),
    [("wednesday", 2), ("Mittwoch", 2), ("miércoles", 2), ("mercredi", 2), ("mercoledì", 2), ("on Sat", 5)],
)
def test_weekdays_in_five_languages(text: str, weekday: int) -> None:
    assert when(text).weekdays == (weekday,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("what's on now?", When(relative=Relative.NOW)),
        ("¿qué hay ahora?", When(relative=Relative.NOW)),
        ("was läuft gerade", When(relative=Relative.NOW)),
        ("what's next", When(relative=Relative.NEXT)),
        ("et après ?", When(relative=Relative.NEXT)),
        ("last session today", When(day_ref=DayRef.TODAY, relative=Relative.LAST)),
        ("mañana", When(day_ref=DayRef.TOMORROW)),
        ("morgen früh", When(day_ref=DayRef.TOMORROW, start=time(5), end=time(12))),
        ("pasado mañana", When(day_ref=DayRef.DAY_AFTER_TOMORROW)),
        ("after lunch", When(after_lunch=True)),
        ("nach dem Mittagessen", When(after_lunch=True)),
        ("dopo pranzo", When(after_lunch=True)),
        ("before lunch", When(before_lunch=True)),
        ("day 2", When(day_number=2)),
        ("on the second day", When(day_number=2)),
        ("the last day", When(day_number=-1)),
    ],
)
def test_relative_words(text: str, expected: When) -> None:
    assert when(text) == expected


def test_words_that_only_look_like_times_stay_words() -> None:
    parsed, rest = parse_when(fold("5g talks and 2 sessions"))
    assert parsed.is_empty
    assert "5g" in rest
    assert parse_when(fold("Was kommt in der Arena nach Bash-my-AWS?"))[0].after_session  # 'what comes … nach'
    assert parse_when(fold("Was läuft im Meitner vor Achtung, Datenpannen?"))[0].before_session
    assert not parse_when(fold("Gibt es einen Bus nach Berlin?"))[0].after_session  # a place
    parsed, rest = parse_when(fold("la settimana corta di 4 giorni"))  # a length, not the fourth day
    assert parsed.is_empty and {"4", "giorni"} <= set(rest)
    parsed, rest = parse_when(fold("is the four-day week talk still on?"))  # so is a counted 'four-day'
    assert parsed.is_empty and "four" in rest
    assert parse_when(fold("what's on day four?"))[0].day_number == 4
    assert parse_when(fold("what's on the fourth day?"))[0].day_number == 4


def test_lunch_alone_is_a_topic_not_a_time() -> None:
    parsed, rest = parse_when(fold("when is lunch"))
    assert parsed.is_empty and "lunch" in rest


@pytest.mark.parametrize(
    "question", ["¿a qué hora se come?", "on mange à quelle heure ?", "a che ora si mangia?", "wann isst man?"]
)
def test_when_one_eats_is_lunch(question: str) -> None:
    _, rest = parse_when(fold(question))
    assert "lunch" in rest and not {"come", "mange", "mangia", "isst"} & set(rest), rest


def test_clean_question_bounds_and_strips_control_characters() -> None:
    text = clean_question("a\u200fb\x00c " + "x" * 10_000)
    assert "\x00" not in text and "\u200f" not in text
    assert len(text) <= 500


# ---- resolving against a programme ---------------------------------------------------------------------


def test_a_weekday_becomes_the_conference_day(fest: Programme) -> None:
    scope = resolve(when("friday"), fest, datetime.fromisoformat("2025-05-01T10:00:00+01:00"))
    assert scope.days == (date(2025, 5, 16),)


def test_a_weekday_without_sessions_is_named_honestly(fest: Programme) -> None:
    scope = resolve(when("monday"), fest, datetime.fromisoformat("2025-05-01T10:00:00+01:00"))
    assert scope.missing_day is not None and scope.missing_day.weekday() == 0


def test_tomorrow_is_relative_to_the_clock(fest: Programme) -> None:
    scope = resolve(when("tomorrow"), fest, datetime.fromisoformat("2025-05-15T18:00:00+01:00"))
    assert scope.days == (date(2025, 5, 16),)
    before = resolve(when("tomorrow"), fest, datetime.fromisoformat("2025-04-01T18:00:00+01:00"))
    assert before.missing_day == date(2025, 4, 2)


def test_an_hour_after_midnight_belongs_to_the_night_of_that_day(fest: Programme) -> None:
    scope = resolve(when("thursday at 1:00"), fest, datetime.fromisoformat("2025-05-01T10:00:00+01:00"))
    assert scope.instants == (datetime.fromisoformat("2025-05-16T01:00:00+01:00"),)


def test_after_lunch_starts_when_that_day_s_lunch_ends(fest: Programme) -> None:
    scope = resolve(when("after lunch on friday"), fest, datetime.fromisoformat("2025-05-01T10:00:00+01:00"))
    assert scope.windows[0][0] == datetime.fromisoformat("2025-05-16T13:30:00+01:00")


# ---- people, rooms and topic words ---------------------------------------------------------------------


def test_full_speaker_name_is_found_and_taken_out_of_the_topic(index: ProgrammeIndex) -> None:
    q = parse("talks by Ivan Petrenko", index)
    assert q.speakers == ("ivan",) and q.hard == ()


def test_surname_after_a_cue_and_a_one_letter_typo(index: ProgrammeIndex) -> None:
    assert parse("who is Petrenko", index).speakers == ("ivan",)
    assert parse("wann spricht Noor Hadad", index).speakers == ("noor",)


def test_room_named_with_a_cue(index: ProgrammeIndex) -> None:
    q = parse("what's in Anchor Room on friday", index)
    assert q.rooms == ("anchor",)
    assert q.hard == ()


def test_topic_and_soft_words(index: ProgrammeIndex) -> None:
    q = parse("is there a talk on bluetooth lock picking at the Harbour Tech Fest?", index)
    assert q.hard == ("bluetooth", "lock", "picking")
    assert "talk" in q.soft and "harbour" in q.soft  # the conference's own name is no topic


def test_fts_syntax_is_just_words(index: ProgrammeIndex) -> None:
    q = parse('"opening" AND NEAR(ceremony, 3) OR -x:^y*', index)
    assert set(q.hard) <= {"opening", "near", "ceremony", "3"}
    assert "opening" in q.hard and "ceremony" in q.hard


def test_index_is_built_once_per_programme_object(fest: Programme) -> None:
    assert index_for(fest) is index_for(fest)
    replaced = load_programme(Path(FEST))
    assert index_for(replaced) is not index_for(fest)
    assert index_for(replaced).programme is replaced


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("bicis", "bici"),
        ("investimenti", "investimento"),
        ("dachern", "dach"),
        ("reseaux", "reseau"),
        ("locaux", "local"),
        ("luces", "luz"),
        ("parchi", "parco"),
        ("banche", "banca"),
        ("contenedores", "contenedor"),
        ("negozi", "negozio"),
        ("volontari", "volontario"),
        ("grune", "grun"),  # 'grüne Jobs', folded
        ("seguras", "seguro"),  # a feminine plural: the dictionary has the masculine singular
        ("nuevos", "nueva"),
        ("scolastiche", "scolastico"),
        ("funzionano", "funzionare"),  # a verb by its infinitive
        ("funcionan", "funcionar"),
        ("fonctionnent", "fonctionner"),
    ],
)
def test_a_plural_or_inflected_word_offers_its_base_form(word: str, base: str) -> None:
    assert base in other_forms(word)
    assert word not in other_forms(word) and other_forms("bus") == ()  # too short to guess at


def test_only_a_question_that_may_be_german_is_read_as_compounds(tmp_path: Path) -> None:
    programme = small_programme(
        tmp_path,
        "Housing",
        """\
  - {id: a, title: Condo boards, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: b, title: Mini grids, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    index = index_for(programme)
    assert {"condo", "mini"} <= set(parse("Wann ist der Vortrag über Condomini?", index).hard)  # German joins
    italian = parse("Quando c'è l'intervento sui condomini?", index).hard
    assert "condomini" in italian and "condo" not in italian
    # Too few words to tell the language: an Italian delegate's question is Italian, a German one's German.
    assert "condo" not in parse("condomini", index, "it").hard
    assert "condo" in parse("condomini", index, "de").hard


@pytest.mark.parametrize(
    ("word", "weekday", "start"),
    [("dienstagabend", 1, time(18)), ("mittwochnachmittag", 2, time(12)), ("freitagmorgen", 4, time(5))],
)
def test_a_weekday_joined_to_a_part_of_the_day_is_both(word: str, weekday: int, start: time) -> None:
    when, rest = parse_when(f"wo ist der empfang am {word}")
    assert when.weekdays == (weekday,) and when.start == start and word not in rest


@pytest.mark.parametrize(
    ("question", "where"),
    [
        ("un'app dove ognuno mette una bandierina nel punto in cui sente puzza", False),
        ("una aplicación del móvil donde los vecinos avisan de cada peste", False),
        ("le poêle ou la cheminée du voisin", False),  # French 'or'
        ("dove si parla della puzza?", True),
        ("la charla sobre la peste, ¿dónde es?", True),
        ("dimmi dove si parla della puzza", True),
        ("c'est où le truc sur les odeurs ?", True),
        ("ou est la salle des odeurs", True),
        ("Vortrag über Gerüche wo?", True),
        ("la sala dove si parla della puzza", True),
    ],
)
def test_a_where_joining_a_clause_or_a_french_or_asks_no_place(tmp_path: Path, question: str, where: bool) -> None:
    programme = one_session(tmp_path, "Smells", "Pin the stink")
    assert parse(question, index_for(programme)).where is where


def test_a_question_word_of_the_questions_language_is_no_speaker(tmp_path: Path) -> None:
    path = tmp_path / "dove.yaml"
    path.write_text(
        "conference: {name: Border Days, timezone: Europe/Luxembourg, days: [2024-06-25]}\n"
        "venue: {name: Hall, address: 1 Street}\n"
        "rooms:\n  - {id: a, name: Room A}\n"
        "speakers:\n  - {id: dove, name: Edmund Dove}\n"
        "sessions:\n"
        '  - {id: s, title: Border families, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a,'
        " speakers: [dove]}\n",
        encoding="utf-8",
    )
    index = index_for(load_programme(path))
    assert parse("Dove si parla del sussidio per i frontalieri?", index, "it").speakers == ()
    assert parse("raga dove parlano dei bimbi dopo la scuola", index, "it").speakers == ()
    assert parse("talks by Dove", index, "it").speakers == ("dove",)  # English: the name
    assert parse("Wann spricht Dove?", index, "it").speakers == ("dove",)  # German: 'wo' asks, 'dove' is Mr Dove


@pytest.mark.parametrize(
    ("question", "setting"),
    [
        ("il bootloader e le distribuzioni che lo modificano ognuna a modo suo", "it"),
        ("mon voisin brûle ses vieux meubles dans son poêle", "fr"),
        ("Chi parla delle monetine che le banche non vogliono?", "it"),
        ("los puestos que huelen fatal según los vecinos", "es"),
        ("Unser Nachbar grillt auf seinem Balkon, meine Wäsche stinkt", "de"),
    ],
)
def test_possessives_and_not_are_no_topic(tmp_path: Path, question: str, setting: str) -> None:
    programme = one_session(tmp_path, "Smoke", "Smoke signals")
    hard = parse(question, index_for(programme), setting).hard
    assert not {"suo", "ses", "non", "segun", "seinem", "meine", "unser"} & set(hard) and hard


def test_a_german_question_word_or_i_am_is_no_topic(tmp_path: Path) -> None:
    programme = one_session(tmp_path, "Night", "Who owns the night?")
    index = index_for(programme)
    hard = parse("Wo ist die Diskussion darüber, wem die Nacht gehört?", index).hard
    assert "diskussion" in hard and not {"wem", "wessen"} & set(hard)
    assert "bin" not in parse("Ich bin 45 und kann nicht schwimmen", index, "de").hard
    assert "bin" in parse("where is the nearest recycling bin?", index, "en").hard  # English: a bin
    assert "hat" not in parse("Seit der Nachbar einen Ofen gekauft hat, riecht die Nacht", index, "de").hard
    assert "hat" in parse("is there a talk on the hat makers of the night?", index, "en").hard


@pytest.mark.parametrize(
    ("question", "after"),
    [
        ("noter jour après jour les puanteurs pour que l'État prenne la plainte au sérieux", False),
        ("giorno dopo giorno la puzza del mercato", False),
        ("Rentner, die nach der Filialschließung alles mit der Banking-App machen müssen", False),
        ("Was kommt nach dem Vortrag über Bienen?", True),
        ("Wann ist die Pause nach der Keynote?", True),
    ],
)
def test_after_again_and_again_or_in_a_description_orders_no_sessions(question: str, after: bool) -> None:
    when, _ = parse_when(fold(question))
    assert when.after_session is after


def test_a_room_named_in_the_question_is_not_split_into_words(tmp_path: Path) -> None:
    path = tmp_path / "river.yaml"
    path.write_text(
        "conference: {name: River Days, timezone: Europe/Madrid, days: [2024-06-25]}\n"
        "venue: {name: Hall, address: 1 Street}\n"
        "rooms:\n  - {id: r, name: Riverside Room}\n  - {id: a, name: Room A}\n"
        "sessions:\n"
        '  - {id: s1, title: River clean-up, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: r}\n'
        '  - {id: s2, title: Side events, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}\n',
        encoding="utf-8",
    )
    q = parse("what's on in the Riverside Room now and what's next there?", index_for(load_programme(path)))
    assert q.rooms == ("r",) and "side" not in q.hard and "river" not in q.hard


def test_a_german_function_word_is_never_an_adjective_base(tmp_path: Path) -> None:
    programme = one_session(tmp_path, "Heat", "Trees versus heatwaves")
    q = parse("Bäume gegen Hitzewellen – in welchem Saal?", index_for(programme))
    assert "geg" not in q.hard and "gegen" not in q.hard


@pytest.mark.parametrize(
    "question",
    [
        "was läuft nachmittags um zwei",
        "what's on at two",
        "qué hay a las dos de la tarde",
        "qu'est-ce qu'il y a à deux heures",
        "cosa c'è alle due del pomeriggio",
        "qu'y a-t-il à 2 heures",
    ],
)
def test_an_hour_in_words_after_at_is_that_hour(question: str) -> None:
    when, rest = parse_when(fold(question))
    assert when.at == time(14), (question, when.at)
    assert not {"zwei", "two", "dos", "deux", "due", "heures"} & set(rest)


def test_one_is_an_hour_only_where_it_can_be() -> None:
    assert parse_when("what's on at one")[0].at == time(13)
    assert parse_when("at one point the talk moved")[0].at is None


def test_a_plural_part_of_the_day_is_a_topic_word() -> None:
    when, rest = parse_when("when is the keynote about winter nights and a roof")
    assert when.start is None and "nights" in rest
    assert parse_when("what's on tonight")[0].start is not None


def test_a_name_with_digits_is_no_day_of_the_month() -> None:
    when, rest = parse_when("les horaires du 38c3 sont dans quel fuseau horaire")
    assert when.month_days == () and "38c3" in rest
    assert parse_when("el 27 a las 10")[0].month_days == (27,)


def test_a_word_the_programme_has_in_the_plural_is_not_split_as_a_compound(tmp_path: Path) -> None:
    programme = small_programme(
        tmp_path,
        "Jobs",
        """\
  - {id: a, title: "Hackathons: jobs in a weekend", start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: b, title: Hacka boats and thon fish, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    assert "hackathon" in parse("when is the hackathon session?", index_for(programme)).hard


@pytest.mark.parametrize("question", ["el alcalde de la noche, ¿hay algo?", "who is the night mayor?"])
def test_a_topic_phrase_with_a_part_of_the_day_is_no_time(tmp_path: Path, question: str) -> None:
    programme = small_programme(
        tmp_path,
        "Night",
        """\
  - {id: a, title: "Night mayors: who speaks for the city after dark", start: "2024-06-25T10:00",
     end: "2024-06-25T11:00", room: a}
""",
    )
    q = parse(question, index_for(programme))
    assert q.when.is_empty and ("night mayor" in q.hard or "alcalde de la noche" in q.hard), (q.when, q.hard)


@pytest.mark.parametrize(
    ("question", "relative"),
    [
        ("¿y ahora qué viene?", Relative.NEXT),
        ("was kommt jetzt?", Relative.NEXT),
        ("what comes now?", Relative.NEXT),
        ("¿qué hay ahora?", Relative.NOW),
        ("¿qué hay ahora y qué viene después?", Relative.NOW),  # both: now, and next
    ],
)
def test_now_with_a_coming_verb_asks_what_is_next(question: str, relative: Relative) -> None:
    when, _ = parse_when(fold(question))
    assert when.relative is relative


def test_an_italian_or_spanish_adverb_is_no_topic(tmp_path: Path) -> None:
    programme = small_programme(
        tmp_path,
        "Streams",
        """\
  - {id: a, title: Scaling live video streams, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
""",
    )
    index = index_for(programme)
    assert "contemporaneamente" not in parse("dirette video contemporaneamente", index, "it").hard
    assert "rapidamente" not in parse("¿streams rápidamente?", index, "es").hard
    assert "mente" in parse("la mente", index, "it").hard  # the mind is a topic


@pytest.mark.parametrize(
    ("text", "hour"),
    [
        ("à cinq heures du matin", 5),
        ("a las dos de la madrugada", 2),
        ("alle due di notte", 2),
        ("um drei Uhr früh", 3),
        ("at 3 in the morning", 3),
        ("at 3", 15),  # a bare small hour at a conference is the afternoon
    ],
)
def test_a_small_hour_said_to_be_in_the_morning_or_night_is_before_noon(text: str, hour: int) -> None:
    assert when(text).at == time(hour, 0)


def test_whether_a_session_surely_takes_place_asks_for_its_status(index: ProgrammeIndex) -> None:
    q = parse("Findet die Bootsfahrt sicher statt?", index)
    assert "sicher" not in q.hard and "sicher" in q.soft
    # Without 'statt', 'sicher' is a topic: safe.
    assert "sicher" in parse("Wie komme ich nachts sicher heim?", index).hard


@pytest.mark.parametrize(
    ("text", "phrase"),
    [("qui parle des maires de la nuit ?", "maire de la nuit"), ("los alcaldes de la noche", "alcalde de la noche")],
)
def test_a_topic_phrase_in_the_plural_is_the_phrase_not_a_time(index: ProgrammeIndex, text: str, phrase: str) -> None:
    q = parse(text, index)
    assert phrase in q.hard and q.when.is_empty


def test_vor_der_without_a_question_word_is_in_front_of_not_before_a_session() -> None:
    assert not parse_when(fold("Schulstraßen: Autos vor der Schule sperren"))[0].before_session
    assert parse_when(fold("Was läuft vor der Keynote?"))[0].before_session
    assert parse_when(fold("Wann ist das vor der Mittagspause?"))[0].before_lunch


@pytest.mark.parametrize(
    "question", ["dove passare gli ultimi giorni di vita", "les derniers jours de vie", "the last days of life"]
)
def test_the_last_days_of_a_life_are_no_time(question: str) -> None:
    parsed, rest = parse_when(fold(question))
    assert parsed.is_empty and {"end", "life"} <= set(rest), (parsed, rest)


def test_at_the_end_is_the_last_session_only_when_it_ends_the_question() -> None:
    assert parse_when(fold("cosa c'è alla fine?"))[0].relative is not None
    parsed, rest = parse_when(fold("bilancio partecipativo: alla fine vincono sempre i quartieri ricchi?"))
    assert parsed.relative is None and "bilancio" in rest


@pytest.mark.parametrize(
    ("question", "relative", "before"),
    [
        ("la primera vez que la banda juvenil sale al extranjero a competir", None, False),
        ("das erste Mal allein mit dem Zug", None, False),
        ("la prima trasferta della banda giovanile a un concorso internazionale", None, False),
        ("the first contest abroad of a town band", None, False),
        ("what's the first talk tomorrow?", Relative.FIRST, False),
        ("qual è la prima sessione di domani?", Relative.FIRST, False),
        ("¿cuál es la primera charla?", Relative.FIRST, False),
        ("first thing tomorrow", Relative.FIRST, False),
        ("cosa c'è prima della chiusura?", None, True),
        ("il panel sui locali che chiudono prima in settimana", None, False),
    ],
)
def test_first_before_a_thing_describes_it(question: str, relative: Relative | None, before: bool) -> None:
    when, _ = parse_when(fold(question))
    assert (when.relative, when.before_session) == (relative, before)


def test_italian_i_is_the_not_i(tmp_path: Path) -> None:
    programme = one_session(tmp_path, "Isar", "Isar: building images")
    index = index_for(programme)
    assert not parse("costruire le immagini per i dispositivi embedded, come fa Siemens", index, "it").how_to
    assert parse("how can I build images for my devices?", index, "en").how_to


@pytest.mark.parametrize(
    ("question", "setting", "errand"),
    [
        ("où boire une bonne bière près de la gare ?", "fr", True),
        ("¿dónde comprar pan por aquí?", "es", True),
        ("dove mangiare bene stasera?", "it", True),
        ("où trouver l'atelier sur les terrasses ?", "fr", False),
        ("dove seguire il panel sulle terrazze?", "it", False),
        ("où est l'atelier sur les terrasses ?", "fr", False),
        ("coros de aficionados que no tienen dónde ensayar", "es", False),
    ],
)
def test_a_where_word_before_an_infinitive_is_an_errand(
    tmp_path: Path, question: str, setting: str, errand: bool
) -> None:
    programme = one_session(tmp_path, "Terraces", "Terraces on the pavement")
    assert parse(question, index_for(programme), setting).errand is errand
