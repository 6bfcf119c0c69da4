"""Spotting WCS retries: the same method with the same body again within a short window.

WCS (5.2.1475+) retries a hook when sending fails, so the backend can see an event twice. Bodies
that legitimately repeat (keep-alives every 10 s) fall outside a window of a few seconds.
"""

from __future__ import annotations

from collections import OrderedDict


class DuplicateWindow:
    """Remembers recent (method, body) pairs by hash for ``window_s`` seconds, bounded in size."""

    def __init__(self, window_s: float = 5.0, limit: int = 20_000) -> None:
        self.window_s = window_s
        self.limit = limit
        self._seen: OrderedDict[int, float] = OrderedDict()

    def seen(self, method: str, body: bytes, now: float) -> bool:
        """True when this exact hook arrived less than ``window_s`` ago (and remember it)."""
        if self.window_s <= 0:
            return False
        key = hash((method, body))
        seen = self._seen
        # Drop entries that left the window (they are in arrival order).
        while seen:
            oldest_time = next(iter(seen.values()))
            if now - oldest_time <= self.window_s and len(seen) < self.limit:
                break
            seen.popitem(last=False)
        previous = seen.get(key)
        seen[key] = now
        seen.move_to_end(key)
        return previous is not None and now - previous <= self.window_s
