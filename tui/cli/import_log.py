"""``noc-console import wcs-log FILE...``: WCS's own log turned into a journal.

When no console was running, the hooks of an incident are still in ``flashphoner.log``: every
hook WCS sent and every answer it got. The import reads them (gzipped and rotated files too),
pairs each hook with its answer, makes the events the listener would have made, and writes a
new journal that ``calls``, ``ladder``, ``open`` and ``export`` read like any other.
"""

from __future__ import annotations

import argparse
import re
import shlex
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_NOT_RECOGNISED, EXIT_OK, load

if TYPE_CHECKING:
    from tui.cli.common import Subparsers
    from tui.core.journal_write import WriteResult
    from tui.core.wcs_log import LogStats

PROBLEMS_SHOWN = 5
_OFFSET = re.compile(r"^([+-])(\d{1,2}):?(\d{2})?$")


def add_import(sub: Subparsers) -> None:
    parser = sub.add_parser(
        "import",
        help="turn another system's log into a journal (wcs-log: WCS's flashphoner.log)",
        description="Turn another system's log into a journal, to read with calls, ladder, "
        "open and export like one the console wrote.",
    )
    kinds = parser.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    wcs = kinds.add_parser(
        "wcs-log",
        help="the hooks WCS sent and the answers it got, from flashphoner.log",
        description="Read the REST client's records of WCS's flashphoner.log (plain, gzipped "
        "or rotated: flashphoner.log.1, .gz, flashphoner.log.2026-11-30), pair each SEND "
        "with the RECEIVED of its thread, and write the hooks as a new journal. The log "
        "prints times of day only: each log's first line is dated by --date, else by a date "
        "in the file's name, else by the day the file was last written.",
    )
    wcs.add_argument("files", nargs="+", type=Path, metavar="FILE", help="log files, any order")
    wcs.add_argument(
        "--date", type=_date, metavar="YYYY-MM-DD", help="the date of the log's first line"
    )
    wcs.add_argument(
        "--tz",
        type=_zone,
        metavar="ZONE",
        help="the time zone the log's times are in: UTC, +03:00, Europe/Berlin "
        "(default: this machine's)",
    )
    wcs.add_argument(
        "--journal",
        type=Path,
        metavar="OUT",
        help="the journal to write (a new file; default: a new one in the journal folder)",
    )
    wcs.add_argument("--config", type=Path, metavar="FILE", help="config naming the journal folder")
    wcs.set_defaults(handler=import_wcs_log_command)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _zone(text: str) -> tzinfo:
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    if match := _OFFSET.match(text):
        sign = -1 if match[1] == "-" else 1
        return timezone(sign * timedelta(hours=int(match[2]), minutes=int(match[3] or 0)))
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is no time zone (UTC, +03:00 or a name such as Europe/Berlin)"
        ) from None


def import_wcs_log_command(args: argparse.Namespace) -> int:
    from tui.core.journal_files import remove_journal_file
    from tui.core.journal_write import write_journal
    from tui.core.problems import UsageError
    from tui.core.wcs_log import LogStats, import_logs

    files: list[Path] = args.files
    for path in files:
        if not path.is_file():
            raise UsageError(f"{path}: {'a folder' if path.is_dir() else 'no such file'}")
    out = _output(args)
    stats = LogStats()
    info = {
        "mode": "import",
        "source": "wcs-log",
        "files": ", ".join(p.name for p in files),
        "started": datetime.now(UTC).isoformat(),
    }
    items = import_logs(files, stats, start_date=args.date, tz=args.tz)
    try:
        result = write_journal(out, items, info)
    except FileExistsError:
        raise UsageError(f"--journal {out}: exists; a journal is never appended to") from None
    except OSError as exc:
        raise UsageError(f"{out}: cannot write the journal: {exc}") from None
    if not result.written:
        remove_journal_file(out)
    _summary(files, stats, result, args.tz)
    return EXIT_OK if result.written else EXIT_NOT_RECOGNISED


def _output(args: argparse.Namespace) -> Path:

    path: Path | None = args.journal
    if path is None:
        from tui.paths import data_dir

        folder = load(args.config).config.journal.dir or data_dir() / "journals"
        return _new_name(folder, args.files[0])
    from tui.cli.journal_option import new_journal_file

    return new_journal_file(path)


def _new_name(folder: Path, first: Path) -> Path:
    """``<time>-wcs-log-<log name>.sqlite`` in ``folder`` (a journal's name has one dot: its
    run is the part before it)."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", first.name.removesuffix(".gz")).strip("-")[:40]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        path = folder / f"{stamp}-wcs-log-{stem or 'log'}{suffix}.sqlite"
        if not path.exists():
            return path
    return folder / f"{stamp}-wcs-log-{datetime.now(UTC).microsecond}.sqlite"


def _summary(files: list[Path], stats: LogStats, result: WriteResult, tz: tzinfo | None) -> None:
    from tui.core.sanitize import clean_line

    said = f"{len(files)} file{'s' if len(files) != 1 else ''}"
    if not result.written:
        print(f"nothing imported: no REST hook could be read from {said} ({stats.lines:,} lines)")
    else:
        print(f"imported {result.written:,} events from {said} ({stats.lines:,} lines) into "
              f"{result.path}")  # fmt: skip
        print(f"  time span: {_when(result.first_ts, tz)} → {_when(result.last_ts, tz)}")
    if result.lost:
        print(f"  events the journal could not write: {result.lost:,} ({result.last_error})")
    without = stats.failed + stats.unanswered
    if without:
        print(f"  hooks without an answer: {without:,} ({stats.failed:,} with an exception "
              f"logged, {stats.unanswered:,} with nothing)")  # fmt: skip
    if stats.orphan_answers:
        print(f"  answers with no hook before them: {stats.orphan_answers:,}")
    print(f"  lines skipped (not REST objects): {stats.skipped:,}")
    if stats.problem_count:
        print(f"  records that could not be read: {stats.problem_count:,}")
        for source, line, what in stats.problems[:PROBLEMS_SHOWN]:
            print(f"    {source}:{line}: {clean_line(what, 300)}")  # what the log said, cleaned
        if stats.problem_count > PROBLEMS_SHOWN:
            print(f"    … and {stats.problem_count - PROBLEMS_SHOWN:,} more")
    if result.written:
        out = shlex.quote(str(result.path))
        print("next:")
        print(f"  noc-console calls --journal {out}")
        print(f"  noc-console open {out}")


def _when(ts: float, tz: tzinfo | None) -> str:
    moment = datetime.fromtimestamp(ts, tz) if tz else datetime.fromtimestamp(ts).astimezone()
    return moment.isoformat(sep=" ", timespec="milliseconds")
