"""Is the ICWS state panel responsive while 1,000 ICWS messages/s arrive?

    .venv/bin/python tests/bench/icws_panel_frames.py [--rate 1000] [--seconds 8]

A headless Textual app hosts the panel. On the app's own loop (as the real client does), a
feeder hands ``rate`` messages per second (a surge mix from the simulator) to the normaliser,
a list sink and the state model, in 20 ms slices. Measured, at 80x24 and 120x40:

- the panel's redraw (building its Text and updating its widgets), per redraw;
- event-loop lag: how late a 10 ms timer fires. Everything on the loop (ingest, the panel's
  redraws, Textual's layout and rendering) shows up here: it bounds how stale a frame can be.

Prints figures; asserts nothing. The issue's target: frames <= 50 ms at 1,000 messages/s.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import time
from collections import deque
from typing import Any

from textual.app import App, ComposeResult

from tui.core.feed import FeedEvent, as_row
from tui.core.icws_state import IcwsState
from tui.core.protocols.icws import IcwsNormaliser
from tui.core.sources import LinkState, SourceBoard, SourceKind, SourceStatus
from tui.sim.icws.load import surge_messages
from tui.sim.icws.world import WORKGROUPS
from tui.ui.widgets.icws import IcwsStatePanel


class RowSink:
    """The store's per-event work minus SQLite: number the event, keep its row and raw."""

    def __init__(self) -> None:
        self.rows: deque[tuple[Any, ...]] = deque(maxlen=100_000)
        self.raw: deque[bytes] = deque(maxlen=100_000)
        self.seq = 0

    def publish(self, event: FeedEvent, raw: bytes = b"", reply: bytes = b"") -> FeedEvent:
        self.seq += 1
        numbered = event._replace(seq=self.seq)
        self.rows.append(as_row(numbered))
        self.raw.append(raw)
        return numbered


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


class Bench(App[None]):
    def __init__(self, messages: list[dict[str, Any]], rate: int, seconds: float) -> None:
        super().__init__()
        self.messages = messages
        self.rate = rate
        self.seconds = seconds
        self.state = IcwsState()
        self.board = SourceBoard()
        self.board.add(SourceStatus("cic1", SourceKind.ICWS, "https://cic1:8019"))
        self.board.set_state("cic1", LinkState.UP, "event stream")
        self.sink = RowSink()
        self.normaliser = IcwsNormaliser("cic1")
        for index, workgroup in enumerate(WORKGROUPS):
            self.normaliser.queue_labels[f"q{index}"] = workgroup
            self.state.watch_queue("cic1", f"q{index}", workgroup)
        self.redraw_ms: list[float] = []
        self.lag_ms: list[float] = []
        self.gc_ms: list[float] = []
        self._gc_started = 0.0
        self.fed = 0

    def _gc_watch(self, phase: str, info: dict[str, int]) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_ms.append((time.perf_counter() - self._gc_started) * 1000)

    def compose(self) -> ComposeResult:
        yield IcwsStatePanel(self.state, self.board)

    def on_mount(self) -> None:
        panel = self.query_one(IcwsStatePanel)
        original = panel._redraw

        def timed() -> None:
            started = time.perf_counter()
            original()
            self.redraw_ms.append((time.perf_counter() - started) * 1000)

        panel._redraw = timed  # type: ignore[method-assign]

    def feed(self, count: int) -> None:
        for _ in range(count):
            message = self.messages[self.fed % len(self.messages)]
            self.fed += 1
            for event, raw in self.normaliser.normalise(message):
                self.sink.publish(event, raw)
            self.state.apply("cic1", message)

    async def drive(self) -> None:
        loop = asyncio.get_running_loop()
        start = loop.time()
        slice_s = 0.02
        next_feed = start
        next_tick = start
        while loop.time() - start < self.seconds:
            now = loop.time()
            if now >= next_feed:
                self.feed(int(self.rate * slice_s))
                next_feed += slice_s
            expected = next_tick + 0.01
            await asyncio.sleep(max(0.0, expected - loop.time()))
            self.lag_ms.append(max(0.0, (loop.time() - expected) * 1000))
            next_tick = loop.time()


async def run(
    size: tuple[int, int], messages: list[dict[str, Any]], rate: int, seconds: float
) -> None:
    app = Bench(messages, rate, seconds)
    async with app.run_test(size=size):
        await asyncio.sleep(0.5)  # first paint, styles, fonts of the theme: not part of the run
        app.redraw_ms.clear()
        gc.callbacks.append(app._gc_watch)
        try:
            await app.drive()
        finally:
            gc.callbacks.remove(app._gc_watch)
    panel_state = app.state.queues()
    interactions = sum(len(q.interactions) for q in panel_state)
    print(
        f"  {size[0]}x{size[1]}: fed {app.fed:,} messages in {seconds:g} s "
        f"({app.fed / seconds:,.0f}/s), {interactions} interactions on screen at the end"
    )
    redraws = app.redraw_ms
    print(
        f"    panel redraw: {len(redraws)} redraws ({len(redraws) / seconds:.1f}/s), "
        f"median {statistics.median(redraws):.1f} ms, p99 {percentile(redraws, 0.99):.1f} ms, "
        f"max {max(redraws):.1f} ms"
    )
    lag = app.lag_ms
    print(
        f"    loop lag (10 ms timer): median {statistics.median(lag):.1f} ms, "
        f"p99 {percentile(lag, 0.99):.1f} ms, max {max(lag):.1f} ms; "
        f"over 50 ms: {sum(1 for v in lag if v > 50)} of {len(lag)}"
    )
    pauses = ", ".join(f"{v:.0f}" for v in sorted(app.gc_ms, reverse=True)[:3]) or "none"
    print(f"    full (gen-2) GC collections: {len(app.gc_ms)}, longest: {pauses} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    messages = surge_messages(12_000)
    # The pre-made input is the benchmark's, not the console's (which parses and drops each
    # message): keep its 12k dicts out of the collector's walks, as after any bulk load.
    gc.collect()
    gc.freeze()
    print(f"ICWS panel under {args.rate:,} messages/s (ingest on the UI loop, as in the app):")
    for size in ((80, 24), (120, 40)):
        asyncio.run(run(size, messages, args.rate, args.seconds))


if __name__ == "__main__":
    main()
