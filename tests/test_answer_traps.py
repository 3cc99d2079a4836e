"""No confident wrong answer: a common word is not a speaker's name one letter off, markup is not a topic, and
a topic asked 'about' is not a person who shares it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot import i18n
from bot.answer.engine import Kind, answer
from bot.answer.faq import Faq
from bot.answer.index import index_for
from bot.evaluate import visible
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.views.answer import reply_to
from tests.conftest import small_programme

BEFORE = datetime.fromisoformat("2024-06-20T10:00:00+02:00")

PROGRAMME = """\
conference: {name: Trap Summit, timezone: Europe/Madrid, days: [2024-06-25]}
venue: {name: Trap Hall, address: 1 Trap Street}
rooms:
  - {id: a, name: Room A}
speakers:
  - {id: chang, name: Martin Chang}
  - {id: lange, name: Daniel Lange}
  - {id: rohling, name: Timo Röhling}
  - {id: green, name: Ann Green}
  - {id: gomes, name: Leonardo Gomes}
  - {id: eggertsson, name: Dagur Eggertsson}
  - {id: bellini, name: Marco Bellini}
sessions:
  - {id: s1, title: Packaging Rust crates, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a,
     speakers: [chang]}
  - {id: s2, title: Reproducible builds, start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a,
     speakers: [lange]}
  - {id: s3, title: Debian on small boards, start: "2024-06-25T11:00", end: "2024-06-25T12:00", room: a,
     speakers: [rohling, gomes]}
  - {id: s4, title: Green energy for data centres, start: "2024-06-25T12:00", end: "2024-06-25T13:00", room: a,
     speakers: [green]}
  - {id: s5, title: City leaders panel, start: "2024-06-25T14:00", end: "2024-06-25T15:00", room: a,
     speakers: [eggertsson]}
  - {id: s6, title: Ferry timetables, start: "2024-06-25T15:00", end: "2024-06-25T16:00", room: a,
     speakers: [bellini]}
