"""``noc-console export``: a journal's events for a ticket or a tool, as JSON lines, CSV or HAR.

Reads the journal read-only (a run still being written can be exported too) as a stream: events
one by one, their bodies (``--bodies``, and HAR, which is about bodies) a batch at a time beside
them, so a million events cost the memory of a few hundred. Everything written is redacted as
the journal keeps it; ``--out`` writes a file only its owner can read. ``--feed`` exports the
NATS stream the collectors publish to instead, read the same way (a batch at a time).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, tzinfo
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK, drop_stdout, reader_gone, unguarded_stdout
from tui.cli.feed_option import add_feed_options

if TYPE_CHECKING:
    from tui.cli.common import Subparsers
    from tui.core.export import ExportedEvent, TextOut
    from tui.core.feed import FeedEvent
    from tui.core.journal_read import JournalReader

FORMATS = ("jsonl", "csv", "har")
BODY_BATCH = 256  # events whose bodies are read in one lookup

Keep = Callable[["FeedEvent"], bool]


def add_export(sub: Subparsers) -> None:
    export = sub.add_parser(
        "export",
        help="write a journal's events as JSON lines, CSV or HAR",
        description="Write the events of a journal (all of them, or those a filter and a time "
        "window keep) for a ticket or a tool: JSON lines (what `tail --jsonl` prints, with "
        "--bodies the bodies and transport details too), CSV (safe to open in a spreadsheet) "
        "or HAR (the WCS hooks as HTTP requests and answers, for a HAR viewer). Redacted as "
        "the journal is. Says on stderr how many were written (with --out, or on a terminal).",
    )
    export.add_argument(
        "journal", type=Path, nargs="?", metavar="JOURNAL", help="a journal file (or --feed)"
    )
    add_feed_options(export, since_default=None)
    export.add_argument(
        "--config", type=Path, metavar="FILE", help="with --feed: the config's [nats] section"
    )
    export.add_argument("--format", choices=FORMATS, default="jsonl", help="default: jsonl")
    export.add_argument(
        "--filter", metavar="QUERY", help="only events matching QUERY, as in the feed "
        "(status:FAILED node:~10.20.1 sip:5xx latency:>100)",
    )  # fmt: skip
    export.add_argument(
        "--from", dest="since", metavar="TIME",
        help="events at or after TIME: a time of day (06:00, 06:00:30.250) or an ISO time "
        "(2026-03-14T06:00, 2026-03-14T06:00:00Z)",
    )  # fmt: skip
    export.add_argument(
        "--to", dest="until", metavar="TIME",
        help="events before TIME (same forms as --from; with both as times of day the window "
        "may run through midnight)",
    )  # fmt: skip
    export.add_argument(
        "--local", action="store_true", help="times without a zone are local (default UTC)"
    )
    export.add_argument(
        "--bodies", action="store_true", help="jsonl: the bodies and transport details too"
    )
    export.add_argument(
        "--out", type=Path, metavar="FILE", help="write FILE (owner-only) instead of stdout"
    )
    export.add_argument("--force", action="store_true", help="with --out: replace FILE")
    export.set_defaults(handler=export_command)


def selection(text: str, since: str | None, until: str | None, zone: tzinfo | None) -> Keep | None:
    """What keeps an event (None: every one): the feed's query, and a time window."""
    from tui.core.problems import UsageError
    from tui.core.query import QueryError, compile_query
    from tui.core.query_time import TimeValueError, time_test

    try:
        query = compile_query(text, zone)
    except QueryError as exc:
        raise UsageError(f"--filter: {exc}") from None
    tests = [] if query.is_empty else [query.predicate]
    window: Callable[[float], bool] | None = None
    try:
        if since and until:
            try:  # one range, so that times of day can run through midnight
                window = time_test(f"{since}..{until}", zone)
            except TimeValueError:  # a time of day and an ISO time: both must hold
                low, high = time_test(f">={since}", zone), time_test(f"<{until}", zone)
                window = lambda ts: low(ts) and high(ts)  # noqa: E731
        elif since:
            window = time_test(f">={since}", zone)
        elif until:
            window = time_test(f"<{until}", zone)
    except TimeValueError as exc:
        raise UsageError(f"--from/--to: {str(exc).removeprefix('time:')}") from None
    if window is not None:
        test = window
        tests.append(lambda row: test(row[1]))
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda event: all(t(event) for t in tests)


def exported(reader: JournalReader, keep: Keep | None, bodies: bool) -> Iterator[ExportedEvent]:
    """The events ``keep`` keeps, in seq order, with their bodies when asked (read a batch at
    a time by seq, beside the stream of events)."""
    from tui.core.export import ExportedEvent

    events: Iterator[FeedEvent] = reader.events()
    if keep is not None:
        events = filter(keep, events)
    if not bodies:
        for event in events:
            yield ExportedEvent(event)
        return
    while batch := list(islice(events, BODY_BATCH)):
        records = reader.records_of([event.seq for event in batch])
        for event in batch:
            record = records.get(event.seq)
            if record is None:  # gone between the two reads (retention): no body keys
                yield ExportedEvent(event)
            else:
                yield ExportedEvent(event, record.raw, record.reply, record.meta)


