"""Practical questions (venue, address, getting there, time zone, registration, contact …) answered from an
organiser-edited YAML file; see the header of data/faq.yaml for its format."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot import i18n
from bot.answer import lexicon as lx
from bot.answer.text import fold, words

logger = logging.getLogger(__name__)

EVENT = lx.EVENT
GROUPS: dict[str, frozenset[str]] = {
    "where": lx.WHERE,
    "when": lx.WHEN,
    "who": lx.WHO,
    "how": lx.HOW,
    "event": EVENT,
    "programme": lx.PROGRAMME_WORDS,
}
BUTTONS = ("", "map", "programme")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


class FaqError(ValueError):
    """The FAQ file cannot be used; the message names the place."""


@dataclass(frozen=True)
class Alternative:
    words: tuple[str, ...]  # consecutive words; a trailing '*' on one makes it a prefix
    group: str = ""  # '@event' and friends: any word of a built-in multilingual group


Slot = tuple[Alternative, ...]  # one of these must appear


@dataclass(frozen=True)
class FaqEntry:
    id: str
    patterns: tuple[tuple[Slot, ...], ...]  # the question matches when every slot of one pattern appears
    answer: str
    button: str = ""
    any_programme: bool = False
    translations: tuple[tuple[str, str], ...] = ()  # (language, answer) beside the English `answer`

    def answer_in(self, language: str) -> str:
        """The answer in the asker's language, else in English."""
        return dict(self.translations).get(language, self.answer)


@dataclass(frozen=True)
class Faq:
    conference: str = ""
    entries: tuple[FaqEntry, ...] = ()

    def applies(self, entry: FaqEntry, programme_name: str) -> bool:
        return entry.any_programme or not self.conference or fold(self.conference) == fold(programme_name)


@dataclass(frozen=True)
class FaqHit:
    entry: FaqEntry
    consumed: frozenset[str]  # question words the entry explains


def _word_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


def _alt_positions(
    alt: Alternative, tokens: tuple[str, ...], where: dict[str, list[int]], event_words: frozenset[str]
) -> list[int]:
    """Indexes of the question words an alternative covers (empty: it does not appear)."""
    if alt.group:
        vocab = GROUPS[alt.group] | (event_words if alt.group == "event" else frozenset())
        return [i for w in vocab & where.keys() for i in where[w]]
    if len(alt.words) == 1 and not alt.words[0].endswith("*"):
        return where.get(alt.words[0], [])
    if not alt.words[0].endswith("*") and alt.words[0] not in where:
        return []  # a phrase whose first word the question lacks: no need to try it at every position
    n = len(alt.words)
    for i in range(len(tokens) - n + 1):
        if all(_word_matches(p, tokens[i + k]) for k, p in enumerate(alt.words)):
            return list(range(i, i + n))
    return []


def _covered(
    pattern: tuple[Slot, ...], tokens: tuple[str, ...], where: dict[str, list[int]], event_words: frozenset[str]
) -> set[int] | None:
    """The question words a pattern covers, or None when one of its slots is missing."""
    covered: set[int] = set()
    for slot in pattern:
        found = [i for alt in slot for i in _alt_positions(alt, tokens, where, event_words)]
        if not found:
            return None
        covered.update(found)
    return covered


def match(
    faq: Faq, tokens: tuple[str, ...], programme_name: str, event_words: frozenset[str], topic: tuple[str, ...]
) -> FaqHit | None:
    """The entry that explains most of the question, preferring the one that covers its topic words.

    `consumed` gathers the words of every matching entry: 'the address of the venue' is all FAQ words.
    """
    where: dict[str, list[int]] = {}
    for i, t in enumerate(tokens):
        where.setdefault(t, []).append(i)
    best: tuple[tuple[int, bool, int], FaqEntry] | None = None
    explained: set[str] = set()
    for entry in faq.entries:
        if not faq.applies(entry, programme_name):
            continue
        found = [c for pattern in entry.patterns if (c := _covered(pattern, tokens, where, event_words)) is not None]
        if not found:
            continue
        consumed = {tokens[i] for c in found for i in c}
        explained |= consumed
        # The conference's own entries outrank the generic ones that merely cover more words.
        rank = (len(consumed & set(topic)), not entry.any_programme, len(consumed))
        if best is None or rank > best[0]:
            best = (rank, entry)
    return FaqHit(best[1], frozenset(explained)) if best else None