"""


@pytest.fixture(scope="module")
def traps(tmp_path_factory: pytest.TempPathFactory) -> Programme:
    path: Path = tmp_path_factory.mktemp("traps") / "traps.yaml"
    path.write_text(PROGRAMME, encoding="utf-8")
    return load_programme(path)


@pytest.mark.parametrize(
    "question",
    [
        "talks about change",  # Chang
        "who talks about change",
        "large",  # Lange
        "anything large tomorrow",
        "rolling",  # Röhling, a long word but no 'who'/'by'
        "games",  # Gomes
        "talks about games",
    ],
)
def test_a_common_word_one_letter_off_a_name_is_not_that_speaker(traps: Programme, question: str) -> None:
    result = answer(question, traps, BEFORE)
    assert not result.speakers, question
    shown = visible(reply_to(question, traps, BEFORE, i18n.lang("en")))
    for wrong in ("Martin Chang", "Daniel Lange", "Timo Röhling", "Leonardo Gomes", "Packaging Rust crates"):
        assert wrong not in shown, (question, shown)


def test_a_topic_asked_about_is_not_the_person_who_shares_its_name(traps: Programme) -> None:
    result = answer("talks about green energy", traps, BEFORE)
    assert not result.speakers
    assert [s.id for s in result.sessions] == ["s4"]  # found as a topic


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("Eggertson?", "eggertsson"),  # a long name misspelt, alone
        ("who is Eggertson", "eggertsson"),
        ("talks by Gomes", "gomes"),  # a name as written, with 'by'
        ("who is Ann Green", "green"),  # a full name is the person, topic word or not
        ("talks by Timo Rohling", "rohling"),
    ],
)
def test_names_as_written_and_long_names_misspelt_still_find_the_speaker(
    traps: Programme, question: str, speaker: str
) -> None:
    assert [sp.id for sp in answer(question, traps, BEFORE).speakers] == [speaker]


@pytest.mark.parametrize(
    "question",
    [
        "<script>alert('x')</script>",
        "<b>bold</b>",
        "<a href='https://evil.example'>click</a>",
        "<img src=x onerror=alert(1)>",
        "&lt;b&gt;hi&lt;/b&gt;",
    ],
)
def test_markup_alone_is_not_a_topic(traps: Programme, question: str) -> None:
    result = answer(question, traps, BEFORE)
    assert result.kind in (Kind.EMPTY, Kind.NO_MATCH), (question, result.kind)
    assert not result.sessions
    shown = visible(reply_to(question, traps, BEFORE, i18n.lang("en")))
    assert "Reproducible builds" not in shown  # no example title either: nothing was asked
    for word in ("script", "alert", "href", "onerror", "evil"):
        assert word not in shown.lower(), (question, shown)


def test_markup_around_a_real_question_is_ignored(traps: Programme) -> None:
    result = answer("<b>reproducible</b> builds?", traps, BEFORE)
    assert [s.id for s in result.sessions] == ["s2"]


def test_the_start_of_a_surname_is_not_that_speaker(traps: Programme) -> None:
    # 'Bellini' starts with 'bell': a word that only begins a name does not find that speaker's sessions.
    result = answer("is there a bell before sessions start?", traps, BEFORE)
    assert not result.sessions and not result.speakers
    assert [s.id for s in answer("talks by Bellini", traps, BEFORE).sessions] == ["s6"]


def test_weather_talk_is_not_a_one_word_speaker(tmp_path: Path) -> None:
    path = tmp_path / "ray.yaml"
    path.write_text(
        PROGRAMME.replace(
            "  - {id: chang, name: Martin Chang}", "  - {id: chang, name: Martin Chang}\n  - {id: ray, name: Ray}"
        ).replace("speakers: [chang]}", "speakers: [chang, ray]}"),
        encoding="utf-8",
    )
    programme = load_programme(path)
    assert not answer("any ray of sunshine forecast for the weekend?", programme, BEFORE).sessions
    assert [s.id for s in answer("Ray", programme, BEFORE).sessions] == ["s1"]


def test_a_title_part_after_a_dash_names_its_session(tmp_path: Path) -> None:
    path = tmp_path / "dash.yaml"
    path.write_text(
        PROGRAMME.replace(
            "title: Reproducible builds,", 'title: "Netzgrafik-Editor - a timetable planning approach",'
        ).replace("title: Green energy for data centres,", 'title: "Timetable planning - what\'s next?",'),
        encoding="utf-8",
    )
    programme = load_programme(path)
    result = answer("who speaks about the Netzgrafik-Editor?", programme, BEFORE)
    assert [s.id for s in result.sessions] == ["s2"]
    index = index_for(programme)
    ((row, part),) = index.titles_within({"who", "speaks", "about", "the", "netzgrafik", "editor"})
    assert index.sessions[row].id == "s2" and part == {"netzgrafik", "editor"}
    # A part made of question words alone ('what's next?') names no session.
    assert index_for(programme).titles_within({"what", "s", "next", "in", "room", "a"}) == []


def test_a_room_named_by_a_bare_word_does_not_swallow_the_topic(tmp_path: Path) -> None:
    path = tmp_path / "green.yaml"
    path.write_text(PROGRAMME.replace("  - {id: a, name: Room A}", "  - {id: a, name: Green Room}"), encoding="utf-8")
    programme = load_programme(path)
    # 'green' names the Green Room, but the question is about a smoothie bar the programme does not have.
    result = answer("is there a green smoothie bar?", programme, BEFORE)
    assert result.kind is Kind.NO_MATCH and not result.sessions
    assert answer("what's on in the Green Room?", programme, BEFORE).sessions


def test_a_session_word_names_a_room_only_after_in_or_at(tmp_path: Path) -> None:
    path = tmp_path / "atelier.yaml"
    path.write_text(
        PROGRAMME.replace("  - {id: a, name: Room A}", "  - {id: a, name: Repair Atelier}"), encoding="utf-8"
    )
    programme = load_programme(path)
    # 'atelier' is French for a workshop: 'quels ateliers mercredi ?' asks for workshops, not the Repair Atelier.
    from bot.answer.query import parse

    assert parse("Quels ateliers y a-t-il ?", index_for(programme)).rooms == ()
    assert parse("qu'est-ce qu'il y a dans le Repair Atelier ?", index_for(programme)).rooms == ("a",)


def test_when_the_best_session_names_every_word_in_its_title_passing_mentions_go(tmp_path: Path) -> None:
    programme = small_programme(
        tmp_path,
        "Food Forum",
        """\
  - {id: meals, title: School meals that children eat, start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: obesity, title: Childhood obesity and the school run, start: "2024-06-25T10:00", end: "2024-06-25T11:00",
     room: a, description: "Walking to school, and what meals at home do."}
  - {id: canteens, title: Meals in hospital canteens, start: "2024-06-25T11:00", end: "2024-06-25T12:00", room: a}
