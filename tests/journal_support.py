"""Journals the way an older console wrote them, for the tests of every command that reads
journals (calls, ladder, export, open)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from tui.core.feed import FeedEvent


def schema2_journal(
    path: Path, events: Iterable[FeedEvent], raw: bytes = b"{}", meta: str = "{}"
) -> Path:
    """A journal of schema version 2 (before the ``parent`` column), each event with ``raw``
    as its body, echoed as its reply."""
    columns = [c for c in FeedEvent._fields if c != "parent"]
    marks = ", ".join("?" for _ in range(len(columns) + 4))
    with sqlite3.connect(path) as conn:
        conn.execute(f"CREATE TABLE events ({', '.join(columns)}, raw, reply, echo, meta)")
        conn.execute("CREATE TABLE journal_info (key TEXT PRIMARY KEY, value TEXT)")
        conn.execute("INSERT INTO journal_info VALUES ('schema', '2')")
        for event in events:
            values = [getattr(event, c) for c in columns]
            conn.execute(f"INSERT INTO events VALUES ({marks})", [*values, raw, b"", 1, meta])
    return path
