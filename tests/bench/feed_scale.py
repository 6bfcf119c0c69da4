"""The feed holding a million events: memory per event, redraw of a page, filtering them all.

    python tests/bench/feed_scale.py [--events 1000000]

Events are real normaliser output (WCS bodies of the documented shapes, with the
variety of a busy service: many sessions, calls and streams, a few percent failing). Memory is
what tracemalloc sees allocated for the store's rows plus the unfiltered view (raw bodies live in
the journal, not here). The redraw is the event list rendering every visible line of a 200x50
screen from cold (no cached lines), as after a jump; the filter is FeedView.set_query over all rows.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import time
import tracemalloc
from pathlib import Path

from textual.geometry import Region

from tui.core.feed import StringPool
from tui.core.protocols import wcs
from tui.core.query import compile_query
from tui.core.store import FeedStore, FeedView

STREAM_INFO = ("Failed by ICE timeout", "Failed by DTLS error", "Stopped by publisher stop", None)


def make_events(count: int, store: FeedStore) -> None:
    rng = random.Random(1)
    pool = StringPool()
    nodes = [
        f"{''.join(rng.choices('abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789', k=32))}@10.20.{i}.11"
        for i in range(4)
    ]
    sessions = [
        f"/10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}:{rng.randint(40000, 65000)}/10.20.0.11:8443-{rng.getrandbits(64):016x}"
        for _ in range(2000)
    ]
    ts = 1_770_000_000.0
    for n in range(count):
        ts += 0.0003
        kind = n % 5
        session = sessions[n % len(sessions)]
        if kind < 2:
            failed = rng.random() < 0.05
            body = {"nodeId": nodes[n % 4], "appKey": "defaultApp", "sessionId": session,
                    "callId": f"{rng.getrandbits(128):032x}", "status": "FAILED" if failed else "ESTABLISHED",
                    "sipStatus": 503 if failed else 200, "info": "SIP 503 SERVICE UNAVAILABLE" if failed else None,
                    "caller": str(1000 + n % 100), "callee": str(2000000 + n % 5000)}  # fmt: skip
            method = "CallStatusEvent"
        elif kind < 4:
            info = rng.choice(STREAM_INFO)
            body = {"nodeId": nodes[n % 4], "appKey": "defaultApp", "sessionId": session,
                    "mediaSessionId": f"{rng.getrandbits(128):032x}", "name": f"cam-{n % 3000}",
                    "status": "FAILED" if info and info.startswith("Failed") else "PLAYING",
                    "info": info}  # fmt: skip
            method = "StreamStatusEvent"
        else:
            body = {
                "nodeId": nodes[n % 4],
                "appKey": "defaultApp",
                "sessionId": session,
                "status": "ESTABLISHED",
            }
            method = "ConnectionStatusEvent"
        store.publish(wcs.normalise("/apps/EchoApp", method, body, ts=ts, reply_status=200,
                                    latency_ms=round(rng.uniform(0.1, 2.0), 2), pool=pool))  # fmt: skip


async def redraw_ms(store: FeedStore, rounds: int = 20) -> tuple[float, float]:
    from tui.config import AppConfig, LoadedConfig
    from tui.core.sources import SourceBoard
    from tui.services import Services
    from tui.ui.app import create_app
    from tui.ui.widgets.feed.event_list import EventList

    config = AppConfig.model_construct()
    loaded = LoadedConfig(
        config=config, path=Path("config.toml"), file_exists=False, watches_something=False
    )
    services = Services(config, SourceBoard(), journal=False)
    services.store = store
    app = create_app(loaded, start_services=False, services=services, persist_theme=False)
    cold, warm = [], []
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause(0.2)
        events = app.screen.query_one(EventList)
        region = Region(0, 0, events.size.width, events.size.height)
        for i in range(rounds):
            events.top = (i * 997) % (len(events.view) - events.page)  # jump somewhere new
            events._cache.clear()  # our rendered-row cache
            events._styles_cache.clear()  # Textual's cache of finished lines
            started = time.perf_counter()
            events.render_lines(region)
            cold.append((time.perf_counter() - started) * 1000)
            events._styles_cache.clear()
            started = time.perf_counter()
            events.render_lines(region)
            warm.append((time.perf_counter() - started) * 1000)
    return statistics.median(cold), statistics.median(warm)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    count = args.events

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    store = FeedStore(count, recent_bodies=0)
    started = time.perf_counter()
    make_events(count, store)
    ingest = time.perf_counter() - started
    view = FeedView(store)
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    print(
        f"{count:,} events normalised and stored in {ingest:.1f} s ({count / ingest:,.0f}/s, one core)"
    )
    print(
        f"memory in the view: {used / count:.0f} bytes per event ({used / 2**20:,.0f} MiB in all)"
    )

    started = time.perf_counter()
    gc.collect()
    print(
        f"full GC with them alive: {(time.perf_counter() - started) * 1000:.0f} ms; "
        f"tracked objects: {len(gc.get_objects()):,}"
    )

    for text in (
        "status:FAILED",
        "method:CallStatusEvent status:FAILED,BUSY !node:~10.20.1",
        "ICE",
        "~ice",
        "sip:5xx",
        "latency:>1",
        "time:06:00-06:30",
    ):
        query = compile_query(text)
        started = time.perf_counter()
        view.set_query(query)
        print(
            f"filter {text!r}: {len(view):,} rows in {(time.perf_counter() - started) * 1000:,.0f} ms"
        )
    view.set_query(None)

    cold, warm = asyncio.run(redraw_ms(store))
    print(
        f"redraw of the visible page at 200x50: {cold:.1f} ms cold, {warm:.1f} ms with rows cached"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
