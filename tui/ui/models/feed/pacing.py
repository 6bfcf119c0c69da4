"""How often the feed redraws, and how many rows a second arrive.

The feed pulls what arrived and redraws on a timer, never once per event. When more rows arrive
each second than the list can show at full frame rate, every frame is a wholly new page that
nobody reads row by row: the feed then draws half as often and leaves the time to the hook
listener (at 3,000 hooks/s its p99 reply time fell from 21-32 ms to 15-19 ms).
"""

from __future__ import annotations

from collections.abc import Callable

REFRESH_HZ = 10  # a full 200x50 page costs 10-15 ms: 10 Hz keeps the UI under ~15 % of a core
FLOOD_HZ = 5  # frames a second while flooded
RATE_WINDOW_S = 1.0  # the arrival rate is measured over at least this long


class FramePacer:
    """Decides, tick by tick, whether the feed draws a frame; measures the arrival rate.

    ``clock`` is a monotonic clock in seconds (injected: tests move it by hand).
    """

    def __init__(self, clock: Callable[[], float], received: int) -> None:
        """``received``: rows the store has taken so far (the rate counts from here)."""
        self._clock = clock
        self._mark = (clock(), received)
        self._last_frame = float("-inf")
        self.rate = 0.0  # rows a second over the last window

    def flooding(self, page: int) -> bool:
        """More rows a second than a list of ``page`` rows shows at full frame rate."""
        return self.rate > page * REFRESH_HZ

    def frame_due(self, received: int, page: int) -> bool:
        """A tick: draw now? ``received`` is the store's count, ``page`` the rows on screen."""
        now = self._clock()
        if self.flooding(page) and now - self._last_frame < 1 / FLOOD_HZ - 0.01:
            return False
        self._last_frame = now
        mark_time, mark_count = self._mark
        if now - mark_time >= RATE_WINDOW_S:
            # A store that started over (a replay's jump) counts from fewer: no negative rate.
            self.rate = max(received - mark_count, 0) / (now - mark_time)
            self._mark = (now, received)
        return True
