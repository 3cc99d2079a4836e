"""A question taken apart: its time expressions, the rooms and people it names, and its topic words."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

from bot.answer import dictionary
from bot.answer import lexicon as lx
from bot.answer.concepts import CONCEPTS
from bot.answer.index import ProgrammeIndex
from bot.answer.language import question_language
from bot.answer.text import MAX_TOKEN_CHARS, fold, unstretched, words
from bot.answer.when import When, parse_when

MAX_TERMS = 12
MIN_ADVERB = 9  # letters of an '-mente' adverb ('mente' is the mind, 'demente' demented)
MIN_NAME_TYPO = 6  # 'large'/'Lange', 'block'/'Böck': one letter off a short word is another word
MIN_NAME_TYPO_ALONE = 8  # a misspelt name with no 'who'/'by' ('Eggertson?') is a long one
WHERE_TO_OPENING = 3  # words: 'où boire …', 'et où boire …', 'dis, où boire …'
MIN_INFINITIVE = 3  # letters: 'ir', 'ver' are too short to tell an infinitive from a noun
ROOM_CUES = lx.SOFT | lx.WHERE | lx.word_set("in im en dans nel nella into at")
# Words that frame the question and never are its topic.
NOT_TOPIC = (
    lx.STOPWORDS
    | lx.WHEN
    | lx.BOUNDS
    | lx.WHERE
    | lx.WHO
    | (lx.SPEAKER_CUES - lx.SOFT)
    | lx.GREETINGS
    | lx.HELP
    | lx.AFTER
    | lx.BEFORE
    | lx.NOW
    | lx.NEXT
    | lx.LAST
    | lx.FIRST
    | lx.DAY_WORDS
    | lx.word_set("between zwischen entre tra fra hui")
    | lx.CAPACITY
    | lx.SAME
    | lx.THIS
)
# Phrases of the topic groups ('dati aperti', 'seguridad vial', 'tavola rotonda'): read as one term.
PHRASES = frozenset(" ".join(words(fold(p))) for group in CONCEPTS for p in group if " " in p)
LONGEST_PHRASE = max((len(p.split()) for p in PHRASES), default=1)
TIMED_PHRASES = tuple(
    sorted((p for p in PHRASES if set(p.split()) & (lx.PARTS_OF_DAY | lx.FIRST | lx.LAST)), key=len, reverse=True)
)


def _singular(word: str) -> str:
    """'maires' → 'maire', 'alcaldes' → 'alcalde': a phrase's words matched without a plural -s."""
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


TIMED_SET = frozenset(TIMED_PHRASES)
# Each phrase by its words without a plural -s: 'maires de la nuit' is the group's 'maire de la nuit'.
_PHRASE_BY_SINGULAR = {tuple(map(_singular, p.split())): p for p in PHRASES}
_PHRASE_STARTS = frozenset(w for p in PHRASES for w in (p.split()[0], _singular(p.split()[0])))


def _phrase(tokens: list[str] | tuple[str, ...], i: int) -> tuple[str, int] | None:
    """The topic phrase starting at token i, as the group writes it, and how many tokens it takes."""
    if tokens[i] not in _PHRASE_STARTS and _singular(tokens[i]) not in _PHRASE_STARTS:
        return None
    for n in range(min(LONGEST_PHRASE, len(tokens) - i), 1, -1):
        written = " ".join(tokens[i : i + n])
        phrase = written if written in PHRASES else _PHRASE_BY_SINGULAR.get(tuple(map(_singular, tokens[i : i + n])))
        if phrase is not None:
            return phrase, n
    return None


# Words the bot knows as words: never a speaker's name misspelt.
KNOWN_WORDS = frozenset(
    {w for name, group in vars(lx).items() if name.isupper() and isinstance(group, frozenset) for w in group}
    | {w for group in CONCEPTS for phrase in group for w in words(fold(phrase))}
)


