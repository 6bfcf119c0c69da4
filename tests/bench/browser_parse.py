"""The resource browser's speed figures (issue 5, "Speed"). A benchmark: it prints, asserts nothing.

    .venv/bin/python tests/bench/browser_parse.py [--resources 10000] [--runs 3]

1. A ``details=true`` SBC list of N resources (~20 attributes each, made by the simulator):
   lxml alone, our parser into the resource model, the table rows, and xmltodict on the same
   document (the common scripting path; install it into the venv by hand to compare:
   ``.venv/bin/pip install xmltodict`` — it is not a project dependency).
2. The same parse off the event loop (a worker thread, automatic GC paused as the console does)
   while a 5 ms ticker runs on the loop: the worst tick delay is the stall a UI would see. With
   the GC running, and on the loop, for contrast.
3. In the real app (headless): the SBC simulator on loopback (in a child process, as a real
   SBC is remote) with N extra signaling groups, the list loaded with ``details=true`` while a
   ticker watches the app's loop; then following a link to a cached resource (until the table
   holds it and the visible lines are drawn) and the same link cold (network time beside it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib.util
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from lxml import etree  # type: ignore[import-untyped]

from tests.browser_tables import table
from tui.core.gc_quiet import without_gc
from tui.core.protocols.sbc import parse_sbc
from tui.sim.asgi import Request
from tui.sim.sbc.server import SbcSimulator


def say(label: str, text: str) -> None:
    print(f"  {label:<40}: {text}")


def median_ms(work: Callable[[], Any], runs: int) -> float:
    """Median time of ``work``; freeing its result (tens of ms for 10k items) is not counted."""
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - started) * 1000)
        del result
    return statistics.median(times)


def big_list_body(count: int) -> bytes:
    sim = SbcSimulator(password="x", bulk_sipsg=count)
    sim.sessions["s"] = (sim.clock(), "")
    request = Request(
        "GET",
        "/rest/sipsg",
        "details=true",
        {"cookie": "PHPSESSID=s"},
        b"",
        query={"details": "true"},
    )
    status, body, _ = sim.handle(request)
    assert status == 200
    return body


async def worst_tick_ms(work: Callable[[], Any], *, in_thread: bool) -> tuple[float, float]:
    """(worst delay of a 5 ms ticker, work duration) while ``work`` runs."""
    worst = 0.0
    running = True

    async def ticker() -> None:
        nonlocal worst
        while running:
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            worst = max(worst, (time.perf_counter() - before) * 1000 - 5)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    started = time.perf_counter()
    if in_thread:
        await asyncio.to_thread(work)
    else:
        work()
    duration = (time.perf_counter() - started) * 1000
    await asyncio.sleep(0.02)
    running = False
    await task
    return worst, duration


def section_parse(body: bytes, count: int, runs: int) -> None:
    print(f"document: {count:,} sipsg resources, details=true, {len(body) / 1e6:.1f} MB")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    lxml_ms = median_ms(lambda: etree.fromstring(body.strip(), parser), runs)
    parse_ms = median_ms(lambda: parse_sbc(body), runs)
    resource = parse_sbc(body)
    attrs = len(resource.items[0].names)
    rows_ms = median_ms(lambda: table(resource), runs)
    say("lxml alone (hardened parser, tree only)", f"{lxml_ms:7.0f} ms")
    say("parse_sbc → resource model", f"{parse_ms:7.0f} ms   ({attrs} attributes/item; budget 400)")
    say("resource model → table rows", f"{rows_ms:7.0f} ms")
    if importlib.util.find_spec("xmltodict") is None:
        say("xmltodict", "  skipped (not installed: .venv/bin/pip install xmltodict)")
    else:
        import xmltodict  # type: ignore[import-untyped]

        text = body.strip()
        xd_ms = median_ms(lambda: xmltodict.parse(text), runs)
        say(
            "xmltodict.parse (dicts, no model)", f"{xd_ms:7.0f} ms   (×{xd_ms / parse_ms:.1f} ours)"
        )


def section_off_loop(body: bytes) -> None:
    print("event-loop stall while parsing (worst delay of a 5 ms ticker):")
    cases = (
        ("in a thread, GC paused (the console)", True, True),
        ("in a thread, GC running", True, False),
        ("on the loop (what to avoid)", False, False),
    )
    for label, in_thread, paused in cases:
        work = (
            (lambda: table(parse_sbc(body)))
            if not paused
            else without_gc(lambda: table(parse_sbc(body)))
        )
        worst, took = asyncio.run(worst_tick_ms(work, in_thread=in_thread))
        print(f"  parse + rows {label:<38}: worst stall {worst:6.1f} ms  (work {took:.0f} ms)")


SIM_SCRIPT = """
import sys, time
from tui.sim.host import SimHost
from tui.sim.sbc.server import SbcSimulator
with SimHost("bench-sbc") as host:
    print(host.serve(SbcSimulator(password="bench", bulk_sipsg=int(sys.argv[1]))), flush=True)
    time.sleep(3600)
