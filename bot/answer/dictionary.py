"""English for a German, Spanish, French or Italian word the programme does not have, from FreeDict.

Delegates ask in their language about a programme published in English ('Hitzewellen', 'Sauerteig'); the
hand-written topic groups of `concepts.py` cannot follow an open domain. FreeDict's dictionaries (Debian's
`dict-freedict-deu-eng`, `-spa-eng`, `-fra-eng`, `-ita-eng`, in dictd format) can: German–English has some
270,000 single-word headwords. They are read once into a small SQLite file beside the bot's database (two
seconds; rebuilt when the dictionaries change), so a lookup costs a query and no memory. Without the
dictionaries the bot answers as before, with the topic groups alone.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from bot.answer import apertium, wordnet
from bot.answer.text import fold, other_forms, words

logger = logging.getLogger(__name__)

DICTIONARY_DIR = Path("/usr/share/dictd")
SOURCES = {"de": "freedict-deu-eng", "es": "freedict-spa-eng", "fr": "freedict-fra-eng", "it": "freedict-ita-eng"}
# FreeDict's French, Spanish and Italian to German dictionaries are four to six times larger than their English
# ones: a word only they know reaches English through German–English ('pénurie' → Mangel → shortage).
PIVOTS = {"fr": "freedict-fra-deu", "es": "freedict-spa-deu", "it": "freedict-ita-deu"}
# English to German, French, Spanish and Italian, read backwards: 'Feuchtgebiet' is a sense of 'wetland'.
REVERSED = {"de": "freedict-eng-deu", "fr": "freedict-eng-fra", "es": "freedict-eng-spa", "it": "freedict-eng-ita"}
# A verb ('parken', 'aparcar') is not a topic, and its chain drifts most: 'aparcar' → parken → parking.
_GERMAN_VERB = re.compile(r"[a-zäöüß]\w*(en|ern|eln)")
PIVOT_SENSES = 2  # of each German sense, and German senses per word: a chain of two lookups drifts fast
STALE_BUILD_S = 3600  # a build takes ~20 s: a half-written file this old is a crashed one
MAX_TRANSLATIONS = 4  # the first senses; later ones drift ('Führung': guided tour, management, lead …)
MAX_TRANSLATION_WORDS = 3
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_MARKS = re.compile(r"\[[^\]]*\]|<[^>]*>?|\([^)]*\)|\{[^}]*\}|\"[^\"]*\"|/[^/\s][^/]*/")  # '/pˌeːpl/': a pronunciation
_NUMBERED = re.compile(r"^\s*\d+\.\s*")  # '1. sleep | 2. dream'
_SCHEMA = (
    "CREATE TABLE words (word TEXT NOT NULL, lang TEXT NOT NULL, english TEXT NOT NULL, PRIMARY KEY (word, lang))"
    " WITHOUT ROWID",
    # English words seen in the senses: a question word among them is English ('rust' is not German 'Rüst').
    "CREATE TABLE english (word TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE sources (signature TEXT NOT NULL)",
    # English words close to an English word (WordNet): 'nocturnal' → night, 'gymnasium' → gym.
    "CREATE TABLE related (word TEXT PRIMARY KEY, words TEXT NOT NULL) WITHOUT ROWID",
)
FORMAT = 6  # of the lookup file: raise it when the reading of the dictionaries changes
MAX_SENSES = 6  # of one folded headword, over its entries ('Schreiben' the letter, 'schreiben' to write)


def _number(text: str) -> int:
    """A dictd index offset or length (base 64, most significant digit first)."""
    n = 0
    for ch in text:
        n = n * 64 + _B64[ch]
    return n


def _senses(definition: str) -> tuple[str, ...]:
    """The first English senses of a FreeDict definition ('[cook.] leaven <n>, sourdough <n>' → leaven, sourdough)."""
    lines = [line for line in definition.split("\n")[1:] if line.strip()]
    first = lines[0] if lines and not lines[0].strip().startswith(("see:", "Syn")) else ""
    if _NUMBERED.match(first):  # '1. sleep' '2. dream': every numbered sense
        first = ",".join(line for line in lines if _NUMBERED.match(line))
    found = []
    for item in first.replace(";", ",").split(","):
        sense = " ".join(_NUMBERED.sub("", _MARKS.sub(" ", item)).replace("‐", "-").split())
        sense = sense.removeprefix("to ")  # 'to write': the verb
        if sense and len(sense.split()) <= MAX_TRANSLATION_WORDS and sense not in found:
            found.append(sense)
    return tuple(found[:MAX_TRANSLATIONS])


def read_dictd(index: Path, data: Path) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(folded single-word headword, English senses) for every entry of a dictd dictionary, first entry first."""
    body = gzip.decompress(data.read_bytes()) if data.suffix == ".dz" else data.read_bytes()
    for line in index.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0] or parts[0].startswith("00") or " " in parts[0].strip():
            continue
        start, length = _number(parts[1]), _number(parts[2])
        senses = _senses(body[start : start + length].decode("utf-8", "replace"))
        tokens = words(fold(parts[0]))
        if senses and len(tokens) == 1:
            yield tokens[0], senses


