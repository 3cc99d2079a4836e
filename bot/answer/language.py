"""Which of the bot's languages a question is written in, when it says so clearly.

A delegate whose setting is English may still ask "¿dónde está la sala Rodrigo?"; the answer then comes in
Spanish while the setting stays. Only words that belong to one language count as evidence: articles, question
words and the everyday words of asking about a programme. Words two languages share ('la', 'que', 'en') and
every programme word (titles are often English whatever the delegate speaks) count for nothing, so a Spanish
delegate who pastes an English title is still answered in Spanish unless the question around it is English.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from bot.answer.lexicon import word_set
from bot.answer.text import fold, words

# Folded words found in questions in one language only (checked by a test: no word is in two lists).
EVIDENCE = {
    "en": word_set(
        "the what whats when where who whos which how is are does do did there theres any anything about with "
        "this that today tomorrow tonight talk talks next now after before show find please can my of for room "
        "rooms morning afternoon evening happening going speaking speak speaks give gives starts start ends "
        "end whens wheres time"
    ),
    "es": word_set(
        "donde cuando quien quienes cual cuales como hay esta estan el los las hoy manana charla charlas sesion "
        "sesiones ponencia ponencias sobre para por algo tarde habla hablan quiero puedo hora despues ahora "
        "proxima proximo proximas proximos cuanto cuanta cuantos tiene tienen dime busco empieza termina "
        "mediodia noche pasa hablar y unos unas alguna alguien algun ustedes tio oye vale digamos"
    ),
    "fr": word_set(
        "ou quand qui quoi quel quelle quels quelles comment est sont les des du aux au avec sur pour aujourd "
        "hui demain apres avant maintenant prochain prochaine prochains prochaines salle seance seances je nous "
        "vous cette parle parlent heure matin soir midi lieu dans chez trouve commence termine passe quelqu "
        "et ce une t chose truc veux voudrais intervient anime peut faut mais ces"
    ),
    "de": word_set(
        "wann wo wer was welche welcher welches welchen wie ist sind gibt der die das den dem ein eine einen und "
        "oder heute morgen nach vor jetzt nachste nachster nachstes nachsten raum saal vortrag vortrage uber "
        "fur mit von zum zur im am um bei ich wir bitte findet statt spricht redet uhr nachmittag vormittag "
        "abend etwas auch noch beginnt endet kann wird werden geht lauft nochmal welchem gibts"
    ),
    "it": word_set(
        "dove dov quando chi cosa cos come quale quali che gli della dello delle degli alla alle nel nella sul "
        "sulla per oggi domani dopo prima adesso ora prossimo prossima prossimi prossime sessione sessioni "
        "intervento interventi parla parlano stanza pomeriggio mattina sera ci sono qualcosa vorrei inizia "
        "finisce e di dei sui nei qualcuno perche allora ehi roba"
    ),
}

# Letters one language writes and the others (folded away later) do not.
LETTERS = {"ñ": "es", "¿": "es", "¡": "es", "ß": "de", "ä": "de", "ö": "de", "ç": "fr", "œ": "fr", "ì": "it", "ò": "it"}

MIN_EVIDENCE = 2  # one word ('wann?') is too little to change the language a delegate chose


@lru_cache(maxsize=4096)  # asked several times for one question (engine, parse, reply)
def question_language(question: str, setting: str, programme_words: frozenset[str] = frozenset()) -> str:
    """The question's language when it is clearly another of the bot's languages, else the setting."""
    scores: Counter[str] = Counter()
    lowered = question.lower()
    for letter, code in LETTERS.items():
        if letter in lowered:
            scores[code] += 1
    for word in words(fold(question)):
        if word in programme_words:
            continue
        for code, evidence in EVIDENCE.items():
            if word in evidence:
                scores[code] += 1
    if not scores:
        return setting
    (best, top), *rest = scores.most_common()
    runner_up = rest[0][1] if rest else 0
    if best == setting or top < MIN_EVIDENCE or top < 2 * max(runner_up, scores[setting]) or top == runner_up:
        return setting
    return best