"""


@contextlib.contextmanager
def simulator_process(count: int) -> Iterator[str]:
    """The SBC simulator in a child process; yields its URL."""
    child = subprocess.Popen(
        [sys.executable, "-c", SIM_SCRIPT, str(count)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(Path(__file__).resolve().parents[2]),
    )
    try:
        assert child.stdout is not None
        yield child.stdout.readline().strip()
    finally:
        child.terminate()
        child.wait(10)


async def section_app(count: int) -> None:
    import os

    from tui.config import AppConfig, LoadedConfig, Target
    from tui.ui.app import create_app
    from tui.ui.screens.browser import BrowserScreen
    from tui.ui.screenshots import fixed_clock
    from tui.ui.themes import load_themes

    os.environ["NOCBENCH_SBC_PW"] = "bench"
    # The simulator stands in for a remote SBC, so it runs in its own process: in the console's
    # process its 10,000-resource tree and its response building would compete for the GIL.
    with simulator_process(count) as url:
        target = Target(
            name="edge1",
            kind="sbc",
            url=url,
            user="restuser",
            secret_env="NOCBENCH_SBC_PW",
            timeout_s=60,
        )
        config = AppConfig.model_construct().model_copy(update={"targets": [target]})
        loaded = LoadedConfig(
            config=config,
            path=Path("/nonexistent/config.toml"),
            file_exists=False,
            watches_something=True,
        )
        app = create_app(
            loaded, clock=fixed_clock, themes=load_themes(include_user=False), persist_theme=False
        )
        async with app.run_test(size=(120, 40)) as pilot:
            app.switch_mode("browser")
            await pilot.pause()
            await app.workers.wait_for_complete()
            screen = app.screen
            assert isinstance(screen, BrowserScreen)
            view = screen.active
            controller = screen.controller
            assert view is not None
            assert controller is not None

            async def load(location: str, *, refresh: bool = False) -> tuple[float, float]:
                started = time.perf_counter()
                screen.perform(controller.navigate(location, refresh=refresh))
                await app.workers.wait_for_complete()
                shown = time.perf_counter()
                table = screen.table
                for y in range(table.size.height):
                    table.render_line(y)
                drawn = time.perf_counter()
                return (shown - started) * 1000, (drawn - shown) * 1000

            view.details = True
            worst = 0.0
            running = True

            async def ticker() -> None:
                nonlocal worst
                while running:
                    before = time.perf_counter()
                    await asyncio.sleep(0.005)
                    worst = max(worst, (time.perf_counter() - before) * 1000 - 5)

            task = asyncio.create_task(ticker())
            took, draw = await load("/rest/sipsg")
            running = False
            await task
            fetched = view.fetched
            assert fetched is not None
            items = len(fetched.resource.items)
            print(f"in the app, GET /rest/sipsg?details=true ({items:,} items) over loopback:")
            say(
                "network / parse (process: starts once)",
                f"{fetched.elapsed_ms:.0f} ms / {fetched.parse_ms:.0f} ms",
            )
            say("on screen after / visible lines drawn", f"{took:.0f} ms / {draw:.1f} ms")
            say("worst stall of the app's loop meanwhile", f"{worst:.1f} ms (budget 50 ms)")
            view.details = False
            cold_show, cold_draw = await load("/rest/sipservertable/1/sipserver/2")
            cold = view.fetched
            assert cold is not None
            await load("/rest/sipsg/1")
            cached: list[float] = []
            for _ in range(5):
                shown, drawn = await load("/rest/sipservertable/1/sipserver/2")
                assert view.fetched is not None
                assert view.fetched.from_cache
                cached.append(shown + drawn)
                await load("/rest/sipsg/1")
            print("following a link (until the table holds it and its visible lines are drawn):")
            say(
                "to a cached resource",
                f"{statistics.median(cached):5.1f} ms median of 5 (budget 50)",
            )
            network = f"network {cold.elapsed_ms:.1f} ms, parse {cold.parse_ms:.1f} ms"
            say("cold", f"{cold_show + cold_draw:5.1f} ms, of which {network}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    body = big_list_body(args.resources)
    section_parse(body, args.resources, args.runs)
    section_off_loop(body)
    asyncio.run(section_app(args.resources))


if __name__ == "__main__":
    main()
