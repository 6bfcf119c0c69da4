"""What of each collector run is in the stream, kept beside its journal, and what is not.

A collector writes ``<run>.nats.json`` next to its journal: the run's message-id prefix and the
last seq JetStream acknowledged. It is rewritten a few times a second, so after a ``kill -9``
it lags by a fraction of a second at most. A restarted collector reads the marks of runs whose
lock nobody holds (their collector is gone), takes that lock itself (so of several collectors
sharing the folder, only one sends a run), sends each such run's events after its mark, and
JetStream's duplicate window drops the few it already had, provided the restart comes within
that window (``[nats] duplicate_window_s``). A run fully in the stream loses its mark.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from tui.core.journal_files import RunLock, lock_path, run_name
from tui.core.journal_read import JournalReader, JournalReadError
from tui.core.private_files import PRIVATE_FILE
from tui.net.nats.message import Outgoing, outgoing

MARK_SUFFIX = ".nats.json"


def mark_path(journal: Path) -> Path:
    """``<run>.nats.json`` beside the run's first journal file."""
    return journal.with_name(run_name(journal) + MARK_SUFFIX)


def write_mark(path: Path, run: str, acked_upto: int) -> None:
    """Replace the mark at once (a reader sees the old one or the new one, never half)."""
    staging = path.with_name(path.name + ".tmp")
    # owner-only, as the journal beside it (the folder may be the operator's own: left as it is)
    fd = os.open(staging, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | os.O_CLOEXEC, PRIVATE_FILE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), PRIVATE_FILE)  # a staging file left by a kill keeps its mode
        handle.write(json.dumps({"run": run, "acked_upto": acked_upto}))
    os.replace(staging, path)


def read_mark(path: Path) -> tuple[str, int] | None:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict):
        return None
    run, upto = doc.get("run"), doc.get("acked_upto")
    if not isinstance(run, str) or type(upto) is not int:
        return None
    return run, upto


class Backlog(NamedTuple):
    """An ended run's events that its mark does not cover, ready to send."""

    mark: Path
    run: str
    items: list[Outgoing]
    claim: RunLock | None = None
    """The ended run's lock, held by the collector that sends its backlog (released at stop)."""


def unpublished(folder: Path, own: Path, prefix: str) -> Iterator[Backlog]:
    """The backlog of every ended collector run in ``folder`` (not ``own``, the running one)
    that no other collector holds, each with its run's lock taken."""
    for mark in sorted(folder.glob("*" + MARK_SUFFIX)):
        journal = folder / (mark.name.removesuffix(MARK_SUFFIX) + ".sqlite")
        if journal == own:
            continue
        if not journal.exists():  # retention removed the run: nothing left to send
            mark.unlink(missing_ok=True)
            continue
        claim = _claim(lock_path(folder, run_name(journal)))
        if claim is None:
            continue  # its collector still runs, or another collector is sending it
        backlog = _backlog(mark, journal, prefix)
        if backlog is None:
            claim.release()
            continue
        yield backlog._replace(claim=claim)


def _claim(lock: Path) -> RunLock | None:
    try:
        return RunLock(lock).acquire()
    except OSError:  # held (or it cannot be told): left alone
        return None


def _backlog(mark: Path, journal: Path, prefix: str) -> Backlog | None:
    found = read_mark(mark)
    if found is None:
        return None
    run, upto = found
    try:
        with JournalReader(journal) as reader:
            _, last = reader.seq_bounds()
            if last <= upto:
                mark.unlink(missing_ok=True)
                return None
            seqs = list(range(upto + 1, last + 1))
            records = reader.records_of(seqs)
    except JournalReadError:
        return None
    items = [
        outgoing(prefix, run, tuple(r.event), r.raw, r.reply, r.meta)
        for seq in seqs
        if (r := records.get(seq)) is not None
    ]
    return Backlog(mark, run, items)
