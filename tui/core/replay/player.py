"""The replay's pace: how far in event time each tick of the UI clock moves the play head.

At ×1 a second of the clock plays a second of the journal; ×10 and ×100 ten and a hundred;
"max" as many events per tick as the console can fold. A stretch with no events that would take
more than :data:`IDLE_SKIP_S` seconds to sit through is jumped over (and counted), as an operator
would skip it by hand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SPEEDS: tuple[float, ...] = (1.0, 10.0, 100.0, math.inf)
MAX_PER_TICK = 4000  # events per tick at full speed (20 ticks a second: 80,000 events/s)
IDLE_SKIP_S = 3.0  # real seconds of nothing to wait through before the gap is jumped


def speed_label(speed: float) -> str:
    return "max" if math.isinf(speed) else f"×{speed:g}"


@dataclass
class Player:
    """Play, pause, speed and the play head (an event time)."""

    speed: float = math.inf
    paused: bool = False
    head: float = 0.0  # the event time played up to
    skipped_s: float = 0.0  # idle event time jumped over
    at_end: bool = False

    def faster(self) -> None:
        self.speed = SPEEDS[min(SPEEDS.index(self.speed) + 1, len(SPEEDS) - 1)]

    def slower(self) -> None:
        self.speed = SPEEDS[max(SPEEDS.index(self.speed) - 1, 0)]

    def toggle(self) -> None:
        self.paused = not self.paused

    def limit(self, elapsed_s: float, next_ts: float | None) -> tuple[int, float]:
        """What one tick may take, ``elapsed_s`` of the clock after the last: (at most this
        many events, up to this event time). (0, head) while paused or when nothing is next."""
        if self.paused or next_ts is None:
            self.at_end = next_ts is None
            return 0, self.head
        self.at_end = False
        if math.isinf(self.speed):
            return MAX_PER_TICK, math.inf
        if self.head <= 0.0 or next_ts < self.head:  # nothing played yet, or merged runs
            self.head = next_ts
        self.head += max(elapsed_s, 0.0) * self.speed
        wait_s = (next_ts - self.head) / self.speed
        if wait_s > IDLE_SKIP_S:
            self.skipped_s += next_ts - self.head
            self.head = next_ts
        return MAX_PER_TICK, self.head

    def moved_to(self, ts: float) -> None:
        """The replay was put at event time ``ts`` (a seek, a step)."""
        self.head = ts