@dataclass(frozen=True)
class Query:
    text: str
    tokens: tuple[str, ...]  # every folded word, for the FAQ
    when: When = field(default_factory=When)
    hard: tuple[str, ...] = ()  # topic words: all should match
    soft: tuple[str, ...] = ()  # 'talk', 'session', the conference's own name: they only help ranking
    rooms: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    who: bool = False
    where: bool = False
    when_asked: bool = False
    speaker_cue: bool = False
    how_to: bool = False  # 'how do I …': practical, not a topic
    errand: bool = False  # 'where can I buy gold?': the asker's errand ('gold' is no Ms Gold), not a session
    amenity: bool = False  # 'is there parking?', '¿hay un cajero?': whether something exists, no session asked for
    greeting: bool = False
    help: bool = False
    programme: bool = False
    capacity: bool = False  # how many people a room holds
    same_room: bool = False  # 'in the same room': what follows a session where it is held
    this_room: bool = False  # 'in that room': the room the delegate last looked at
    ignored: tuple[str, ...] = ()  # words the programme does not know, left out of an answer the rest gives

    @property
    def has_filters(self) -> bool:
        return bool(self.rooms) or not self.when.is_empty


# German adjective endings, longest first ('freier', 'alten', 'offenes', 'nachhaltige').
ADJECTIVE_ENDINGS = ("en", "er", "es", "em", "e")
_LETTERS = re.compile(r"[^\W\d_]+")


# 'c'è', 'ci sono', 'il y a' / 'y a-t-il', 'hay': whether something exists, in word pairs.
_THERE_IS_PAIRS = {("c", "e"), ("ci", "sono"), ("y", "a"), ("is", "there"), ("are", "there")}
# '¿hay que prohibir …?': one must do something; no question whether a thing exists.
_MUST_PAIRS = {("hay", "que")}


def _objects(tokens: tuple[str, ...]) -> set[str]:
    """The question's words but a session word after 'during' ('lasciare lo skateboard durante le sessioni')."""
    during = {i for i, w in enumerate(tokens) if w in lx.DURING}
    return {w for i, w in enumerate(tokens) if not ({i - 1, i - 2} & during and w in lx.SESSION_WORDS)}


def _infinitive(word: str, language: str) -> bool:
    """Whether `word` reads as an infinitive of the question's language that is no way to find or attend a session."""
    endings = lx.INFINITIVE_ENDINGS.get(language, ())
    return len(word) > MIN_INFINITIVE and word.endswith(endings) and word not in lx.FINDING | lx.LEARN


def speaks_of_oneself(tokens: tuple[str, ...], language: str) -> bool:
    """'my', 'ich', 'je', 'I' …: the asker speaks of themselves ('i' in Italian is 'the': 'i volontari')."""
    mine = lx.FIRST_PERSON - {"i"} if language == "it" else lx.FIRST_PERSON
    return not mine.isdisjoint(tokens)


def _learns_about(tokens: tuple[str, ...]) -> bool:
    """'where can I learn about heat pumps?', 'dove posso ascoltare qualcosa sui tetti verdi?': a session asked for
    by what one would learn about; '¿dónde puedo ver el partido esta noche?' is a match to watch, an errand."""
    every = set(tokens)
    return bool(every & lx.LEARN) and bool(every & (lx.ABOUT | lx.ON_A_TOPIC | lx.TOPIC_CUES))


_TAKES_PLACE = frozenset({"statt", "stattfinden", "stattfindet"})
_SURELY = frozenset({"sicher", "definitiv", "bestimmt", "wirklich", "tatsachlich"})


def _adverb(word: str) -> bool:
    """An Italian or Spanish adverb ('contemporaneamente', 'rápidamente'): how, never what a session is about."""
    return len(word) >= MIN_ADVERB and word.endswith("mente")


def asks_if_there_is(tokens: tuple[str, ...]) -> bool:
    """'Is there …?', 'gibt es …?', '¿hay …?', 'c'è …?', 'y a-t-il …?': a question whether something exists."""
    pairs = set(itertools.pairwise(tokens))
    if pairs & _MUST_PAIRS:
        return False
    return bool(set(tokens) & lx.THERE_IS) or bool(pairs & _THERE_IS_PAIRS)


