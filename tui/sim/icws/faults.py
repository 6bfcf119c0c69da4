"""The switches that make the simulated ICWS hosts misbehave (tests and the demo flip them)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(slots=True)
class Faults:
    """Switches the tests and the demo flip."""

    empty_200: bool = False  # an empty poll answers 200 with no body at all
    slow_s: float = 0.0  # every answer waits this long first
    sse_ping_s: float = 5.0  # keep-alive comment interval on event streams
    poll_status: int = 0  # when set, message polls answer this status (500: a sick server)
    poll_status_until: float = math.inf  # world time at which poll_status stops
    hang_until: float = -math.inf  # requests arriving before this world time are never answered
    streams_stalled: int = 0  # event streams numbered below this send nothing more
    polls_held: bool = False  # message polls wait before reading their queue until released
    polls_waiting: int = 0  # polls held right now

    def failing_poll(self, now: float) -> int:
        """The status message polls answer at world time ``now`` (0: they work)."""
        return self.poll_status if now < self.poll_status_until else 0

    def hung(self, now: float) -> bool:
        return now < self.hang_until
