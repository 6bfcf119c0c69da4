"""A fixed-capacity ring buffer with O(1) append, popleft and random access.

``collections.deque`` indexes in O(n) towards the middle; the feed view reads rows at arbitrary
scroll positions in a buffer of up to millions, so it needs constant-time indexing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar, overload

T = TypeVar("T")


class RingBuffer(Generic[T]):
    """The newest ``capacity`` items; appending to a full ring evicts the oldest."""

    __slots__ = ("_items", "_len", "_start", "capacity")

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._items: list[T | None] = []
        self._start = 0
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def append(self, item: T) -> T | None:
        """Add at the end; return the evicted oldest item when the ring was full."""
        if self._len < self.capacity:
            if len(self._items) < self.capacity:
                self._items.append(item)
            else:
                self._items[(self._start + self._len) % self.capacity] = item
            self._len += 1
            return None
        evicted = self._items[self._start]
        self._items[self._start] = item
        self._start = (self._start + 1) % self.capacity
        return evicted

    def popleft(self) -> T:
        if not self._len:
            raise IndexError("pop from an empty ring")
        item = self._items[self._start]
        self._items[self._start] = None
        self._start = (self._start + 1) % self.capacity
        self._len -= 1
        return item  # type: ignore[return-value]

    def clear(self) -> None:
        self._items.clear()
        self._start = 0
        self._len = 0

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("ring index out of range")
        return self._items[(self._start + index) % self.capacity]  # type: ignore[return-value]

    def __iter__(self) -> Iterator[T]:
        items, start, cap = self._items, self._start, self.capacity
        for offset in range(self._len):
            yield items[(start + offset) % cap]  # type: ignore[misc]

    def last(self) -> T | None:
        return self[-1] if self._len else None

    def first(self) -> T | None:
        return self[0] if self._len else None