""",
    )
    result = answer("when is the talk about school meals?", programme, BEFORE)
    assert [s.id for s in result.sessions] == ["meals"] and result.clear
    # One word alone is a topic listing: every session that has it.
    assert {s.id for s in answer("meals", programme, BEFORE).sessions} >= {"meals", "canteens"}


@pytest.mark.parametrize(
    "question",
    [
        "SELECT * FROM sessions; DROP TABLE users;--",
        "' OR '1'='1",
        "Robert'); DROP TABLE students;--",
        "1' OR '1'='1' --",  # its digits are no session's number ('one hundred trees')
    ],
)
def test_sql_is_not_a_topic(traps: Programme, question: str) -> None:
    # 'sessions' in a probe is no request for sessions, and 'users' or 'students' no topic.
    result = answer(question, traps, BEFORE)
    assert not result.sessions and not result.speakers, (question, result.kind)
    shown = visible(reply_to(question, traps, BEFORE, i18n.lang("en")))
    assert "drop" not in shown.lower() and "select" not in shown.lower(), shown


@pytest.mark.parametrize(
    "question",
    [
        "SELECT name FROM speakers WHERE name LIKE '%Chang%'",  # a WHERE clause, without ';' or '--'
        "SELECT * FROM talks WHERE title = 'rust'",
        "DROP TABLE talks; -- rust",  # one word after the comment is the probe's payload
    ],
)
def test_a_probe_naming_a_speaker_or_a_title_word_is_no_question_about_them(traps: Programme, question: str) -> None:
    result = answer(question, traps, BEFORE)
    assert result.kind is Kind.NO_MATCH and not result.sessions and not result.speakers, question
    shown = visible(reply_to(question, traps, BEFORE, i18n.lang("en")))
    assert "Martin Chang" not in shown and "Packaging Rust crates" not in shown, shown
    # A question after the probe is still answered.
    assert answer("'; DROP TABLE sessions; -- when is the rust talk?", traps, BEFORE).sessions


def test_a_probe_alone_gets_no_examples_with_speakers_names(traps: Programme) -> None:
    # The examples of an empty question name speakers and titles: a probe is answered plainly instead.
    result = answer("SELECT * FROM speakers WHERE name LIKE '%a%'", traps, BEFORE)
    assert result.kind is Kind.NO_MATCH and not result.sessions
    assert answer("???", traps, BEFORE).kind is Kind.EMPTY  # nothing asked yet: examples help


@pytest.mark.parametrize("question", ["dove posso lasciare la bici?", "¿dónde puedo dejar la bici?"])
def test_where_can_i_without_the_pronoun_is_practical(question: str) -> None:
    from tests.test_answer_quality import made

    programme = made(["E-bikes and trishaws: cycling into old age", "Lunch", "Noise maps"])
    assert not answer(question, programme, BEFORE).sessions


def test_sql_words_in_a_real_question_stay(traps: Programme) -> None:
    result = answer("which talk can I select from on reproducible builds?", traps, BEFORE)
    assert [s.id for s in result.sessions] == ["s2"]


GOLD = """\
conference: {name: Market Days, timezone: Europe/Madrid, days: [2024-06-25]}
venue: {name: Market Hall, address: 1 Market Street}
rooms:
  - {id: a, name: Room A}
