"""Keeping the garbage collector out of the way while a big answer is parsed.

Parsing a 10,000-resource list allocates a few hundred thousand objects; each allocation burst
can set off a full collection that walks the whole heap while holding the GIL, and the UI loop
then stalls for the length of it (measured: 30-400 ms). :func:`quiet_gc` pauses automatic
collection for the duration of a bulk parse, from any thread; nested and concurrent uses are
counted, so collection resumes when the last one ends.

The objects alive at the end are then frozen (docs/performance.md §15: ``gc.freeze()`` after bulk
loads). The parsed model is acyclic, so it is still freed by reference counting when it is
replaced; the price is that cyclic garbage that happens to exist at that moment is never
collected. Only bodies over a size threshold take this path (see ``tui.net.rest.base``).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_depth = 0
_resume = False  # whether collection was on when the first pause began


@contextmanager
def quiet_gc() -> Iterator[None]:
    """No automatic garbage collection inside the block (in any thread).

    When the last pause ends, the objects made meanwhile are frozen (``gc.freeze``) before
    collection resumes: otherwise the first collection after it would walk every one of them
    (a 10,000-item model: ~40 ms with the GIL held, which the UI would feel).
    """
    global _depth, _resume
    with _lock:
        if _depth == 0:
            _resume = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _resume:
                gc.freeze()
                gc.enable()


def without_gc(work: Callable[P, R]) -> Callable[P, R]:
    """``work`` wrapped in :func:`quiet_gc` (for ``asyncio.to_thread``)."""

    @wraps(work)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with quiet_gc():
            return work(*args, **kwargs)

    return run
