"""Which sessions have a word as written: tells a literal match from one FTS5 found through the same stem.

'open' is not 'opening' and 'break' is not 'Breaking', though Porter stems them alike; 'workshops' is
'workshop', and a long word that starts a heading compound names it ('Überwachung' in
'Überwachungsstandards').
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable

from bot.answer.text import words

# A question word this long that starts a heading word names it: German compounds ('Überwachungsstandards').
MIN_COMPOUND_HEAD = 7


def inflections(word: str) -> tuple[str, ...]:
    """The word with and without a plural ending: the forms that mean the same thing."""
    forms = [word, word + "s", word + "es"]
    if len(word) > 3 and word.endswith("s"):
        forms.append(word[:-1])
        if word.endswith("es"):
            forms.append(word[:-2])
    return tuple(forms)


class LiteralWords:
    """Rows by the words they contain (all columns) and by the words of their headings."""

    def __init__(self, rows: Iterable[tuple[str, str]]) -> None:
        """`rows`: for each session in row order, its whole folded text and its folded heading text."""
        anywhere: dict[str, set[int]] = defaultdict(set)
        heading: dict[str, set[int]] = defaultdict(set)
        for row, (text, head) in enumerate(rows):
            for w in set(words(text)):
                anywhere[w].add(row)
            for w in set(words(head)):
                heading[w].add(row)
        self._anywhere = dict(anywhere)
        self._heading = dict(heading)
        self._heading_vocab = sorted(heading)

    def df(self) -> dict[str, int]:
        """In how many sessions each (folded, unstemmed) word appears."""
        return {w: len(rows) for w, rows in self._anywhere.items()}

    def rows(self, alternatives: Iterable[str], headings: bool = False) -> frozenset[int]:
        """Sessions that have one of the words (or phrases: all their words) as written."""
        found: set[int] = set()
        for alt in alternatives:
            rows: set[int] | None = None
            for token in words(alt):
                have = self._token_rows(token, headings)
                rows = have if rows is None else rows & have
            found |= rows or set()
        return frozenset(found)

    def _token_rows(self, token: str, headings: bool) -> set[int]:
        rows: set[int] = set()
        where = self._heading if headings else self._anywhere
        for form in inflections(token):
            rows |= where.get(form, set())
        if len(token) >= MIN_COMPOUND_HEAD:
            for w in self._heading_vocab[bisect_left(self._heading_vocab, token) :]:
                if not w.startswith(token):
                    break
                rows |= self._heading[w]
        return rows
