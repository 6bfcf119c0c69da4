"""Events and failures per second over the last minute, by event time (O(1) per event): what
the Calls screen's sparklines draw, and the same in a replay as live."""

from __future__ import annotations


class RateWindow:
    """Counts per second for the last ``seconds`` seconds of event time."""

    def __init__(self, seconds: int = 60) -> None:
        self.seconds = seconds
        self._events = [0] * seconds
        self._failures = [0] * seconds
        self._second: int | None = None  # the latest second counted

    def count(self, ts: float, failed: bool) -> None:
        second = int(ts)
        latest = self._second
        if latest is None:
            latest = self._second = second
        elif second > latest:
            for step in range(latest + 1, min(second, latest + self.seconds) + 1):
                self._events[step % self.seconds] = 0
                self._failures[step % self.seconds] = 0
            latest = self._second = second
        elif second <= latest - self.seconds:
            return  # older than the window: a late arrival that no longer shows
        slot = second % self.seconds
        self._events[slot] += 1
        if failed:
            self._failures[slot] += 1

    def series(self) -> tuple[list[int], list[int]]:
        """(events, failures) per second, oldest first, ending at the latest second."""
        if self._second is None:
            return [], []
        order = [(self._second + 1 + i) % self.seconds for i in range(self.seconds)]
        return [self._events[i] for i in order], [self._failures[i] for i in order]


BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[int], width: int, top: int | None = None) -> str:
    """``values`` (the last ``width`` of them) as block characters scaled to ``top`` (their
    maximum by default); zero is a space, so a quiet second reads as quiet."""
    shown = values[-width:] if width > 0 else []
    peak = top if top is not None else max(shown, default=0)
    if peak <= 0:
        return " " * len(shown)
    last = len(BARS) - 1
    return "".join(
        " " if v <= 0 else BARS[min(last, max(0, round(v / peak * last)))] for v in shown
    )
