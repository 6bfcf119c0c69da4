"""Exports for tickets and tools: JSON lines, CSV and HAR, written as a stream.

Each writer takes :class:`ExportedEvent` items one by one and writes them at once, so an export
of a million events costs the memory of one. What they write is redacted as the journal keeps
bodies (:mod:`tui.core.redact`), whether the bodies come from a journal or from a live store's
memory. :func:`read_jsonl` reads a JSON-lines export back into the same events.
"""

from __future__ import annotations

from tui.core.export.csv_rows import CSV_COLUMNS, neutralise, write_csv
from tui.core.export.har import HarCounts, write_har
from tui.core.export.item import ExportedEvent, TextOut, Utf8Out
from tui.core.export.jsonl import (
    JsonlProblem,
    JsonlReader,
    event_from_json,
    export_line,
    read_jsonl,
    write_jsonl,
)

__all__ = [
    "CSV_COLUMNS",
    "ExportedEvent",
    "HarCounts",
    "JsonlProblem",
    "JsonlReader",
    "TextOut",
    "Utf8Out",
    "event_from_json",
    "export_line",
    "neutralise",
    "read_jsonl",
    "write_csv",
    "write_har",
    "write_jsonl",
]
