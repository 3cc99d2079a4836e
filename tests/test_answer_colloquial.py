"""Chat words and colloquial forms in five languages: understood, or at least never the topic of a 'nothing found'."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot import i18n
from bot.answer.engine import Frame, Kind, answer
from bot.answer.faq import Faq
from bot.evaluate import visible
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.views.answer import reply_to

DAY_ONE = datetime.fromisoformat("2024-06-25T11:00:00+02:00")
BEFORE_FEST = datetime.fromisoformat("2025-05-10T10:00:00+01:00")


@pytest.mark.parametrize(
    "question",
    ["wassup", "sup?", "what's up", "was geht?", "¿qué se cuece?", "quoi de neuf ?", "che si dice?", "qué pasa"],
)
def test_whats_up_alone_asks_what_is_on_now(cmc: Programme, question: str) -> None:
    result = answer(question, cmc, DAY_ONE)
    assert result.kind is Kind.SESSIONS and result.frame in (Frame.RUNNING, Frame.NOTHING_THEN_NEXT), question


@pytest.mark.parametrize("question", ["yo", "ok", "hmm", "lol", "loool", "okkk"])  # drawn out too
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
        ("umm sorry, when's the closing session?", "Closing session"),
        ("heyyy wheres the closing session thingy", "Closing session"),
        ("äh sorry, wann is'n die Abschlusssitzung?", "Closing session"),
        ("perdona, ¿dnd es la sesión de clausura? xfa", "Closing session"),
        ("stp vite fait, la séance de clôture c'est quand ? merci bcp", "Closing session"),
        ("ehm scusa, cmq la sessione di chiusura quando è?", "Closing session"),
        # A chat word drawn out ('holaaa', 'heyyy') is the word itself.
        ("holaaa q hora es la sesión de clausura", "Closing session"),
        ("heyyy whos at the closing session", "Closing session"),
        # Clipped words: 'la pause déj' is the lunch break.
        ("euh la pause déj du mardi c'est quand ?", "Lunch"),
    ],
)
def test_chat_words_and_apologies_in_five_languages_do_not_sink_a_question(
    cmc: Programme, question: str, title: str
) -> None:
    result = answer(question, cmc, DAY_ONE)
    assert result.kind is Kind.SESSIONS and result.sessions[0].title == title, (question, result.kind)


def test_tmrw_is_tomorrow(cmc: Programme) -> None:
    result = answer("what's on tmrw?", cmc, DAY_ONE)
    assert result.sessions and {s.start.astimezone(cmc.timezone).day for s in result.sessions} == {26}


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


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("c'è qualcosa sugli investimenti?", "preparing projects for investment"),  # 'sugli' is 'on the'
        ("¿algo sobre ciudades climáticamente neutras? tipo, financiación", "financing Climate City Contracts"),
        ("Gouvernance multiniveau, genre, c'est quand ?", "multi-level governance"),
    ],
)
def test_topic_words_in_other_languages_and_their_plurals(cmc: Programme, question: str, title: str) -> None:
    result = answer(question, cmc, DAY_ONE)
    assert result.sessions, question
    assert any(title in s.title for s in result.sessions[:3]), [s.title for s in result.sessions[:3]]


def test_a_two_word_topic_is_one_term() -> None:
    from bot.answer.query import _joined_phrases

    assert _joined_phrases(["licenze", "dati", "aperti"]) == ["licenze", "dati aperti"]
    assert _joined_phrases(["reconocimiento", "facial"]) == ["reconocimiento facial"]
    assert _joined_phrases(["bases", "de", "donnees"]) == ["bases de donnees"]


def test_a_title_part_before_its_colon_names_every_session_holding_it(cmc: Programme) -> None:
    result = answer("Valencia Cities Climate Week", cmc, DAY_ONE)
    titles = [s.title for s in result.sessions]
    assert any(t.startswith("Inaugural session") for t in titles)
    assert any(t.startswith("Valencia Cities Climate Week: Leveraging") for t in titles)


def test_a_day_named_with_the_first_of_two_compared_sessions_is_kept(cmc: Programme) -> None:
    result = answer("il pranzo di mercoledì è prima o dopo la sessione di chiusura?", cmc, DAY_ONE)
    assert result.kind is Kind.COMPARE
    lunch, closing = result.sessions
    assert lunch.title == "Lunch" and lunch.start.astimezone(cmc.timezone).strftime("%d %H:%M") == "26 13:15"
    assert closing.title == "Closing session"


@pytest.mark.parametrize("question", ["what rooms are there?", "welche Räume gibt es?", "¿qué salas hay?"])
def test_every_room_when_asked_for_the_rooms(cmc: Programme, question: str) -> None:
    result = answer(question, cmc, DAY_ONE)
    assert result.kind is Kind.ROOM and len(result.rooms) == len(cmc.rooms)


@pytest.mark.parametrize(
    "question",
    ["which street is the venue on?", "Wie lautet die Adresse?", "¿en qué calle está?", "Adresse des Tagungsorts?"],
)
def test_the_street_or_address_is_the_venue(cmc: Programme, question: str) -> None:
    assert answer(question, cmc, DAY_ONE).kind in (Kind.VENUE, Kind.FAQ)


@pytest.mark.parametrize(
    "question",
    [
        "what's on in Sala Martín y Soler now and what's next there?",
        "¿qué hay ahora en la Sala Martín y Soler y qué viene después allí?",  # 'después allí' names no session
        "cosa c'è adesso nella Sala Martín y Soler e cosa viene dopo lì?",
    ],
)
def test_now_and_next_in_one_question_gives_both(cmc: Programme, question: str) -> None:
    at = datetime.fromisoformat("2024-06-25T14:45:00+02:00")
    result = answer(question, cmc, at)
    assert result.frame is Frame.NOW_AND_NEXT
    starts = [s.start for s in result.sessions]
    assert starts[0] <= at < result.sessions[0].end  # what runs first
    assert len(starts) >= 2 and starts[-1] > at  # then what comes next


def test_a_remark_after_the_question_is_not_searched(cmc: Programme) -> None:
    result = answer("when is lunch on wednesday? hope it's vegetarian", cmc, DAY_ONE)
    assert result.sessions and result.sessions[0].title == "Lunch"
    assert result.sessions[0].start.astimezone(cmc.timezone).day == 26


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele Leute passen in die Sala Joaquín Rodrigo?",
        "how many people fit in Sala Joaquín Rodrigo?",
        "¿cuánta gente cabe en la Sala Joaquín Rodrigo?",
        "combien de personnes la Sala Joaquín Rodrigo contient-elle ?",
        "quante persone ospita la Sala Joaquín Rodrigo?",
        "Quante persone può contenere la Sala Joaquín Rodrigo?",
    ],
)
def test_how_many_fit_is_the_capacity(cmc: Programme, question: str) -> None:
    assert answer(question, cmc, DAY_ONE).kind is Kind.ROOM


@pytest.mark.parametrize(
    "question",
    [
        "what's on in Sala Joaquín Rodrigo before the closing session?",
        "Was ist in der Sala Joaquín Rodrigo vor der Abschlusssitzung?",
        "¿Qué hay en la Sala Joaquín Rodrigo antes de la sesión de clausura?",
    ],
)
def test_what_comes_before_a_session_in_a_room(cmc: Programme, question: str) -> None:
    result = answer(question, cmc, DAY_ONE)
    assert result.frame is Frame.BEFORE, question
    assert result.anchor is not None and result.anchor.title == "Closing session"
    (before,) = result.sessions
    assert before.room_id == result.anchor.room_id and before.end <= result.anchor.start
    assert before.title.startswith("Debate of Spanish Mission Cities mayors")


@pytest.mark.parametrize(
    "question",
    [
        "which is earlier, the closing session or the opening panel?",
        "was ist früher, die Abschlusssitzung oder das Eröffnungspanel?",
        "kommt zuerst die Abschlusssitzung oder das Eröffnungspanel?",  # the verb first, no question word
        "qual è prima, la sessione di chiusura o il panel di apertura?",
        "viene prima la sessione di chiusura o il panel di apertura?",
        "qu'est-ce qui est plus tôt : la séance de clôture ou le panel d'ouverture ?",
    ],
)
def test_which_is_earlier_compares_the_two(cmc: Programme, question: str) -> None:
    result = answer(question, cmc, DAY_ONE)
    assert result.kind is Kind.COMPARE
    assert [s.title.split(":")[0] for s in result.sessions] == ["Closing session", "Opening panel"]


def test_the_format_of_one_side_of_a_comparison_is_the_others_too() -> None:
    from tests.test_answer_quality import made

    programme = made(
        [
            "Women in green jobs",
            "Keynote: co-operatives owning the economy",
            "Keynote: green jobs for everyone",
            *(f"Filler talk {n}" for n in range(10)),
        ]
    )
    result = answer("which is earlier: the keynote on co-operatives or the one on green jobs?", programme, BEFORE_FEST)
    assert result.kind is Kind.COMPARE
    assert [s.title for s in result.sessions] == [
        "Keynote: co-operatives owning the economy",
        "Keynote: green jobs for everyone",
    ]


def test_a_part_of_the_day_in_a_compared_title_is_no_time() -> None:
    from tests.test_answer_quality import made

    # 'night' would ask for sessions from 21:00: here it is the title's, and 'markets' alone is both talks.
    programme = made(["Public markets as food hubs", "Lunch", "Night markets and street food"])
    result = answer("which is earlier, the night markets talk or the public markets one?", programme, BEFORE_FEST)
    assert result.kind is Kind.COMPARE
    assert [s.title for s in result.sessions] == ["Night markets and street food", "Public markets as food hubs"]


def test_an_after_that_is_the_titles_own_asks_for_that_session() -> None:
    from tests.test_answer_quality import made

    programme = made(["Drinking water safety after floods", "Sponge cities", "Lunch", "Flood defences"])
    found = answer("when is the drinking water talk after floods?", programme, BEFORE_FEST)
    assert found.frame is not Frame.AFTER and found.sessions[0].title == "Drinking water safety after floods"
    # Named after the 'after', the session is the anchor: what follows it.
    follows = answer("what's on after the drinking water safety talk?", programme, BEFORE_FEST)
    assert follows.frame is Frame.AFTER and follows.sessions[0].title == "Sponge cities"


def test_after_a_session_in_a_room_named_looks_for_it_in_that_room_first() -> None:
    result = answer("what's on in the Blue Room after the visas talk?", made_with_rooms(), BEFORE_FEST)
    assert result.frame is Frame.AFTER and result.anchor is not None and result.anchor.title == "Start-up visas"
    assert [s.title for s in result.sessions] == ["First customers"]


def made_with_rooms() -> Programme:
    """Two rooms: 'visas' is in a title of each, the question names the room of one."""
    from dataclasses import replace as changed

    from tests.test_answer_quality import made

    programme = made(["Remote work visas", "Start-up visas", "First customers", "Night markets"])
    blue = changed(programme.rooms[0], id="blue", name="Blue Room")
    moved = ("Start-up visas", "First customers")
    sessions = tuple(changed(s, room_id="blue") if s.title in moved else s for s in programme.sessions)
    return changed(programme, rooms=(*programme.rooms, blue), sessions=sessions)


def test_after_the_coffee_is_the_coffee_break_of_now() -> None:
    from datetime import timedelta

    from tests.test_answer_quality import made

    programme = made(["Coffee break", "Morning talk", "Lunch", "Coffee break", "Afternoon talk", "Closing"])
    breaks = [s for s in programme.sessions if s.title == "Coffee break"]
    during = breaks[1].start + timedelta(minutes=10)  # the second break is on
    assert answer("what's next after the coffee?", programme, during).anchor == breaks[1]
    later = programme.sessions[-1].start  # both are over: the last one
    assert answer("what's on after the coffee?", programme, later).anchor == breaks[1]
    assert answer("what's on after the coffee?", programme, BEFORE_FEST).anchor == breaks[0]  # before: the first


def test_that_room_needs_the_two_words_together(cmc: Programme) -> None:
    # 'robots that measure room temperature' is a title, not a question about the room looked at last.
    from bot.answer.index import index_for
    from bot.answer.query import parse

    assert not parse("robots that measure room temperature", index_for(cmc)).this_room
    assert parse("what's next in that room?", index_for(cmc)).this_room


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("when is the talk on fuzzing pacemakers, mate, the dodgy ones", "Fuzzing the firmware of pacemakers"),
        ("Wann ist der Vortrag über Satelliten mit Software-Radio, die alten?", "Tracking satellites"),
        ("¿cuándo es la charla de los teclados cuánticos esos raros?", "Quantum keyboards"),
        # Where and who ask for a session as much as when does.
        ("where is the pacemaker fuzzing thingamajig?", "Fuzzing the firmware of pacemakers"),
        ("who does the satellite tracking doohickey?", "Tracking satellites"),
        ("the satellite tracking doohickey, which room?", "Tracking satellites"),
        # A bare phrase names its session as plainly, when its known words outnumber the unknown ones.
        ("satellite tracking software zorblax", "Tracking satellites"),
        ("satellite tracking zorblax blorft", "Tracking satellites"),  # as many, in a phrase without a question
    ],
)
def test_unknown_words_beside_a_clearly_named_session_lower_confidence_only(
    fest: Programme, question: str, title: str
) -> None:
    # The rest of the question names one title: it is answered, headed as the closest match, and the reply says
    # which words it left out instead of finding 'nothing about …'.
    result = answer(question, fest, BEFORE_FEST)
    assert result.kind is Kind.SESSIONS and result.sessions[0].title.startswith(title), (question, result.kind)
    assert result.query is not None and result.query.ignored
    shown = visible(reply_to(question, fest, BEFORE_FEST, i18n.lang("en")))
    assert "Closest match" in shown or "Ähnlichster Treffer" in shown or "más parecido" in shown, shown
    assert "left out" in shown or "weggelassen" in shown or "dejado fuera" in shown, shown


def test_an_unknown_word_beside_two_known_ones_weighs_half_when_a_session_is_asked_for() -> None:
    from tests.test_answer_quality import made

    heat = ["Heat pumps in old blocks of flats", "Heat pumps for schools", "Heat pumps at sea", "Heat pumps in farms"]
    programme = made([*heat, *(f"Filler talk {n}" for n in range(30))])
    # 'zorblax' is rarer than any programme word and used to outweigh 'heat' and 'pump' together.
    result = answer("when is the heat pump zorblax talk", programme, BEFORE_FEST)
    assert result.kind is Kind.SESSIONS and {s.title for s in result.sessions} == set(heat)
    assert result.query is not None and result.query.ignored == ("zorblax",)  # the reply says it left it out
    shown = visible(reply_to("when is the heat pump zorblax talk", programme, BEFORE_FEST, i18n.lang("en")))
    assert "left out" in shown and "zorblax" in shown, shown
    # One known word is too little to answer beside an unknown one; nor is a question that asks for no session.
    assert answer("when is the heat zorblax talk", programme, BEFORE_FEST).kind is Kind.NO_MATCH
    assert answer("heat pump zorblax", programme, BEFORE_FEST).kind is Kind.NO_MATCH


@pytest.mark.parametrize(
    "question",
    [
        "quantum gravity",  # no session asked for: a search for both words
        "satellite zorblax blorft",  # a bare phrase with more unknown words than known ones
        "my satellite tracking zorblax blorft",  # as many, about the asker
        "where can I buy fuzzy socks?",  # practical, not a session
        "where can I park my quantum car?",  # about the asker: practical, even beside a title's word
        "where's the nearest satellite shop?",  # about the surroundings
        "is there a talk about lunch recipes from grandma?",  # 'lunch' is two breaks, not one session
    ],
)
def test_an_unknown_topic_beside_a_vague_or_practical_one_still_finds_nothing(fest: Programme, question: str) -> None:
    result = answer(question, fest, BEFORE_FEST)
    assert result.kind is Kind.NO_MATCH and not result.sessions, (question, result.kind)


@pytest.mark.parametrize(
    ("question", "title"),
    [
        # A whole title after 'after' is the session asked about, even when the title has a 'from' of its own.
        ("what's after Tracking satellites with a software radio in the same room?", "Night of the chiptunes"),
        ("what's on after Kubernetes operators in practice?", "Lunch"),
        # 'direkt nach X': the adverb makes 'nach' a time ('nach Berlin' is a place).
        ("Was kommt direkt nach Kubernetes operators in practice?", "Lunch"),
        ("Was kommt kurz vor Tracking satellites with a software radio?", "Lunch"),
    ],
)
def test_what_comes_before_or_after_a_whole_title(fest: Programme, question: str, title: str) -> None:
    result = answer(question, fest, BEFORE_FEST)
    assert result.frame in (Frame.AFTER, Frame.BEFORE), (question, result.kind, result.frame)
    assert result.sessions and result.sessions[0].title == title, [s.title for s in result.sessions]


def test_the_rest_in_french_is_what_comes_next(cmc: Programme) -> None:
    assert answer("c'est quoi la suite ?", cmc, DAY_ONE).frame in (Frame.NEXT, Frame.NOTHING_THEN_NEXT)


def test_german_function_words_of_a_question_are_not_its_topic(cmc: Programme, faq: Faq) -> None:
    assert answer("In welcher Zeitzone sind die Uhrzeiten angegeben?", cmc, DAY_ONE, faq).kind is Kind.FAQ
    from bot.answer.index import index_for
    from bot.answer.query import parse

    hard = parse("Feinstaub im Winter – gibts dazu was? in welchem Raum?", index_for(cmc)).hard
    assert not {"gibts", "welchem", "dazu"} & set(hard)
    assert "mitten" not in parse("Gemüseanbau mitten in der Stadt", index_for(cmc)).hard  # amid


def test_a_compared_session_named_in_a_title_beats_a_same_day_mention(tmp_path: Path) -> None:
    # The keynote is on Wednesday; Wednesday's panel only mentions loneliness, Tuesday's is about it.
    path = tmp_path / "two-days.yaml"
    path.write_text(
        """\
