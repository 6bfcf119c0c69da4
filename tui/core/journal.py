"""The journal: every event with its raw body, in SQLite (WAL), committed by a writer thread.

The live view drops old rows when it is full; the journal keeps them all. Appends go to a deque
(cheap, any thread); the writer thread commits what piled up in one transaction (group commit:
whatever arrives while one commit runs goes into the next), then tells whoever waits which
events are now on disk. The hook listener answers a hook only after that: a hook that was
answered is in the journal, even if the process is killed the next instant (SQLite in WAL mode
with ``synchronous=NORMAL`` survives a crash of the process; ``sync = "full"`` also survives
losing power, at the cost of an fsync per commit).

Nothing an event holds can stop the writer: a batch that fails is retried row by row, rows that
still fail are counted and reported (``lost``, ``last_error``), and the writer goes on with the
next batch. What waits to be written is bounded in bytes; past the bound an event is refused at
once (and counted), never queued without limit. Files are private (0600 in a 0700 folder), a
file that grows past its size bound is closed and the next one opened (``<run>.2.sqlite``…), and
retention (:mod:`tui.core.journal_files`) keeps the folder within its bounds.

Bodies are stored redacted (:mod:`tui.core.redact`).
"""

from __future__ import annotations

import bisect
import contextlib
import json
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.feed import FeedEvent, Row
from tui.core.journal_files import Retention, RunLock, lock_path, prune, run_name
from tui.core.journal_groups import GroupCheckpoints, GroupRow, LazyGroupRow
from tui.core.private_files import create_private, private_dir
from tui.core.redact import redact_json_bytes

log = logging.getLogger(__name__)

