"""Ranked full-text search: every topic word is looked up (with its translations and, failing that, the
nearest programme word for a typo); sessions are ranked by how much of the question they cover, then by bm25."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from bot.answer import dictionary
from bot.answer import lexicon as lx
from bot.answer.concepts import BROADER, CONCEPTS
from bot.answer.index import Hits, ProgrammeIndex
from bot.answer.text import fold, other_forms, words

# A session must cover this share of the question's topic (weighted by rarity) to be offered at all.
MIN_COVERAGE = 0.5
# Sessions covering much less than the best one are dropped: they match a side word only.
RELATIVE_COVERAGE = 0.6
SOFT_WEIGHT = 0.3
# A long question keeps its rarest words: 'Open' and 'Source' say little in a FOSDEM title.
MAX_RANKED_TERMS = 6
COMMON_SHARE = 0.15
# Ranked by relevance, a passing mention far below the best match is noise ('closing' in a description).
SCORE_FLOOR = 0.2
# A session that has a question word only as a related form ('opening' for 'open') covers it this much.
DERIVED_SHARE = 0.5
BODY_ONLY_SHARE = 0.5
# Which session answers best: a word only in its abstract counts for less than one in its title or track (the
# talk titled with video, streaming and users before the one whose abstract has rarer words of the question).
BODY_COVERAGE = 0.7
# Question words in the best session's title for it alone to answer, when no other has as many there.
MIN_HEADED = 2
MIN_PREFIX = 4  # letters of a form that may begin a title's word


@dataclass(frozen=True)
class Ranked:
    rows: tuple[int, ...]  # best first
    unmatched: tuple[str, ...]  # topic words nothing in the programme matched
    clear: bool  # the first row is clearly the best
    strong: bool = False  # the first row names a topic word in a heading, not only in its description


@cache
def _concepts() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for group in CONCEPTS:
        for w in group:  # a word of two groups has both ('comida' is lunch, and food)
            table[w] = tuple(dict.fromkeys((*table.get(w, ()), *group)))
    return table


@lru_cache(maxsize=8192)
def expand(word: str) -> tuple[str, ...]:
    """The word and its translations; a long compound ('Sicherheitsvorträge') also by its known first part."""
    table = _concepts()
    found = [word, *table.get(word, next((table[f] for f in other_forms(word) if f in table), ()))]
    if word.isascii() and word.isdigit() and (spelled := _spelled(int(word))):
        found.append(spelled)  # 'le droit de vote à 16 ans': the programme writes 'votes at sixteen'
    if len(found) == 1 and len(word) >= 2 * lx.MIN_COMPOUND_PART:
        for key, group in table.items():
            if len(key) >= lx.MIN_COMPOUND_PART and " " not in key and word.startswith(key):
                found += group
                break
    return tuple(dict.fromkeys(found))


_UNITS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


@cache
def _broader(word: str) -> str | None:
    """The broader topic of the word's group ('Busse' → mobility), if the groups name one."""
    table = _concepts()
    group = table.get(word, next((table[f] for f in other_forms(word) if f in table), ()))
    return next((BROADER[w] for w in group if w in BROADER), None)


