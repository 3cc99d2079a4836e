"""English for a Spanish, French or Italian word, from Apertium's bilingual dictionaries.

FreeDict's Spanish, French and Italian dictionaries are small (3,000–8,000 headwords: no 'contenedor', no
'déchet'); Apertium's translation pairs in Debian (`apertium-eng-spa`, `apertium-fr-es`, `apertium-spa-ita`)
hold some 20,000 nouns and adjectives each, checked by translators. They ship compiled, so their finite-state
transducers are printed with lttoolbox's `lt-print` and walked here: every path is a word with its tags in
and its translation out. French and Italian pair with Spanish, so their English goes through Spanish
('vélo' → 'bicicleta' → 'bicycle'). Read once, with FreeDict, into the lookup file of `dictionary.py`.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from bot.answer.text import fold

log = logging.getLogger(__name__)

# The bilingual transducers, by the language they translate from: (file below the Apertium folder, into).
PAIRS = {
    "es": ("apertium-eng-spa/spa-eng.autobil.bin", "en"),
    "fr": ("apertium-fr-es/fr-es.autobil.bin", "es"),
    "it": ("apertium-spa-ita/ita-spa.autobil.bin", "es"),
}
KINDS = frozenset({"n", "adj"})  # nouns and adjectives: the words of a topic; verbs and the rest are the question's
MAX_WORDS = 3  # of a translation ('kitchen garden')
_ENTRY = re.compile(r"^([^\W\d_]+)<(\w+)>")  # 'contenedor<n><m>': a one-word lemma and its first tag
_EPSILON = "ε"  # lt-print's empty symbol


def transducer_paths(printed: str) -> Iterator[tuple[str, str]]:
    """(input, output) of every path of an `lt-print` listing, in every section without a cycle.

    Self-loops (a number's digits, in Apertium's) are left out; a section with another cycle is skipped, as its
    paths have no end. Sections are separated by '--'; a line is 'from to in out weight' or a final state.
    """
    for section in printed.split("\n--\n"):
        arcs: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
        finals: set[int] = set()
        for line in section.splitlines():
            parts = line.split("\t")
            if len(parts) >= 4:
                if parts[0] != parts[1]:
                    given, made = ("" if p == _EPSILON else p for p in parts[2:4])
                    arcs[int(parts[0])].append((int(parts[1]), given, made))
            elif parts[0].strip():
                finals.add(int(parts[0]))
        if not arcs or _has_cycle(arcs):
            continue
        stack = [(0, "", "")]
        while stack:
            state, given, made = stack.pop()
            if state in finals:
                yield given, made
            stack.extend((to, given + a, made + b) for to, a, b in reversed(arcs.get(state, [])))  # in order


def _has_cycle(arcs: dict[int, list[tuple[int, str, str]]]) -> bool:
    """Whether a transducer's arcs loop (depth first, without recursion: Apertium's have 100,000 states)."""
    done: dict[int, bool] = {}  # False: on the current path, True: finished
    for root in list(arcs):
        if root in done:
            continue
        done[root] = False
        path = [(root, iter(arcs[root]))]
        while path:
            state, pending = path[-1]
            arc = next(pending, None)
            if arc is None:
                done[state] = True
                path.pop()
                continue
            seen = done.get(arc[0])
            if seen is False:
                return True
            if seen is None:
                done[arc[0]] = False
                path.append((arc[0], iter(arcs.get(arc[0], ()))))
    return False


def lemma_pairs(paths: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Each noun's or adjective's translations, from transducer paths ('residuo<n><m><pl>' → 'waste<n><sg>')."""
    found: dict[str, list[str]] = defaultdict(list)
    for given, made in paths:
        entry = _ENTRY.match(given)
        if entry is None or entry[2] not in KINDS:
            continue
        target = " ".join(made.split("<", 1)[0].replace("#", " ").split())  # 'knock# down': 'down' is its part
        if target and len(target.split()) <= MAX_WORDS and target not in found[entry[1]]:
            found[entry[1]].append(target)
    return dict(found)


def _printed(path: Path) -> str:
    done = subprocess.run(["lt-print", str(path)], capture_output=True, text=True, check=True, timeout=120)
    return done.stdout


def files(apertium_dir: Path) -> dict[str, Path]:
    """The pairs installed, by the language they translate from (French and Italian need Spanish's too)."""
    found = {lang: apertium_dir / name for lang, (name, _) in PAIRS.items() if (apertium_dir / name).is_file()}
    if "es" not in found:
        return {}
    if shutil.which("lt-print") is None:
        # Debian ships lt-print in lttoolbox-dev, not lttoolbox: without this line the pairs were skipped silently.
        log.warning("Apertium's pairs are installed but lt-print is not (Debian: lttoolbox-dev): they are left out")
        return {}
    return found


def read_apertium(apertium_dir: Path) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(language, folded word, English translations) for the nouns and adjectives of the pairs installed."""
    installed = files(apertium_dir)
    if not installed:
        return
    spanish = lemma_pairs(transducer_paths(_printed(installed["es"])))
    for lang, path in installed.items():
        pairs = spanish if lang == "es" else lemma_pairs(transducer_paths(_printed(path)))
        english: dict[str, list[str]] = defaultdict(list)
        for word, targets in pairs.items():
            senses = targets if PAIRS[lang][1] == "en" else [e for t in targets for e in spanish.get(t, ())]
            kept = english[fold(word)]
            kept += [s for s in senses if s not in kept]
        for word, senses in english.items():
            if senses:
                yield lang, word, tuple(senses)