def parse(text: str, index: ProgrammeIndex, setting: str = "de") -> Query:
    """The question's parts; `setting` is the delegate's language, which decides when the words say nothing
    (German joins words, so by default a run-together word is split)."""
    folded = unstretched(fold(text))
    tokens = tuple(words(folded))
    # A topic phrase with a part of the day in it ('alcalde de la noche', 'night mayor') is the topic, not a time.
    found = [(f, i) for i in range(len(tokens)) if (f := _phrase(tokens, i)) is not None and f[0] in TIMED_SET]
    timed = [phrase for (phrase, _), _ in found]
    written = [" ".join(tokens[i : i + n]) for (_, n), i in found]
    when, rest = parse_when(
        re.sub("|".join(rf"\b{re.escape(ph)}\b" for ph in written), " ", folded) if written else folded
    )
    rest = timed + rest
    every = set(tokens)
    where = _asks_where(text, folded)
    if not where:
        every -= lx.WHERE  # 'or', or a clause's 'where': no question of a place
    cue = bool(every & lx.SPEAKER_CUES)
    room_cue = bool(every & ROOM_CUES)
    # A room's whole name ('Chaos Computer Music Club') is the room, whatever speaker shares two of its words.
    named_room = _room_phrase(rest, index, room_cue)
    language = question_language(text, "en")
    rest = _closed_compounds(_joined_phrases(rest), index, language)
    topical = _after_topic_word(tokens)
    nouns = _after_an_article(tokens, language)
    # Clearly of that language, or opening a question in the delegate's ('Dove si tiene il forum?'; 'talks by Dove').
    opening = _ASKING.get(question_language(text, setting), frozenset()) & set(tokens[:1])
    asking = _ASKING.get(language, frozenset()) | opening
    people_words = [w for w in rest if (not named_room or w not in named_room[1]) and w not in nouns | asking]
    speakers, used = _people(people_words, index, cue, topical)
    # 'où boire une bonne stout près du dépôt ?': a where-word and an infinitive, an errand like 'where can I'.
    spoken = question_language(text, setting)  # a short question is the delegate's language ('dove mangiare?')
    # Only opening the question: 'coros que no tienen dónde ensayar' describes a session.
    where_to = any(a in lx.WHERE and _infinitive(b, spoken) for a, b in itertools.pairwise(tokens[:WHERE_TO_OPENING]))
    if len(used) < 2 and every & lx.WHERE and (every & lx.CAN_I or where_to) and not (cue or every & lx.LEARN):
        # 'where can I get a pint of Guinness?': an errand names a thing; only a whole name is a person there
        # ('where can I hear Guinness?' is one to see).
        speakers, used = (), set()
    rooms, used_rooms = named_room or _rooms(rest, index, room_cue)
    used |= used_rooms
    hard: list[str] = []
    soft: list[str] = []
    # German joins words ('Eröffnungspanel'); a question clearly in Spanish, French or Italian does not
    # ('condomini' is not 'condo' + 'mini').
    joined = question_language(text, setting) in ("de", "en")
    if language == "de":
        rest = _adjective_bases(text, rest, index)
        # 'wann war nochmal das mit den Deepfakes': in German, 'war' is 'was', never the English war.
        rest = [w for w in rest if w not in lx.GERMAN_VERBS]
    # A word already taken as a room or a person stays whole ('Riverside Room' is not 'river' + 'side').
    split = [_compound_parts(w, index) if joined and w not in used else (w,) for w in rest]
    for w in [part for parts in split for part in parts]:
        if w in used or w in NOT_TOPIC or len(w) > MAX_TOKEN_CHARS or (len(w) == 1 and not w.isdigit()) or _adverb(w):
            continue
        target = soft if w in lx.SOFT or w in index.context_words else hard
        if w not in target:
            target.append(w)
    if every & _TAKES_PLACE:
        # 'Findet die Hafenführung sicher statt?': whether it surely takes place asks for its status.
        soft += [w for w in hard if w in _SURELY]
        hard = [w for w in hard if w not in _SURELY]
    if any(w not in lx.STATUS for w in hard):
        # 'Is the Libra talk cancelled?' asks about the Libra talk; its reply shows the status.
        soft += [w for w in hard if w in lx.STATUS]
        hard = [w for w in hard if w not in lx.STATUS]
    session_asked = cue or every & (lx.SESSION_WORDS | lx.FORMATS | lx.ROOM_WORDS | lx.TOPIC_CUES | lx.ON_A_TOPIC)
    # 'where's a good hill to go running near the venue?', 'wo ist der nächste Geldautomat?': the surroundings.
    nearest = bool(hard and every & lx.WHERE and every & (lx.NEAREST | lx.NEARBY | lx.NEAR) and not session_asked)
    # 'where is my own polling station? I live in Kessel-Lo': the asker's own place, not a session.
    # So is 'can I pay my water bill with you?': something the asker would do with their own thing.
    own = bool(hard and every & (lx.WHERE | lx.CAN_I) and every & lx.MY and not session_asked)
    first_person = speaks_of_oneself(tokens, language)  # 'i dispositivi … come fa Siemens' asks no how-to
    if nearest:  # 'wo ist der nächste Geldautomat?' is the nearest cash machine, not the next session
        when = replace(when, relative=None)
    return Query(
        text=text,
        tokens=tokens,
        when=when,
        hard=tuple(hard[:MAX_TERMS]),
        soft=tuple(soft[:MAX_TERMS]),
        rooms=rooms,
        speakers=speakers,
        who=bool(every & lx.WHO),
        where=where,
        when_asked=bool(every & lx.WHEN),
        speaker_cue=cue,
        how_to=bool(every & lx.HOW) and first_person,
        errand=nearest
        or own
        or (
            bool(every & lx.WHERE and (every & lx.CAN_I or where_to))
            and not (cue or _objects(tokens) & lx.SESSION_WORDS or _learns_about(tokens))
        ),
        amenity=asks_if_there_is(tokens)
        # '¿hay un taxi que me lleve mañana?', '¿dónde hay una farmacia abierta el domingo?'
        and (when.is_empty or first_person or bool(every & lx.WHERE))
        and not (cue or every & (lx.SESSION_WORDS | lx.FORMATS | lx.LEARN | lx.TOPIC_CUES | lx.ON_A_TOPIC | lx.WHEN)),
        greeting=bool(every & lx.GREETINGS),
        help=bool(every & lx.HELP),
        programme=bool(every & lx.PROGRAMME_WORDS),
        capacity=bool(every & lx.CAPACITY),
        same_room=bool(every & lx.SAME) and bool(every & lx.ROOM_WORDS),
        this_room=not rooms and any(a in lx.THIS and b in lx.ROOM_WORDS for a, b in itertools.pairwise(tokens)),
    )