def _spelled(n: int) -> str:
    """A number below a hundred in English words, as titles write ages and counts ('eighty', 'sixty five':
    the index reads 'sixty-five' as two words)."""
    if n < len(_UNITS):
        return _UNITS[n]
    if n >= 100:
        return ""
    tens, units = _TENS[n // 10 - 2], n % 10
    return tens if not units else f"{tens} {_UNITS[units]}"


class Memo(dict[tuple[str, bool], "Hits"]):
    """One answer's lookups (a word is searched once however often it is ranked), and what the question is: in
    another language than English (then a word that is also English, 'Wand', is translated when the programme
    lacks it), which one, and whether its unknown words only lower confidence (`lenient`, set by the engine)."""

    def __init__(self, foreign: bool = False, language: str | None = None) -> None:
        super().__init__()
        self.foreign = foreign
        self.language = language  # the question's, when it is clearly one of the bot's others
        self.lenient = False  # words nothing matches weigh half: the question asks for a session and says so
        self.practical = False  # 'where can I buy gold?': about the asker's errand, so no word is a speaker's
        self.people_asked = True  # 'who', 'by', 'talks': an English word may be a surname ('Crane')


def term_hits(index: ProgrammeIndex, word: str, headings_only: bool = False, memo: Memo | None = None) -> Hits:
    """Sessions matching a word, its translations, or else the programme word its typo most likely meant."""
    key = (word, headings_only)
    if memo is not None and key in memo:
        return memo[key]
    # 'rain' in a question is the weather, not the speaker Lea Rain; 'change' is not Mr Chang, though Porter
    # stems both to 'chang'.
    people = word not in lx.EVERYDAY and not index.stems_to_a_name(word) and not (memo is not None and memo.practical)
    if (
        people
        and memo is not None
        and not memo.people_asked
        and word in index.people_by_token
        and dictionary.current().is_english(word)
    ):
        people = False  # 'that big crane next to the brewery' is no question about the speaker Ada Crane
    hits = index.hits(expand(word), headings_only=headings_only, people=people)
    if not hits.rows and (phrase := index.joined.get(word)):
        hits = replace(index.hits((phrase,), headings_only=headings_only, people=False), term=word)
    written = bool(hits.rows)
    if not hits.rows and not headings_only and (corrected := index.correct(word)):
        hits = index.hits(expand(corrected), people=people)
    if not hits.rows and not headings_only and (stem := _uninflected(word)):
        hits = index.hits(expand(stem), people=people)
    foreign = memo is not None and memo.foreign
    language = memo.language if memo is not None else None
    # In a question in another language, a word the programme has only by an English stem ('ältere' → 'alter',
    # as in 'alternative'), or by a typo's or an ending's guess, is read through the dictionary first.
    stemmed = hits if foreign and hits.rows and written and not hits.literal and len(expand(word)) == 1 else None
    # A typo's or an ending's guess ('porti' → port) stands beside the dictionary's reading ('ältere' → older).
    guess = hits if foreign and hits.rows and not written else None
    if stemmed is not None or guess is not None:
        hits = replace(hits, rows={})
    if not hits.rows and not headings_only and (english := translated(word, foreign, language)):
        # 'Hitzewellen', 'Sauerteig': a word of another language the topic groups do not know, in English. A
        # dictionary gives the lemma ('insulation', 'roof'), so each is matched like a question's own word, by
        # its stem too ('insulating', 'roofs'), unlike the topic groups' hand-listed forms.
        found = [index.hits((index.joined.get(e, e), *_irregular_plurals(e)), people=False) for e in english]
        if not any(h.rows for h in found):
            # The question's language first ('donne' is Italian women); when its senses find nothing, another
            # language's do ('zones' is French 'zone', which the programme lacks; the English 'zones' area).
            others = [e for e in translated(word, foreign) if e not in english] if language is not None else []
            found += [index.hits((index.joined.get(e, e),), people=False) for e in others]
            english = (*english, *others)
        if not any(h.head for h in found):
            # 'Ostsee': 'Baltic Sea' is no phrase of the programme, 'Baltic' is; a part matches as a related form.
            # So it does beside a phrase only an abstract has: 'Gemeinderat' is 'local council', and the title
            # says 'the council meeting'.
            parts = dict.fromkeys(_parts(english))
            found += [replace(h, literal=frozenset()) for h in (index.hits((p,), people=False) for p in parts)]
        hits = _any_of(word, found)
        if not hits.rows and (near := _near(index, english)):
            # 'nocturnos' is 'nocturnal', the programme says 'Night markets': WordNet's close words it has.
            hits = replace(_any_of(word, [index.hits((w,), people=False) for w in near]), literal=frozenset())
        if not hits.rows:
            # Last, the base form's senses: 'caballos' has an entry of its own (horsepower), 'caballo' is a horse.
            based = dict.fromkeys(e for f in other_forms(word) for e in translated(f, foreign, language))
            hits = _any_of(
                word, [index.hits((index.joined.get(e, e),), people=False) for e in based if e not in english]
            )
    if not hits.rows and not headings_only and foreign and (prefixed := _prefixed(index, word, language)):
        # 'surtourisme', 'sobreturismo': over + tourism, the programme's 'Overtourism'.
        hits = replace(index.hits(expand(prefixed), people=False), term=word)
    if hits.rows and not headings_only and foreign and (cognate := _cognate(index, word, exact=True)):
        # 'compostaggio', 'partecipativo': the English word of the same Latin root, when the programme has it;
        # beside a dictionary's sense, which may be another ('compostage' is also stamping a ticket).
        hits = _any_of(word, [hits, replace(index.hits(expand(cognate), people=False), literal=frozenset())])
    elif not hits.rows and not headings_only and foreign and (cognate := _cognate(index, word)):
        hits = replace(index.hits(expand(cognate), people=False), term=word, literal=frozenset())
    if not hits.rows and stemmed is not None:
        hits = stemmed
    if not hits.head and not headings_only and (broader := _broader(word)):
        # No title names buses or bikes: one about urban mobility is the nearest answer, as a related form.
        titled = index.hits(expand(broader), headings_only=True, people=False)
        if titled.rows:
            hits = _any_of(word, [hits, replace(titled, literal=frozenset())])
    if guess is not None:
        hits = _any_of(word, [hits, replace(guess, literal=frozenset())]) if hits.rows else guess
    if memo is not None:
        memo[key] = hits
    return hits


# English endings and the Italian, Spanish, French and German endings of the same Latin root, longest first.
_COGNATES = (
    ("tions", "ciones zioni"),
    ("tion", "zione cion tion"),
    ("ing", "aggio age ieren"),
    ("atory", "ativos ativo ativa ativi atif"),
    ("ative", "ativo ativa atif ative"),
    ("ity", "idad itat ita ite"),
    ("ical", "icos ico ica ici iche ique ische isch"),
    ("ic", "ico ique isch"),
    ("al", "ales ale ali el"),
    ("ous", "osos oso osa eux euse"),
    ("ary", "ario aria aire"),
    ("ory", "orio oire"),
    ("ism", "ismo isme ismus"),
    ("ist", "ista iste"),
    ("ence", "encia enza enz"),
    ("ance", "ancia anza anz"),
)
COGNATE_ENDINGS = tuple((foreign, english) for english, endings in _COGNATES for foreign in endings.split())
MIN_COGNATE = 6  # letters: shorter words share endings by chance


def _cognate(index: ProgrammeIndex, word: str, exact: bool = False) -> str | None:
    """The programme word that is `word`'s English cognate: its ending swapped for the English one and any
    remaining letter difference within a typo ('partecipativo' → 'partecipatory' → 'participatory'); `exact`:
    without the typo ('compostage' → composting)."""
    if len(word) < MIN_COGNATE:
        return None
    for base in (word, *other_forms(word)):
        for ending, english in COGNATE_ENDINGS:
            if base.endswith(ending) and len(base) - len(ending) >= 4:
                candidate = base[: -len(ending)] + english
                if candidate in index.content_words:
                    return candidate
                if not exact and (near := index.correct(candidate)) is not None:
                    return near
    return None


# Prefixes of the other languages and their English ('sur-tourisme' is over-tourism, 'sous-financement' under-).
_PREFIXES = (
    ("sur", "over"),
    ("sobre", "over"),
    ("sovra", "over"),
    ("uber", "over"),
    ("sous", "under"),
    ("sotto", "under"),
    ("unter", "under"),
)


def _prefixed(index: ProgrammeIndex, word: str, language: str | None) -> str | None:
    """The programme word that is `word` with its prefix and the rest in English: 'surtourisme' → overtourism,
    'sobrecalentamiento' → overheating (when the dictionary knows the rest)."""
    for prefix, english in _PREFIXES:
        rest = word[len(prefix) :]
        if not word.startswith(prefix) or len(rest) < 4:
            continue
        for part in dict.fromkeys((rest, *other_forms(rest), *translated(rest, True, language))):
            joined = english + part.replace(" ", "")
            if any(form in index.content_words for form in (joined, joined + "s")):
                return joined
    return None


_EVENT_WORDS = lx.ROOM_WORDS | lx.SESSION_WORDS | lx.FORMATS


def _parts(english: tuple[str, ...]) -> list[str]:
    """The words of a word's first several-word sense and of the senses sharing one with it ('makeshift bed',
    'makeshift beds'): a later sense's part drifts ('Garderobe': dressing room, cloakroom … coat check), and a
    word of the event itself ('dressing room' → room) names no topic."""
    several = [e.split() for e in english if " " in e]
    first = {p for p in several[0] if len(p) >= 4} if several else set()
    return [
        p
        for sense in several
        if first & set(sense)
        for p in sense
        if len(p) >= 4 and p not in lx.STOPWORDS and p not in _EVENT_WORDS
    ]


def _near(index: ProgrammeIndex, english: tuple[str, ...]) -> tuple[str, ...]:
    """The programme's words close to any of these English words (WordNet, through the dictionary file)."""
    book = dictionary.current()
    near = (w for e in english if " " not in e for w in book.related(e))
    words_there = index.content_words
    return tuple(dict.fromkeys(w for w in near if w in words_there or f"{w}s" in words_there))


def _any_of(word: str, found: list[Hits]) -> Hits:
    """Sessions matching any of several words' hits, each at its best relevance."""
    rows: dict[int, float] = {}
    for hits in found:
        for row, relevance in hits.rows.items():
            rows[row] = max(relevance, rows.get(row, relevance))
    head = frozenset().union(*(h.head for h in found))
    literal = frozenset().union(*(h.literal for h in found))
    return Hits(word, rows, head, literal)


def translated(word: str, foreign: bool = False, lang: str | None = None) -> tuple[str, ...]:
    """The English of a German, Spanish, French or Italian word from the dictionary ('heat-wave' also as
    'heatwave' and 'heat wave'); nothing for a word of the topic groups or one the dictionary lacks."""
    if " " in word or word.isdigit() or len(word) < 4:
        return ()
    book = dictionary.current()
    senses = book.senses(word, foreign, lang)
    found: list[str] = []
    for sense in senses:
        folded = " ".join(words(fold(sense)))
        found += [folded, sense.replace("-", "").lower()] if "-" in sense else [folded]
    return tuple(dict.fromkeys(f for f in found if f and f != word))


# English plurals no stem joins to their singular: a dictionary gives 'thief' for 'ladri', the title says 'Water
# thieves' (Porter stems them 'thief' and 'thiev').
_IRREGULAR_PLURALS = {
    "man": "men",
    "woman": "women",
    "child": "children",
    "mouse": "mice",
    "goose": "geese",
    "tooth": "teeth",
    "foot": "feet",
    **{
        w: w.removesuffix("fe").removesuffix("f") + "ves"
        for w in ["thief", "leaf", "wolf", "knife", "life", "wife", "shelf", "half", "loaf", "calf"]
    },
}


def _irregular_plurals(english: str) -> tuple[str, ...]:
    """'thief' → 'thieves', 'child' → 'children': the plural as a title may write it."""
    plural = _IRREGULAR_PLURALS.get(english)
    return (plural,) if plural else ()


def _uninflected(word: str) -> str | None:
    """'urbanen' → 'urban': the word without an inflection ending, when enough of it is left to search."""
    for ending in lx.INFLECTION_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= lx.MIN_COMPOUND_PART:
            return word[: -len(ending)]
    return None


def _informative(index: ProgrammeIndex, hard: list[str]) -> list[str]:
    """At most MAX_RANKED_TERMS words, the rarest first; common words go when rarer ones are left."""
    if len(hard) <= 2:
        return hard
    common = COMMON_SHARE * len(index.sessions)
    rare = [w for w in hard if index.word_df.get(w, 0) <= common] or hard
    if len(rare) < 2:
        rare = sorted(hard, key=lambda w: index.word_df.get(w, 0))[:2]
    keep = set(sorted(rare, key=lambda w: index.word_df.get(w, 0))[:MAX_RANKED_TERMS])
    return [w for w in hard if w in keep]


def _only_beside_a_person(index: ProgrammeIndex, row: int, forms: set[str]) -> bool:
    """Whether a session has none of these words (or phrases) in its own text, only in a speaker's name or role."""
    own, text = index.own_text(row)
    return not forms & own and not any(f" {f} " in text for f in forms if " " in f)


def _in_title(forms: tuple[str, ...], title: frozenset[str]) -> bool:
    """Whether a title has one of the forms, or a word it begins ('roof' in 'Rooftop farms')."""
    return any(f in title or (len(f) >= MIN_PREFIX and any(t.startswith(f) for t in title)) for f in forms)


def _said(word: str, memo: Memo | None) -> set[str]:
    """A question word as the programme may write it: its group, translations, other forms and plurals."""
    english = translated(word, memo.foreign, memo.language) if memo is not None else ()
    said = {*expand(word), *english, *other_forms(word)}
    return {*said, *(f"{w}s" for w in said)}


def rank(
    index: ProgrammeIndex,
    hard: Collection[str],
    soft: Collection[str] = (),
    allowed: Collection[int] | None = None,
    chronological: bool = False,
    memo: Memo | None = None,
) -> Ranked:
    """Sessions answering the topic words, best first; `allowed` limits them (a day, a room, a time).

    `chronological` orders sessions that cover the question equally by time rather than by relevance.
    """
    hard = _informative(index, list(dict.fromkeys(hard)))
    per_term = [term_hits(index, w, memo=memo) for w in hard]
    # Whether a session answers enough of the question weighs words by rarity (idf); which one answers it
    # best weighs them by idf squared, so the one word only one session has ('Fnord') outranks two common ones.
    idfs = [index.idf(h.df) for h in per_term]
    total = sum(idfs) or 1.0
    # A word only abstracts have ('montar' → 'perform', in one) says less about what is asked than one a title
    # has: a session that lacks it misses only half of its weight. A word nothing has counts in full, unless the
    # question asks for a session and the reply says it was left out (`memo.lenient`).
    lenient = memo is not None and memo.lenient
    weak = [(bool(h.rows) or lenient) and not h.head for h in per_term]
    slack = [idf * (1 - BODY_ONLY_SHARE) if w else 0.0 for w, idf in zip(weak, idfs, strict=True)]
    total_sq = sum(w * w for w in idfs) or 1.0
    reach: dict[int, float] = {}  # the share of the question a session matches at all (summed, then shared)
    coverage: dict[int, float] = {}  # its share by idf squared, a word present only as a related form halved
    score: dict[int, float] = {}
    spared: dict[int, float] = {}  # the slack of the words a session has, which it does not miss
    for hits, idf, spare in zip(per_term, idfs, slack, strict=True):
        for row, relevance in hits.rows.items():
            if allowed is not None and row not in allowed:
                continue
            reach[row] = reach.get(row, 0.0) + idf
            spared[row] = spared.get(row, 0.0) + spare
            share = idf * idf / total_sq * (1.0 if row in hits.head else BODY_COVERAGE)
            coverage[row] = coverage.get(row, 0.0) + (share if row in hits.literal else share * DERIVED_SHARE)
            score[row] = score.get(row, 0.0) + relevance
    unmatched = tuple(w for w, h in zip(hard, per_term, strict=True) if not h.rows)
    missing_slack = sum(slack)
    reach = {row: got / max(total - missing_slack + spared[row], 1e-9) for row, got in reach.items()}
    if not coverage or max(reach.values()) < MIN_COVERAGE - 1e-9:
        return Ranked((), unmatched, False)
    best = max(coverage.values())
    kept = [row for row, c in coverage.items() if c >= best * RELATIVE_COVERAGE - 1e-9]
    for w in soft:
        for row, relevance in term_hits(index, w, memo=memo).rows.items():
            if row in score:
                score[row] += SOFT_WEIGHT * relevance
    sessions = index.sessions
    if chronological:
        # In time order, sessions that name the words in a heading still come before passing mentions.
        head = set().union(*(h.head for h in per_term))
        kept.sort(key=lambda r: (-round(coverage[r], 6), r not in head, sessions[r].start, r))
        clear = len(kept) == 1 or coverage[kept[0]] > coverage[kept[1]] + 1e-9
    else:
        kept.sort(key=lambda r: (-round(coverage[r], 6), -round(score[r], 3), sessions[r].start, r))
        kept = [r for r in kept if score[r] >= SCORE_FLOOR * score[kept[0]]]
        clear = len(kept) == 1 or (
            coverage[kept[0]] > coverage[kept[1]] + 1e-9 or score[kept[0]] >= 1.5 * score[kept[1]]
        )
    if len(per_term) >= 2 and all(kept[0] in h.head for h in per_term):
        # The best names every word in its title or track: sessions that do not are passing mentions of some
        # ('der Vortrag über Schulessen' is the school-meals talk, not the one on childhood obesity).
        titled = [r for r in kept if all(r in h.head for h in per_term)]
        # A speaker's role naming the words ('Green bond manager') heads each of their sessions: when the best
        # has them in its title, sessions that have them only beside a person go too.
        forms = [{*expand(w), *other_forms(w)} for w in hard]
        if len(titled) > 1 and all(f & index.title_words(kept[0]) for f in forms):
            titled = [r for r in titled if all(f & index.title_words(r) for f in forms)]
        clear = clear or len(titled) == 1
        kept = titled
    elif len(per_term) == 1 and not chronological and len(kept) > 1:
        # One word: a session that has it only in a speaker's role ('Community cinema programmer') is no
        # answer beside one titled with it; passing mentions in an abstract still are.
        named = _said(hard[0], memo)
        if named & index.title_words(kept[0]):
            kept = [r for r in kept if not _only_beside_a_person(index, r, named)]
            clear = clear or len(kept) == 1
    if len(per_term) >= 2 and len(kept) > 1:
        # A session matching only some of the words the best one matches is a lesser answer to the same
        # question ('OpenWrt Birthday Party' beside 'Building OpenWrt for Resource-Constrained Hardware').
        has = {r: frozenset(i for i, h in enumerate(per_term) if r in h.rows) for r in kept}
        top = kept[0]

        def lesser(r: int) -> bool:
            """Fewer words than the best, and none in a heading where the best has it only in its text."""
            if not has[r] < has[top]:
                return False
            headed = {i for i in has[top] if top in per_term[i].head}
            return has[top] - has[r] <= headed and {i for i in has[r] if r in per_term[i].head} <= headed

        kept = [r for r in kept if not lesser(r)]
        clear = clear or len(kept) == 1
    if len(per_term) >= 2 and len(kept) > 1 and not chronological:
        # The best names at least two of the words in its title and every other session fewer: those share a
        # side word ('Fireworks without fire' beside 'Fireworks over the harbour: barges and frightened animals').
        heads = {r: frozenset(i for i, h in enumerate(per_term) if r in h.head) for r in kept}
        headed = {r: len(heads[r]) for r in kept}
        most = max(kept, key=lambda r: headed[r])
        if (
            headed[most] >= MIN_HEADED
            and all(headed[most] > headed[r] for r in kept if r != most)
            and heads[kept[0]] <= heads[most]
        ):
            # Also when another ranks first by its abstract ('Council meetings in sign language' has 'live
            # stream' in its text, 'Streaming the council meeting' names both in its title).
            kept, clear = [most], True
        else:
            # The same by the title alone: a track ('Neighbourhood democracy') heads every session in it.
            said = [tuple(f for f in _said(w, memo) if " " not in f) for w in hard]
            in_title = {r: sum(_in_title(forms, index.title_words(r)) for forms in said) for r in kept}
            if in_title[kept[0]] >= MIN_HEADED and all(in_title[kept[0]] > in_title[r] for r in kept[1:]):
                kept, clear = kept[:1], True
    asked = {*expand(hard[0]), *other_forms(hard[0])} if len(hard) == 1 and len(kept) > 1 else set()
    if asked & lx.CEREMONIES and any(asked & index.label(r) for r in kept):
        # 'la clausura' is the session labelled 'Closing:', not 'Solar installers: closing the skills gap': the
        # event's moment heads a title; mid-title it is another sense of the word, and so is a first word when
        # another title sets the moment apart ('Opening: a city …', not 'Opening school gyms after hours').
        written = any(asked & index.label(r, written=True) for r in kept)

        def moment(r: int) -> bool:  # 'Inaugural session of …' is one without a colon
            return bool(
                asked & index.label(r, written) or (asked & index.label(r) and index.title_words(r) & lx.SESSION_WORDS)
            )

        kept = [r for r in kept if moment(r) or not asked & index.title_words(r)]
        # The word as asked before its group's others: 'the inaugural session' is 'Inaugural session of …', not
        # the next day's 'Opening session'.
        own = {hard[0], *other_forms(hard[0])}
        # and its cognate in the group ('la inauguración' is the 'Inaugural session', too).
        own |= {
            w
            for w in asked
            if " " not in w and len(hard[0]) >= MIN_COGNATE and w[:MIN_COGNATE] == hard[0][:MIN_COGNATE]
        }
        kept = [r for r in kept if own & index.label(r)] or kept
    strong = any(kept[0] in h.head for h in per_term)
    return Ranked(tuple(kept), unmatched, clear, strong)