def export_command(args: argparse.Namespace) -> int:
    from tui.core.journal_read import JournalReader, JournalReadError
    from tui.core.problems import UsageError

    zone = None if args.local else UTC
    keep = selection(args.filter or "", args.since, args.until, zone)
    if args.force and args.out is None:
        raise UsageError("--force replaces the --out file: give --out FILE")
    if args.feed is not None:
        if args.journal is not None:
            raise UsageError("a JOURNAL and --feed: export one or the other")
        return _export_items(args, from_stream(args, keep, zone))
    if args.journal is None:
        raise UsageError("name the JOURNAL to export (or --feed to export the NATS stream)")
    try:
        reader = JournalReader(args.journal)
    except JournalReadError as exc:
        raise UsageError(str(exc)) from None
    with reader:
        items = exported(reader, keep, args.bodies or args.format == "har")
        try:
            if args.out is None:
                return _to_stdout(args.format, items)
            return _to_file(args.format, items, args.out, force=args.force)
        except JournalReadError as exc:
            raise UsageError(str(exc)) from None


def from_stream(
    args: argparse.Namespace, keep: Keep | None, zone: tzinfo | None
) -> Iterator[ExportedEvent]:
    """``export --feed``: the stream's events ``keep`` keeps, from ``--from`` (or the stream's
    start) to its end as it is now, with the redacted bodies the collectors published."""
    import time

    from tui.cli.feed_option import stream_items
    from tui.core.export import ExportedEvent
    from tui.core.since import since_time
    from tui.net.nats.consumer import StartAt

    start = StartAt.first()
    if args.since:
        start = StartAt(since_time(args.since, now=time.time(), utc=zone is not None))
    with_bodies = args.bodies or args.format == "har"
    for item in stream_items(args, "export", start):
        if keep is None or keep(item.event):
            yield item if with_bodies else ExportedEvent(item.event)


def _export_items(args: argparse.Namespace, items: Iterator[ExportedEvent]) -> int:
    if args.out is None:
        return _to_stdout(args.format, items)
    return _to_file(args.format, items, args.out, force=args.force)


def write_format(fmt: str, items: Iterator[ExportedEvent], out: TextOut) -> tuple[str, str]:
    """Write ``items`` in format ``fmt``; returns what was written, in words, and what was
    left out (HAR: the events that are no HTTP hooks), in words or ''."""
    from tui import __version__
    from tui.core.export import write_csv, write_har, write_jsonl

    if fmt == "har":
        counts = write_har(items, out, creator_version=__version__)
        left = f"{_n(counts.skipped, 'event')} left out (not HTTP hooks)" if counts.skipped else ""
        return _n(counts.written, "hook"), left
    written = write_csv(items, out) if fmt == "csv" else write_jsonl(items, out)
    return _n(written, "event"), ""


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _to_stdout(fmt: str, items: Iterator[ExportedEvent]) -> int:
    from tui.core.export import Utf8Out

    stdout = unguarded_stdout()
    binary = getattr(stdout, "buffer", None)
    try:
        stdout.flush()
        if binary is None:  # a text-only stream (an embedding caller's): written as text
            said, left = write_format(fmt, items, stdout)
        else:
            said, left = write_format(fmt, items, Utf8Out(binary))
            binary.flush()
    except OSError as exc:  # the reader went away (| head, a terminal hung up): stop, quietly
        if not reader_gone(exc, stdout):  # not a journal that could not be read
            raise
        drop_stdout(stdout)
        return EXIT_OK
    if sys.stderr.isatty():
        print(f"noc-console export: {said} written{f'; {left}' if left else ''}", file=sys.stderr)
    return EXIT_OK


def _to_file(fmt: str, items: Iterator[ExportedEvent], path: Path, *, force: bool) -> int:
    from tui.core.export import Utf8Out
    from tui.core.private_files import private_output
    from tui.core.problems import UsageError

    if not path.parent.is_dir():
        raise UsageError(f"--out {path}: no folder {path.parent}")
    try:
        with private_output(path, replace=force) as binary:
            said, left = write_format(fmt, items, Utf8Out(binary))
    except FileExistsError:
        raise UsageError(f"--out {path}: the file exists (--force replaces it)") from None
    except OSError as exc:
        raise UsageError(f"--out {path}: {exc.strerror or exc}") from None
    print(f"noc-console export: {said} written to {path}{f'; {left}' if left else ''}",
          file=sys.stderr)  # fmt: skip
    return EXIT_OK
