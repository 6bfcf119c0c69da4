"""The live correlator's group checkpoints, as the journal's writer makes and writes them.

A checkpoint is the groups that changed since the last one, as of one event (an index for
``noc-console calls``). The correlator hands them over from its own thread, as rows or as
snapshots whose rows the writer makes; checkpoints that wait are merged (a group's later row
replaces its earlier one), so none is dropped and what waits stays within the number of groups.
The writer makes :data:`CHECKPOINT_SLICE` rows a turn, writing the events that came meanwhile
in between, and rests after each slice (:data:`CHECKPOINT_DUTY`); once every row is made they
and the checkpoint's seq are written in one transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

CHECKPOINT_SLICE = 16
"""Group rows the writer makes between looks at the events waiting (~0.7 ms of work)."""
CHECKPOINT_DUTY = 0.25
"""At most this share of the time goes to making a checkpoint's rows. They are Python work,
which holds the interpreter lock the listener's loop needs too: made flat out, the ~1,200
groups of a checkpoint at 3,000 hooks/s (calls of five) kept the lock for ~55 ms, in 5 ms
turns, and replies queued behind it (`tail`'s p99 45-80 ms; 17 ms with no checkpoints). After
each slice the writer rests three times as long as the slice took it."""
_MAX_REST_S = 0.05  # a slice slowed by something else does not stall the checkpoint

GroupRow = tuple[str, str, bytes, float, str]
"""One correlated group as the journal keeps it: key, state (JSON), the seqs of its events, its
first time, and its listing (the JSON ``noc-console calls --json`` prints for it)."""


class LazyGroupRow(Protocol):
    """A group checkpoint whose row the writer makes (its JSON costs the loop nothing)."""

    key: str

    def row(self) -> GroupRow: ...


class GroupCheckpoints:
    """The checkpoints waiting and the one being made; the writer thread drives :meth:`step`."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        work_clock: Callable[[], float],
        note: Callable[[str, str], None],
    ) -> None:
        self._clock = clock  # when the next slice may start
        self._work_clock = work_clock  # how long a slice took the writer (its CPU, not waits)
        self._note = note
        self._waiting: dict[str, GroupRow | LazyGroupRow] = {}
        self._upto = 0
        self._lock = threading.Lock()
        self.broken = False  # a checkpoint failed: the index stays off for this run
        # The checkpoint being made: its rows so far, its groups, and its seq.
        self._current: tuple[list[GroupRow], list[GroupRow | LazyGroupRow], int] | None = None
        self._next_slice_at = 0.0

    def put(self, rows: Sequence[GroupRow | LazyGroupRow], upto: int) -> None:
        """Queue the groups that changed as of event ``upto`` (from any thread)."""
        with self._lock:
            for row in rows:
                self._waiting[row[0] if isinstance(row, tuple) else row.key] = row
            self._upto = max(self._upto, upto)

    @property
    def busy(self) -> bool:
        """A checkpoint waits or is being made."""
        return self._current is not None or bool(self._upto)

    def rest(self) -> float:
        """Seconds until the next slice may be made."""
        return max(0.0, self._next_slice_at - self._clock())

    def step(self, conn: sqlite3.Connection, *, closing: bool) -> None:
        """Make the next rows of the checkpoint (starting one if it waits); once they are all
        made, write them and the checkpoint's seq in one transaction. Between slices the
        writer rests, except when the journal is closing."""
        if self._clock() < self._next_slice_at and not closing:
            return  # woken by an event during the rest: the rows wait for the rest to end
        if self._current is None:
            with self._lock:
                waiting, upto = self._waiting, self._upto
                self._waiting, self._upto = {}, 0
            self._current = ([], list(waiting.values()), upto)
        made, groups, upto = self._current
        worked = self._work_clock()
        try:
            for row in groups[len(made) : len(made) + CHECKPOINT_SLICE]:
                made.append(row if isinstance(row, tuple) else row.row())
        except Exception as exc:
            self._current = None
            self._failed(conn, exc)
            return
        worked = self._work_clock() - worked
        rest = min(_MAX_REST_S, worked * (1.0 - CHECKPOINT_DUTY) / CHECKPOINT_DUTY)
        self._next_slice_at = self._clock() + rest
        if len(made) == len(groups):
            self._current = None
            self._write(conn, made, upto)

    def _write(self, conn: sqlite3.Connection, rows: list[GroupRow], upto: int) -> None:
        try:
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT OR REPLACE INTO groups (key, upto, doc, seqs, first, listing) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(key, upto, doc, seqs, first, listing) for key, doc, seqs, first, listing in rows],
            )
            conn.execute(
                "INSERT OR REPLACE INTO journal_info (key, value) VALUES ('groups_upto', ?)",
                (str(upto),),
            )
            conn.execute("COMMIT")
        except Exception as exc:  # an index, not the record: say so and go on
            with contextlib.suppress(Exception):
                conn.execute("ROLLBACK")
            self._failed(conn, exc)

    def _failed(self, conn: sqlite3.Connection, exc: Exception) -> None:
        self._note("journal group checkpoint", f"{type(exc).__name__}: {exc}")
        # An index with a hole must not look whole: this run's goes, and `calls` folds
        # every event instead (slower, and right).
        self.broken = True
        with contextlib.suppress(Exception):
            conn.execute("DELETE FROM journal_info WHERE key = 'groups_upto'")