# A question word of the question's own language asks, whatever speaker it names ('Dove si parla …?': not Mr Dove).
_ASKING = {
    "it": lx.word_set("dove dov chi quando"),
    "es": lx.word_set("donde quien cuando"),
    "fr": lx.word_set("ou qui quand"),
    "de": lx.word_set("wo wer wann"),
}
# 'dimmi dove', 'weißt du wo', 'sabes dónde': a where after them still asks.
_KNOW_OR_TELL = lx.word_set("know tell sai sapete dimmi ditemi sabes sabe dime sais savez dis weisst wisst weiss sag")
_WHERE_WORD = re.compile(r"\b(" + "|".join(sorted(lx.WHERE, key=len, reverse=True)) + r")\b")


def _asks_where(text: str, folded: str) -> bool:
    """Whether a where-word of the question asks where. French 'ou' is 'or' unless written 'où' or first; and a
    where-word right after a thing, with more of the thing after it, joins a clause to it ('un'app dove ognuno
    segnala la puzza', 'una aplicación donde los vecinos chivan cada peste', 'the map where residents pin smells')."""
    accented = "où" in text.lower()
    for m in _WHERE_WORD.finditer(folded):
        before = words(folded[: m.start()])
        if m[1] == "ou" and before and not accented:
            continue
        joined = re.search(r"\w\s+$", folded[: m.start()]) is not None  # no comma, dash or '?' in between
        prev = before[-1] if before else ""
        thing = prev not in NOT_TOPIC and prev not in _KNOW_OR_TELL and prev not in lx.ROOM_WORDS | lx.VENUE
        more = any(w not in NOT_TOPIC and w not in lx.FILLERS for w in words(folded[m.end() :]))
        if not (joined and thing and more):
            return True
    return False


def _joined_phrases(rest: list[str]) -> list[str]:
    """The words, with each known multi-word topic ('reconocimiento facial') joined into one term."""
    if len(rest) < 2:
        return rest
    out: list[str] = []
    i = 0
    while i < len(rest):
        found = _phrase(rest, i)
        if found is not None:
            out.append(found[0])
            i += found[1]
        else:
            out.append(rest[i])
            i += 1
    return out


