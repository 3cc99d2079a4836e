"""What answers a question, and how the reply reads: sessions, speakers, times, FAQ, honest 'nothing found'."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot import i18n
from bot.answer.engine import Frame, Kind, answer
from bot.answer.faq import Faq
from bot.answer.index import index_for
from bot.evaluate import visible
from bot.programme.loader import load_programme
from bot.programme.model import Programme
from bot.views import callback_data as cb
from bot.views.answer import PAGE_SIZE, answer_page, page_data, reply_to
from tests.conftest import ROOT, shared_schedule

EN = i18n.lang("en")
BEFORE = datetime.fromisoformat("2025-05-01T10:00:00+01:00")
THURSDAY_10_10 = datetime.fromisoformat("2025-05-15T10:10:00+01:00")


def shown(question: str, programme: Programme, now: datetime = BEFORE, faq: Faq | None = None) -> str:
    return visible(reply_to(question, programme, now, EN, faq))


def titles(question: str, programme: Programme, now: datetime = BEFORE) -> list[str]:
    return [s.title for s in answer(question, programme, now).sessions]


def test_title_words_rank_the_named_session_first(fest: Programme) -> None:
    assert titles("when is the kubernetes talk", fest)[0] == "Kubernetes operators in practice"
    assert titles("is there a talk on bluetooth lock picking", fest) == ["Picking smart locks over Bluetooth"]


def test_reply_names_weekday_date_times_room_speakers_and_a_button(fest: Programme) -> None:
    reply = reply_to("when is the kubernetes talk", fest, BEFORE, EN)
    assert "Thu 15 May 10:00–10:45" in reply.text
    assert "Tide Stage" in reply.text and "Li Wei" in reply.text
    assert "Europe/Lisbon" in reply.text
    (button,) = reply.buttons[0]
    assert button.data == cb.session("d1-k8s")


def test_typos_and_partial_titles(fest: Programme) -> None:
    assert titles("oppening cermony", fest)[0] == "Opening ceremony"
    assert titles("satelite radio", fest)[0] == "Tracking satellites with a software radio"


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("¿Cuándo es la ceremonia de clausura?", "Closing ceremony"),
        ("Wann ist die Abschlussveranstaltung?", "Closing ceremony"),
        ("quand est la cérémonie d'ouverture ?", "Opening ceremony"),
        ("chi parla della sicurezza?", "Picking smart locks over Bluetooth"),
        ("Sicherheitsvorträge", "Picking smart locks over Bluetooth"),
    ],
)
def test_question_words_in_other_languages(fest: Programme, question: str, title: str) -> None:
    assert title in titles(question, fest)


def test_a_day_filter_lists_matches_in_time_order(fest: Programme) -> None:
    result = answer("security talks on friday", fest, BEFORE)
    assert [s.id for s in result.sessions] == ["d2-fuzz", "d2-privacy"]


def test_provisional_and_cancelled_sessions_keep_their_marks(fest: Programme) -> None:
    assert "(provisional)" in shown("privacy by design", fest)
    assert "❌" in shown("quantum keyboards", fest) and "(cancelled)" in shown("quantum keyboards", fest)


def test_who_is_leads_to_the_speaker_with_role_and_sessions(fest: Programme) -> None:
    result = answer("who is Ivan Petrenko?", fest, BEFORE)
    assert result.kind is Kind.SPEAKERS
    text = shown("who is Ivan Petrenko?", fest)
    assert "Ivan Petrenko — Security researcher" in text
    assert "Picking smart locks" in text and "Fuzzing the firmware" in text


def test_who_speaks_at_a_session_lists_its_speakers(fest: Programme) -> None:
    text = shown("who speaks at the panel on open hardware?", fest)
    assert "Noor Haddad" in text and "Li Wei — Quay Labs" in text


def test_now_and_next_at_the_clock(fest: Programme) -> None:
    now = answer("what's on now?", fest, THURSDAY_10_10)
    assert now.frame is Frame.RUNNING and {s.id for s in now.sessions} == {"d1-k8s", "d1-locks"}
    nxt = answer("¿qué viene después?", fest, THURSDAY_10_10)
    assert nxt.frame is Frame.NEXT and nxt.sessions[0].id == "d1-lunch"
    assert answer("what's on now?", fest, BEFORE).kind is Kind.BEFORE
    assert answer("what's next", fest, datetime.fromisoformat("2025-06-01T10:00:00+01:00")).kind is Kind.AFTER


def test_time_room_and_relative_questions(fest: Programme) -> None:
    assert titles("what's in Anchor Room on friday at 10:15", fest) == ["Fuzzing the firmware of pacemakers"]
    assert titles("last session on saturday", fest) == ["Closing ceremony"]
    assert titles("what's on thursday at 1:00", fest) == ["Night of the chiptunes"]
    after_lunch = titles("after lunch", fest, THURSDAY_10_10)
    assert after_lunch[:2] == ["Tracking satellites with a software radio", "Soldering workshop for beginners"]


def test_nothing_running_at_that_time_shows_what_comes_next(fest: Programme) -> None:
    result = answer("what's on friday at 11:00", fest, BEFORE)
    assert result.frame is Frame.NOTHING_THEN_NEXT and result.sessions[0].id == "d2-lunch"
    assert "Nothing is running at Fri 16 May 11:00" in shown("what's on friday at 11:00", fest)


def test_a_day_without_sessions_is_said_with_the_conference_dates(fest: Programme) -> None:
    text = shown("what's on monday?", fest)
    assert "There are no sessions on Mon" in text and "Harbour Tech Fest 2025 runs" in text


@pytest.mark.parametrize("question", ["what's the weather like?", "best restaurants in Lisboa", "quantum gravity"])
def test_off_topic_gets_a_pointer_never_a_random_session(fest: Programme, question: str) -> None:
    result = answer(question, fest, BEFORE)
    assert result.kind is Kind.NO_MATCH and not result.sessions
    text = shown(question, fest)
    assert "/help" in text and "I found nothing in the programme about" in text


@pytest.mark.parametrize("question", ["", "   ", "🎉🎉", "hello!", "?!"])
def test_nothing_to_go_on_shows_what_can_be_asked(fest: Programme, question: str) -> None:
    text = shown(question, fest)
    assert "/help" in text
    assert "Who is Rosa Marques?" in text or "did not understand" in text


def test_faq_answers_practical_questions_with_programme_facts(cmc: Programme, faq: Faq) -> None:
    assert "Albereda" in shown("what's the address?", cmc, faq=faq)
    assert "Europe/Madrid" in shown("which time zone?", cmc, faq=faq)
    assert "provisional" in shown("is the programme final?", cmc, faq=faq)
    assert "invitation-only" in shown("how do I register?", cmc, faq=faq)


def test_faq_of_one_conference_is_not_used_for_another(fest: Programme, faq: Faq) -> None:
    assert "invitation-only" not in shown("how do I register?", fest, faq=faq)
    assert "Dock Hall" in shown("where is the venue?", fest, faq=faq)  # the generic entry, from the programme
    assert "15 May" in shown("when is the festival?", fest, faq=faq)


def test_faq_plus_the_sessions_its_topic_names(cmc: Programme, faq: Faq) -> None:
    text = shown("when is registration?", cmc, faq=faq)
    assert "invitation-only" in text and "08:30" in text


def test_many_matches_are_paged_with_a_more_button(fest: Programme, cmc: Programme) -> None:
    assert answer("talks", fest, BEFORE).kind is Kind.BROWSE  # 'talks' alone asks for the programme itself
    day = reply_to("what's on thursday", fest, BEFORE, EN)
    assert len(answer("what's on thursday", fest, BEFORE).sessions) == 7  # one page of a day: no paging
    assert not any(b.label.startswith("More") for row in day.buttons for b in row)
    first = reply_to("workshops", cmc, BEFORE, EN)
    assert len(answer("workshops", cmc, BEFORE).sessions) > PAGE_SIZE
    assert "page 1 of 2" in first.text and len(first.buttons) == PAGE_SIZE + 1
    (more,) = first.buttons[-1]
    assert more.label == "More ▶"
    second = answer_page(more.data, cmc, EN)
    assert second is not None and "page 2 of 2" in second.text
    assert second.buttons[-1][0].label == "◀ Back"
    assert not {b.data for row in first.buttons[:-1] for b in row} & {b.data for row in second.buttons for b in row}


def test_page_data_fits_telegram_and_keeps_the_instant() -> None:
    long_question = "please could you tell me when the " + "very " * 30 + "interesting kubernetes talk is"
    data = page_data(long_question, THURSDAY_10_10, 3)
    assert len(data.encode()) <= cb.MAX_DATA_BYTES
    parsed = cb.parse_ask_page(data)
    assert parsed is not None
    question, minute, page = parsed
    assert page == 3 and minute * 60 == int(THURSDAY_10_10.timestamp())
    assert "kubernetes" in question or "interesting" in question
    assert cb.parse_ask_page("ask|x|zz|q") is None and cb.parse_ask_page("ask|1|!!|q") is None


def test_a_replaced_programme_is_answered_from_its_own_index(fest: Programme) -> None:
    renamed = [replace(s, title="Kubernetes at sea") if s.id == "d1-k8s" else s for s in fest.sessions]
    new = replace(fest, sessions=tuple(renamed))
    assert titles("kubernetes", new)[0] == "Kubernetes at sea"
    assert titles("kubernetes", fest)[0] == "Kubernetes operators in practice"
    assert index_for(new) is not index_for(fest)


def test_the_bundled_faq_file_is_where_settings_point(faq: Faq) -> None:
    from bot.settings import Settings

    assert Settings(_env_file=None).faq_path == Path(ROOT / "data" / "faq.yaml")  # type: ignore[call-arg]
    assert faq.entries


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "what happened earlier today?"),
        ("es", "¿qué hubo esta mañana?"),
        ("fr", "qu'est-ce qui s'est passé ce matin ?"),
        ("de", "was lief heute morgen?"),
        ("it", "cosa c'era stamattina?"),
    ],
)
def test_a_question_in_the_past_lists_what_already_ran_marked_as_over(cmc: Programme, lang: str, question: str) -> None:
    at_noon = datetime.fromisoformat("2024-06-25T12:10:00+02:00")
    reply = reply_to(question, cmc, at_noon, i18n.lang(lang), Faq(()))
    text = visible(reply)
    assert "Inaugural session" in text and "Opening panel" in text
    assert "✓" in text  # marked as over
    assert "Policy session: financing" not in text  # the afternoon is not what they asked about


def test_the_present_tense_still_puts_what_is_left_first(cmc: Programme) -> None:
    at_ten = datetime.fromisoformat("2024-06-25T10:20:00+02:00")
    text = visible(reply_to("what's on this morning?", cmc, at_ten, i18n.lang("en"), Faq(())))
    assert text.index("Opening panel") < text.index("Coffee break")
    assert "Inaugural session" not in text  # over by then: counted as happened, one tap away


@pytest.mark.parametrize("question", ["dov'è la conferenza?", "dov'è il Palau de la Música?"])
def test_italian_dov_e_asks_where_the_venue_is(cmc: Programme, question: str) -> None:
    at_ten = datetime.fromisoformat("2024-06-25T10:00:00+02:00")
    assert answer(question, cmc, at_ten).kind is Kind.VENUE


@pytest.mark.parametrize(
    ("lang", "question", "seats"),
    [
        ("en", "how many seats does Sala Rodrigo have?", "417"),
        ("de", "wie viele Plätze hat der Saal Iturbi?", "1781"),
        ("es", "¿cuál es el aforo de la sala Iturbi?", "1781"),
        ("es", "¿Cuántas butacas tiene la Sala José Iturbi?", "1781"),
        ("it", "qual è la capienza della sala Rodrigo?", "417"),
    ],
)
def test_a_rooms_capacity_is_answered_from_the_programme(cmc: Programme, lang: str, question: str, seats: str) -> None:
    at_ten = datetime.fromisoformat("2024-06-25T10:00:00+02:00")
    reply = reply_to(question, cmc, at_ten, i18n.lang(lang), Faq(()))
    assert seats in visible(reply)
    assert reply.buttons  # the room's days, one tap away


def test_a_room_that_exists_but_holds_nothing_says_so() -> None:
    legacy = load_programme(ROOT / "tests" / "fixtures" / "import" / "frab-legacy.xml", "Europe/Brussels")
    at = datetime.fromisoformat("2019-02-02T10:00:00+01:00")
    text = visible(reply_to("what's on in H.2111?", legacy, at, EN, Faq(())))
    assert "H.2111" in text and "Nothing is scheduled in this room." in text
    assert "capacity" in text  # and that the programme does not give it


def test_whats_after_a_session_in_the_same_room_keeps_to_its_room(cmc: Programme) -> None:
    at_ten = datetime.fromisoformat("2024-06-25T10:00:00+02:00")
    result = answer("what's after the opening panel in the same room?", cmc, at_ten)
    assert result.anchor is not None and result.anchor.title.startswith("Opening panel")
    # The one session after it there (three held-out sets' authors read 'what's after X' so), not the day's rest.
    assert [s.title for s in result.sessions] == ["Launch of the Climate City Capital Hub"]
    assert {s.room_id for s in result.sessions} == {result.anchor.room_id}


@pytest.mark.parametrize(
    ("lang", "question", "verdict"),
    [
        ("en", "is the capital hub launch before or after lunch?", "is before"),
        ("de", "ist die Abschlusssitzung vor oder nach dem Mittagessen?", "ist nach"),
        ("es", "¿la sesión de clausura es antes o después del almuerzo?", "es después de"),
        ("fr", "le panel d'ouverture est-il avant ou après la pause café ?", "a lieu avant"),
    ],
)
def test_before_or_after_names_both_sessions_and_which_comes_first(
    cmc: Programme, lang: str, question: str, verdict: str
) -> None:
    at_ten = datetime.fromisoformat("2024-06-25T10:00:00+02:00")
    result = answer(question, cmc, at_ten)
    assert result.kind is Kind.COMPARE and len(result.sessions) == 2
    first, second = result.sessions
    assert first.day == second.day  # the lunch of that day, not the other day's
    assert verdict in visible(reply_to(question, cmc, at_ten, i18n.lang(lang), Faq(())))


def test_before_or_after_something_the_programme_lacks_is_honest(cmc: Programme) -> None:
    at_ten = datetime.fromisoformat("2024-06-25T10:00:00+02:00")
    result = answer("is the dragon talk before or after lunch?", cmc, at_ten)
    assert result.kind is Kind.NO_MATCH and "dragon" in result.unmatched


@pytest.mark.parametrize("template", ["{}", "when is {}?", "where is {}"])
def test_a_whole_title_ranks_that_session_first(template: str) -> None:
    fosdem = load_programme(shared_schedule("fosdem-2025-pentabarf.xml"))
    now = datetime.fromisoformat("2025-01-20T10:00:00+01:00")
    # Titles that share words with others ('Open Discussion'), hold a time ('SMB3.11'), a 'now' ('The CRA is
    # here. Now what?') or a speaker-like word ('Parula - Presenting …') were answered with another session.
    sample = [s for s in fosdem.sessions if not s.is_cancelled][::7]
    missed = [
        s.title
        for s in sample
        if not (found := answer(template.format(s.title), fosdem, now).sessions) or found[0].title != s.title
    ]
    assert missed == []


@pytest.mark.parametrize(
    ("lang", "question", "expected"),
    [
        ("en", "yo when is the closing session", "Closing session"),
        ("en", "wassup, what's on now?", "On now"),
        ("en", "what's on this arvo?", "Policy session: financing"),
        ("es", "¿qué se cuece mañana por la mañana?", "Opening session: mayors"),
        ("de", "was geht heute nachmittag?", "Policy session: financing"),
    ],
)
def test_a_filler_or_unknown_word_does_not_sink_a_question_that_asks_something(
    cmc: Programme, lang: str, question: str, expected: str
) -> None:
    at_ten = datetime.fromisoformat("2024-06-25T10:00:00+02:00")
    assert expected in visible(reply_to(question, cmc, at_ten, i18n.lang(lang), Faq(())))


def test_an_unknown_topic_beside_a_known_one_is_not_answered_with_the_known_one_alone(fest: Programme) -> None:
    result = answer("quantum gravity", fest, BEFORE)
    assert result.kind is Kind.NO_MATCH and "gravity" in result.unmatched


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("charlas sobre contenedores", "container"),
        ("conférences sur le navigateur", "browser"),
        ("Vorträge über Compiler", "compiler"),
        ("Vorträge über Datenbanken", "database"),
    ],
)
def test_a_topic_asked_in_another_language_finds_english_titles(question: str, word: str) -> None:
    fosdem = load_programme(shared_schedule("fosdem-2025-pentabarf.xml"))
    found = answer(question, fosdem, datetime.fromisoformat("2025-01-20T10:00:00+01:00")).sessions
    assert found and all(word in s.title.lower() for s in found[:2])


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("¿Dónde es la visita guiada?", "Guided tour: rooftop farms"),
        ("Wann ist die Führung über die Dachfarmen?", "Guided tour: rooftop farms"),
        ("c'è qualcosa sulle piste ciclabili?", "Cycle lanes that children use"),
        ("Gibt es was zu Radwegen?", "Cycle lanes that children use"),
        ("¿algo sobre contaminación acústica?", "Noise maps and quiet areas"),
        ("inquinamento acustico, quando?", "Noise maps and quiet areas"),
        ("la pollution sonore, c'est quand ?", "Noise maps and quiet areas"),
        ("Qui intervient sur la solitude ?", "Loneliness in later life"),
        ("¿Quién habla de la soledad?", "Loneliness in later life"),
        ("les jardins partagés, quand ?", "Community gardens on the estate"),
        ("orti condivisi?", "Community gardens on the estate"),
        ("wo ist das Homeoffice-Panel?", "Panel: remote workers downtown"),
        ("Gibt es was für Zugewanderte?", "Business support for migrant founders"),
        ("cafés para personas con alzhéimer", "Memory cafés for people with dementia"),
        ("Cafés für Menschen mit Demenz?", "Memory cafés for people with dementia"),
        ("¿Cuándo es la charla sobre los comedores escolares?", "Free school meals"),
        ("Il y a quelque chose sur le chauffage urbain ?", "District heating networks"),
        ("¿Cuándo es la charla de los humedales urbanos?", "Urban wetlands"),
        ("Gibt es was über öffentliche Klos?", "Public toilets that stay open"),
        ("bagni pubblici, quando?", "Public toilets that stay open"),
        ("parques infantiles para sillas de ruedas", "Playgrounds for wheelchair users"),
        ("chi parla delle api in città", "Bees on city roofs"),
        ("c'est quand le truc sur les bus de nuit ?", "Night buses home"),  # 'bus' and 'buses' stem apart
        ("toilettes publiques gratuites", "Public toilets that stay open"),  # not 'gratuité'
        ("il parco giochi insieme, quando?", "Playgrounds for wheelchair users"),  # insieme: together
        ("una passeggiata serale?", "Evening walk in the old town"),
    ],
)
def test_tours_cycle_lanes_and_noise_are_known_in_five_languages(question: str, title: str) -> None:
    from tests.test_answer_quality import made

    programme = made(
        [
            "Urban farming on rooftops",
            "Guided tour: rooftop farms",
            "Guided walk along the dykes",
            "E-bikes: cycling into old age",
            "Cycle lanes that children use",
            "Air pollution near schools",
            "Noise maps and quiet areas",
            "Loneliness in later life",
            "Fermenting vegetables from the garden",
            "Community gardens on the estate",
            "Panel: remote workers downtown",
            "Business support for migrant founders",
            "Office space for rent",
            "Memory cafés for people with dementia",
            "Cafés on the high street",
            "Free school meals",
            "District heating networks",
            "Urban wetlands",
            "Public toilets that stay open",
            "Playgrounds for wheelchair users",
            "Bees on city roofs",
            "Night buses home",
            "Evening walk in the old town",
        ]
    )
    found = answer(question, programme, BEFORE).sessions
    assert found and found[0].title == title, [s.title for s in found]


@pytest.mark.parametrize(
    ("lang", "capacity", "shown"), [("de", 1781, "1781"), ("de", 12000, "12.000"), ("en", 12000, "12,000")]
)
def test_four_digit_capacities_stand_alone_and_longer_ones_are_grouped(lang: str, capacity: int, shown: str) -> None:
    from bot.views.answer import _seats

    assert _seats(capacity, i18n.lang(lang)) == shown


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("Chi chiude la conferenza?", "Closing: what we learned"),
        ("¿Quién cierra el congreso?", "Closing: what we learned"),
        ("¿Quién abre la conferencia?", "Opening: welcome to the city"),
        ("Wer eröffnet die Konferenz?", "Opening: welcome to the city"),
    ],
)
def test_who_opens_or_closes_the_conference_is_its_opening_or_closing(question: str, title: str) -> None:
    from tests.test_answer_quality import made

    programme = made(
        ["Opening: welcome to the city", "Open data portals", "Lunch", "Closing: what we learned"],
        speakers={0: "Ana Mayor", 3: "Ben Chair"},
    )
    found = answer(question, programme, BEFORE).sessions
    assert found and found[0].title == title, [s.title for s in found]


@pytest.mark.parametrize("question", ["Où a lieu la séance d'ouverture ?", "where is the opening?"])
def test_the_opening_set_apart_by_a_colon_is_the_events_not_a_title_that_starts_with_the_verb(question: str) -> None:
    from tests.test_answer_quality import made

    programme = made(["Opening: a city for all", "Lunch", "Opening school gyms after hours", "Closing session"])
    assert [s.title for s in answer(question, programme, BEFORE).sessions] == ["Opening: a city for all"]


@pytest.mark.parametrize(
    "question",
    [
        "who speaks at the inaugural session?",
        "Qui intervient à la session inaugurale ?",
        "oye, ¿quién habla en la inauguración?",  # the word's cognate in its group: 'inaugural'
    ],
)
def test_the_moment_named_as_asked_comes_before_its_groups_other_words(question: str) -> None:
    from tests.test_answer_quality import made

    titles = ["Inaugural session of the climate week", "Lunch", "Opening session: mayors", "Opening panel: leaders"]
    programme = made([*titles, *(f"Talk {n}" for n in range(10))])
    assert [s.title for s in answer(question, programme, BEFORE).sessions] == [titles[0]]
    # Asked as 'opening', the sessions labelled so are the answer.
    assert titles[2] in [s.title for s in answer("who speaks at the opening session?", programme, BEFORE).sessions]


@pytest.mark.parametrize(
    "question", ["when is the first aid workshop?", "¿cuándo es el taller de primeros auxilios?", "erste Hilfe?"]
)
def test_first_aid_is_a_topic_not_the_first_session(question: str) -> None:
    from tests.test_answer_quality import made

    programme = made(["Opening", "Lunch", "Workshop: first aid at big events", *(f"Talk {n}" for n in range(10))])
    assert [s.title for s in answer(question, programme, BEFORE).sessions] == ["Workshop: first aid at big events"]


def test_a_weekday_the_event_lacks_beside_a_topic_one_session_has_is_that_sessions_own() -> None:
    from tests.test_answer_quality import made

    # made() is a Monday; 'Sunday' is in the title, not a day of the event.
    programme = made(["Marathon Sunday: buses and ambulances", "Lunch", *(f"Talk {n}" for n in range(10))])
    found = answer("el domingo de la maratón: autobuses y ambulancias", programme, BEFORE)
    assert [s.title for s in found.sessions] == ["Marathon Sunday: buses and ambulances"]
    # A weekday beside words no one session has all of is still a day without sessions.
    assert answer("tickets for the marathon zorblax on Sunday", programme, BEFORE).kind is not Kind.SESSIONS


def test_a_weekday_the_event_lacks_beside_a_topic_one_title_names_is_that_sessions_own() -> None:
    from tests.test_answer_quality import made

    # made() is a Monday; 'windows' is another session's word, so no session has every word.
    titles = ["Sirens on the rooftops: the monthly test", "Windows and blinds", "Lunch"]
    programme = made([*titles, *(f"Talk {n}" for n in range(10))])
    found = answer("sirens on the rooftops on Saturday and the windows", programme, BEFORE)
    assert [s.title for s in found.sessions][:1] == [titles[0]]


def test_a_session_with_the_words_in_its_title_outranks_one_with_rarer_words_only_in_its_abstract() -> None:
    from tests.test_answer_quality import made

    # 'explain' and 'software' in many abstracts, 'users' in four: the multicast talk's abstract has more of
    # the rarer words, but only the first session is about them ('fare video in diretta streaming per …').
    titles = ["Seeing is believing: video and streaming for users", "Privacy with multicast", "Lunch"]
    descriptions = {
        0: "Open source software.",
        1: "We explain how video streaming software works over multicast.",
        **dict.fromkeys(range(3, 8), "Software."),
    }
    for n in (3, 4):
        descriptions[n] += " We explain."
    for n in (8, 9, 10, 11):
        descriptions[n] = "For users."
    programme = made([*titles, *(f"Talk {n}" for n in range(9))], descriptions=descriptions)
    found = answer("video streaming to explain software to users", programme, BEFORE)
    assert [s.title for s in found.sessions] == [titles[0]]


@pytest.mark.parametrize("question", ["how do I become a hacker?", "what's the wifi password?"])
def test_a_practical_question_is_not_answered_by_a_title_with_only_one_of_its_words(question: str, faq: Faq) -> None:
    from tests.test_answer_quality import made

    titles = ["Ethical hackers and journalists", "Password breach checks in databases", "Lunch"]
    descriptions = dict.fromkeys((3, 4, 5), "How to become a maintainer; cheap wifi sensors.")
    programme = made([*titles, *(f"Talk {n}" for n in range(10))], descriptions=descriptions)
    found = answer(question, programme, BEFORE, faq=faq)
    assert not found.sessions
    # A title with every word still answers it.
    programme = made(["How to become a hacker", "The wifi password problem", "Lunch"])
    assert answer(question, programme, BEFORE, faq=faq).sessions


@pytest.mark.parametrize(
    "question",
    [
        "¿Quién da la conferencia principal sobre cooperativas?",
        "qui donne la conférence principale sur les coopératives ?",
        "chi tiene la conferenza principale sulle cooperative?",
        "Wer hält die Hauptrede über Genossenschaften?",
    ],
)
def test_the_main_talk_in_every_language_is_the_keynote(question: str) -> None:
    from tests.test_answer_quality import made

    titles = ["Workshop: a co-operative business plan", "Keynote: co-operatives", "Lunch"]
    speakers = {0: "Ana Ruiz", 1: "Matteo Rinaldi"}
    programme = made([*titles, *(f"Talk {n}" for n in range(10))], speakers=speakers)
    assert [s.title for s in answer(question, programme, BEFORE).sessions] == [titles[1]]


@pytest.mark.parametrize(
    "question",
    [
        "the street sweepers at five in the morning",
        "les street sweepers à cinq heures du matin",
        "Street sweepers bis Mitternacht",
    ],
)
def test_a_time_when_nothing_runs_describes_the_topic(question: str) -> None:
    from tests.test_answer_quality import made

    # made() runs 09:00-15:30: nothing at 05:00 or at midnight.
    titles = ["Street sweepers: the night shift", "Lunch", *(f"Talk {n}" for n in range(10))]
    programme = made(titles)
    assert [s.title for s in answer(question, programme, BEFORE).sessions] == [titles[0]]
    # A time when sessions run still narrows the search.
    assert not answer("street sweepers at 11:00", programme, BEFORE).sessions


def test_the_one_session_titled_with_more_of_the_words_is_the_answer_alone() -> None:
    from tests.test_answer_quality import made

    # Each session has every word, one in its title, the others in its abstract: the first names two.
    titles = ["Fireworks over the harbour: barges and frightened animals", "Fireworks and dogs: noise at night"]
    descriptions = {0: "Dogs, pets and noise.", 1: "Barges, boats and harbour."}
    programme = made([*titles, "Lunch", *(f"Talk {n}" for n in range(10))], descriptions=descriptions)
    assert [s.title for s in answer("barges harbour dogs", programme, BEFORE).sessions] == [titles[0]]
    assert [s.title for s in answer("barges dogs noise", programme, BEFORE).sessions] == [titles[1]]
    # One word in each title: both answer it.
    assert len(answer("barges dogs", programme, BEFORE).sessions) == 2


def test_a_long_paraphrase_is_the_one_title_that_has_two_of_its_words() -> None:
    programme = load_programme(ROOT / "tests" / "fixtures" / "round13-conference.yaml")
    now = datetime.fromisoformat("2035-09-01T10:00:00+02:00")
    # 'moving' and 'closing' are in other sessions' abstracts and titles: no session has enough of the words.
    found = answer("residents moving out of the old town and the schools closing one by one", programme, now)
    assert [s.title for s in found.sessions][:1] == [
        "Residents leaving the old town: the last school, the last grocer, the last families"
    ]
    assert {"moving", "closing"} <= set(found.query.ignored)  # the reply says it left them out
    # One word of a title is not enough.
    assert not answer("people moving out and the schools closing one by one", programme, now).sessions


@pytest.mark.parametrize(
    "question",
    [
        "what comes after the talk on cruise ships in the same room?",
        "Was kommt nach dem Vortrag über cruise ships im selben Raum?",
    ],
)
def test_the_session_a_question_names_by_its_type_is_the_one_of_that_type(tmp_path: Path, question: str) -> None:
    from tests.conftest import small_programme

    programme = small_programme(
        tmp_path,
        "Visited Cities",
        """\
  - {id: trip, title: "Early boat trip: watching the cruise ships", type: excursion,
     start: "2024-06-25T07:00", end: "2024-06-25T08:00", room: a}
  - {id: talk, title: "Cruise ships at the door: berth limits", type: talk,
     start: "2024-06-25T11:30", end: "2024-06-25T12:30", room: a}
  - {id: tax, title: "Tourist taxes", type: talk, start: "2024-06-25T13:30", end: "2024-06-25T14:30", room: a}
