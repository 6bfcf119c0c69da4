"""A small cache of recent answers, so going back or following a link to a page seen a moment
ago opens at once. Bounded by entries and by bytes; entries expire after the target's TTL; ``r``
in the browser (``refresh=True``) always goes to the network.

The expiry, the least-recently-used order and the byte bound are cachetools' ``TTLCache`` (its
``getsizeof`` counts an entry's raw body); the entry bound is applied on top of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, NamedTuple, TypeVar

from cachetools import TTLCache

T = TypeVar("T")


class _Entry(NamedTuple, Generic[T]):
    stored_at: float
    size: int
    value: T


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
        self._entries: TTLCache[Hashable, _Entry[T]] = TTLCache(
            maxsize=max_bytes,
            ttl=ttl_s,
            timer=clock,
            getsizeof=lambda entry: entry.size,
        )

    def __len__(self) -> int:
        self._entries.expire()
        return len(self._entries)

    def get(self, key: Hashable) -> tuple[T, float] | None:
        """The entry and its age in seconds, or None when absent or expired."""
        found = self._entries.get(key)
        if found is None:
            return None
        return found.value, self._clock() - found.stored_at

    def put(self, key: Hashable, value: T) -> None:
        if self.ttl_s <= 0:
            return
        self._entries.pop(key, None)
        size = self._size_of(value)
        if size > self.max_bytes:
            return
        self._entries[key] = _Entry(self._clock(), size, value)
        while len(self._entries) > self.max_entries:
            self._entries.popitem()  # the least recently used

    def invalidate(self, match: Callable[[Hashable], bool]) -> int:
        """Forget every entry whose key matches (after a write); returns how many."""
        doomed = [key for key in self._entries if match(key)]
        for key in doomed:
            self._entries.pop(key, None)
        return len(doomed)
