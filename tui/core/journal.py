"""The journal: every event with its raw body, in SQLite (WAL), written off the UI's path.

The live view drops old rows when it is full; the journal keeps them all. Appends go to a
deque (one C-level append, no lock, no thread wake-up); a writer thread wakes every ``interval``
seconds, redacts, and commits what piled up in one transaction. Waking the writer per event
would hand the GIL back and forth on every hook and cost more than the hook itself. Bodies are
stored redacted (see :mod:`tui.core.redact`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.feed import FeedEvent, Row
from tui.core.redact import redact_json_bytes

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
"""
_INSERT = (
    f"INSERT OR REPLACE INTO events ({', '.join(_COLUMNS)}, raw, reply, echo, meta) "
    f"VALUES ({', '.join('?' for _ in range(len(_COLUMNS) + 4))})"
)


@dataclass(frozen=True)
class JournalRecord:
    """One stored event with what was received, what was answered, and transport details."""

    event: FeedEvent
    raw: bytes
    reply: bytes
    meta: dict[str, Any]


class Journal:
    """An append-only SQLite journal with a background writer thread."""

    def __init__(self, path: Path, *, interval: float = 0.05, batch_max: int = 20_000) -> None:
        self.path = path
        self.interval = interval
        self.batch_max = batch_max
        self._pending: deque[tuple[Row, bytes, bytes, str]] = deque()
        self._stopping = threading.Event()
        self._written = 0
        self._enqueued = 0
        self._lock = threading.Lock()
        self._reader: sqlite3.Connection | None = None
        self._thread: threading.Thread | None = None
        self.last_error = ""

    # -- lifecycle ----------------------------------------------------------------------------

    def open(self, info: dict[str, str] | None = None) -> Journal:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        setup = sqlite3.connect(self.path)
        try:
            setup.execute("PRAGMA journal_mode=WAL")
            setup.executescript(_SCHEMA)
            for key, value in (info or {}).items():
                setup.execute(
                    "INSERT OR REPLACE INTO journal_info (key, value) VALUES (?, ?)", (key, value)
                )
            setup.commit()
        finally:
            setup.close()
        self._reader = sqlite3.connect(self.path, check_same_thread=False)
        self._thread = threading.Thread(target=self._write_loop, name="journal", daemon=True)
        self._thread.start()
        return self

    def close(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            self._stopping.set()
            self._thread.join(timeout)
            self._thread = None
        if self._reader is not None:
            with self._lock:
                self._reader.close()
            self._reader = None

    # -- writing ------------------------------------------------------------------------------

    def append(self, row: Row, raw: bytes, reply: bytes, meta_json: str = "") -> None:
        """Queue one event (transport details as redacted JSON text); never blocks, never wakes
        the writer."""
        self._enqueued += 1
        self._pending.append((row, raw, reply, meta_json))

    def _write_loop(self) -> None:
        conn = sqlite3.connect(self.path)
        conn.execute("PRAGMA synchronous=NORMAL")
        try:
            while True:
                stopping = self._stopping.wait(self.interval)
                self._drain(conn)
                if stopping:
                    break
        finally:
            conn.close()

    def _drain(self, conn: sqlite3.Connection) -> None:
        pending = self._pending
        while pending:
            batch: list[tuple[Any, ...]] = []
            take = min(len(pending), self.batch_max)
            for _ in range(take):
                row, raw, reply, meta_json = pending.popleft()
                encoded = meta_json or None
                kept = redact_json_bytes(raw)
                if reply is raw or reply == raw:  # a backend's echo: stored (and redacted) once
                    batch.append((*row, kept, None, 1, encoded))
                else:
                    batch.append((*row, kept, redact_json_bytes(reply), 0, encoded))
            self._commit(conn, batch)

    def _commit(self, conn: sqlite3.Connection, batch: list[tuple[Any, ...]]) -> None:
        try:
            with conn:
                conn.executemany(_INSERT, batch)
            self._written += len(batch)
        except sqlite3.Error as exc:
            self.last_error = f"journal write failed ({len(batch)} events lost): {exc}"

    @property
    def pending(self) -> int:
        return self._enqueued - self._written

    @property
    def written(self) -> int:
        return self._written

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything queued so far is on disk (tests, benchmarks, shutdown)."""
        target = self._enqueued
        deadline = time.monotonic() + timeout
        while self._written < target and not self.last_error:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True

    # -- reading ------------------------------------------------------------------------------

    def _query(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._reader is None:
            raise RuntimeError("journal is not open")
        with self._lock:
            return self._reader.execute(sql, args).fetchall()

    def fetch(self, seq: int) -> JournalRecord | None:
        rows = self._query(
            f"SELECT {', '.join(_COLUMNS)}, raw, reply, echo, meta FROM events WHERE seq = ?",
            (seq,),
        )
        return _record(rows[0]) if rows else None

    def count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM events")[0][0])

    def seqs(self) -> list[int]:
        return [int(r[0]) for r in self._query("SELECT seq FROM events ORDER BY seq")]


def _record(values: tuple[Any, ...]) -> JournalRecord:
    width = len(_COLUMNS)
    event = FeedEvent._make(values[:width])
    raw, reply, echo, meta = values[width:]
    raw = bytes(raw or b"")
    reply = raw if echo else bytes(reply or b"")
    return JournalRecord(event, raw, reply, json.loads(meta or "{}"))


def read_journal(path: Path) -> list[JournalRecord]:
    """Every record of a journal file, oldest first (for replay and tests)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            f"SELECT {', '.join(_COLUMNS)}, raw, reply, echo, meta FROM events ORDER BY seq"
        ).fetchall()
    finally:
        conn.close()
    return [_record(r) for r in rows]
