"""The feed store: a bounded buffer of compact rows for the view, plus the journal for everything.

Sources publish into it (one call per event, cheap); the UI reads it on its clock through a
:class:`FeedView`, which applies the filter and follows new rows. Nothing here knows about Textual.
"""

from __future__ import annotations

import json
import threading
import time
from bisect import bisect_left
from collections import OrderedDict, deque
from collections.abc import Callable
from operator import itemgetter
from typing import Any, NamedTuple, Protocol

from tui.core.feed import FeedEvent, Row, from_row
from tui.core.journal import Journal, JournalRecord
from tui.core.query import Query
from tui.core.redact import redact_meta
from tui.core.ring import RingBuffer

_SEQ = 0
_make_event = FeedEvent._make


class Submitted(NamedTuple):
    """What :meth:`FeedStore.submit` gave an event: its seq, and whether the journal took it."""

    seq: int
    journalled: bool


class EventSubmitter(Protocol):
    """Where a source on any thread hands its events (the store)."""

    def submit(
        self,
        event: FeedEvent | Row,
        raw: bytes = b"",
        reply: bytes = b"",
        meta: dict[str, Any] | str | None = None,
    ) -> Submitted: ...


class Body(NamedTuple):
    """What was received and answered for one event, plus transport details (as JSON text).

    Recent bodies are kept as received; bodies read back from the journal are redacted. Whatever
    shows or exports a body redacts it (:mod:`tui.core.pretty`). The transport details are kept
    as text, already redacted: a tuple of bytes and str is invisible to the garbage collector,
    where thousands of kept dicts made every full collection tens of milliseconds longer.
    """

    raw: bytes
    reply: bytes
    meta_json: str = ""

    @property
    def meta(self) -> dict[str, Any]:
        if not self.meta_json:
            return {}
        parsed: dict[str, Any] = json.loads(self.meta_json)
        return parsed


def encode_meta(meta: dict[str, Any] | str | None) -> str:
    """Transport details as the store and the journal keep them: redacted JSON text."""
    if not meta:
        return ""
    if isinstance(meta, str):
        return meta
    return json.dumps(redact_meta(meta), separators=(",", ":"))


class Archive(Protocol):
    """Where the store reads the record of an event whose body it no longer holds (the live
    journal, or the journals a replay reads)."""

    def fetch(self, seq: int) -> JournalRecord | None: ...


