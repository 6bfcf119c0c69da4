"""A replay: journals played into the same store the live console fills, on the UI's clock.

Playing forward publishes the next events into the store exactly as live traffic arrives, so
everything downstream (the feed, the correlator, the errors seen) sees what it saw live. A
move elsewhere plays through when the target is near ahead; otherwise the store starts over
with the :attr:`Replay.context` events before the target (read by index, never by reading the
journal up to there), and whoever folds the store's events starts over with it
(:attr:`Replay.on_reset`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from tui.core.feed import FeedEvent
from tui.core.journal_read import JournalReadError
from tui.core.replay.player import Player
from tui.core.replay.timeline import Timeline
from tui.core.sanitize import clean_line
from tui.core.store import FeedStore

_T = TypeVar("_T")

PLAY_THROUGH = 5_000  # a target at most this many events ahead is reached by playing (as
# quick as loading the context before it, and nothing starts over)


@dataclass(frozen=True)
class ReplayState:
    """What the replay bar shows."""

    taken: int
    total: int
    ts: float  # the time of the last event played (0: none yet)
    speed: float
    paused: bool
    at_end: bool
    partial_since: float  # >0: the state was rebuilt from the events since this time
    skipped_s: float
    following: bool = False  # at the end of a journal a running console still writes
    problem: str = ""  # at the end of a journal a running console still writes


class Replay:
    """Plays ``timeline`` into ``store``; ``context`` events are loaded around a seek."""

    def __init__(
        self,
        timeline: Timeline,
        store: FeedStore,
        *,
        context: int = 5_000,
        play_through: int = PLAY_THROUGH,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeline = timeline
        self.play_through = play_through
        self.store = store
        self.context = max(1, min(context, store.rows.capacity))
        self.player = Player()
        self.on_reset: list[Callable[[], None]] = []
        self.last_ts = 0.0
        self.partial_since = 0.0
        self.problem = ""  # why the replay stopped (a journal it can no longer read)
        self.monotonic = monotonic
        self._following_checked = -math.inf
        self._following_now = False
        store.archive = timeline

    # -- what the owner calls: a journal that cannot be read pauses the replay and says why -

    def tick(self, elapsed_s: float) -> int:
        """Play what ``elapsed_s`` seconds of the clock allow at the current speed."""
        return self._guard(lambda: self._tick(elapsed_s), 0)

    def step(self) -> int:
        """Pause, and play exactly one event."""
        return self._guard(self._step, 0)

    def step_back(self) -> None:
        """Pause, and stand before the last event played."""
        self._guard(self._step_back, None)

    def seek(self, ts: float) -> None:
        """Stand after the last event at or before ``ts`` (-inf: the start, inf: the end)."""
        self._guard(lambda: self._seek(ts), None)

    def seek_error(self, *, forward: bool = True) -> FeedEvent | None:
        """Stand just after the next (or previous) error of any journal; returns that event."""
        return self._guard(lambda: self._seek_error(forward), None)

    def _guard(self, move: Callable[[], _T], failed: _T) -> _T:
        """Run a move; a journal that went bad under it (deleted, damaged, unreadable) pauses
        the replay with :attr:`problem` set instead of stopping the console."""
        try:
            return move()
        except JournalReadError as exc:
            self.problem = clean_line(str(exc))
            self.player.paused = True
            return failed

    # -- the clock ------------------------------------------------------------------------

    def _tick(self, elapsed_s: float) -> int:
        """Play what ``elapsed_s`` seconds of the clock allow at the current speed."""
        limit, until = self.player.limit(elapsed_s, self.timeline.next_ts())
        if not limit:
            return 0
        return self._play(self.timeline.take(limit, until))

    def _play(self, events: list[FeedEvent]) -> int:
        if events:
            self.store.load(events)
            self.last_ts = events[-1].ts
            if self.last_ts > self.player.head or math.isinf(self.player.speed):
                self.player.moved_to(self.last_ts)
        return len(events)

    # -- the operator's moves -------------------------------------------------------------

    def _step(self) -> int:
        """Pause, and play exactly one event."""
        self.player.paused = True
        return self._play(self.timeline.take(1))

    def _step_back(self) -> None:
        """Pause, and stand before the last event played."""
        self.player.paused = True
        rows = self.store.rows
        if len(rows) >= 2:
            self._seek_number(int(rows[len(rows) - 2][0]))
        else:
            self._seek(-math.inf)

    def _seek(self, ts: float) -> None:
        """Stand after the last event at or before ``ts`` (-inf: the start, inf: the end)."""
        timeline = self.timeline
        cursors = timeline.cursors_at(ts)  # found once: to judge the distance, then to go
        ahead = (
            sum(max(c - run.cursor, 0) for c, run in zip(cursors, timeline.runs, strict=True))
            if math.isfinite(ts)
            else math.inf
        )
        if ts >= self.last_ts and ahead <= self.play_through:
            self._play(timeline.take(self.play_through + 1, ts))
            self.player.moved_to(ts)
            return
        self._reset(timeline.reposition(cursors, self.context))
        if math.isfinite(ts):
            self.player.moved_to(ts)

    def _seek_error(self, forward: bool) -> FeedEvent | None:
        """Stand just after the next (or previous) error of any journal; returns that event."""
        timeline = self.timeline
        found = timeline.error_near(forward=forward)
        if found is None:
            return None
        index, seq, ts = found
        if forward and timeline.distance_to(index, seq) <= self.play_through:
            run = timeline.runs[index]
            single = len(timeline.runs) == 1
            while run.cursor < seq:
                # One run: exactly up to it. Several: what comes before it in time, then one
                # by one (events of the same time, or a run whose times step back).
                taken = (
                    timeline.take(seq - run.cursor)
                    if single
                    else timeline.take(self.play_through, ts) or timeline.take(1)
                )
                if not taken:
                    break
                self._play(taken)
        else:
            self._reset(timeline.seek_seq(index, seq, self.context))
        self.player.paused = True
        rows = self.store.rows
        return FeedEvent._make(rows[len(rows) - 1]) if len(rows) else None

    def _seek_number(self, number: int) -> None:
        """Stand just after the event the store numbered ``number``."""
        where = self.timeline.origin(number)
        if where is not None:
            self._reset(self.timeline.seek_seq(where[0], where[1], self.context))

    def _reset(self, window: list[FeedEvent]) -> None:
        first = int(window[0].seq) if window else self.timeline.number + 1
        self.store.reset(first - 1)
        self.store.load(window)
        self.last_ts = window[-1].ts if window else 0.0
        # Rebuilt from a window that does not reach back to the start: say so.
        at_start = not window or window[0].ts <= self.timeline.start_ts
        self.partial_since = 0.0 if at_start else window[0].ts
        self.player.moved_to(self.last_ts)
        for callback in self.on_reset:
            callback()

    # -- what the bar shows ---------------------------------------------------------------

    def state(self) -> ReplayState:
        player = self.player
        return ReplayState(
            taken=self.timeline.taken,
            total=self.timeline.total,
            ts=self.last_ts,
            speed=player.speed,
            paused=player.paused,
            at_end=player.at_end,
            partial_since=self.partial_since,
            skipped_s=player.skipped_s,
            following=player.at_end and self._following(),
            problem=self.problem,
        )

    def _following(self) -> bool:
        """Asked at most once a second (the bar asks four times)."""
        now = self.monotonic()
        if now >= self._following_checked + 1.0:
            self._following_checked = now
            self._following_now = self.timeline.being_written()
        return self._following_now
