"""Exponential backoff with jitter, for reconnecting to a server that is down."""

from __future__ import annotations

import random


class Backoff:
    """Delays that double from ``initial`` up to ``maximum``, each drawn from its upper half.

    The jitter spreads many consoles (or many servers in one console) so they do not all
    knock at the same moment after an outage; keeping the lower half out means a delay never
    collapses to nothing.
    """

    def __init__(self, initial: float, maximum: float, rng: random.Random | None = None) -> None:
        if initial <= 0 or maximum < initial:
            raise ValueError(f"backoff needs 0 < initial <= maximum, got {initial}, {maximum}")
        self.initial = initial
        self.maximum = maximum
        self.rng = rng or random.Random()
        self.attempts = 0

    def next(self) -> float:
        ceiling = min(self.maximum, self.initial * 2.0 ** min(self.attempts, 30))
        self.attempts += 1
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self.attempts = 0