# Words joining two nouns into one phrase ('ola de calor', 'ondata di calore', 'silla de ruedas').
_LINKS = lx.word_set("de di del della delle dei degli du des da")
MIN_CLOSED_COMPOUND = 6  # letters: shorter joins ('upset', 'into') are chance


def _closed_compounds(rest: list[str], index: ProgrammeIndex, language: str) -> list[str]:
    """Two words of another language whose English is one word of a title written closed: 'ola de calor' is
    heat + wave, the programme's 'Heatwaves'; 'silla de ruedas' is 'wheelchair'."""
    out: list[str] = []
    i = 0
    while i < len(rest):
        # side by side, or with 'de'/'di' between
        pairs = [j for j in (i + 1, i + 2) if j < len(rest) and (j == i + 1 or rest[i + 1] in _LINKS)]
        found = ((j, c) for j in pairs if (c := _closed_compound(rest[i], rest[j], index, language)))
        j, joined = next(found, (i, None))
        out.append(joined or rest[i])
        i = j + 1
    return out


def _closed_compound(first: str, second: str, index: ProgrammeIndex, language: str) -> str | None:
    """The title word that is the English of `first` and `second` joined, in either order, when one of them
    alone finds nothing ('aprendizaje profundo' finds deep and learning; 'olas de calor' finds heat, and
    'heatwave' where only a description has it would lose that)."""
    if first in NOT_TOPIC or second in NOT_TOPIC or " " in first or " " in second:
        return None
    book = dictionary.current()
    foreign = language != "en"  # else only words that are no English ones ('heat wave' is found word by word)
    lang = language if foreign else None

    def english(word: str) -> list[str]:  # short words too: 'ola' is a wave
        return [one[0] for sense in book.senses(word, foreign, lang) if len(one := words(fold(sense))) == 1]

    ones = english(first)
    twos = english(second) if ones else []
    joins = (j for a, b in itertools.product(ones, twos) for j in (b + a, a + b) if len(j) >= MIN_CLOSED_COMPOUND)
    joined = next((j for j in joins if any(f in index.content_words for f in (j, j + "s", j + "es"))), None)
    if joined is None or not index.hits((joined,), headings_only=True, people=False).rows:
        return None
    alone = ((first, *ones), (second, *twos))
    return joined if any(not index.hits(w, people=False).rows for w in alone) else None


def _adjective_bases(text: str, rest: list[str], index: ProgrammeIndex) -> list[str]:
    """In a German question, an inflected adjective as its base form: 'mit freier Software' → 'frei', 'in alten
    Wohnblöcken' → 'alt'. German writes nouns with a capital, so only a word in lower case before one with a
    capital is taken for an adjective before its noun ('Freier' is a noun, 'bauen' at the end a verb)."""
    written = _LETTERS.findall(text)
    lower = {fold(t) for t, after in itertools.pairwise(written) if t[:1].islower() and after[:1].isupper()}
    book = dictionary.current()
    out = []
    for w in rest:
        if w in lower and w not in index.content_words and w not in NOT_TOPIC:  # 'gegen' is no adjective
            for ending in ADJECTIVE_ENDINGS:
                base = w[: -len(ending)]
                known = base in index.content_words or book.english(base)
                if w.endswith(ending) and len(base) >= 3 and base not in NOT_TOPIC and known:
                    w = base
                    break
        out.append(w)
    return out


# German endings after which a compound's first word always takes a linking s ('Wohnungs-bau', 'Arbeits-markt').
_LINKING_S = ("ung", "ion", "heit", "keit", "schaft", "tat", "ling", "tum", "arbeit")


MIN_SENSE_WORD = 4  # letters of a sense's word that says the programme has it ('time' of 'time zone')


def _in_programme(sense: str, index: ProgrammeIndex) -> bool:
    """Whether the programme has a dictionary sense, or any long word of it ('bookmobile': no; 'book bus': yes)."""
    return sense in index.content_words or any(
        len(p) >= MIN_SENSE_WORD and p in index.content_words for p in words(sense)
    )


