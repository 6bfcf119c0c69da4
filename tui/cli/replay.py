"""``noc-console open JOURNAL...``: the whole console over journals written earlier, replayed
through the same store, correlator and screens as live traffic."""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_OK, fail, load
from tui.cli.journal_option import newest_in_journal_folder

if TYPE_CHECKING:
    from tui.cli.common import Subparsers
    from tui.config import AppConfig
    from tui.core.replay import Timeline
    from tui.core.sources import SourceBoard

SPEED_CHOICES = {"1": 1.0, "10": 10.0, "100": 100.0, "max": math.inf}


def add_open(sub: Subparsers) -> None:
    opener = sub.add_parser(
        "open",
        help="replay journals in the console (feed, calls, ladder, inspector)",
        description="Open one or more journals (a run's first file, any of its files, or a "
        "JSON-lines export) in the full console and replay them, merged by time: the feed, "
        "the calls and their ladders, the errors seen. A journal still being written by a "
        "running console is read read-only and followed. Keys: space play/pause, . step, "
        ", step back, < > speed, T go to a time, E / W next / previous error.",
    )
    opener.add_argument(
        "journals", nargs="*", type=Path, metavar="JOURNAL",
        help="journal files (default: the newest in the journal folder)",
    )  # fmt: skip
    opener.add_argument("--config", type=Path, metavar="FILE", help="theme, keymap, ui settings")
    opener.add_argument(
        "--speed", choices=tuple(SPEED_CHOICES), default="max",
        help="play at ×1, ×10, ×100 or as fast as possible (default max)",
    )  # fmt: skip
    opener.add_argument("--paused", action="store_true", help="start paused")
    opener.add_argument(
        "--at", metavar="TIME",
        help="start at this time (13:40:02, 2026-11-30 13:40, 50%%, end)",
    )  # fmt: skip
    opener.add_argument(
        "--context", type=int, default=5_000, metavar="N",
        help="events loaded before a point the replay jumps to (default 5000)",
    )  # fmt: skip
    opener.add_argument("--filter", metavar="QUERY", help="start the feed with this filter")
    opener.set_defaults(handler=open_command)


def replay_board(timeline: Timeline) -> SourceBoard:
    """One header chip per journal replayed."""
    from tui.core.sources import LinkState, SourceBoard, SourceStatus

    return SourceBoard(
        SourceStatus(
            name=run.label,
            kind="journal",
            endpoint=str(run.reader.files[0]),
            state=LinkState.UP,
            badge="REPLAY",
        )
        for run in timeline.runs
    )


SQLITE_MAGIC = b"SQLite format 3\x00"


def open_timeline(paths: list[Path], scratch: Path | None = None) -> Timeline:
    """The time line over ``paths``; an unreadable file is a usage error naming it. A JSON-lines
    export among them is read into a journal in ``scratch`` (a private folder the caller
    removes) first, so it replays like any journal."""
    from tui.core.journal_read import JournalReadError
    from tui.core.problems import UsageError
    from tui.core.replay import Timeline

    journals: list[Path] = []
    labels: dict[Path, str] = {}
    for path in paths:
        if path.is_dir():
            raise UsageError(f"{path}: a folder; name a journal in it (*.sqlite)")
        if scratch is not None and path.is_file() and not _is_sqlite(path):
            journal = _journal_of_export(path, scratch / f"{len(journals)}-{path.stem}.sqlite")
            labels[journal] = path.name
            path = journal
        journals.append(path)
    try:
        timeline = Timeline(journals)
    except JournalReadError as exc:
        raise UsageError(f"cannot open {exc}") from None
    for run in timeline.runs:
        run.label = labels.get(run.reader.files[0], run.label)
    return timeline


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return True  # let the journal reader say what is wrong with it


def _journal_of_export(path: Path, journal: Path) -> Path:
    """A JSON-lines export (``noc-console export``, ``tail --jsonl``) as a journal: the same
    events with their own seqs, and their bodies when the export has them."""
    from tui.core.export.jsonl import JsonlReader
    from tui.core.journal_write import write_journal
    from tui.core.problems import UsageError
    from tui.ui.text import display_path

    reader = JsonlReader(path)
    items = ((e.event, e.raw or b"", e.reply or b"", e.meta or {}) for e in reader)
    print(f"noc-console open: reading {display_path(path)}…", file=sys.stderr)
    try:
        result = write_journal(journal, items, {"mode": "export", "source": path.name},
                               keep_seqs=True)  # fmt: skip
    except OSError as exc:
        raise UsageError(f"{path}: {exc}") from None
    for problem in reader.problems[:5]:
        print(f"noc-console open: {display_path(path)}: {problem}", file=sys.stderr)
    if reader.bad_lines > 5:
        print(f"noc-console open: {display_path(path)}: {reader.bad_lines - 5:,} more lines "
              "not read", file=sys.stderr)  # fmt: skip
    if not result.written:
        raise UsageError(
            f"{path}: not a journal, and no line of it is an exported event "
            "(noc-console export or tail --jsonl)"
        )
    return journal


def open_command(args: argparse.Namespace) -> int:
    from tui.cli.run import with_filter

    if args.context < 1:
        return fail("--context: at least 1 event")
    loaded = with_filter(load(args.config), args.filter)
    paths = list(args.journals) or [newest_in_journal_folder(loaded.config)]
    with tempfile.TemporaryDirectory(prefix="noc-open-") as scratch:  # 0700: exports' journals
        timeline = open_timeline(paths, Path(scratch))
        try:
            return _replay(loaded.config, loaded, timeline, args)
        finally:
            timeline.close()


def _replay(config: AppConfig, loaded: object, timeline: Timeline, args: argparse.Namespace) -> int:
    from tui.config import LoadedConfig
    from tui.core.problems import UsageError
    from tui.core.replay.target import SeekError, seek_target
    from tui.services import Services
    from tui.ui.app import create_app

    assert isinstance(loaded, LoadedConfig)
    services = Services.for_replay(config, replay_board(timeline), timeline, context=args.context)
    replay = services.replay
    assert replay is not None
    replay.player.speed = SPEED_CHOICES[args.speed]
    replay.player.paused = args.paused
    if args.at:
        try:
            ts = seek_target(
                args.at, current=0.0, start=timeline.start_ts, end=timeline.end_ts,
                utc=config.ui.clock_utc,
            )  # fmt: skip
        except SeekError as exc:
            raise UsageError(f"--at: {exc}") from None
        replay.seek(ts)
        services.restart_correlation()
    create_app(loaded, services=services, start_services=False).run()
    return EXIT_OK
