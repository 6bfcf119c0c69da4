"""A small cache of recent answers, so going back or following a link to a page seen a moment
ago opens at once. Bounded by entries and by bytes; entries expire after the target's TTL; ``r``
in the browser (``refresh=True``) always goes to the network.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class ResponseCache(Generic[T]):
    """LRU with a TTL. ``size_of`` tells how many bytes an entry holds (its raw body)."""

    def __init__(
        self,
        *,
        ttl_s: float,
        max_entries: int = 64,
        max_bytes: int = 64 * 1024 * 1024,
        size_of: Callable[[T], int] = lambda _: 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._size_of = size_of
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, int, T]] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> tuple[T, float] | None:
        """The entry and its age in seconds, or None when absent or expired."""
        found = self._entries.get(key)
        if found is None:
            return None
        stored_at, _, value = found
        age = self._clock() - stored_at
        if age > self.ttl_s:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return value, age

    def put(self, key: Hashable, value: T) -> None:
        if self.ttl_s <= 0:
            return
        self._drop(key)
        size = self._size_of(value)
        if size > self.max_bytes:
            return
        self._entries[key] = (self._clock(), size, value)
        self._bytes += size
        while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
            oldest = next(iter(self._entries))
            self._drop(oldest)

    def invalidate(self, match: Callable[[Hashable], bool]) -> int:
        """Forget every entry whose key matches (after a write); returns how many."""
        doomed = [key for key in self._entries if match(key)]
        for key in doomed:
            self._drop(key)
        return len(doomed)

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0

    def _drop(self, key: Hashable) -> None:
        found = self._entries.pop(key, None)
        if found is not None:
            self._bytes -= found[1]