def _compound_parts(w: str, index: ProgrammeIndex) -> tuple[str, ...]:
    """A compound the programme does not have, as its two known words: 'eroffnungspanel' → 'eroffnung',
    'panel'; 'funkverschlusselung' → 'funk', 'verschlusselung' (German joins words; each part then finds its
    own translations). A word the dictionary has whole stays whole ('datenbanken' is not data banks) unless the
    programme has none of its senses ('bucherbus', a bookmobile, is the programme's 'book bus')."""
    if len(w) < 2 * lx.MIN_COMPOUND_PART - 2 or " " in w or w in KNOWN_WORDS:
        return (w,)
    if any(f in index.content_words for f in (w, w + "s", w + "es")):
        return (w,)  # 'hackathon' where the programme says 'Hackathons' is not 'hacka' + 'thon'
    book = dictionary.current()
    whole = book.senses(w, even_english=True)
    # In any form: 'climaticos' is 'climático', not 'clim' + 'áticos'; but a German sense the programme does not
    # have goes by its parts ('Bücherbus' is a bookmobile, the title says 'the book bus').
    if whole and (book.is_english(w) or any(_in_programme(s, index) for s in whole)):
        return (w,)

    def known(part: str) -> bool:
        return part in KNOWN_WORDS or part in index.content_words or bool(book.senses(part, even_english=True))

    # A known word goes by parts only into words the programme has as written; then a three-letter end is one.
    shortest = 3 if whole else 4
    for cut in range(len(w) - shortest, 3, -1):  # the longest known head first
        head, tail = w[:cut], w[cut:]
        linking = head[:-1].endswith(_LINKING_S)  # 'Dokumentation-s-team' is not 'dokumentation' + 'steam'
        if head.endswith("s") and not linking and (known(head[:-1]) or known(head[:-1] + "e")) and known("s" + tail):
            continue  # 'Schul-straßen', not 'schuls' + 'traßen': the s begins the second word
        # The head with an e added is a word of its own as written ('Schul-essen' → 'schule'), not a form that
        # leads back to the head ('livee' is no word: 'Livestream' is not 'livee' + 'stream').
        heads = [
            h
            for h in (head, head + "e")
            if (len(h) >= lx.MIN_COMPOUND_PART or book.english(h, even_english=True))
            and (h == head or h in KNOWN_WORDS or h in index.content_words or book.english(h, even_english=True))
            and known(h)
        ]
        if not heads:  # 'Schul-essen': the head of a compound may drop its final e
            continue
        for rest in (tail, tail[1:] if tail[0] in "s-" else ""):  # 'Eröffnung-s-panel'
            if whole and rest not in index.content_words:
                continue
            if len(rest) >= shortest and known(rest) and rest not in NOT_TOPIC:
                return heads[0], rest
    return (w,)


def _after_topic_word(tokens: tuple[str, ...]) -> frozenset[str]:
    """The words after 'about'/'über'/'sobre'/'sur'/'su': what the question is about, not who speaks."""
    for i, w in enumerate(tokens):
        if w in lx.ABOUT:
            return frozenset(tokens[i + 1 :])
    return frozenset()


def _after_an_article(tokens: tuple[str, ...], language: str) -> frozenset[str]:
    """Words right after 'a'/'ein'/'une'/'un': a thing, not a speaker ('a butler who can carry my suitcase' is
    not Ms Butler). The Spanish and Italian 'a' is 'to' and comes before people ('escuchar a Butler')."""
    articles = lx.INDEFINITE_ARTICLES if language == "en" else lx.INDEFINITE_ARTICLES - {"a", "an"}
    return frozenset(tokens[i + 1] for i in range(len(tokens) - 1) if tokens[i] in articles)


def _typo_of_a_name(w: str, index: ProgrammeIndex, cue: bool) -> str | None:
    """The speaker's name word `w` misspells; only a long word that is no word of the programme's own text
    ('games' is not Gomes, 'large' is not Lange), longer still without 'who'/'by' ('rolling' is not Röhling)."""
    if len(w) < (MIN_NAME_TYPO if cue else MIN_NAME_TYPO_ALONE) or w in NOT_TOPIC or w in KNOWN_WORDS:
        return None
    if w in index.content_words or dictionary.current().english(w):
        return None  # a word of the sessions' text or of a dictionary: 'Schlaf' is not Ms Schlaff
    return index.person_token(w)


