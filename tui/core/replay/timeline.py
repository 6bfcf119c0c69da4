"""One time line over one or more journals: their events merged by time, read forward in
batches from a cursor, and repositioned at any time by index, never by reading everything.

Each run keeps a cursor (the last seq taken from it). An event's number in the replay (the seq
the store gives it) is the sum, over the runs, of how far each cursor has moved; it grows by at
least one per event, so the store's rows stay in order whichever run an event comes from. With
one run (the usual case) it is the journal's own seq, so seqs read the same as in the file.

Bodies are never read ahead: :meth:`Timeline.fetch` reads one event's record when something
shows it.
"""

from __future__ import annotations

import heapq
import math
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.feed import FeedEvent
from tui.core.journal import JournalRecord
from tui.core.journal_files import is_held, lock_path, run_name
from tui.core.journal_read import JournalReader, JournalReadError, run_files
from tui.core.sanitize import clean_line

_SEQ_BISECT_STEPS = 64


@dataclass
class ReplayRun:
    """One run's journal (one or more files) and how far the replay has read it."""

    reader: JournalReader
    label: str
    base: int  # the cursor's start: a replay number counts from it
    first: int
    last: int
    start_ts: float = 0.0  # the time of its first event
    cursor: int = 0  # the last seq taken (base: none yet)
    _rows: Iterator[FeedEvent] | None = field(default=None, repr=False)

    def rows(self) -> Iterator[FeedEvent]:
        if self._rows is None:
            self._rows = self.reader.events(after=self.cursor)
        return self._rows

    def rewind(self, cursor: int) -> None:
        self.cursor = cursor
        self._rows = None


