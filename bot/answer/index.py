"""Everything the answer engine looks up in one programme, built once per Programme object.

Sessions go into an in-memory SQLite FTS5 table (ranked full-text search, English stemming, accents folded);
speaker names, room names and the title vocabulary go into plain dicts for exact and fuzzy lookups.
This SQL stays here rather than in bot/storage: the table is a search structure rebuilt from the programme
in memory, never stored data.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
import threading
from bisect import bisect_left
from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.answer import lexicon as lx
from bot.answer.literal import LiteralWords
from bot.answer.text import MAX_TOKEN_CHARS, fold, words
from bot.programme.memo import per_programme
from bot.programme.model import Programme, Session

logger = logging.getLogger(__name__)

# Column order of the FTS table and the weight bm25() gives each: a word in a title counts most.
COLUMNS = ("title", "subtitle", "people", "track", "kind", "room", "body")
WEIGHTS = (10.0, 5.0, 8.0, 3.0, 2.0, 1.0, 1.0)
HEAD_COLUMNS = ("title", "subtitle", "people", "track", "kind")
HEAD_BOOST = 2.0
# Room words too common to name one room by themselves.
ROOM_GENERIC = lx.SOFT | frozenset({"de", "la", "the", "and", "y", "et", "und", "e", "of", "del", "di", "am", "im"})
# A phrase never spans a comma or a semicolon ('school meals' is not the track 'Schools, Meals and Buildings', nor
# two speakers): each becomes a word no question has.
_LIST_BREAK = re.compile(r"\s*[,;]\s*")
BREAK = " qqbreakqq "
# Search results kept per index, counted in sessions found (about 100 bytes each): at most a few megabytes.
FOUND_ROWS = 50_000
COGNATE = 80  # rapidfuzz ratio of a translation that is the asked word's own cognate
OTHER_TRANSLATION = 0.6  # weight of a group's other words when the asked word has a cognate in it
MIN_TITLE_PART = 3  # words a title's part before or after its colon needs to name the session alone
# A title part made of these alone ('Haecksenkarte - what's next?') names nothing.
_QUESTION_WORDS = lx.STOPWORDS | lx.NOW | lx.NEXT | lx.WHEN | lx.WHERE | lx.WHO
# 'co-operative' in a programme, for a question's 'cooperative'.
_HYPHENATED = re.compile(r"([^\W\d_]{2,})-([^\W\d_]{2,})\b")
_TITLE_PARTS = re.compile(r":|\s[-–—]\s")  # 'Keynote: …', 'Netzgrafik-Editor - a human-centric …'


def _label(title: str, written: bool = False) -> frozenset[str]:
    """'Closing: what Tallinn takes home' → {'closing'}: a title's first part of one or two words, or else its
    first word ('Inaugural session of the Climate Week'); `written`: only a label the title sets apart."""
    parts = _TITLE_PARTS.split(title, maxsplit=1)
    label = words(fold(parts[0]))
    if len(parts) > 1 and len(label) <= 2:
        return frozenset(label)
    return frozenset() if written else frozenset(label[:1])


@dataclass(frozen=True)
class Hits:
    """Sessions matching one search term: row → bm25 relevance (higher is better)."""

    term: str
    rows: dict[int, float]
    head: frozenset[int] = frozenset()  # rows matching in a heading (title, people, track …), not only the body
    literal: frozenset[int] = frozenset()  # rows with the word as written, not only a word of the same stem

    @property
    def df(self) -> int:
        return len(self.rows)


class ProgrammeIndex:
    """Search structures over one programme; read-only after construction."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.sessions: tuple[Session, ...] = programme.sessions
        self.row_of = {s.id: i for i, s in enumerate(self.sessions)}
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        # A crowd asks about the same few topics ('rust', 'keynote', 'lunch'): what a full-text search found is
        # kept (least recently used out first, by the rows it holds) rather than searched again per delegate.
        self._found: OrderedDict[tuple[tuple[str, ...], bool, bool], Hits] = OrderedDict()
        self._found_rows = 0
        self._own_text: dict[int, tuple[frozenset[str], str]] = {}
        self._db.execute(
            f"CREATE VIRTUAL TABLE fts USING fts5({', '.join(COLUMNS)}, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        columns = [self._columns(s) for s in self.sessions]
        self._db.executemany(
            f"INSERT INTO fts (rowid, {', '.join(COLUMNS)}) VALUES (?, {', '.join('?' * len(COLUMNS))})",
            [(i, *cols) for i, cols in enumerate(columns)],
        )
        heads = [COLUMNS.index(c) for c in HEAD_COLUMNS]
        self.literal = LiteralWords((" ".join(cols), " ".join(cols[i] for i in heads)) for cols in columns)
        self.word_df = self.literal.df()  # in how many sessions a (folded, unstemmed) word appears
        self._build_titles()
        all_weights = ", ".join(map(str, WEIGHTS))
        heading_weights = ", ".join(str(w if c in HEAD_COLUMNS else 0.0) for c, w in zip(COLUMNS, WEIGHTS, strict=True))
        self._sql = f"SELECT rowid, bm25(fts, {all_weights}), bm25(fts, {heading_weights}) FROM fts WHERE fts MATCH ?"
        self._build_vocabulary()
        self._build_people()
        self._build_rooms()
        self.context_words = frozenset(
            w
            for text in (programme.name, programme.acronym, programme.venue.name, programme.venue.address)
            for w in words(fold(text))
        )

    def _columns(self, s: Session) -> tuple[str, ...]:
        people = " ; ".join(" ".join((sp.name, sp.role, sp.organisation)) for sp in self.programme.speakers_of(s))
        room = self.programme.room(s.room_id).name
        # The status is searchable too: 'which talks are cancelled?', 'is the panel confirmed?'.
        kind = f"{s.type} {s.status.value}"
        return tuple(
            _LIST_BREAK.sub(BREAK, fold(v)) for v in (s.title, s.subtitle, people, s.track, kind, room, s.description)
        )

    def _build_vocabulary(self) -> None:
        """Words a typo may be corrected to: those of titles, subtitles, tracks, types and rooms."""
        vocab: set[str] = set()
        content: set[str] = set()
        joined: dict[str, str] = {}
        for s in self.sessions:
            for text in (s.title, s.subtitle, s.track, s.type, s.description):
                folded = fold(text)
                content.update(words(folded))
                joined.update((a + b, f"{a} {b}") for a, b in _HYPHENATED.findall(folded))
            for text in (s.title, s.subtitle, s.track, s.type, self.programme.room(s.room_id).name):
                vocab.update(w for w in words(fold(text)) if 4 <= len(w) <= MAX_TOKEN_CHARS)
        # By first letter and length: a typo's candidates are looked up, not filtered out of every word.
        by_start: dict[tuple[str, int], list[str]] = defaultdict(list)
        for w in sorted(vocab):
            by_start[w[0], len(w)].append(w)
        self._vocab_by_start = dict(by_start)
        self.vocabulary = frozenset(vocab)
        self.content_words = frozenset(content)  # every word of the sessions' own text (not people or rooms)
        # 'cooperative', 'coworking', 'selfhosting' in a question are the programme's 'co-operative', 'co-working'
        # and 'self-hosting': looked up as the phrase only when the word itself is nowhere, so costing nothing else.
        self.joined = {w: phrase for w, phrase in joined.items() if w not in content}

    def _build_titles(self) -> None:
        # Each title's words, filed under its rarest word: a question holding a whole title finds it by any
        # of its own words without reading every title. A title's part before or after a colon counts as a
        # title too when it has three words or more ('Night buses and shift workers: planning with …').
        self._titles_by_word: dict[str, list[tuple[int, frozenset[str]]]] = defaultdict(list)
        self._title_words: list[frozenset[str]] = [frozenset(words(fold(s.title))) for s in self.sessions]
        # A title's label: its short part before a colon ('Closing: what …'), else its first word.
        self._labels = [_label(s.title) for s in self.sessions]
        self._written_labels = [_label(s.title, written=True) for s in self.sessions]
        self._title_df: dict[str, int] = defaultdict(int)
        for title_words in self._title_words:
            for w in title_words:
                self._title_df[w] += 1
        all_parts = [[frozenset(words(fold(p))) for p in _TITLE_PARTS.split(s.title)] for s in self.sessions]
        part_count: dict[frozenset[str], int] = defaultdict(int)
        for parts in all_parts:
            for part in set(parts):
                part_count[part] += 1
        for row, parts in enumerate(all_parts):
            whole = self._title_words[row]
            named = [
                p
                for p in parts
                if p != whole
                and p - _QUESTION_WORDS
                and (len(p) >= MIN_TITLE_PART or self._rare(p) or self._unique_label(p, part_count))
            ]
            for title in dict.fromkeys([whole, *named]):
                if title:
                    rarest = min(title, key=lambda w: (self.word_df.get(w, 0), w))
                    self._titles_by_word[rarest].append((row, title))

    def _unique_label(self, part: frozenset[str], part_count: dict[frozenset[str], int]) -> bool:
        """A short title part that no other session has, as a part or among its title's words ('Opening: a city
        that is safe …' is the opening, 'Housing First: ending homelessness …' the Housing First talk; 'Keynote:'
        before three titles names none of them)."""
        if len(part) > 2 or part_count[part] != 1 or all(w.isdigit() for w in part):  # '2019 - Fifty years …'
            return False
        return sum(part <= title for title in self._title_words) == 1 or len(part) == 1

    def _rare(self, part: frozenset[str]) -> bool:
        """A two-word title part with a word no other title has ('Netzgrafik-Editor - a … approach')."""
        return len(part) == 2 and any(self._title_df.get(w, 0) <= 1 for w in part)

    def label(self, row: int, written: bool = False) -> frozenset[str]:
        """The words a session's title starts with as its label ('Closing', 'Keynote', 'Inaugural'); `written`:
        only one set apart by a colon or dash ('Opening: …', not 'Opening school gyms after hours')."""
        return (self._written_labels if written else self._labels)[row]

    def own_text(self, row: int) -> tuple[frozenset[str], str]:
        """A session's own words (title, subtitle, track, type, description; not its speakers) and that text
        folded, with a space at each end, computed once."""
        found = self._own_text.get(row)
        if found is None:
            s = self.sessions[row]
            own = words(fold(" ".join((s.title, s.subtitle, s.track, s.type, s.description))))
            found = self._own_text[row] = (frozenset(own), f" {' '.join(own)} ")
        return found

    def title_words(self, row: int) -> frozenset[str]:
        """The words of a session's whole title."""
        return self._title_words[row]

    def titles_within(self, question_words: set[str]) -> list[tuple[int, frozenset[str]]]:
        """Titles (or a long part of one) whose every word is in the question, with their rows, longest first."""
        found = {
            (r, title)
            for w in question_words
            for r, title in self._titles_by_word.get(w, ())
            if title <= question_words
        }
        return sorted(found, key=lambda rt: (-len(rt[1]), rt[0]))

    def sessions_of_speakers(self, speaker_ids: Sequence[str]) -> list[Session]:
        """The sessions any of these speakers is in, in programme order."""
        rows = sorted({r for sid in speaker_ids for r in self._rows_by_speaker.get(sid, ())})
        return [self.sessions[r] for r in rows]

    def _build_people(self) -> None:
        self._rows_by_speaker: dict[str, list[int]] = defaultdict(list)
        for row, session in enumerate(self.sessions):
            for sid in dict.fromkeys(session.speaker_ids):
                self._rows_by_speaker[sid].append(row)
        self.person_tokens: dict[str, tuple[str, ...]] = {}
        self.people_by_token: dict[str, set[str]] = defaultdict(set)
        active = {sid for s in self.sessions for sid in s.speaker_ids}
        for sp in self.programme.speakers:
            if sp.id not in active:
                continue
            toks = tuple(dict.fromkeys(w for w in words(fold(sp.name)) if w not in lx.STOPWORDS or len(w) > 3))
            if not toks:
                continue
            self.person_tokens[sp.id] = toks
            for t in toks:
                self.people_by_token[t].add(sp.id)
        self._people_sorted = sorted(self.people_by_token)
        by_initial: dict[str, list[str]] = defaultdict(list)
        for t in sorted(self.people_by_token):
            if len(t) >= 4:
                by_initial[t[0]].append(t)
        self._person_vocab = dict(by_initial)

    def _build_rooms(self) -> None:
        self.room_phrases: dict[str, str] = {}
        by_token: dict[str, set[str]] = defaultdict(set)
        used = self.rooms_in_use = frozenset(s.room_id for s in self.sessions)
        codes: dict[str, str] = {}
        for room in self.programme.rooms:
            folded = " ".join(words(fold(room.name)))
            if folded:
                self.room_phrases[folded] = room.id
            if code := _room_code(words(folded)):
                codes[code] = room.id if code not in codes else ""
            if room.id not in used:
                continue  # named in full or by its code only: 'H.2111' is a room with nothing in it
            for w in words(folded):
                if w not in ROOM_GENERIC and not w.isdigit() and len(w) >= 2:
                    by_token[w].add(room.id)
        # 'UD2.208' names 'UD2.208 (Decroly)' when no other room's code reads the same.
        self.room_phrases.update({code: rid for code, rid in codes.items() if rid and code not in self.room_phrases})
        # A word shared by many rooms ("Building", "Saal") does not point at one of them.
        self.rooms_by_token = {w: ids for w, ids in by_token.items() if len(ids) <= 2}
        self._room_vocab = sorted(w for w in self.rooms_by_token if len(w) >= 5)

    # ---- lookups -------------------------------------------------------------------------------------------

    def hits(self, alternatives: Sequence[str], headings_only: bool = False, people: bool = True) -> Hits:
        """Sessions matching any of the alternatives (words or phrases; a long word also as a prefix).

        bm25 saturates, so a column weight alone cannot make a title match outrank a long description that
        mentions the word: a match in a heading column (title, people, track …) earns a second, boosted score.
        """
        if not alternatives:
            return Hits("", {})
        key = (tuple(alternatives), headings_only, people)
        with self._lock:
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
                return found
        found = self._hits(alternatives, headings_only, people)
        with self._lock:
            if key not in self._found:
                self._found[key] = found
                self._found_rows += len(found.rows) + 1
                while self._found_rows > FOUND_ROWS:
                    _, old = self._found.popitem(last=False)
                    self._found_rows -= len(old.rows) + 1
        return found

    def _hits(self, alternatives: Sequence[str], headings_only: bool, people: bool) -> Hits:
        asked, translations = alternatives[0], tuple(alternatives[1:])
        rows, head = self._match([asked], True, headings_only, people)
        if translations:
            # A translation counts only as written: 'break' for 'Kaffee' is not 'Breaking' (same stem). The
            # word's own cognate counts in full, the rest of its group less: 'inaugurale' is first 'inaugural',
            # then 'opening'.
            more, more_head = self._match(translations, False, headings_only, people)
            keep = self.literal_rows(translations)
            cognates = tuple(t for t in translations if fuzz.ratio(asked, t) >= COGNATE)
            own = self.literal_rows(cognates) if cognates else frozenset()
            for r, relevance in more.items():
                weighted = relevance if r in own or not cognates else relevance * OTHER_TRANSLATION
                if r in keep and weighted > rows.get(r, float("-inf")):
                    rows[r] = weighted
            head |= more_head & self.literal_rows(translations, headings=True)
        literal = self.literal_rows(tuple(alternatives)).intersection(rows)
        return Hits(asked, rows, frozenset(head & rows.keys()), literal)

    def _match(
        self, alternatives: Sequence[str], prefix: bool, headings_only: bool, people: bool
    ) -> tuple[dict[int, float], set[int]]:
        parts = []
        for alt in alternatives:
            toks = words(alt)
            if toks:
                phrase = '"' + " ".join(toks) + '"'
                parts.append(phrase + ("*" if prefix and len(toks) == 1 and len(toks[0]) >= 4 else ""))
        rows: dict[int, float] = {}
        head: set[int] = set()
        if not parts:
            return rows, head
        query = " OR ".join(parts)
        columns = [c for c in (HEAD_COLUMNS if headings_only else COLUMNS) if people or c != "people"]
        if len(columns) < len(COLUMNS):
            query = f"{{{' '.join(columns)}}} : ({query})"
        with self._lock:
            for r, score, head_score in self._db.execute(self._sql, (query,)):
                rows[r] = HEAD_BOOST * -head_score - score
                if head_score:
                    head.add(r)
        return rows, head

    def literal_rows(self, alternatives: tuple[str, ...], headings: bool = False) -> frozenset[int]:
        """Sessions with one of the words as written ('open' is not 'opening'; 'workshops' is 'workshop')."""
        return self.literal.rows(alternatives, headings)

    def idf(self, df: int) -> float:
        n = len(self.sessions)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def correct(self, word: str) -> str | None:
        """The programme word a typo most likely meant: one edit for short words, two for long ones."""
        if not 5 <= len(word) <= MAX_TOKEN_CHARS or word.isdigit():
            return None
        limit = 1 if len(word) <= 7 else 2
        # Typos rarely hit the first letter; requiring it keeps 'weather' from becoming 'feather'.
        lengths = range(len(word) - limit, len(word) + limit + 1)
        candidates = [w for n in lengths for w in self._vocab_by_start.get((word[0], n), ())]
        best = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=limit)
        return best[0] if best else None

    def person_token(self, word: str) -> str | None:
        """The word of a speaker's name that `word` is, or is one typo away from."""
        if word in self.people_by_token:
            return word
        if len(word) < 5 or len(word) > MAX_TOKEN_CHARS:
            return None
        best = process.extractOne(word, self._person_vocab.get(word[0], ()), scorer=OSA.distance, score_cutoff=1)
        return best[0] if best else None

    def stems_to_a_name(self, word: str) -> bool:
        """Whether `word` is a speaker's name word plus an ending ('change' → Chang) or the start of one ('bell'
        → Bellini), not that name itself: searching the people for it would find someone by accident."""
        if word in self.people_by_token:
            return False
        if any(word[:n] in self.people_by_token for n in range(max(3, len(word) - 3), len(word))):
            return True
        at = bisect_left(self._people_sorted, word)
        return at < len(self._people_sorted) and self._people_sorted[at].startswith(word)

    def room_matches(self, word: str, shortest_typo: int = 6) -> set[str]:
        """Rooms a word names, or is one typo away from when it has at least `shortest_typo` letters."""
        found = self.rooms_by_token.get(word)
        if found:
            return set(found)
        if len(word) < shortest_typo or len(word) > MAX_TOKEN_CHARS:
            return set()
        best = process.extractOne(word, self._room_vocab, scorer=OSA.distance, score_cutoff=1)
        return set(self.rooms_by_token[best[0]]) if best else set()


def _room_code(room_words: list[str]) -> str:
    """The code a room name starts with ('K.1.105 (La Fontaine)' → 'k 1 105'), or ''."""
    code = []
    for w in room_words:
        if not (len(w) == 1 or any(c.isdigit() for c in w)):
            break
        code.append(w)
    has_digit = any(c.isdigit() for w in code for c in w)
    return " ".join(code) if len(code) >= 2 and has_digit else ""


@per_programme
def index_for(programme: Programme) -> ProgrammeIndex:
    """The index of this very Programme object, built on first use (a replaced programme gets a new one)."""
    built = ProgrammeIndex(programme)
    logger.info("Answer index built for %s: %d sessions", programme.name, len(programme.sessions))
    return built
