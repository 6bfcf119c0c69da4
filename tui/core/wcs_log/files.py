"""Reading ``flashphoner.log`` files as they are found on a WCS server: plain or gzipped
(told by the first bytes, whatever the name), rotated (``flashphoner.log.1``, ``.2``…, or
``flashphoner.log.2026-11-30``), several at once.

Files of one log (the same name before its rotation suffix, in the same folder) are read as one
stream, oldest first: dated names by date, numbered ones from the highest number (the oldest)
down, the file without a suffix last; a hook sent at the end of one file is answered at the
start of the next. Separate logs (two nodes' folders) are merged by time.

The date of a log's first line: ``start_date`` when given, else the date in the file's name,
else the date the file was last written (the date of its *last* line: the midnights its times
pass are counted back). A later file of the same log goes on from the day the one before ended,
or starts on the date its name carries.
"""

from __future__ import annotations

import contextlib
import gzip
import heapq
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from functools import partial
from pathlib import Path
from typing import Final, TextIO

from tui.core.journal_write import ImportItem
from tui.core.wcs_log.dates import DayClock, date_in_name, start_from_end
from tui.core.wcs_log.layout import HEADER, seconds_of_day
from tui.core.wcs_log.pairing import ANSWER_WINDOW_S, Pairer
from tui.core.wcs_log.records import MAX_OBJECT_CHARS, LogStats, Record, read_records

GZIP_MAGIC: Final = b"\x1f\x8b"
_ROTATED: Final = re.compile(r"^(?P<base>.+?\.log)(?:\.(?P<suffix>.+?))?(?:\.gz)?$")


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == GZIP_MAGIC


def open_log(path: Path) -> TextIO:
    """The file as text (UTF-8; bytes that are not become U+FFFD), gunzipped if it is gzip."""
    if is_gzip(path):
        return io.TextIOWrapper(
            gzip.open(path, "rb"), encoding="utf-8", errors="replace", newline=None
        )
    return path.open(encoding="utf-8", errors="replace", newline=None)


@contextmanager
def log_lines(path: Path, *, limit: int = MAX_OBJECT_CHARS + 1) -> Iterator[Iterator[str]]:
    """The file's lines, none longer than ``limit`` characters (a longer one comes in pieces:
    a single line of gigabytes is never held whole)."""
    with open_log(path) as handle:
        yield iter(partial(handle.readline, limit), "")


def family_of(path: Path) -> tuple[Path, str]:
    """Which log a file belongs to: its folder and its name without the rotation suffix."""
    match = _ROTATED.match(path.name)
    base = match["base"] if match else path.name.removesuffix(".gz")
    return path.parent, base


def rotation_key(path: Path) -> tuple[date, int, str]:
    """Sorts one log's files oldest first (see the module's docstring)."""
    match = _ROTATED.match(path.name)
    suffix = (match["suffix"] or "") if match else ""
    if not suffix:
        return date.max, 1, ""  # the file being written: the newest
    dated = date_in_name(suffix)
    number = suffix.rpartition(".")[2]
    index = int(number) if number.isdigit() and len(number) < 6 else 0
    return (dated or date.max), -index, suffix


def rollovers_in(path: Path) -> int:
    """How many midnights the times of a file pass (read once, headers only)."""
    clock = DayClock(date(2000, 1, 1), None)
    with contextlib.suppress(OSError, EOFError, UnicodeError), log_lines(path) as lines:
        for line in lines:
            if "0" <= line[:1] <= "9" and (match := HEADER.match(line)):
                clock.observe(seconds_of_day(match))
    return clock.rollovers


def _last_written(path: Path, tz: tzinfo | None) -> date:
    return datetime.fromtimestamp(path.stat().st_mtime, tz).date()


def _records_of_log(
    files: Sequence[Path], stats: LogStats, start_date: date | None, tz: tzinfo | None
) -> Iterator[Record]:
    clock: DayClock | None = None
    for path in files:
        named = date_in_name(path.name)
        if clock is None:
            start = (
                start_date or named or start_from_end(_last_written(path, tz), rollovers_in(path))
            )
            clock = DayClock(start, tz)
        elif start_date is None and named is not None:
            clock.day, clock.last = named, None
        before = stats.lines
        try:
            with log_lines(path) as lines:
                yield from read_records(lines, clock, stats, source=str(path))
        except (OSError, EOFError, UnicodeError) as exc:  # a cut-off gzip: keep what came
            where = stats.lines - before + 1
            stats.problem(str(path), where, f"file cannot be read on: {exc}")


def import_logs(
    paths: Iterable[Path],
    stats: LogStats,
    *,
    start_date: date | None = None,
    tz: tzinfo | None = None,
    answer_window_s: float = ANSWER_WINDOW_S,
) -> Iterator[ImportItem]:
    """The events of every hook in ``paths``, by time (``stats`` fills in as they stream).

    ``tz`` is the zone the log's times are in (the WCS server's; None: this machine's local
    time); ``start_date`` the date of each log's first line when known (see the module's
    docstring). A file named twice is read once. A hook with no answer within
    ``answer_window_s`` of log time is taken as unanswered.
    """
    logs: dict[tuple[Path, str], list[Path]] = {}
    seen: set[Path] = set()
    for path in paths:
        if (real := path.resolve()) not in seen:
            seen.add(real)
            logs.setdefault(family_of(path), []).append(path)
    streams = [
        Pairer(stats, answer_window_s=answer_window_s).pair(
            _records_of_log(sorted(files, key=rotation_key), stats, start_date, tz)
        )
        for files in logs.values()
    ]
    if len(streams) == 1:
        return streams[0]
    return heapq.merge(*streams, key=lambda item: item[0].ts)