SCHEMA_VERSION = "3"  # 3: the parent column (a B-leg's A-leg); 2 still reads
_COLUMNS = FeedEvent._fields
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS events (
    {", ".join(f"{c} {'INTEGER PRIMARY KEY' if c == 'seq' else ''}" for c in _COLUMNS)},
    raw BLOB,
    reply BLOB,
    echo INTEGER,
    meta TEXT
);
CREATE TABLE IF NOT EXISTS journal_info (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS groups (
    key TEXT PRIMARY KEY, upto INTEGER, doc TEXT, seqs BLOB, first REAL, listing TEXT
);
CREATE INDEX IF NOT EXISTS events_call ON events (call) WHERE call != '';
CREATE INDEX IF NOT EXISTS events_stream ON events (stream) WHERE stream != '';
CREATE INDEX IF NOT EXISTS events_session ON events (session) WHERE session != '';
CREATE INDEX IF NOT EXISTS events_parent ON events (parent) WHERE parent != '';
CREATE INDEX IF NOT EXISTS events_error ON events (seq) WHERE severity >= 3;
"""
_INSERT = (
    f"INSERT OR REPLACE INTO events ({', '.join(_COLUMNS)}, raw, reply, echo, meta) "
    f"VALUES ({', '.join('?' for _ in range(len(_COLUMNS) + 4))})"
)
_SELECT = f"SELECT {', '.join(_COLUMNS)}, raw, reply, echo, meta FROM events"
_ROW_OVERHEAD = 400  # bytes a queued event costs besides its bodies (the row tuple, strings)

CommitListener = Callable[[int, tuple[int, ...]], None]
"""Called on the writer thread after each batch: (every seq up to this one is settled, the
seqs among them that could not be written)."""


@dataclass(frozen=True)
class JournalRecord:
    """One stored event with what was received, what was answered, and transport details."""

    event: FeedEvent
    raw: bytes
    reply: bytes
    meta: dict[str, Any]


@dataclass(frozen=True)
class JournalLimits:
    """Bounds of one run's journal (0: no bound of that kind)."""

    max_file_bytes: int = 256 * 1024**2
    max_pending_bytes: int = 64 * 1024**2
    retention: Retention = field(default_factory=Retention)
    sync: str = "normal"  # normal | full


_Pending = tuple[Row, bytes, bytes, str, int]


class Journal:
    """An append-only SQLite journal (one run, possibly several files) with a writer thread."""

    def __init__(
        self,
        path: Path,
        *,
        limits: JournalLimits | None = None,
        interval: float = 0.5,
        batch_max: int = 5_000,
        clock: Callable[[], float] = time.monotonic,
        work_clock: Callable[[], float] = time.thread_time,
    ) -> None:
        self.path = path  # the file being written now
        self.limits = limits or JournalLimits()
        self.interval = interval
        self.batch_max = batch_max
        self.run = run_name(path)
        self._pending: deque[_Pending] = deque()
        # The live correlator's group checkpoints, written after the events queued before them.
        self._groups = GroupCheckpoints(clock=clock, work_clock=work_clock, note=self._note)
        self._append_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._settled = threading.Condition()
        self._enqueued = 0
        self._settled_count = 0  # written + lost after queueing
        self._written = 0
        self._refused = 0  # never queued (over the pending bound, or closed)
        self._failed = 0  # queued but could not be written
        self._bytes_in = 0
        self._bytes_out = 0
        self._info: dict[str, str] = {}
        self._segments: list[tuple[int, Path]] = []  # (first seq, file), oldest first
        self._readers: dict[Path, sqlite3.Connection] = {}
        self._read_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._lock: RunLock | None = None
        self._open = False
        self.listeners: list[CommitListener] = []
        self.last_error = ""
        self.errors = 0  # failures of any kind (each also in last_error and the log)
        self._quiet_until = 0.0
        self._unlogged = 0
        self._next_size_check = 0.0

    # -- lifecycle ----------------------------------------------------------------------------

    def open(self, info: dict[str, str] | None = None) -> Journal:
        if self.path.exists() and self.path.stat().st_size:
            # Another run's seqs would be overwritten: a journal is never appended to.
            raise FileExistsError(f"{self.path} exists: a journal is never appended to")
        private_dir(self.path.parent)
        self._lock = RunLock(lock_path(self.path.parent, self.run)).acquire()
        self._info = {"schema": SCHEMA_VERSION, "run": self.run, **(info or {})}
        try:
            self._create(self.path, part=1, first_seq=1)
        except BaseException:
            self._lock.release()
            raise
        self._segments = [(1, self.path)]
        self._open = True
        self._thread = threading.Thread(target=self._write_loop, name="journal", daemon=True)
        self._thread.start()
        self.apply_retention()
        return self

    def _create(self, path: Path, *, part: int, first_seq: int) -> None:
        create_private(path)
        setup = sqlite3.connect(path)
        try:
            setup.execute("PRAGMA journal_mode=WAL")
            setup.executescript(_SCHEMA)
            info = {**self._info, "part": str(part), "first_seq": str(first_seq)}
            setup.executemany(
                "INSERT OR REPLACE INTO journal_info (key, value) VALUES (?, ?)", info.items()
            )
            setup.commit()
        finally:
            setup.close()

    def close(self, timeout: float = 10.0) -> None:
        self._open = False
        if self._thread is not None:
            self._stopping.set()
            self._wake.set()
            self._thread.join(timeout)
            self._thread = None
        with self._read_lock:
            for reader in self._readers.values():
                reader.close()
            self._readers.clear()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # -- writing ------------------------------------------------------------------------------

    def append(self, row: Row, raw: bytes, reply: bytes, meta_json: str = "") -> bool:
        """Queue one event (transport details as redacted JSON text) from any thread.

        Returns False, at once, when the event will not be journalled: the journal is closed, or
        more than ``max_pending_bytes`` already wait for the disk.
        """
        size = len(raw) + (0 if reply is raw else len(reply)) + len(meta_json) + _ROW_OVERHEAD
        with self._append_lock:
            bound = self.limits.max_pending_bytes
            if not self._open or (bound and self._bytes_in - self._bytes_out + size > bound):
                self._refused += 1
                self._note(
                    "journal closed" if not self._open else
                    f"journal behind: over {bound // 1024**2} MB wait for the disk",
                    f"event {row[0]} not journalled",
                )  # fmt: skip
                return False
            self._enqueued += 1
            self._bytes_in += size
            self._pending.append((row, raw, reply, meta_json, size))
        if not self._wake.is_set():
            self._wake.set()
        return True

    def _write_loop(self) -> None:
        conn: sqlite3.Connection | None = None
        while True:
            self._wake.wait(self._rest())
            stopping = self._stopping.is_set()
            failed = False
            try:
                if conn is None:
                    conn = self._connect(self.path)
                while self._pending:
                    conn = self._write_batch(conn)
                if not self._pending and self._groups.busy:
                    self._groups.step(conn, closing=self._stopping.is_set())
            except Exception as exc:  # the writer never stops: note it, try again next wake
                self._note("journal writer", f"{type(exc).__name__}: {exc}")
                failed = True
                if conn is not None:
                    with contextlib.suppress(Exception):
                        conn.close()
                conn = None
                if stopping or self._pending:
                    self._give_up_on_pending(f"{type(exc).__name__}: {exc}")
            # Cleared only now: appends while a batch is written find the writer awake and
            # leave the event alone (setting it takes a lock and a notify: per event, that was
            # a tenth of the listener's time). What came after the last look goes next turn;
            # after a failure, the next try waits for the interval or the next event. A
            # checkpoint under way goes on when its rest is over (see _rest).
            self._wake.clear()
            checkpointing = self._groups.busy
            if self._stopping.is_set() or (not failed and self._pending):
                self._wake.set()
            if stopping and not self._pending and (failed or not checkpointing):
                break
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def _rest(self) -> float:
        """How long the writer waits for an event before it looks again."""
        return self._groups.rest() if self._groups.busy else self.interval

    def _connect(self, path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute(f"PRAGMA synchronous={'FULL' if self.limits.sync == 'full' else 'NORMAL'}")
        return conn

    def _write_batch(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        pending = self._pending
        taken: list[_Pending] = []
        for _ in range(min(len(pending), self.batch_max)):
            taken.append(pending.popleft())
        rows: list[tuple[Any, ...]] = []
        lost: list[int] = []
        for item in taken:
            try:
                rows.append(_stored_row(item))
            except Exception as exc:  # redaction of a hostile body: keep the event without it
                self._note("journal redaction", f"event {item[0][0]}: {type(exc).__name__}")
                rows.append(_stored_row((item[0], b"", b"", item[3], 0), redact=False))
        try:
            conn.execute("BEGIN")
            conn.executemany(_INSERT, rows)
            conn.execute("COMMIT")
        except Exception:
            with contextlib.suppress(Exception):
                conn.execute("ROLLBACK")
            lost = self._write_one_by_one(conn, rows)
        self._settle(taken, lost)
        return self._maybe_rotate(conn, int(taken[-1][0][0]))

    def put_groups(self, rows: Sequence[GroupRow | LazyGroupRow], upto: int) -> None:
        """Queue a checkpoint of correlated groups (from any thread): the groups that changed
        since the last one, as of event ``upto``, as rows or as snapshots the writer makes
        rows of. Written after every event queued before it."""
        if not self._open or self._groups.broken:
            return
        self._groups.put(rows, upto)
        self._wake.set()

    def _write_one_by_one(self, conn: sqlite3.Connection, rows: list[tuple[Any, ...]]) -> list[int]:
        """After a failed batch: each row on its own, made storable if it has to be."""
        lost: list[int] = []
        for row in rows:
            for candidate in (row, _storable(row)):
                try:
                    conn.execute(_INSERT, candidate)
                    break
                except Exception as exc:
                    error = f"event {row[0]}: {type(exc).__name__}: {exc}"
            else:
                lost.append(int(row[0]))
                self._note("journal write failed", error)
        return lost

    def _settle(self, taken: list[_Pending], lost: list[int]) -> None:
        with self._settled:
            self._bytes_out += sum(item[4] for item in taken)
            self._written += len(taken) - len(lost)
            self._failed += len(lost)
            self._settled_count += len(taken)
            self._settled.notify_all()
        upto = int(taken[-1][0][0])
        lost_seqs = tuple(lost)
        for listener in self.listeners:
            try:
                listener(upto, lost_seqs)
            except Exception as exc:
                self._note("journal listener", f"{type(exc).__name__}: {exc}")

    def _give_up_on_pending(self, reason: str) -> None:
        """The file cannot be written at all right now: what waits is reported lost rather
        than kept without bound (new events keep trying on the next wake)."""
        taken = list(self._pending)
        self._pending.clear()
        if taken:
            self._note("journal write failed", f"{len(taken)} events not journalled: {reason}")
            self._settle(taken, [int(item[0][0]) for item in taken])

    def _note(self, what: str, detail: str) -> None:
        """Record a failure; the log gets the first of a burst and then a count per second."""
        self.errors += 1
        self.last_error = f"{what}: {detail}"
        now = time.monotonic()
        if now < self._quiet_until:
            self._unlogged += 1
            return
        if self._unlogged:
            log.error("journal: %d more failures in the last second", self._unlogged)
            self._unlogged = 0
        self._quiet_until = now + 1.0
        log.error("%s: %s (%s)", what, detail, self.path)

    # -- rotation and retention ----------------------------------------------------------------

    def _maybe_rotate(self, conn: sqlite3.Connection, last_seq: int) -> sqlite3.Connection:
        bound = self.limits.max_file_bytes
        now = time.monotonic()
        if not bound or now < self._next_size_check:
            return conn
        self._next_size_check = now + 0.25
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        if pages * page_size < bound:
            return conn
        part = len(self._segments) + 1
        path = self.path.with_name(f"{self.run}.{part}.sqlite")
        self._create(path, part=part, first_seq=last_seq + 1)
        conn.close()
        with self._read_lock:
            self._segments.append((last_seq + 1, path))
        self.path = path
        log.info("journal rotated to %s (over %d MB)", path, bound // 1024**2)
        self.apply_retention()
        return self._connect(path)

    def apply_retention(self) -> list[Path]:
        """Keep the folder within its bounds (never touching another live run's files)."""
        try:
            removed = prune(
                self.path.parent,
                self.limits.retention,
                own_run=self.run,
                keep=frozenset({self.path}),
            )
        except OSError as exc:
            self._note("journal retention", str(exc))
            return []
        if removed:
            gone = set(removed)
            with self._read_lock:
                for path in gone & set(self._readers):
                    self._readers.pop(path).close()
                self._segments = [(first, p) for first, p in self._segments if p not in gone]
        return removed

    # -- state --------------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        return self._enqueued - self._settled_count

    @property
    def pending_bytes(self) -> int:
        return self._bytes_in - self._bytes_out

    @property
    def written(self) -> int:
        return self._written

    @property
    def lost(self) -> int:
        """Events that are not in the journal: refused at the door or failed on the way."""
        return self._refused + self._failed

    @property
    def files(self) -> list[Path]:
        with self._read_lock:
            return [path for _, path in self._segments]

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far is settled (written or reported lost)."""
        target = self._enqueued
        deadline = time.monotonic() + timeout
        self._wake.set()
        with self._settled:
            while self._settled_count < target:
                left = deadline - time.monotonic()
                if left <= 0 or self._thread is None:
                    return False
                self._settled.wait(left)
        return True

    # -- reading ------------------------------------------------------------------------------

    def _reader_for(self, seq: int) -> sqlite3.Connection | None:
        firsts = [first for first, _ in self._segments]
        index = bisect.bisect_right(firsts, seq) - 1
        if index < 0:
            return None
        path = self._segments[index][1]
        reader = self._readers.get(path)
        if reader is None:
            reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            self._readers[path] = reader
        return reader

    def _query_all(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        out: list[tuple[Any, ...]] = []
        with self._read_lock:
            for _, path in self._segments:
                reader = self._readers.get(path)
                if reader is None:
                    reader = sqlite3.connect(
                        f"file:{path}?mode=ro", uri=True, check_same_thread=False
                    )
                    self._readers[path] = reader
                out.extend(reader.execute(sql, args).fetchall())
        return out

    def fetch(self, seq: int) -> JournalRecord | None:
        with self._read_lock:
            reader = self._reader_for(seq)
            if reader is None:
                return None
            rows = reader.execute(f"{_SELECT} WHERE seq = ?", (seq,)).fetchall()
        return record_from_row(rows[0]) if rows else None

    def count(self) -> int:
        return sum(int(r[0]) for r in self._query_all("SELECT COUNT(*) FROM events"))

    def seqs(self) -> list[int]:
        return [int(r[0]) for r in self._query_all("SELECT seq FROM events ORDER BY seq")]


def _stored_row(item: _Pending, *, redact: bool = True) -> tuple[Any, ...]:
    row, raw, reply, meta_json, _ = item
    encoded = meta_json or None
    kept = redact_json_bytes(raw) if redact else raw
    if reply is raw or reply == raw:  # a backend's echo: stored (and redacted) once
        return (*row, kept, None, 1, encoded)
    return (*row, kept, redact_json_bytes(reply) if redact else reply, 0, encoded)


def _storable(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The row with any text SQLite cannot take (lone surrogates) replaced."""
    return tuple(
        value.encode("utf-8", "replace").decode("utf-8") if isinstance(value, str) else value
        for value in row
    )


def record_from_row(values: tuple[Any, ...]) -> JournalRecord:
    """A stored row (the event's columns, then raw, reply, echo, meta) as a record."""
    from tui.core.journal_rows import stored_event  # journal_rows imports the feed only

    width = len(_COLUMNS)
    event = stored_event(values[:width])
    raw, reply, echo, meta = values[width:]
    raw = bytes(raw or b"")
    reply = raw if echo else bytes(reply or b"")
    try:
        parsed_meta = json.loads(meta or "{}")
    except ValueError:
        parsed_meta = {"unreadable": str(meta)[:200]}
    return JournalRecord(event, raw, reply, parsed_meta)


def read_journal(path: Path) -> list[JournalRecord]:
    """Every record of a journal file, oldest first (for replay and tests)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(f"{_SELECT} ORDER BY seq").fetchall()
    finally:
        conn.close()
    return [record_from_row(r) for r in rows]