""",
    )
    found = answer(question, programme, BEFORE)
    assert found.anchor is not None and found.anchor.id == "talk"
    assert [s.id for s in found.sessions] == ["tax"]


def test_after_the_last_session_of_its_day_in_the_same_room_comes_the_rooms_next_day(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        "conference: {name: Two Days, timezone: Europe/Madrid, days: [2024-06-25, 2024-06-26]}\n"
        "venue: {name: Hall, address: 1 Street}\n"
        "rooms:\n  - {id: a, name: Room A}\n  - {id: b, name: Room B}\n"
        "sessions:\n"
        '  - {id: youth, title: Youth unemployment, start: "2024-06-25T15:00", end: "2024-06-25T16:00", room: a}\n'
        '  - {id: other, title: Street games, start: "2024-06-25T16:30", end: "2024-06-25T17:00", room: b}\n'
        '  - {id: screen, title: Screen time, start: "2024-06-26T10:30", end: "2024-06-26T11:30", room: a}\n',
        encoding="utf-8",
    )
    programme = load_programme(path)
    found = answer("what comes after Youth unemployment in the same room?", programme, BEFORE)
    assert [s.id for s in found.sessions] == ["screen"]
    assert [s.id for s in answer("what's before Screen time in the same room?", programme, BEFORE).sessions] == [
        "youth"
    ]
    # Without 'the same room', what follows is the rest of its day.
    assert [s.id for s in answer("what comes after Youth unemployment?", programme, BEFORE).sessions] == ["other"]


@pytest.mark.parametrize("question", ["il y a un distributeur de billets sur le campus ?", "¿hay un cajero cerca?"])
def test_a_cash_machine_is_an_errand_not_a_session_about_tickets(question: str) -> None:
    from tests.test_answer_quality import made

    programme = made(["Tickets and notes: a history of banknotes", "Lunch", *(f"Talk {n}" for n in range(10))])
    assert not answer(question, programme, BEFORE).sessions


def test_a_phrase_does_not_span_a_comma(tmp_path: Path) -> None:
    from tests.conftest import small_programme

    programme = small_programme(
        tmp_path,
        "Schools",
        """\
  - {id: meals, title: "School meals: a warm lunch for every pupil", track: "Schools, Meals and Buildings",
     start: "2024-06-25T09:00", end: "2024-06-25T10:00", room: a}
  - {id: yards, title: "Open school yards", track: "Schools, Meals and Buildings",
     start: "2024-06-25T10:00", end: "2024-06-25T11:00", room: a}