class Timeline:
    """The merged events of ``paths`` (journal files; a run's other files come along)."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.runs: list[ReplayRun] = []
        seen: set[Path] = set()
        try:
            for path in paths:
                files = run_files(path)
                if files[0].resolve() in seen:
                    continue  # the same run named twice (or by two of its files)
                seen.add(files[0].resolve())
                reader = JournalReader(path)
                first, last = reader.seq_bounds()
                base = 0 if not self.runs else max(first - 1, 0)
                found = reader.ts_at_or_after(first) if first else None
                start = found[1] if found is not None else 0.0
                run = ReplayRun(reader, files[0].name, base, first, last, start, cursor=base)
                self.runs.append(run)
        except JournalReadError:
            self.close()
            raise
        self.total = sum(max(r.last - r.first + 1, 0) if r.first else 0 for r in self.runs)
        self._heap: list[tuple[float, int, FeedEvent]] = []
        self._primed = False
        # Replay number -> (run, seq), for the bodies of rows the store still holds (more than
        # one run only: with one, the number is the seq).
        self._where: OrderedDict[int, tuple[int, int]] = OrderedDict()
        self.keep_where = 200_000
        self.problem = ""  # the last body that could not be read, and why
        self.number = self._number()

    def close(self) -> None:
        for run in self.runs:
            run.reader.close()

    @property
    def labels(self) -> list[str]:
        return [run.label for run in self.runs]

    @property
    def start_ts(self) -> float:
        return min((run.start_ts for run in self.runs if run.first), default=0.0)

    @property
    def taken(self) -> int:
        """How many events the replay stands after (of :attr:`total`)."""
        return sum(max(run.cursor - run.first + 1, 0) for run in self.runs if run.first)

    @property
    def end_ts(self) -> float:
        lasts = [e[-1].ts for r in self.runs if (e := r.reader.events_upto(r.last, 1))]
        return max(lasts, default=0.0)

    def being_written(self) -> bool:
        """Whether a running console still writes one of the journals (it holds its lock)."""
        for run in self.runs:
            first = run.reader.files[0]
            if is_held(lock_path(first.parent, run_name(first))):
                return True
        return False

    def _number(self) -> int:
        return sum(run.cursor - run.base for run in self.runs)

    # -- reading forward ----------------------------------------------------------------------

    def _prime(self) -> None:
        """Put each run's next event on the heap (and look again at runs that had ended: a
        journal still being written grows)."""
        on_heap = {index for _, index, _ in self._heap}
        for index, run in enumerate(self.runs):
            if index in on_heap:
                continue
            event = next(run.rows(), None)
            if event is None:
                run.rewind(run.cursor)  # read again from here next time
                continue
            heapq.heappush(self._heap, (event.ts, index, event))
        self._primed = True

    def next_ts(self) -> float | None:
        """The time of the next event, or None at the end (for now)."""
        if not self._heap:
            self._prime()
        return self._heap[0][0] if self._heap else None

    def take(self, limit: int, until_ts: float = math.inf) -> list[FeedEvent]:
        """Up to ``limit`` next events with times up to ``until_ts``, numbered for the store."""
        if not self._heap:
            self._prime()
        heap = self._heap
        runs = self.runs
        out: list[FeedEvent] = []
        number = self.number
        several = len(runs) > 1
        while heap and len(out) < limit and heap[0][0] <= until_ts:
            _, index, event = heapq.heappop(heap)
            run = runs[index]
            number += event.seq - run.cursor
            run.cursor = event.seq
            if event.seq > run.last:  # a journal still being written has grown
                self.total += event.seq - max(run.last, run.first - 1 if run.first else 0)
                run.first = run.first or event.seq
                run.last = event.seq
            if several:
                self._remember(number, index, event.seq)
                out.append(event._replace(seq=number))
            else:
                out.append(event)
            following = next(run.rows(), None)
            if following is not None:
                heapq.heappush(heap, (following.ts, index, following))
            else:
                run.rewind(run.cursor)
        self.number = number
        return out

    def _remember(self, number: int, run: int, seq: int) -> None:
        where = self._where
        where[number] = (run, seq)
        if len(where) > self.keep_where:
            where.popitem(last=False)

    # -- repositioning ------------------------------------------------------------------------

    def cursors_at(self, ts: float) -> list[int]:
        """Each run's cursor for standing just after the last event at or before ``ts``."""
        return [self.last_seq_at(run, ts) for run in self.runs]

    def seek_seq(self, run_index: int, seq: int, context: int) -> list[FeedEvent]:
        """Stand just after event ``seq`` of run ``run_index`` (the others at its time)."""
        target = self.runs[run_index]
        found = target.reader.ts_at_or_after(seq)
        ts = found[1] if found is not None else math.inf
        cursors = [
            seq if i == run_index else self.last_seq_at(run, ts, strictly_before=True)
            for i, run in enumerate(self.runs)
        ]
        return self.reposition(cursors, context)

    def reposition(self, cursors: list[int], context: int) -> list[FeedEvent]:
        """Stand at ``cursors`` (one per run); returns the ``context`` events up to there."""
        window: list[tuple[float, int, FeedEvent]] = []
        for index, (run, cursor) in enumerate(zip(self.runs, cursors, strict=True)):
            if cursor > run.base:
                window.extend((e.ts, index, e) for e in run.reader.events_upto(cursor, context))
        window.sort(key=lambda item: (item[0], item[1]))
        window = window[-context:] if context > 0 else []
        for run, cursor in zip(self.runs, cursors, strict=True):
            run.rewind(cursor)
        self._heap = []
        self._where.clear()
        self.number = self._number()
        if len(self.runs) == 1:
            return [event for _, _, event in window]
        # Number backwards from the end: each event's number is the sum of the cursors with
        # its run's cursor at it.
        numbered: list[FeedEvent] = []
        moving = list(cursors)
        number = self.number
        previous: dict[int, list[int]] = {}
        for _, index, event in window:
            previous.setdefault(index, []).append(event.seq)
        for _, index, event in reversed(window):
            numbered.append(event._replace(seq=number))
            self._where[number] = (index, event.seq)
            seqs = previous[index]
            seqs.pop()
            before = seqs[-1] if seqs else event.seq - 1
            number -= moving[index] - before
            moving[index] = before
        numbered.reverse()
        self._where = OrderedDict(sorted(self._where.items()))
        return numbered

    def last_seq_at(self, run: ReplayRun, ts: float, *, strictly_before: bool = False) -> int:
        """The seq of the run's last event at (or before) ``ts`` by bisection over seqs (a
        journal is written in arrival order, so time grows with seq, or nearly); the run's base
        when none is."""
        if not run.first:
            return run.base
        low, high = run.first, run.last  # invariant: the answer is in [low - 1, high]
        for _ in range(_SEQ_BISECT_STEPS):
            if low > high:
                break
            middle = (low + high) // 2
            found = run.reader.ts_at_or_after(middle)
            if found is None:
                high = middle - 1
                continue
            seq, at = found
            if at < ts or (at == ts and not strictly_before):
                low = seq + 1
            else:
                high = middle - 1
        answer = low - 1
        return run.base if answer < run.first else answer

    def error_near(self, *, forward: bool) -> tuple[int, int, float] | None:
        """The next (or previous) error of any run from where the replay stands: (run, seq,
        time)."""
        best: tuple[int, int, float] | None = None
        for index, run in enumerate(self.runs):
            found = run.reader.error_near(run.cursor, forward=forward)
            if found is None:
                continue
            seq, ts = found
            if best is None or (ts < best[2] if forward else ts > best[2]):
                best = (index, seq, ts)
        return best

    def distance_to(self, run_index: int, seq: int) -> int:
        """How many events of that run lie between the cursor and ``seq`` (a bound on the
        events to read to get there by playing)."""
        return seq - self.runs[run_index].cursor

    # -- bodies -------------------------------------------------------------------------------

    def origin(self, number: int) -> tuple[int, int] | None:
        """(run, seq) of the event the replay numbered ``number`` (while the store may still
        hold it), or None."""
        if len(self.runs) == 1:
            return (0, number)
        return self._where.get(number)

    def _record(self, index: int, seq: int) -> JournalRecord | None:
        """A record, or None (said in :attr:`problem`) when its journal can no longer be read:
        a body that cannot be shown must not stop what shows it."""
        try:
            return self.runs[index].reader.record(seq)
        except JournalReadError as exc:
            self.problem = clean_line(str(exc))
            return None

    def fetch(self, number: int) -> JournalRecord | None:
        """The stored record (bodies included) of the event the replay numbered ``number``."""
        where = self.origin(number)
        if where is None:
            return None
        index, seq = where
        record = self._record(index, seq)
        if len(self.runs) == 1:
            return record
        if record is None:
            return None
        return JournalRecord(record.event._replace(seq=number), record.raw, record.reply,
                             record.meta)  # fmt: skip