class FeedStore:
    r"""Bounded rows for the view; every event also goes to the journal (when there is one).

    Any thread may :meth:`submit` an event: it gets its ``seq`` and its place in the journal's
    queue at once, under one lock, so journal order is seq order. The thread that owns the store
    (the UI's, or ``tail``'s loop) :meth:`drain`\ s submitted events into the buffer on its clock;
    :meth:`publish` is submit-and-drain for sources that run on that thread.
    """

    def __init__(
        self,
        capacity: int,
        *,
        journal: Journal | None = None,
        recent_bodies: int = 5000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.rows: RingBuffer[Row] = RingBuffer(capacity)
        self.journal = journal
        self.archive: Archive | None = journal  # where older bodies are read from
        self.clock = clock
        self.received = 0
        self.evicted = 0
        self.version = 0
        self.epoch = 0  # moves when the rows are replaced (a replay's seek): views start over
        self._next_seq = 1
        self._last_taken = 0
        self._lock = threading.Lock()
        self._inbox: deque[tuple[Row, bytes, bytes, str]] = deque()
        # Plain tuples (raw, reply, meta_json): untracked by the GC, unlike the Body named tuple.
        self._recent: OrderedDict[int, tuple[bytes, bytes, str]] = OrderedDict()
        self._recent_limit = recent_bodies
        self.listeners: list[Callable[[FeedEvent], None]] = []
        # Called with each submitted (row, raw, reply, meta_json) under the submit lock, so in
        # seq order from any thread (a collector's publisher queues it); it must be quick.
        self.on_submit: Callable[[Row, bytes, bytes, str], None] | None = None
        self.listener_errors = 0
        self.last_listener_error = ""

    def submit(
        self,
        event: FeedEvent | Row,
        raw: bytes = b"",
        reply: bytes = b"",
        meta: dict[str, Any] | str | None = None,
    ) -> Submitted:
        """Number the event and queue it for the journal and the view, from any thread.

        Returns its seq and whether the journal took it (False: no journal, or the journal
        refused it and said so).
        """
        meta_json = encode_meta(meta)
        journal = self.journal
        with self._lock:
            seq = self._next_seq
            self._next_seq = seq + 1
            row = (seq, *event[1:])  # a plain tuple: the GC stops tracking it (tui.core.feed)
            queued = journal.append(row, raw, reply, meta_json) if journal is not None else False
            self._inbox.append((row, raw, reply, meta_json))
            if self.on_submit is not None:
                self.on_submit(row, raw, reply, meta_json)
        return Submitted(seq, queued)

    def drain(self, limit: int = 200_000) -> int:
        """Move submitted events into the buffer, oldest first (on the owner's thread)."""
        inbox = self._inbox
        moved = 0
        while inbox and moved < limit:
            self._take(*inbox.popleft())
            moved += 1
        return moved

    def publish(
        self,
        event: FeedEvent | Row,
        raw: bytes = b"",
        reply: bytes = b"",
        meta: dict[str, Any] | str | None = None,
    ) -> FeedEvent:
        """Submit and drain at once (on the owner's thread); returns the numbered event."""
        seq = self.submit(event, raw, reply, meta).seq
        self.drain()
        return _make_event((seq, *event[1:]))

    def _take(self, row: Row, raw: bytes, reply: bytes, meta_json: str) -> None:
        seq = row[_SEQ]
        if self.rows.append(row) is not None:
            self.evicted += 1
        self.received += 1
        self.version += 1
        self._last_taken = seq
        self._recent[seq] = (raw, reply, meta_json)
        if len(self._recent) > self._recent_limit:
            self._recent.popitem(last=False)
        if self.listeners:
            event = _make_event(row)
            for listener in self.listeners:
                try:
                    listener(event)
                except Exception as exc:  # one bad listener must not stop the feed
                    self.listener_errors += 1
                    self.last_listener_error = f"{type(exc).__name__}: {exc}"

    # -- replay -------------------------------------------------------------------------------

    def load(self, events: list[FeedEvent]) -> int:
        """Take events that already have their seqs (a replay's, in ascending order) without
        their bodies, which :attr:`archive` reads when something shows one; listeners hear
        each as if it had been published."""
        rows = self.rows
        listeners = self.listeners
        for event in events:
            if rows.append(tuple(event)) is not None:
                self.evicted += 1
            if listeners:
                for listener in listeners:
                    try:
                        listener(event)
                    except Exception as exc:  # one bad listener must not stop the feed
                        self.listener_errors += 1
                        self.last_listener_error = f"{type(exc).__name__}: {exc}"
        if events:
            last = int(events[-1][_SEQ])
            self.received += len(events)
            self.version += 1
            self._last_taken = last
            self._next_seq = max(self._next_seq, last + 1)
        return len(events)

    def reset(self, last_seq: int = 0) -> None:
        """Forget every row and body (a replay moved elsewhere): the next rows follow
        ``last_seq``. Views see :attr:`epoch` move and start over."""
        self.rows.clear()
        self._recent.clear()
        self._inbox.clear()
        self.received = 0
        self.evicted = 0
        self._last_taken = last_seq
        self._next_seq = last_seq + 1
        self.epoch += 1
        self.version += 1

    @property
    def waiting(self) -> int:
        """Submitted events the owner has not drained yet."""
        return len(self._inbox)

    @property
    def first_seq(self) -> int:
        first = self.rows.first()
        return int(first[_SEQ]) if first is not None else self._last_taken + 1

    @property
    def last_seq(self) -> int:
        """The newest seq in the buffer's history (drained; later submissions not yet)."""
        return self._last_taken

    def body(self, seq: int) -> Body | None:
        """Raw body and reply of an event: recent ones from memory, older ones from the journal."""
        found = self._recent.get(seq)
        if found is not None:
            return Body(*found)
        archive = self.archive if self.archive is not None else self.journal
        if archive is None:
            return None
        record: JournalRecord | None = archive.fetch(seq)
        return Body(record.raw, record.reply, json.dumps(record.meta)) if record else None

    def since(self, seq: int) -> list[Row]:
        """Rows numbered after ``seq`` that are still in the buffer, oldest first."""
        new = self.last_seq - seq
        if new <= 0:
            return []
        available = min(new, len(self.rows))
        return self.rows[len(self.rows) - available :]

    def event(self, seq: int) -> FeedEvent | None:
        """The event with this seq if it is still in the buffer."""
        index = seq_index(self.rows, seq)
        return from_row(self.rows[index]) if index is not None else None


def seq_index(rows: RingBuffer[Row], seq: int) -> int | None:
    """Where the row numbered ``seq`` is (rows are kept in seq order), or None."""
    index = bisect_left(rows, seq, key=itemgetter(_SEQ))
    return index if index < len(rows) and rows[index][_SEQ] == seq else None


class FeedView:
    """The rows the feed shows: the store through a filter, following new rows unless paused.

    ``sync()`` is called on the UI clock; it pulls what arrived since the last call. Rows that
    left the store's buffer before a sync saw them are counted in ``missed``.
    """

    def __init__(self, store: FeedStore, query: Query | None = None) -> None:
        self.store = store
        self.query: Query | None = None
        self.rows: RingBuffer[Row] = RingBuffer(store.rows.capacity)
        self.paused = False
        self.missed = 0
        self._seen_seq = 0
        self.set_query(query)

    def set_query(self, query: Query | None) -> None:
        """Apply a new filter to everything in the buffer (≤ 1 s for a million rows)."""
        self.query = None if query is None or query.is_empty else query
        self._epoch = self.store.epoch
        self.rows.clear()
        predicate = self.query.predicate if self.query else None
        append = self.rows.append
        if predicate is None:
            for row in self.store.rows:
                append(row)
        else:
            for row in self.store.rows:
                if predicate(row):
                    append(row)
        self._seen_seq = self.store.last_seq

    def pending(self) -> int:
        """Events received since the view last took rows (what a paused view has not shown)."""
        return self.store.last_seq - self._seen_seq

    def sync(self) -> int:
        """Take the rows that arrived since the last sync; returns how many were added."""
        store = self.store
        if store.epoch != self._epoch:  # the store's rows were replaced: take them all again
            self.set_query(self.query)
            self.missed = 0
            return len(self.rows)
        if self.paused:
            return 0
        new = store.last_seq - self._seen_seq
        if new <= 0:
            return 0
        available = min(new, len(store.rows))
        if available < new:
            self.missed += new - available
        rows = store.rows
        start = len(rows) - available
        added = 0
        predicate = self.query.predicate if self.query else None
        for index in range(start, len(rows)):
            row = rows[index]
            if predicate is None or predicate(row):
                self.rows.append(row)
                added += 1
        self._seen_seq = store.last_seq
        first = store.first_seq
        while len(self.rows) and self.rows[0][_SEQ] < first:
            self.rows.popleft()
        return added

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: int) -> Row:
        return self.rows[index]

    def index_of(self, seq: int) -> int | None:
        return seq_index(self.rows, seq)