""",
    )
    assert [s.id for s in answer("wer redet über Schulessen?", programme, BEFORE).sessions] == ["meals"]


def test_an_after_between_words_of_one_title_is_that_sessions_own() -> None:
    from tests.test_answer_quality import made

    titles = ["Memorials and anniversaries: how a city remembers its earthquake", "Rebuilding schools", "Lunch"]
    programme = made([*titles, *(f"Talk {n}" for n in range(10))], speakers={0: "Paolo Gargiulo", 1: "Ada Marra"})
    found = answer("who speaks about memorials and anniversaries after an earthquake?", programme, BEFORE)
    assert [s.title for s in found.sessions] == [titles[0]]
    # With nothing of the session named before it, 'after' still orders: what follows the memorials talk.
    assert [s.title for s in answer("what's after the memorials talk?", programme, BEFORE).sessions] == [titles[1]]


DOMAIN_TITLES = [
    "Stag parties and pub crawls",
    "Short-term rentals and the flats that used to be homes",
    "Street vendors in the old town",
    "Cruise ships at the door",
    "Waste after the party",
    "Parental leave for city staff",
    "Summer camps for every child",
    "Walking bus: parents take turns",
    "Screen time: phones in the classroom",
    "After-school clubs for working parents",
    "Rumours in a crisis",
    "Radio amateurs in a disaster",
    "Blackout in the operating theatre: generators",
    "Landslides on the hillside streets",
    "Volunteer fire brigades",
    "Stockpiles for a city: water, food and medicines",
    "Workshop: an evacuation drill in a block of flats",
    "Workshop: spotting a scam text message before you click",
    "Panel: dying at home or in hospital – who decides at the end of life?",
    "Meals on wheels: a hot lunch and a chat",
    "Hearing aids in the drawer",
    "Night shifts in care homes",
    "Carers at breaking point",
    "Dementia-friendly streets: landmarks and the way back home",
    "Driving licences at eighty: the last car on the road",
    "Workshop: video calls with the grandchildren",
    "Tango in the afternoon: dancing after seventy",
    "Dementia-friendly shops: a checkout that waits",
    "Migrant care workers: who looks after our parents",
]


@pytest.mark.parametrize(
    ("question", "title"),
    [
        # Visitors and the night-time city
        ("despedidas de soltero", "Stag parties and pub crawls"),
        ("addii al celibato e giri dei pub", "Stag parties and pub crawls"),
        ("Ferienwohnungen", "Short-term rentals and the flats that used to be homes"),
        ("les meublés de tourisme", "Short-term rentals and the flats that used to be homes"),
        ("los manteros", "Street vendors in the old town"),
        ("grandi navi e crocieristi", "Cruise ships at the door"),
        ("la basura después de la fiesta", "Waste after the party"),
        # Children, schools and families
        ("baja por paternidad", "Parental leave for city staff"),
        ("Elternzeit", "Parental leave for city staff"),
        ("centri estivi", "Summer camps for every child"),
        ("les centres aérés", "Summer camps for every child"),
        ("il piedibus", "Walking bus: parents take turns"),
        ("los móviles", "Screen time: phones in the classroom"),
        ("il doposcuola", "After-school clubs for working parents"),
        # Emergencies
        ("Falschmeldungen", "Rumours in a crisis"),
        ("le bufale", "Rumours in a crisis"),
        ("los radioaficionados", "Radio amateurs in a disaster"),
        ("le groupe électrogène", "Blackout in the operating theatre: generators"),
        ("frane", "Landslides on the hillside streets"),
        ("les pompiers", "Volunteer fire brigades"),
        ("i vigili del fuoco", "Volunteer fire brigades"),
        ("reservas de agua y comida", "Stockpiles for a city: water, food and medicines"),  # 'comida' is food too
        ("simulacro en el bloque de pisos", "Workshop: an evacuation drill in a block of flats"),
        ("esercitazione nel condominio", "Workshop: an evacuation drill in a block of flats"),
        # Older people and care
        ("les arnaques par SMS", "Workshop: spotting a scam text message before you click"),
        ("messaggini truffa", "Workshop: spotting a scam text message before you click"),
        ("la table ronde sur la fin de vie", "Panel: dying at home or in hospital – who decides at the end of life?"),
        ("Essen auf Rädern", "Meals on wheels: a hot lunch and a chat"),
        ("appareils auditifs", "Hearing aids in the drawer"),
        ("el turno de noche en una residencia de ancianos", "Night shifts in care homes"),
        ("c'est quand le truc sur les aidants ?", "Carers at breaking point"),
        ("le strade a misura di demenza", "Dementia-friendly streets: landmarks and the way back home"),
        ("el taller de las videollamadas", "Workshop: video calls with the grandchildren"),
        ("les thés dansants", "Tango in the afternoon: dancing after seventy"),
        ("al supermercato, chi ha l'Alzheimer alla cassa", "Dementia-friendly shops: a checkout that waits"),
        ("a che ora c'è la roba sulle badanti straniere?", "Migrant care workers: who looks after our parents"),
    ],
)
def test_a_domains_everyday_words_in_five_languages_find_its_titles(question: str, title: str) -> None:
    from tests.test_answer_quality import made

    programme = made([*DOMAIN_TITLES, "Lunch", *(f"Talk {n}" for n in range(10))])
    assert [s.title for s in answer(question, programme, BEFORE).sessions][:1] == [title]


def test_the_closing_session_is_the_closing_not_a_days_wrap_up() -> None:
    from tests.test_answer_quality import made

    titles = ["Opening", "Lunch", "Day 1 wrap-up", "Talk 1", "Talk 2", "Closing session"]
    programme = made(titles)
    for question in ("wann ist der Abschluss?", "ey wann is nochmal die Abschlusssession?"):
        assert [s.title for s in answer(question, programme, BEFORE).sessions] == ["Closing session"], question
    assert [s.title for s in answer("¿a qué hora es la comida?", programme, BEFORE).sessions] == ["Lunch"]


def test_the_other_side_of_a_comparison_is_never_the_first_sides_session() -> None:
    # The after-school panel is a day before the poverty panel, whose day also has a panel the words fit.
    programme = load_programme(ROOT / "tests" / "fixtures" / "round14-conference.yaml")
    found = answer("Il panel sulla povertà infantile è prima o dopo quello sul doposcuola?", programme, BEFORE)
    assert found.kind is Kind.COMPARE
    assert [s.title[:16] for s in found.sessions] == ["Panel: child pov", "Panel: when scho"]


def test_a_bare_paraphrase_with_words_no_dictionary_has_is_the_one_title_its_known_words_name() -> None:
    from tests.test_answer_quality import made

    titles = [
        "Parental leave for city staff: fathers first",
        "Fireworks over the harbour",
        "Fireworks without fire: drone shows",
        "Summer camps",
        "Lunch",
    ]
    programme = made(titles, descriptions={3: "Municipal staff run the camps; leave is planned in spring."})
    found = answer("le congé paternité des zorgnaux bliftaires", programme, BEFORE, lang="fr")
    assert [s.title for s in found.sessions] == [titles[0]]
    assert {"zorgnaux", "bliftaires"} <= set(found.query.ignored)  # the reply says what it left out
    # Not with a time, nor beside keys in a row.
    for question in (
        "le congé paternité des zorgnaux bliftaires ce soir",
        "le congé paternité asdfgh qwrtzp",
    ):
        shown = answer(question, programme, BEFORE, lang="fr").sessions
        assert titles[0] not in [s.title for s in shown[:1]], question


def test_a_title_with_two_rare_words_of_a_paraphrase_beats_one_with_two_common_ones() -> None:
    # 'obsèques' and 'enterrement' name the funerals talk; 'payer' and 'famille' the care-home panel.
    programme = load_programme(ROOT / "tests" / "fixtures" / "round16-conference.yaml")
    question = "des obsèques trop chères : quand la famille n'a pas de quoi payer l'enterrement"
    found = answer(question, programme, BEFORE, lang="fr").sessions
    assert [s.title[:29] for s in found][:1] == ["Funerals nobody can afford: t"]


def test_war_in_a_german_question_is_was_not_a_topic() -> None:
    from tests.test_answer_quality import made

    programme = made(["War and the city", "Deepfakes of politicians", "Lunch"])
    found = answer("hä, wann war nochmal das mit den Deepfakes?", programme, BEFORE)
    assert [s.title for s in found.sessions] == ["Deepfakes of politicians"]
    assert [s.title for s in answer("talks about war", programme, BEFORE).sessions] == ["War and the city"]


def test_a_number_the_programme_lacks_does_not_sink_the_question() -> None:
    from tests.test_answer_quality import made

    programme = made(["Malnutrition when nobody cooks", "Lunch", "Talk 1"])
    found = answer("la dénutrition des plus de 80 ans", programme, BEFORE, lang="fr")
    assert [s.title for s in found.sessions] == ["Malnutrition when nobody cooks"] and "80" in found.query.ignored


def test_a_count_in_words_and_an_unknown_verb_only_lower_confidence() -> None:
    from tests.test_answer_quality import made

    titles = ["Opening session: mayors on integrated climate action", "Lunch", "Talk 1", "Talk 2"]
    programme = made(titles)
    question = "la sessione in cui tre sindaci raccontano come affrontano il clima"
    found = answer(question, programme, BEFORE, lang="it")
    assert [s.title for s in found.sessions] == [titles[0]]
    assert {"tre", "raccontano", "affrontano"} <= set(found.query.ignored)
    # A number word the programme has may be the topic: it stays.
    two = made(["Verificación en dos pasos", "Lunch"])
    assert "dos" not in answer("la verificación en dos pasos", two, BEFORE, lang="es").query.ignored


def test_a_number_in_digits_finds_a_title_that_writes_it_in_words() -> None:
    from tests.test_answer_quality import made

    titles = ["Driving licences at eighty", "Votes at sixteen", "Lunch", "Talk 1"]
    programme = made(titles)
    assert [s.title for s in answer("driving at 80", programme, BEFORE).sessions] == [titles[0]]
    assert [s.title for s in answer("le droit de vote à 16 ans", programme, BEFORE, lang="fr").sessions] == [titles[1]]


def test_hay_que_is_what_one_must_do_not_whether_something_exists() -> None:
    from tests.test_answer_quality import made

    titles = ["Car-free streets: who delivers the bread?", "Lunch", *(f"Talk {n}" for n in range(10))]
    programme = made(titles, descriptions={0: "Closing the road in front of schools at drop-off time."})
    found = answer("¿hay que prohibir los coches delante de los colegios?", programme, BEFORE, lang="es")
    assert [s.title for s in found.sessions] == [titles[0]]
    # '¿hay …?' alone still asks whether the place has something.
    assert not answer("¿hay coches de alquiler cerca?", programme, BEFORE, lang="es").sessions
