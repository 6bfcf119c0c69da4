"""Events published on one thread and taken into the store on another.

The hook server runs on its own thread so that drawing a frame (10–20 ms of Python) never holds
up a WCS hook's reply by more than the interpreter's thread switch interval. Its events land
here — one C-level deque append each, safe across threads — and the UI thread moves them into
the store on its clock, in batches.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from tui.core.feed import FeedEvent, Row
from tui.core.store import FeedStore, encode_meta

Pending = tuple[Row, bytes, bytes, str]


class Handoff:
    """A thread-safe mailbox with the store's ``publish`` signature."""

    def __init__(self) -> None:
        self._items: deque[Pending] = deque()

    def publish(
        self,
        event: FeedEvent,
        raw: bytes = b"",
        reply: bytes = b"",
        meta: dict[str, Any] | None = None,
    ) -> FeedEvent:
        """Queue an event (from any thread); it gets its ``seq`` when the store takes it.

        Kept as plain tuples of bytes and str (the meta already JSON): the collector stops
        tracking them at once, instead of carrying dicts through its younger generations.
        """
        self._items.append((tuple(event), raw, reply, encode_meta(meta)))
        return event

    def __len__(self) -> int:
        return len(self._items)

    def drain_into(self, store: FeedStore, limit: int = 100_000) -> int:
        """Move what is waiting into the store (on the thread that owns the store)."""
        items = self._items
        publish = store.publish
        moved = 0
        while items and moved < limit:
            event, raw, reply, meta = items.popleft()
            publish(event, raw, reply, meta)
            moved += 1
        return moved