conference: {name: Health Days, timezone: Europe/Madrid, days: [2024-06-25, 2024-06-26]}
venue: {name: Hall, address: 1 Street}
rooms:
  - {id: a, name: Room A}
sessions:
  - {id: lonely, title: "Panel: loneliness is a public health problem", start: "2024-06-25T15:00",
     end: "2024-06-25T16:00", room: a}
  - {id: age, title: "Keynote: ageing well", start: "2024-06-26T09:00", end: "2024-06-26T10:00", room: a}
  - {id: dark, title: "Panel: the city after dark", start: "2024-06-26T15:00", end: "2024-06-26T16:00", room: a,
     description: "Noise, sleep and the loneliness of night workers."}
""",
        encoding="utf-8",
    )
    question = "which is earlier: the keynote on ageing or the panel on loneliness?"
    result = answer(question, load_programme(path), BEFORE_FEST)
    assert result.kind is Kind.COMPARE and [s.id for s in result.sessions] == ["age", "lonely"]


def test_known_words_beside_an_unknown_one_in_the_askers_errand_are_no_session() -> None:
    from tests.test_answer_quality import made

    programme = made(["Semester tickets for students", "Football fan zones", *(f"Filler talk {n}" for n in range(30))])
    result = answer("how do I get tickets for the football zorblax?", programme, BEFORE_FEST)
    assert not result.sessions, [s.title for s in result.sessions]
