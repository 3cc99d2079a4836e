"""Work computed once per Programme object: a replaced programme (a new version) is computed anew."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from bot.programme.model import Programme

T = TypeVar("T")
KEPT = 4  # programme objects remembered per function: the one in force and the few before it


def per_programme(build: Callable[[Programme], T]) -> Callable[[Programme], T]:
    """Cache `build(programme)` by the programme's identity, the least recently used out after KEPT.

    Keyed by `id`, not by value: hashing a frozen Programme would compare every session at each call. An entry
    holds its programme, so the id cannot be reused while the entry lives; `is` is the proof.
    """
    found: OrderedDict[int, tuple[Programme, T]] = OrderedDict()
    lock = threading.Lock()

    @functools.wraps(build)
    def cached(programme: Programme) -> T:
        key = id(programme)
        with lock:
            entry = found.get(key)
            if entry is not None and entry[0] is programme:
                found.move_to_end(key)
                return entry[1]
        value = build(programme)
        with lock:
            found[key] = (programme, value)
            while len(found) > KEPT:
                found.popitem(last=False)
        return value

    return cached