def _people(
    rest: list[str], index: ProgrammeIndex, cue: bool, topical: frozenset[str] = frozenset()
) -> tuple[tuple[str, ...], set[str]]:
    """Speakers the question names: a full name, two of its words, or a rare surname (typos allowed) after
    'by'/'who' or as all the question says ('Eggertson?'). After 'about' only names as written count, and a
    word of the sessions' text there is their topic ('talks about green' is not about Ms Green)."""
    matched: dict[str, set[str]] = {}
    token_of: dict[str, str] = {}
    for w in dict.fromkeys(rest):
        if w in lx.STOPWORDS or (w in lx.EVERYDAY and not cue) or len(w) < 2 or w.isdigit():
            continue
        if w in topical and (w not in index.people_by_token or w in index.content_words):
            continue
        if w in lx.ADDRESS and not cue:
            continue  # 'which street is the venue on?' is not about Ms Street
        # Question words are never a speaker's name misspelt ('parla' is not 'Paula').
        token = w if w in index.people_by_token else _typo_of_a_name(w, index, cue)
        if token is not None:
            token_of[w] = token
            for pid in index.people_by_token[token]:
                matched.setdefault(pid, set()).add(w)
    said = {w for w in rest if w not in NOT_TOPIC and w not in lx.SOFT and w not in index.context_words}
    confident: dict[str, set[str]] = {}
    for pid, found in matched.items():
        name = index.person_tokens[pid]
        exact = next((w for w in found if w in name), "")
        full = len(found) >= len(name)
        several = len(found) >= 2 or (full and len(name) >= 2)
        # A one-word name ('jinxx') that is no topic word, or any full name after 'who'/'by'.
        # ('Any ray of sunshine forecast?' is weather talk, not the speaker Ray.)
        weather = bool((said - found) & lx.EVERYDAY)
        whole = full and (cue or (exact and exact not in index.content_words and len(name[0]) >= 3 and not weather))
        rare = any(len(token_of[w]) >= 4 and len(index.people_by_token[token_of[w]]) <= 2 for w in found)
        # ('Janson' alone is a room, not the speaker Jeanson.)
        alone = said <= found and not found & index.content_words and not any(index.room_matches(w) for w in found)
        surname = rare and (cue or alone)
        if several or whole or surname:
            confident[pid] = found
    if not confident:
        return (), set()
    best = max(len(f) for f in confident.values())
    chosen = {pid: f for pid, f in confident.items() if len(f) == best}
    fully = {pid: f for pid, f in chosen.items() if len(f) >= len(index.person_tokens[pid])}
    chosen = fully or chosen
    used = set().union(*chosen.values())
    return tuple(chosen), used


def _room_phrase(rest: list[str], index: ProgrammeIndex, cue: bool) -> tuple[tuple[str, ...], set[str]] | None:
    joined = f" {' '.join(rest)} "
    for phrase, room_id in sorted(index.room_phrases.items(), key=lambda kv: -len(kv[0])):
        if len(phrase) >= 4 and f" {phrase} " in joined and (cue or " " in phrase):
            return (room_id,), set(phrase.split())
    return None


def _rooms(rest: list[str], index: ProgrammeIndex, cue: bool) -> tuple[tuple[str, ...], set[str]]:
    found: dict[str, set[str]] = {}
    for w in dict.fromkeys(rest):
        if w in NOT_TOPIC or len(w) < 3:
            continue
        if not cue and (w in index.content_words or w in lx.SESSION_WORDS):
            # 'future' is a topic unless the question says 'in Future'; 'l'atelier de compostage' is a workshop,
            # not the Repair Atelier
            continue
        # After 'in'/'at', a shorter word that is no programme word may be a room misspelt ('Saal Glich'); with
        # no word for a place, only a room's own word names it ('Studis' is students, not the Juniper Studio).
        unknown = w not in index.vocabulary and w not in index.content_words
        shortest = (5 if unknown else 6) if cue else MAX_TOKEN_CHARS + 1
        for room_id in index.room_matches(w, shortest):
            found.setdefault(room_id, set()).add(w)
    if not found:
        return (), set()
    best = max(len(f) for f in found.values())
    chosen = [rid for rid, f in found.items() if len(f) == best]
    return tuple(chosen), set().union(*found.values())