speakers:
  - {id: gold, name: Rachel Gold}
sessions:
  - {id: s1, title: "High streets: buying local", start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a,
     speakers: [gold]}
  - {id: s2, title: Night markets, start: "2024-06-25T20:00", end: "2024-06-25T22:00", room: a}
"""


@pytest.mark.parametrize(
    "question", ["where can I buy gold?", "where can I buy gold tonight?", "¿dónde puedo comprar gold?"]
)
def test_an_errand_word_that_is_a_surname_is_not_that_speaker(tmp_path: Path, question: str) -> None:
    # 'buy' is in a title and 'gold' is Ms Gold's name: the asker's errand is about neither.
    path = tmp_path / "gold.yaml"
    path.write_text(GOLD, encoding="utf-8")
    result = answer(question, load_programme(path), BEFORE)
    assert result.kind is Kind.NO_MATCH and not result.sessions, (result.kind, [s.id for s in result.sessions])
    assert [s.id for s in answer("where can I hear Rachel Gold?", load_programme(path), BEFORE).sessions] == ["s1"]


def test_where_can_i_see_a_talk_is_no_errand(traps: Programme) -> None:
    assert [s.id for s in answer("where can I see the talk by Ann Green?", traps, BEFORE).sessions] == ["s4"]


def test_an_errand_is_not_answered_by_a_title_that_has_its_word(tmp_path: Path) -> None:
    from tests.test_answer_quality import made

    programme = made(["Drinking fountains: free water in the street", "Lunch"], speakers={0: "Peter Glass"})
    assert not answer("where can I get a glass of water in the venue?", programme, BEFORE).sessions
    assert not answer("¿dónde puedo beber agua?", programme, BEFORE).sessions
    # Learning about it is what a session is for.
    found = answer("where can I learn about drinking fountains?", programme, BEFORE).sessions
    assert [s.title for s in found] == ["Drinking fountains: free water in the street"]


@pytest.mark.parametrize(
    "question",
    [
        "Gibt es Parkplätze am Veranstaltungsort?",  # at the venue: the place, whatever a title says
        "is there parking near the venue?",
        "is there parking for my car?",  # no title names both as written
        "is there a zorblax to take me to the airport tomorrow?",  # with a time: still the asker's errand
        "Wo ist der nächste Parkplatz?",  # 'nächste' with a place and a thing: the nearest, not the next session
        "where's the next parking garage?",
    ],
)
def test_whether_the_place_has_something_is_not_a_session(question: str) -> None:
    from tests.test_answer_quality import made

    programme = made(["Parking policy and curbside data", "Street trees and parked cars", "Pharmacies", "Lunch"])
    result = answer(question, programme, BEFORE)
    assert result.kind is Kind.NO_MATCH and not result.sessions, (question, result.kind)  # not a day without any


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("is there a parking policy session?", "Parking policy and curbside data"),  # a session asked for
        ("is there parking policy?", "Parking policy and curbside data"),  # a title names it as written
        ("Gibt es was zu Parkplätzen?", "Parking policy and curbside data"),  # 'was zu': something on it
        ("gibt es heute Mittag Lunch?", "Lunch"),  # with a time: the programme's
        ("Wo ist der nächste Vortrag über Parking policy?", "Parking policy and curbside data"),  # a talk asked for
    ],
)
def test_whether_there_is_a_session_is_still_a_session(question: str, title: str) -> None:
    from tests.test_answer_quality import made

    programme = made(["Parking policy and curbside data", "Street trees and parked cars", "Pharmacies", "Lunch"])
    assert title in [s.title for s in answer(question, programme, BEFORE).sessions], question


CINEMAS = """\
conference: {name: Winter Days, timezone: Europe/Oslo, days: [2033-01-26]}
venue: {name: Ice House, address: 1 Quay}
rooms:
  - {id: a, name: Room A}
