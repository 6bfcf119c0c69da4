"""Writing a whole new journal from events that come from elsewhere (an imported log, a JSONL
export read back): the same file a live run writes, through :class:`tui.core.journal.Journal`
itself, so every reader of journals (``calls``, ``ladder``, ``open``, ``export``) reads it.

Usage::

    result = write_journal(path, items, {"mode": "import", "source": "wcs-log"})

``items`` is any iterable of ``(event, raw, reply, meta)``: a :class:`FeedEvent` (its ``seq`` is
ignored: events are numbered 1..N in the order they come; with ``keep_seqs`` an event keeps its
own seq while the seqs ascend, as those of a journal's export do), the body as received, the answer
(``reply is raw`` or equal bytes: stored once, as the live journal does for an echo), and the
transport details as a dict (redacted on the way in, like the live store's). The iterable is
consumed once, as it comes: memory stays flat however many events there are (the journal's
queue is flushed whenever it holds more than a bounded number of events or bytes).

The file is new: an existing non-empty file is refused (:class:`FileExistsError`), it is private
(0600 in a 0700 folder), it is never rotated (one import, one file), and the folder's retention
is not applied (an import may sit among the operator's own files).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.feed import FeedEvent
from tui.core.journal import Journal, JournalLimits
from tui.core.journal_files import Retention
from tui.core.store import encode_meta

ImportItem = tuple[FeedEvent, bytes, bytes, dict[str, Any]]
"""One event to write: the event, what was received, what was answered, transport details."""

FLUSH_EVENTS = 2_000  # queued events past which the writer waits for the disk
FLUSH_BYTES = 8 * 1024**2  # queued bytes past which it waits (well inside the pending bound)
FLUSH_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class WriteResult:
    """What :func:`write_journal` wrote: the file, the events in it, those it could not write
    (with the journal's last error), the time span of the events (0.0 when none), and the most
    events that waited for the disk at once (the bound that keeps memory flat)."""

    path: Path
    written: int
    lost: int
    last_error: str
    first_ts: float
    last_ts: float
    max_pending: int


def write_journal(
    path: Path,
    items: Iterable[ImportItem],
    info: dict[str, str] | None = None,
    *,
    flush_events: int = FLUSH_EVENTS,
    flush_bytes: int = FLUSH_BYTES,
    keep_seqs: bool = False,
) -> WriteResult:
    """Write ``items`` into a new journal at ``path`` (see the module's docstring)."""
    journal = Journal(
        path,
        limits=JournalLimits(max_file_bytes=0, retention=Retention(0, 0, 0)),
        interval=0.05,
    )
    journal.open(info)
    seq = most = count = 0
    first_ts = last_ts = 0.0
    try:
        for event, raw, reply, meta in items:
            # Its own seq (an export read back), or the next one when it would not ascend.
            seq = event.seq if keep_seqs and event.seq > seq else seq + 1
            journal.append((seq, *event[1:]), raw, reply, encode_meta(meta))
            count += 1
            first_ts = event.ts if count == 1 else min(first_ts, event.ts)
            last_ts = event.ts if count == 1 else max(last_ts, event.ts)
            waiting = journal.pending
            most = max(most, waiting)
            if waiting >= flush_events or journal.pending_bytes >= flush_bytes:
                _flush(journal)
        _flush(journal)
    finally:
        journal.close()
    return WriteResult(
        path, journal.written, journal.lost, journal.last_error, first_ts, last_ts, most
    )


def _flush(journal: Journal) -> None:
    if not journal.flush(FLUSH_TIMEOUT_S):
        problem = journal.last_error or "no error reported"
        raise OSError(
            f"{journal.path}: the journal did not take the events within "
            f"{FLUSH_TIMEOUT_S:g} s ({problem})"
        )
