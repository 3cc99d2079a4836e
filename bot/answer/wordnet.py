"""English words close to an English word, from WordNet (Debian's `wordnet-base`): the synonyms of its first
senses ('gymnasium' → gym), the noun an adjective pertains to ('nocturnal' → night) and words derived from
the same root ('wintry' → winter).

A dictionary translates 'nocturnos' to 'nocturnal' and 'gimnasios' to 'gymnasium', while the programme says
'Night markets' and 'school gyms': the translation is right and the programme's word is another. WordNet's
database files (`index.noun`, `data.noun`, `index.adj`, `data.adj`, in the format of its `wndb(5)` page) are
read once into the dictionary's lookup file; only words the programme has are ever looked up from them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

PARTS = ("noun", "adj")
SENSES = 2  # of a word, most frequent first: later senses drift ('gym' is not every 'athletic facility')
MAX_RELATED = 10
# Pointer symbols followed: '\' an adjective's noun ('nocturnal' → night), '+' a derivation ('wintry' → winter).
_FOLLOWED = {"\\", "+"}


def files(folder: Path) -> list[Path]:
    """The database files read, when all are there."""
    found = [folder / f"{kind}.{part}" for part in PARTS for kind in ("index", "data")]
    return found if all(p.is_file() for p in found) else []


def _lemma(word: str) -> str:
    """'able(a)' → 'able': a data line's word without its adjective marker, in lower case."""
    return word.split("(", 1)[0].lower()


def _synsets(folder: Path) -> dict[tuple[str, int], tuple[list[str], list[tuple[str, str, int, int, int]]]]:
    """(part of speech letter, offset) → (its words, its pointers: symbol, target pos, target offset, source word
    number, target word number)."""
    synsets = {}
    for part in PARTS:
        for line in (folder / f"data.{part}").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue  # the licence at the top
            fields = line.split(" | ", 1)[0].split()
            offset, pos, count = int(fields[0]), fields[2], int(fields[3], 16)
            synset_words = [_lemma(w) for w in fields[4 : 4 + 2 * count : 2]]
            at = 4 + 2 * count
            pointers = []
            for i in range(int(fields[at])):
                symbol, target, target_pos, numbers = fields[at + 1 + 4 * i : at + 5 + 4 * i]
                pointers.append(
                    (
                        symbol,
                        "a" if target_pos == "s" else target_pos,
                        int(target),
                        int(numbers[:2], 16),
                        int(numbers[2:], 16),
                    )
                )
            synsets["a" if pos == "s" else pos, offset] = (synset_words, pointers)
    return synsets


def read_related(folder: Path) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(single English word, the single words close to it) for the nouns and adjectives WordNet has."""
    if not files(folder):
        return
    synsets = _synsets(folder)
    related: dict[str, list[str]] = {}
    for part in PARTS:
        for line in (folder / f"index.{part}").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(" "):
                continue
            fields = line.split()
            word, pos, count = fields[0], fields[1], int(fields[2])
            if "_" in word or "-" in word or not word.isalpha():
                continue
            found = related.setdefault(word, [])
            for offset in fields[-count:][:SENSES]:
                synset = synsets.get(("a" if pos == "s" else pos, int(offset)))
                if synset is None:
                    continue
                synonyms, pointers = synset
                found += synonyms
                own = synonyms.index(word) + 1 if word in synonyms else 0
                for symbol, target_pos, target, source, number in pointers:
                    if symbol in _FOLLOWED and source in (0, own) and (target_pos, target) in synsets:
                        target_words = synsets[target_pos, target][0]
                        found += target_words if number == 0 else target_words[number - 1 : number]
    for word, found in related.items():
        close = [w for w in dict.fromkeys(found) if w != word and w.isalpha()][:MAX_RELATED]
        if close:
            yield word, tuple(close)
