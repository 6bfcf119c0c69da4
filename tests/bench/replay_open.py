"""``noc-console open`` on a big journal: time to the first screen, and seeks. A benchmark: it
prints, asserts nothing.

    .venv/bin/python tests/bench/replay_open.py [--events 1000000] [--keep DIR]

Writes (or, with ``--keep``, reuses) the journal of ``calls_journal.py``: real-shaped WCS traffic
with a body per event. Then, in this process as ``open`` builds it:

- the time from opening the journal to the feed showing rows (the console's Textual app, headless
  at 120×40, the same factory ``open`` uses), and the import of the UI before it (what a new
  process adds);
- seeks to 10 %, 50 %, 90 %, the end and the start, a step back, and the next error: each
  includes what the screens then need (the correlator folded again over the new rows, the feed's
  view rebuilt). Each seek is timed twice: with the journal's pages dropped from the page cache
  first (``posix_fadvise(DONTNEED)``: a journal opened for the first time, or bigger than the
  memory), and again at once (pages the first read brought in).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from calls_journal import write  # type: ignore[import-not-found]


def _import_time() -> float:
    code = "import time; t = time.perf_counter(); import tui.ui.app; print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout)


def _drop_cache(path: Path) -> None:
    """Ask the kernel to forget the file's cached pages (as if it had never been read)."""
    for file in path.parent.glob(path.name + "*"):
        fd = os.open(file, os.O_RDONLY)
        try:
            os.fsync(fd) if file.suffix == "-wal" else None
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


async def first_screen(path: Path, context: int) -> None:
    from tui.cli.common import load
    from tui.cli.replay import open_timeline, replay_board
    from tui.services import Services
    from tui.ui.app import create_app
    from tui.ui.widgets.feed.event_list import EventList

    start = time.perf_counter()
    loaded = load(None)
    timeline = open_timeline([path])
    opened = time.perf_counter() - start
    services = Services.for_replay(loaded.config, replay_board(timeline), timeline, context=context)
    app = create_app(loaded, services=services, start_services=False, persist_theme=False)
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            await pilot.pause(0.005)
            if app.screen.query(EventList) and app.screen.query_one(EventList).row_count():
                break
        shown = time.perf_counter() - start
        print(
            f"open {timeline.total:,} events: journal opened in {opened * 1000:.0f} ms, first "
            f"rows on screen after {shown * 1000:.0f} ms"
        )
        replay = services.replay
        assert replay is not None
        replay.player.paused = True
        await pilot.pause(0.1)
        span = timeline.end_ts - timeline.start_ts
        for label, ts in (
            ("10 %", timeline.start_ts + span * 0.1),
            ("50 %", timeline.start_ts + span * 0.5),
            ("90 %", timeline.start_ts + span * 0.9),
            ("end", math.inf),
            ("start", -math.inf),
        ):
            _drop_cache(path)
            cold = _timed(lambda ts=ts: replay.seek(ts), app)
            replay.seek(-math.inf)
            warm = _timed(lambda ts=ts: replay.seek(ts), app)
            print(
                f"seek {label}: {cold * 1000:.0f} ms cold, {warm * 1000:.0f} ms warm "
                f"({len(services.store.rows):,} rows loaded)"
            )
        replay.seek(timeline.start_ts + span * 0.5)
        took = _timed(replay.step_back, app)
        print(f"step back: {took * 1000:.0f} ms")
        for label, forward in (("next", True), ("next", True), ("previous", False)):
            before = replay.timeline.taken
            took = _timed(lambda forward=forward: replay.seek_error(forward=forward), app)
            moved = replay.timeline.taken != before
            where = f"to event {replay.timeline.taken:,}" if moved else "none found"
            print(f"{label} error: {took * 1000:.0f} ms ({where})")
        replay.player.paused = False
        start = time.perf_counter()
        before = replay.timeline.taken
        while time.perf_counter() - start < 3.0:
            await pilot.pause(0.05)
        played = replay.timeline.taken - before
        print(f"playing at max speed with the UI running: {played / 3.0:,.0f} events/s")


def _timed(move: object, app: object) -> float:
    from tui.ui.screens.feed import FeedScreen

    start = time.perf_counter()
    move()  # type: ignore[operator]
    app.services.correlate()  # type: ignore[attr-defined]
    for screen in app.screen_stack:  # type: ignore[attr-defined]
        if isinstance(screen, FeedScreen):
            screen.view.sync()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the journal here and keep it")
    parser.add_argument("--context", type=int, default=5_000, help="as open --context")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="noc-bench-"))
    path = folder / f"bench-{args.events}.sqlite"
    if not path.exists():
        took, _ = write(path, args.events, args.calls, 20_000)
        print(f"journal: {args.events:,} events written in {took:.1f} s")
    print(f"importing the UI in a new process: {_import_time() * 1000:.0f} ms")
    asyncio.run(first_screen(path, args.context))
    print(f"journal kept in {folder}" if args.keep else f"(journal in {folder}; delete it)")


if __name__ == "__main__":
    main()