def practical_words(faq: Faq, tokens: tuple[str, ...], event_words: frozenset[str]) -> frozenset[str]:
    """The question words any entry explains, whichever conference it is written for: 'wifi password' is a
    practical question at every conference, even one whose FAQ says nothing about it."""
    where: dict[str, list[int]] = {}
    for i, t in enumerate(tokens):
        where.setdefault(t, []).append(i)
    found: set[str] = set()
    for entry in faq.entries:
        for pattern in entry.patterns:
            covered = _covered(pattern, tokens, where, event_words)
            if covered is not None:
                found.update(tokens[i] for i in covered)
    return frozenset(found)


def _parse_pattern(text: str, where: str) -> tuple[Slot, ...]:
    slots: list[Slot] = []
    for raw_slot in text.split():
        alts: list[Alternative] = []
        for raw in raw_slot.split("|"):
            if raw.startswith("@"):
                if raw[1:] not in GROUPS:
                    raise FaqError(f"{where}: unknown group {raw!r} (known: {', '.join('@' + g for g in GROUPS)})")
                alts.append(Alternative((), raw[1:]))
                continue
            parts = tuple(fold(p) for p in raw.split("+") if p)
            if not parts or not all(words(p.rstrip("*")) == [p.rstrip("*")] for p in parts):
                raise FaqError(f"{where}: {raw!r} is not a word, a word* prefix or words+joined+by+plus")
            alts.append(Alternative(parts))
        slots.append(tuple(alts))
    if not slots:
        raise FaqError(f"{where}: empty pattern")
    return tuple(slots)


def _entry(raw: Any, n: int) -> FaqEntry:
    where = f"entries[{n}]"
    if not isinstance(raw, dict):
        raise FaqError(f"{where}: expected a mapping with id, ask and answer")
    unknown = set(raw) - {"id", "ask", "answer", "button", "any_programme"}
    if unknown:
        raise FaqError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    ident, ask, answer = raw.get("id"), raw.get("ask"), raw.get("answer")
    if not isinstance(ident, str) or not ident:
        raise FaqError(f"{where}.id: missing")
    if not isinstance(ask, list) or not ask or not all(isinstance(a, str) for a in ask):
        raise FaqError(f"{where}.ask ({ident}): a list of patterns is needed")
    english, translations = _answers(answer, f"{where}.answer ({ident})")
    button = raw.get("button") or ""
    if button not in BUTTONS:
        raise FaqError(f"{where}.button ({ident}): one of {', '.join(b for b in BUTTONS if b)}")
    patterns = tuple(_parse_pattern(a, f"{where}.ask ({ident})") for a in ask)
    return FaqEntry(ident, patterns, english, button, bool(raw.get("any_programme", False)), translations)


def _answers(raw: Any, where: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """English text, or one text per language (English required): the same placeholders in each."""
    texts = {"en": raw} if isinstance(raw, str) else raw
    if not isinstance(texts, dict) or not isinstance(texts.get("en"), str) or not texts["en"].strip():
        raise FaqError(f"{where}: missing (text, or a mapping of language to text with en required)")
    for code, text in texts.items():
        # Any real language is accepted, so removing a catalogue never makes the organiser's file unusable.
        if not i18n.is_language(code):
            raise FaqError(f"{where}: {code!r} is not a language code (en, es, fr, de, it …)")
        if not isinstance(text, str) or not text.strip():
            raise FaqError(f"{where}.{code}: empty")
        if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(texts["en"])):
            raise FaqError(f"{where}.{code}: placeholders differ from the English text")
    others = tuple((code, text.strip()) for code, text in texts.items() if code != "en")
    return texts["en"].strip(), others


def parse_faq(text: str) -> Faq:
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise FaqError(f"not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("entries", []), list):
        raise FaqError("expected a mapping with 'conference' and a list of 'entries'")
    return Faq(str(raw.get("conference") or ""), tuple(_entry(e, n) for n, e in enumerate(raw.get("entries") or [])))


_loaded: dict[Path, tuple[int, Faq]] = {}


def load_faq(path: Path) -> Faq:
    """The FAQ at `path`, re-read when the organiser changes it; a broken or missing file means no FAQ."""
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return Faq()
    cached = _loaded.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    try:
        faq = parse_faq(path.read_text(encoding="utf-8"))
    except (FaqError, OSError, UnicodeDecodeError) as exc:
        logger.error("FAQ %s is not usable, answering without it: %s", path, exc)
        faq = Faq()
    _loaded[path] = (stamp, faq)
    return faq