def _files(source_dir: Path, names: dict[str, str] = SOURCES) -> dict[str, tuple[Path, Path]]:
    found = {}
    for lang, name in names.items():
        index, data = source_dir / f"{name}.index", source_dir / f"{name}.dict.dz"
        if index.is_file() and data.is_file():
            found[lang] = (index, data)
    return found


def _all_files(source_dir: Path) -> dict[str, tuple[Path, Path]]:
    """Every dictionary used, by a name that says its role: 'de', 'pivot-fr', 'reversed-de'."""
    return {
        **_files(source_dir),
        **{f"pivot-{lang}": pair for lang, pair in _files(source_dir, PIVOTS).items()},
        **{f"reversed-{lang}": pair for lang, pair in _files(source_dir, REVERSED).items()},
    }


def _signature(files: dict[str, tuple[Path, Path]], apertium_dir: Path | None, wordnet_dir: Path | None = None) -> str:
    """What the lookup file was built from, and how: a new reader version or dictionary rebuilds it."""
    paths = [(lang, p) for lang, pair in files.items() for p in pair]
    paths += [(f"apertium-{lang}", p) for lang, p in (apertium.files(apertium_dir) if apertium_dir else {}).items()]
    paths += [("wordnet", p) for p in (wordnet.files(wordnet_dir) if wordnet_dir else [])]
    return f"v{FORMAT};" + ";".join(f"{name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for name, p in paths)


def build(source_dir: Path, cache: Path, apertium_dir: Path | None = None, wordnet_dir: Path | None = None) -> int:
    """Write the lookup file from the dictionaries found (atomically); the number of words it holds."""
    files = _all_files(source_dir)
    # Its own file: the bot and a `bot eval` may build at once after an upgrade, and one removing the other's
    # half-written file left that one with no dictionary at all (the last to finish replaces the same content).
    partial = cache.with_name(f"{cache.name}.{os.getpid()}.{threading.get_ident()}.partial")
    partial.write_bytes(b"")  # an empty file is an empty database; its time is the file system's 'now'
    started = partial.stat().st_mtime
    for stale in cache.parent.glob(f"{cache.name}.*.partial"):
        with contextlib.suppress(FileNotFoundError):  # another build's, finished meanwhile
            if stale.stat().st_mtime < started - STALE_BUILD_S:
                stale.unlink()  # left by a build that crashed
    merged: dict[str, dict[str, list[str]]] = {}  # language → word → senses, FreeDict's first

    def add(lang: str, word: str, senses: Iterable[str]) -> None:
        kept = merged.setdefault(lang, {}).setdefault(word, [])
        kept += [s for s in senses if s not in kept][: MAX_SENSES - len(kept)]

    for lang, (index, data) in _files(source_dir).items():
        for w, senses in read_dictd(index, data):
            add(lang, w, senses)
    for lang, w, senses in apertium.read_apertium(apertium_dir) if apertium_dir else ():
        add(lang, w, senses[:MAX_TRANSLATIONS])
    # English words, from the dictionaries to English only: a question word among them is English, and only they
    # make a reversed dictionary's headword usable (its own list holds rare and run-together ones).
    english = {t[0] for found in merged.values() for ss in found.values() for s in ss if len(t := words(fold(s))) == 1}
    # Only for words no dictionary to English has: theirs are better than a chain's or a reversed entry's.
    german = merged.get("de", {})
    for lang, (index, data) in _files(source_dir, PIVOTS).items():
        known = merged.setdefault(lang, {})
        for w, senses in read_dictd(index, data):
            if w not in known:
                nouns = [s for s in senses if not _GERMAN_VERB.fullmatch(s)][:PIVOT_SENSES]
                chained = [e for s in nouns for e in german.get(fold(s), ())[:PIVOT_SENSES]]
                if chained:
                    add(lang, w, chained)
    for lang, (index, data) in _files(source_dir, REVERSED).items():
        known = merged.setdefault(lang, {})
        backwards: dict[str, list[str]] = {}
        for headword, senses in read_dictd(index, data):
            if headword not in english:
                continue  # an English word the dictionaries to English know, not a run-together 'peopleppl'
            for s in senses:
                if len(t := words(fold(s))) == 1 and t[0] not in known:
                    backwards.setdefault(t[0], []).append(headword)
        for w, english_words in backwards.items():
            add(lang, w, english_words)
    db = sqlite3.connect(partial)
    try:
        for statement in _SCHEMA:
            db.execute(statement)
        for lang, found in merged.items():
            db.executemany("INSERT INTO words VALUES (?, ?, ?)", ((w, lang, "|".join(s)) for w, s in found.items()))
        db.executemany("INSERT INTO english VALUES (?)", ((w,) for w in sorted(english)))
        related = wordnet.read_related(wordnet_dir) if wordnet_dir else ()
        db.executemany("INSERT INTO related VALUES (?, ?)", ((w, "|".join(near)) for w, near in related))
        db.execute("INSERT INTO sources VALUES (?)", (_signature(files, apertium_dir, wordnet_dir),))
        db.commit()
        count = db.execute("SELECT count(*) FROM words").fetchone()[0]
    finally:
        db.close()
    os.chmod(partial, 0o600)
    partial.replace(cache)
    return int(count)


class Dictionary:
    """English senses of a word in the bot's other languages (all four dictionaries at once)."""

    def __init__(self, cache: Path) -> None:
        self._db = sqlite3.connect(f"file:{cache}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self.english = lru_cache(maxsize=8192)(self._english)
        self.related = lru_cache(maxsize=8192)(self._related)
        self.is_english = lru_cache(maxsize=8192)(self._is_english)

    def _is_english(self, word: str) -> bool:
        """Whether the dictionaries give the word as an English sense ('crane', 'power', 'ward')."""
        with self._lock:
            return self._db.execute("SELECT 1 FROM english WHERE word = ?", (word,)).fetchone() is not None

    def _english(self, word: str, even_english: bool = False, lang: str | None = None) -> tuple[str, ...]:
        """The word's senses; with `lang`, only that language's (Italian 'donne' is women, not French 'gives')."""
        with self._lock:
            if not even_english and self._db.execute("SELECT 1 FROM english WHERE word = ?", (word,)).fetchone():
                return ()  # an English word already: nothing to translate
            rows = self._db.execute("SELECT english, lang FROM words WHERE word = ?", (word,)).fetchall()
        senses = [s for text, language in rows if lang is None or language == lang for s in text.split("|")]
        return tuple(dict.fromkeys(senses))

    def _related(self, english: str) -> tuple[str, ...]:
        """English words close to an English one (WordNet's synonyms, the noun of an adjective, derivations)."""
        with self._lock:
            row = self._db.execute("SELECT words FROM related WHERE word = ?", (english,)).fetchone()
        return tuple(row[0].split("|")) if row else ()

    def senses(self, word: str, even_english: bool = False, lang: str | None = None) -> tuple[str, ...]:
        """The English of the word as written, or else of its base form ('dächern' → 'dach': roof); the question's
        language `lang` first, when it is known, then any.

        `even_english`: the question is in another language, so a word that is also English ('Wand', 'Gift')
        is translated too."""
        for language in dict.fromkeys((lang, None)):
            found = self.english(word, even_english, language)
            found = found or next((s for f in other_forms(word) if (s := self.english(f, even_english, language))), ())
            if found:
                return found
        return ()


class NoDictionary:
    """The stand-in when no dictionary is installed: every word is unknown."""

    def is_english(self, word: str) -> bool:
        return False

    def senses(self, word: str, even_english: bool = False, lang: str | None = None) -> tuple[str, ...]:
        return ()

    def english(self, word: str, even_english: bool = False, lang: str | None = None) -> tuple[str, ...]:
        return ()

    def related(self, english: str) -> tuple[str, ...]:
        return ()


_current: Dictionary | NoDictionary = NoDictionary()
_BUILD = (
    "import sys, pathlib; from bot.answer.dictionary import build; "
    "build(*(pathlib.Path(a) if a else None for a in sys.argv[1:5]))"
)


def current() -> Dictionary | NoDictionary:
    """The dictionary in use (set at start-up by `open_dictionary`)."""
    return _current


def open_dictionary(
    source_dir: Path, cache: Path, apertium_dir: Path | None = None, wordnet_dir: Path | None = None
) -> Dictionary | NoDictionary:
    """Use the dictionaries in `source_dir` (and Apertium's pairs) from now on, building the lookup file when
    missing or stale."""
    global _current
    files = _all_files(source_dir)
    pairs = apertium.files(apertium_dir) if apertium_dir else {}
    if not files and not pairs:
        logger.info(
            "No dictionaries in %s or %s: cross-language topics use the topic groups alone", source_dir, apertium_dir
        )
        _current = NoDictionary()
        return _current
    signature = _signature(files, apertium_dir, wordnet_dir)
    if not _is_fresh(cache, signature):
        # In a child process: reading German–English takes ~200 MB for two seconds, which the bot never holds.
        arguments = [str(source_dir), str(cache), str(apertium_dir or ""), str(wordnet_dir or "")]
        child = subprocess.run(
            [sys.executable, "-c", _BUILD, *arguments], capture_output=True, check=False, timeout=300
        )
        if child.returncode != 0 or not _is_fresh(cache, signature):
            logger.warning("Could not build the dictionary lookup from %s; topic groups alone", source_dir)
            _current = NoDictionary()
            return _current
        logger.info("Dictionary lookup built from %s", ", ".join([*files, *(f"Apertium {lang}" for lang in pairs)]))
    _current = Dictionary(cache)
    return _current


def open_dictionary_soon(
    source_dir: Path, cache: Path, apertium_dir: Path | None = None, wordnet_dir: Path | None = None
) -> None:
    """Open the dictionaries now when their lookup file is ready or there are none; else build it in a daemon
    thread (~20 s with all of them), answering with the topic groups meanwhile rather than keeping a crowd
    waiting after an upgrade, and not keeping a stop waiting either."""
    files = _all_files(source_dir)
    pairs = apertium.files(apertium_dir) if apertium_dir else {}
    if (not files and not pairs) or _is_fresh(cache, _signature(files, apertium_dir, wordnet_dir)):
        open_dictionary(source_dir, cache, apertium_dir, wordnet_dir)
        return
    arguments = (source_dir, cache, apertium_dir, wordnet_dir)
    threading.Thread(target=open_dictionary, args=arguments, name="dictionary", daemon=True).start()


def use(dictionary: Dictionary | NoDictionary) -> None:
    """Put a dictionary in use (tests; the command line)."""
    global _current
    _current = dictionary


def _is_fresh(cache: Path, signature: str) -> bool:
    if not cache.is_file():
        return False
    try:
        db = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT signature FROM sources").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return False
    return row is not None and row[0] == signature