speakers:
  - {id: monti, name: Chiara Monti, role: Community cinema programmer}
sessions:
  - {id: s1, title: Community cinemas in old picture houses, start: "2033-01-26T11:30", end: "2033-01-26T12:30",
     room: a, speakers: [monti]}
  - {id: s2, title: Museum nights, start: "2033-01-26T15:00", end: "2033-01-26T16:00", room: a, speakers: [monti]}
  - {id: s3, title: Film archives, start: "2033-01-26T16:00", end: "2033-01-26T17:00", room: a,
     description: "Old cinema reels."}
"""


def test_one_word_only_in_a_speakers_role_is_no_answer_beside_a_title_with_it(tmp_path: Path) -> None:
    # Ms Monti's role names a cinema in every session she is in; the museum nights are not about cinemas.
    path = tmp_path / "cinemas.yaml"
    fillers = "".join(
        f'  - {{id: f{n}, title: Talk {n}, start: "2033-01-26T09:00", end: "2033-01-26T09:30", room: a}}\n'
        for n in range(20)
    )
    path.write_text(CINEMAS + fillers, encoding="utf-8")
    found = [s.id for s in answer("who does the cinema talk?", load_programme(path), BEFORE).sessions]
    assert "s1" in found and "s2" not in found and "s3" in found  # a passing mention in an abstract stays


def test_an_errand_near_the_venue_is_not_answered_by_the_venue(faq: Faq) -> None:
    from tests.test_answer_quality import made

    programme = made(["Christmas markets and mulled wine", "Lunch"])
    result = answer("any good bars for mulled wine near the venue?", programme, BEFORE, faq)
    assert result.kind is Kind.NO_MATCH and result.faq is None, result.kind
    # A thing to buy that no programme has is what is asked for, not the venue's address.
    for question in (
        "where can I buy fresh peaches near the venue?",
        "where can I get a good lamb dinner near the venue?",
    ):
        result = answer(question, programme, BEFORE, faq)
        assert result.kind is Kind.NO_MATCH and result.faq is None, (question, result.kind)
    # The FAQ still answers the thing itself ('is there wifi at the venue?'), and the venue itself.
    assert answer("is there wifi at the venue?", programme, BEFORE, faq).kind is Kind.FAQ
    where = answer("where is the venue, mate?", programme, BEFORE, faq)
    assert where.kind is Kind.VENUE or (where.faq is not None and "venue" in where.faq.id), where.kind


def test_a_thing_to_find_in_the_events_city_is_not_the_venue(faq: Faq) -> None:
    programme = load_programme(Path(__file__).parent / "fixtures" / "round16-conference.yaml")
    for question, lang in (
        ("where can I see swans on the lake near Tampere?", "en"),
        ("¿dónde se puede cenar reno o salmón en Tampere?", "es"),
    ):
        result = answer(question, programme, BEFORE, faq, lang=lang)
        assert result.kind is Kind.NO_MATCH and result.faq is None, (question, result.kind)
    # Where the event is, by its city or as 'the conference', is still the venue.
    for question, lang in (("where is Tampere?", "en"), ("Où se déroule la conférence ?", "fr")):
        result = answer(question, programme, BEFORE, faq, lang=lang)
        assert result.kind is Kind.VENUE or (result.faq and "venue" in result.faq.id), (question, result.kind)


@pytest.mark.parametrize(
    "question",
    ["where can I leave my skateboard during the sessions?", "dove posso lasciare lo skateboard durante le sessioni?"],
)
def test_a_session_word_after_during_is_a_time_not_the_errands_object(question: str) -> None:
    from tests.test_answer_quality import made

    programme = made(["Skateboard parks built with skaters", "Lunch", *(f"Talk {n}" for n in range(10))])
    assert not answer(question, programme, BEFORE).sessions, question
    assert answer("where can I see the skateboard session?", programme, BEFORE).sessions  # the session itself


def test_a_place_near_the_venue_is_an_errand_and_eating_is_lunch_only_when_asked_when(faq: Faq) -> None:
    from tests.test_answer_quality import made

    programme = made(["Sledging hills: safe run-outs", "Lunch"])
    assert answer("where's a good hill to go running near the venue?", programme, BEFORE, faq).kind is Kind.NO_MATCH
    assert (
        answer(
            "where is my own polling station? I live nearby", made(["Polling stations that close"]), BEFORE, faq
        ).kind
        is Kind.NO_MATCH
    )
    shown = visible(reply_to("où est-ce qu'on mange une bonne paella près d'ici ?", programme, BEFORE, i18n.lang("fr")))
    assert "Lunch" not in shown and "lunch" not in shown


def test_an_injections_digits_are_no_sessions_number() -> None:
    from tests.test_answer_quality import made

    programme = made(["One hundred trees on one street", "Lunch", *(f"Talk {n}" for n in range(10))])
    result = answer("1' OR '1'='1' --", programme, BEFORE)
    assert result.kind is Kind.NO_MATCH and not result.sessions
    assert answer("the 1 about trees", programme, BEFORE).sessions  # a digit in a question still reads as one


@pytest.mark.parametrize(
    "question",
    ["a che ora chiude la spiaggia della Malvarrosa?", "when does the beach close?", "wann schließt das Freibad?"],
)
def test_what_closes_is_the_thing_named_not_the_closing_session(question: str) -> None:
    from tests.test_answer_quality import made

    programme = made(["Opening session", "Closing session", *(f"Talk {n}" for n in range(10))])
    assert not answer(question, programme, BEFORE).sessions
    # The event itself closing is its closing session, in any language.
    for asked in ("a che ora chiude la conferenza?", "wann schließt die Konferenz?", "when does the conference close?"):
        assert [s.title for s in answer(asked, programme, BEFORE).sessions] == ["Closing session"], asked


@pytest.mark.parametrize(
    "question",
    [
        "Kann ich bei euch meine Wasserrechnung bezahlen?",  # something the asker does with their own thing
        "can I pay my water bill here?",
        "¿dónde hay una farmacia abierta el lunes?",  # where there is something, on a day: still an errand
    ],
)
def test_the_askers_own_errand_names_no_session(question: str) -> None:
    from tests.test_answer_quality import made

    titles = ["Water bills nobody can pay", "Open pharmacies and late shops", "Lunch"]
    programme = made([*titles, *(f"Talk {n}" for n in range(10))])
    assert not answer(question, programme, BEFORE).sessions
    assert [s.title for s in answer("who talks about water bills?", programme, BEFORE).sessions] == [titles[0]]


def test_watching_a_match_is_an_errand_and_learning_about_a_topic_is_not() -> None:
    from tests.test_answer_quality import made

    # An evening with a reception and a film: 'esta noche' is no reason to show them for a football match.
    programme = load_programme(Path(__file__).parent / "fixtures" / "round21-conference.yaml")
    assert not answer("¿dónde puedo ver el partido del Bolonia esta noche?", programme, BEFORE).sessions
    titles = ["Football clubs and their neighbourhoods", "Lunch", *(f"Talk {n}" for n in range(10))]
    found = answer("where can I learn about football clubs?", made(titles), BEFORE)
    assert [s.title for s in found.sessions] == [titles[0]]
