"""Reading journals after the fact: a run's files in order, its events without their bodies,
one record with them, and the events of one call or stream by index.

Opened read-only (``mode=ro``), so a journal still being written by a running console can be
read; a damaged or foreign file is a :class:`JournalReadError` that names the file and says
what is wrong, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from tui.core.feed import BLANK_FIELDS, FeedEvent
from tui.core.journal import SCHEMA_VERSION, JournalRecord, record_from_row
from tui.core.journal_files import run_name
from tui.core.journal_rows import stored_event
from tui.core.sanitize import clean_line, json_text

_COLUMNS = FeedEvent._fields
_EVENT_SELECT = "SELECT {cols} FROM events"
_RECORD_SELECT = "SELECT {cols}, raw, reply, echo, meta FROM events"
# Columns added after schema version 2, read as their blank value from an older journal.
_ADDED_LATER = frozenset({"parent"})
_RECORDS_AT_ONCE = 500  # seqs per query: well under SQLite's bound on parameters


class JournalReadError(Exception):
    """A journal that cannot be read: which file, and what is wrong with it."""


def run_files(path: Path) -> list[Path]:
    """Every file of the run ``path`` belongs to, in order: ``<run>.sqlite``, ``<run>.2.sqlite``…"""
    if not path.exists():
        raise JournalReadError(f"{path}: no such file")
    run = run_name(path)
    parts: list[tuple[int, Path]] = []
    for candidate in path.parent.glob(f"{run}.*sqlite"):
        middle = candidate.name[len(run) + 1 : -len("sqlite")].rstrip(".")
        if middle == "":
            parts.append((1, candidate))
        elif middle.isdigit():
            parts.append((int(middle), candidate))
    return [p for _, p in sorted(parts)] or [path]


def newest_journal(folder: Path) -> Path | None:
    """The first file of the newest run in ``folder`` (None when there is none)."""
    firsts = [p for p in folder.glob("*.sqlite") if p.name.count(".") == 1]
    if not firsts:
        return None
    return max(firsts, key=lambda p: (p.stat().st_mtime, p.name))


class JournalReader:
    """One run's journal, read-only. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.files = run_files(path)
        self._conns: list[tuple[Path, sqlite3.Connection]] = []
        self._cols: dict[Path, str] = {}  # each file's event columns (blanks for newer ones)
        for file in self.files:
            conn, cols = _open(file)
            self._conns.append((file, conn))
            self._cols[file] = cols

    def __enter__(self) -> JournalReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for _, conn in self._conns:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._conns.clear()

    def _each(self, sql: str, args: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows of ``sql`` (``{cols}`` standing for the event columns) from every file."""
        for file, conn in self._conns:
            try:
                yield from conn.execute(sql.format(cols=self._cols[file]), args)
            except sqlite3.DatabaseError as exc:
                raise JournalReadError(f"{file}: {exc}") from None

    def events(self, batch: int = 4096, *, after: int = 0) -> Iterator[FeedEvent]:
        """Every event in seq order (those after seq ``after``), without bodies (a run's files
        hold ascending seq ranges)."""
        make = stored_event
        for file, conn in self._conns:
            try:
                sql = _EVENT_SELECT.format(cols=self._cols[file])
                cursor = conn.execute(f"{sql} WHERE seq > ? ORDER BY seq", (after,))
                while rows := cursor.fetchmany(batch):
                    for row in rows:
                        yield make(row)
            except sqlite3.DatabaseError as exc:
                raise JournalReadError(f"{file}: {exc}") from None

    def events_of(
        self, *, call: str = "", stream: str = "", session: str = "", parent: str = ""
    ) -> list[FeedEvent]:
        """The events of one call, stream or session, or those naming a parent call (by index
        where the journal has one)."""
        terms = [(name, value) for name, value in (("call", call), ("stream", stream),
                 ("session", session), ("parent", parent)) if value]  # fmt: skip
        if not terms:
            return []
        # "name != ''" as well: it is what lets SQLite use the journal's partial indexes.
        if any(name in _ADDED_LATER and f"AS {name}" in cols for name, _ in terms
               for cols in self._cols.values()):  # fmt: skip
            return []  # an older journal: it has no such column, so no such events
        where = " OR ".join(f"({name} = ? AND {name} != '')" for name, _ in terms)
        sql = f"{_EVENT_SELECT} WHERE {where} ORDER BY seq"
        return [stored_event(row) for row in self._each(sql, [v for _, v in terms])]

    def checkpoint(self, kinds: Sequence[str] = ()) -> tuple[int, list[tuple[str, bytes]]]:
        """The live correlator's last checkpoint: (the seq it is as of, each group's state and
        seqs), or (0, []) when the run wrote none (an older journal, or one that died before its
        first). A later file's row of a group replaces an earlier one's. ``kinds`` keeps only
        the groups of those kinds (``call``, ``stream``…)."""
        upto = self._upto()
        if not upto:
            return 0, []
        rows: dict[str, tuple[str, bytes]] = {}
        for file, conn in self._conns:
            try:
                if not self._has_groups(conn):
                    continue
                where = " OR ".join("key LIKE ?" for _ in kinds)
                sql = "SELECT key, doc, seqs FROM groups" + (f" WHERE {where}" if kinds else "")
                args = [f"{kind}:%" for kind in kinds]
                for key, doc, seqs in conn.execute(sql, args):
                    rows[str(key)] = (str(doc), bytes(seqs or b""))
            except sqlite3.DatabaseError as exc:
                raise JournalReadError(f"{file}: {exc}") from None
        return upto, list(rows.values())

    def listing(self, kinds: Sequence[str] = ()) -> tuple[int, list[str]]:
        """The groups' listings as of the last checkpoint, in order of first time (what
        ``calls --json`` prints when nothing came after it), or (0, []) without one."""
        upto = self._upto()
        if not upto:
            return 0, []
        rows: dict[str, tuple[float, str]] = {}
        where = " OR ".join("key LIKE ?" for _ in kinds)
        sql = "SELECT key, first, listing FROM groups" + (f" WHERE {where}" if kinds else "")
        for file, conn in self._conns:
            try:
                if not self._has_groups(conn):
                    continue
                for key, first, listing in conn.execute(sql, [f"{kind}:%" for kind in kinds]):
                    rows[str(key)] = (float(first or 0.0), _safe_listing(listing))
            except sqlite3.DatabaseError as exc:
                raise JournalReadError(f"{file}: {exc}") from None
        ordered = sorted(rows.items(), key=lambda item: (item[1][0], item[0]))
        return upto, [listing for _, (_, listing) in ordered]

    def _upto(self) -> int:
        upto = 0
        for file, conn in self._conns:
            try:
                if not self._has_groups(conn):
                    continue
                info = conn.execute(
                    "SELECT value FROM journal_info WHERE key = 'groups_upto'"
                ).fetchone()
            except sqlite3.DatabaseError as exc:
                raise JournalReadError(f"{file}: {exc}") from None
            if info is not None and str(info[0]).isdigit():
                upto = max(upto, int(info[0]))
        return upto

    @staticmethod
    def _has_groups(conn: sqlite3.Connection) -> bool:
        return (
            conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'groups'"
            ).fetchone()
            is not None
        )

    def has_events_after(self, seq: int) -> bool:
        """Whether the run has events after seq ``seq`` (a run killed after its checkpoint)."""
        for _, conn in self._conns:
            if conn.execute("SELECT 1 FROM events WHERE seq > ? LIMIT 1", (seq,)).fetchone():
                return True
        return False

    # -- positions (replay) ------------------------------------------------------------------

    def seq_bounds(self) -> tuple[int, int]:
        """The first and the last seq of the run ((0, 0) when it holds no event yet)."""
        # Two queries: SQLite answers a lone MIN or MAX from the key, both at once by a scan.
        firsts = [int(row[0]) for row in self._each("SELECT MIN(seq) FROM events") if row[0]]
        lasts = [int(row[0]) for row in self._each("SELECT MAX(seq) FROM events") if row[0]]
        return min(firsts, default=0), max(lasts, default=0)

    def ts_at_or_after(self, seq: int) -> tuple[int, float] | None:
        """The first event at or after seq ``seq``: (its seq, its time), or None."""
        sql = "SELECT seq, ts FROM events WHERE seq >= ? ORDER BY seq LIMIT 1"
        for row in self._each(sql, (seq,)):
            return int(row[0]), float(row[1])
        return None

    def events_upto(self, seq: int, limit: int) -> list[FeedEvent]:
        """The last ``limit`` events numbered ``seq`` or less, oldest first."""
        found: list[FeedEvent] = []
        make = stored_event
        for file, conn in reversed(self._conns):
            if len(found) >= limit:
                break
            sql = _EVENT_SELECT.format(cols=self._cols[file])
            try:
                rows = conn.execute(
                    f"{sql} WHERE seq <= ? ORDER BY seq DESC LIMIT ?", (seq, limit - len(found))
                ).fetchall()
            except sqlite3.DatabaseError as exc:
                raise JournalReadError(f"{file}: {exc}") from None
            found.extend(make(row) for row in rows)
        found.reverse()
        return found

    def error_near(self, seq: int, *, forward: bool) -> tuple[int, float] | None:
        """The first error event after seq ``seq`` (or the last one before it): (seq, time).
        New journals index their errors; an older one is scanned from ``seq`` on."""
        sql = (
            "SELECT seq, ts FROM events WHERE severity >= 3 AND seq > ? ORDER BY seq LIMIT 1"
            if forward
            else "SELECT seq, ts FROM events WHERE severity >= 3 AND seq < ? "
            "ORDER BY seq DESC LIMIT 1"
        )
        conns = self._conns if forward else list(reversed(self._conns))
        for file, conn in conns:
            try:
                row = conn.execute(sql, (seq,)).fetchone()
            except sqlite3.DatabaseError as exc:
                raise JournalReadError(f"{file}: {exc}") from None
            if row is not None:
                return int(row[0]), float(row[1])
        return None

    def record(self, seq: int) -> JournalRecord | None:
        for row in self._each(f"{_RECORD_SELECT} WHERE seq = ?", (seq,)):
            return record_from_row(row)
        return None

    def count(self) -> int:
        return sum(int(row[0]) for row in self._each("SELECT COUNT(*) FROM events"))

    def records_of(self, seqs: Sequence[int]) -> dict[int, JournalRecord]:
        """The records (bodies too) of the events numbered ``seqs``, by seq: a few queries
        for many seqs (an export reads bodies beside its stream of events this way, a batch
        at a time, never every body at once)."""
        found: dict[int, JournalRecord] = {}
        for start in range(0, len(seqs), _RECORDS_AT_ONCE):
            chunk = list(seqs[start : start + _RECORDS_AT_ONCE])
            marks = ", ".join("?" for _ in chunk)
            for row in self._each(f"{_RECORD_SELECT} WHERE seq IN ({marks})", chunk):
                record = record_from_row(row)
                found[record.event.seq] = record
        return found


def _open(path: Path) -> tuple[sqlite3.Connection, str]:
    try:
        # Any thread may read a record (an export on a worker thread reads bodies while the
        # UI reads events): SQLite serialises the calls on one connection itself.
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise JournalReadError(f"{path}: not a journal ({exc})") from None
    if "events" not in tables or "journal_info" not in tables:
        conn.close()
        raise JournalReadError(f"{path}: not a noc-console journal (no events table)")
    info = dict(conn.execute("SELECT key, value FROM journal_info").fetchall())
    version = info.get("schema", "?")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    missing = [c for c in _COLUMNS if c not in columns and c not in _ADDED_LATER]
    if missing:
        conn.close()
        raise JournalReadError(
            f"{path}: journal schema version {version} lacks {', '.join(missing)}; "
            f"this console reads version {SCHEMA_VERSION}"
        )
    cols = ", ".join(
        name if name in columns else f"{_blank_sql(name)} AS {name}" for name in _COLUMNS
    )
    return conn, cols


def _blank_sql(name: str) -> str:
    value = BLANK_FIELDS[name]
    return "''" if isinstance(value, str) else str(value)


def _safe_listing(listing: object) -> str:
    """A stored listing as it may be printed: printable JSON as it is, other JSON with its
    unsafe characters escaped; text that is not JSON (raw controls inside its strings) with
    each control shown as its picture, which keeps the rest of it as it was."""
    text = str(listing)
    if text.isprintable():
        return text
    try:
        return json_text(json.loads(text))
    except ValueError:
        return clean_line(text)
