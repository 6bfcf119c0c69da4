"""What the Calls screen costs with 100,000 calls. A benchmark: it prints, asserts nothing.

    .venv/bin/python tests/bench/calls_screen.py [--calls 100000] [--events 500000]

Folds real-shaped traffic (tests/bench/correlate.py) into a correlator, then times what the
screen does on its one-second clock: rebuilding the list (filter and each sort) and the header
counts; and what a frame costs: drawing the rows on screen of a 120x40 Calls screen (the table
draws only those), in a headless Textual app.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.correlate import traffic
from tui.config import AppConfig, CorrelateConfig, LoadedConfig
from tui.core.correlate import KIND_CALL
from tui.core.correlate.group_query import compile_group_query
from tui.ui.app import create_app
from tui.ui.models.calls.table import SORTS, kind_counts, select
from tui.ui.screens.calls import CallsScreen
from tui.ui.widgets.calls.group_list import GroupList


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def _time(fn: object, repeat: int = 5) -> float:
    assert callable(fn)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


async def main(calls: int, events: int) -> None:
    config = AppConfig.model_construct().model_copy(
        update={"correlate": CorrelateConfig(max_groups=calls, keep_ended_s=86_400)}
    )
    loaded = LoadedConfig(config=config, path=Path("/nonexistent/config.toml"),
                          file_exists=False, watches_something=False)  # fmt: skip
    app = create_app(loaded, start_services=False, persist_theme=False)
    correlator = app.services.correlator
    built = traffic(events, calls)
    start = time.perf_counter()
    correlator.add_all(built)
    print(f"folded {len(built):,} events into {len(correlator.groups(KIND_CALL)):,} calls "
          f"in {time.perf_counter() - start:.2f} s")  # fmt: skip
    for sort in SORTS:
        took = _time(lambda sort=sort: select(correlator, KIND_CALL, None, sort))
        print(f"rebuild, sort {sort.name:<14} {_ms(took)}")
    query = compile_group_query("state:FAILED,FINISH node:~10.0.0.1 duration:>1")
    took = _time(lambda: select(correlator, KIND_CALL, query, SORTS[0]))
    print(f"rebuild, filter of 3 terms    {_ms(took)}")
    print(f"header counts                 {_ms(_time(lambda: kind_counts(correlator, KIND_CALL)))}")
    async with app.run_test(size=(120, 40)) as pilot:
        app.switch_mode("calls")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CallsScreen)
        listing = screen.query_one(GroupList)
        print(f"rows in the table             {len(listing.rows):>8,}")
        print(f"screen rebuild (tick)         {_ms(_time(screen.rebuild))}")

        listing.render_lines(listing.region.reset_offset)  # the frame's styles

        def frame() -> None:
            for y in range(listing.size.height):
                listing.render_line(y)

        print(f"draw the visible rows         {_ms(_time(frame, 20))}")
        listing.move_to(len(listing.rows) // 2)

        def page() -> None:
            listing.action_page(1)
            frame()

        print(f"page down and draw            {_ms(_time(page, 20))}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=500_000)
    args = parser.parse_args()
    asyncio.run(main(args.calls, args.events))
