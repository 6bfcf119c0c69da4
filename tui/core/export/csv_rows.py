"""CSV: a header row, then one row per event with the feed's fields; safe to open in a
spreadsheet.

Remote text cannot become a formula: a text cell that starts with ``=``, ``+``, ``-``, ``@``
(or their full-width forms, which some spreadsheets read the same), a tab or a carriage return
gets a single quote in front, which makes a spreadsheet show it as text. Quotes, commas and line
breaks inside a cell are quoted by the :mod:`csv` module, so no value can end a row or start a
new one. The numbers that are the console's own (seq, SIP and reply status, latency) stay
numbers; an absent one is an empty cell.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from tui.core.export.fast_line import iso_ms
from tui.core.export.item import ExportedEvent, TextOut
from tui.core.feed import SEVERITY_NAMES, FeedEvent, flag_names

CSV_COLUMNS = (
    "time", "seq", "source", "severity", "node", "app", "kind", "method", "status", "info",
    "session", "call", "parent", "stream", "media", "caller", "callee", "queue", "user",
    "error_id", "sip_status", "reply_status", "latency_ms", "rule", "flags",
)  # fmt: skip
"""The header row. Field names are the console's own, the same for WCS and ICWS events."""

FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
"""First characters that make a spreadsheet read a cell as a formula (or drop into one)."""

_TEXT = (
    "node", "app", "kind", "method", "status", "info", "session", "call", "parent", "stream",
    "media", "caller", "callee", "queue", "user", "error_id",
)  # fmt: skip
_TEXT_INDEX = tuple(FeedEvent._fields.index(name) for name in _TEXT)
_FLAGS = flag_names()


def neutralise(cell: str) -> str:
    """A text cell a spreadsheet shows as the text it is, never as a formula."""
    if cell and cell[0] in FORMULA_STARTS:
        return "'" + cell
    return cell


def csv_row(event: FeedEvent) -> list[Any]:
    """One event's cells, in the order of :data:`CSV_COLUMNS`."""
    starts = FORMULA_STARTS
    cells: list[str] = [event[index] for index in _TEXT_INDEX]  # type: ignore[misc]
    texts = [cell if not cell or cell[0] not in starts else "'" + cell for cell in cells]
    flags = event.flags
    latency = event.latency_ms
    return [
        iso_ms(event.ts),
        event.seq,
        neutralise(event.source),
        SEVERITY_NAMES[event.severity],
        *texts,
        event.sip_status or "",
        event.reply_status or "",
        round(latency, 3) if latency >= 0 else "",
        neutralise(event.rule),
        _flag_cell(flags) if flags else "",
    ]


def _flag_cell(flags: int) -> str:
    return "|".join(name for bit, name in _FLAGS if flags & bit)


def write_csv(items: Iterable[ExportedEvent], out: TextOut) -> int:
    """Write the header row, then each item's row as it comes; returns how many rows of events
    were written. ``out`` should be opened with ``newline=""`` (rows end in CR LF)."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    written = 0
    writerow = writer.writerow
    for item in items:
        writerow(csv_row(item.event))
        written += 1
    return written
