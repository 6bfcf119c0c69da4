"""Deterministic renders of each screen: a fixed clock, packaged themes only, no saving."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.config import AppConfig, HooksConfig, LoadedConfig
from tui.core.sources import LinkState
from tui.core.store import FeedStore
from tui.net.hooks.service import policy_from_config
from tui.sim.demo import DEMO_RULES
from tui.sim.host import SimHost
from tui.sim.offline import offline_feed
from tui.ui.app import NocApp, create_app
from tui.ui.svg_text import portable_svg
from tui.ui.themes import load_themes
from tui.ui.widgets.header import NocHeader

if TYPE_CHECKING:
    from textual.pilot import Pilot

FIXED_TIME = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)
MODES = ("feed", "browser", "inspector")  # the screens the app switches between
SCREENS = (*MODES, "replay")  # what `noc-console screenshots` writes


def fixed_clock() -> datetime:
    return FIXED_TIME


def deterministic_app(
    config: AppConfig | None = None,
    *,
    demo: bool = True,
    theme: str | None = None,
    feed: bool = False,
    monotonic: Callable[[], float] = time.monotonic,
) -> NocApp:
    """An app that renders the same on every machine: no environment, no user files, no network.

    With ``feed=True`` the store holds seeded demo traffic, put through the real hook endpoint
    with a virtual clock, and the hook listener is shown as up. ``monotonic`` paces the feed's
    frames (a test moves it by hand).
    """
    config = config or AppConfig.model_construct()
    if theme:
        config = config.model_copy(update={"ui": config.ui.model_copy(update={"theme": theme})})
    loaded = LoadedConfig(
        config=config,
        path=Path.home() / ".config" / "noc-console" / "config.toml",
        file_exists=False,
        watches_something=False,
    )
    app = create_app(
        loaded,
        demo=demo,
        clock=fixed_clock,
        monotonic=monotonic,
        themes=load_themes(include_user=False),
        persist_theme=False,
        start_services=False,
    )
    if feed:
        _fill(app)
    return app


def _fill(app: NocApp) -> None:
    """Seeded traffic through the real endpoint, run on a private loop (callers may have one)."""
    rules = HooksConfig(rules=DEMO_RULES)
    with ThreadPoolExecutor(1) as pool:
        # A dry run says how long the traffic lasts, so that it ends just before the fixed clock.
        dry = offline_feed(FeedStore(100_000), start=0.0, policy=policy_from_config(rules))
        start = FIXED_TIME.timestamp() - pool.submit(asyncio.run, dry).result() - 2.0
        real = offline_feed(app.services.store, start=start, policy=policy_from_config(rules))
        pool.submit(asyncio.run, real).result()
    app.sources.set_state("hooks", LinkState.UP, "listening on http://127.0.0.1:8081 (backend)")


async def _settle(pilot: Pilot[None]) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _browser_shot(size: tuple[int, int], host: SimHost) -> str:
    """The SBC's SIP server 1:2 during the trunk failure, from the seeded demo simulators."""
    from tui.sim.rest_demo import start_rest_simulators
    from tui.ui.screens.browser import BrowserScreen

    rest = start_rest_simulators(host, clock=lambda: 100.0, schedule=None)
    rest.sbc.set_incident(True)
    config = AppConfig.model_construct().model_copy(update={"targets": rest.targets})
    app = deterministic_app(config)
    async with app.run_test(size=size) as pilot:
        app.switch_mode("browser")
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        screen.show_timings = False
        screen.run_typed("/rest/sipservertable/1/sipserver/2")
        await _settle(pilot)
        screen.query_one(NocHeader).refresh()  # the source chips redraw on a 1 s clock otherwise
        await pilot.pause()
        return app.export_screenshot(title="noc-console — browser")


async def _inspector_shot(size: tuple[int, int]) -> str:
    """A failed call handed over from the feed, decoded."""
    from tui.core.errors.examples import EXAMPLES

    text = next(text for title, text in EXAMPLES if title.startswith("WCS: outgoing call"))
    app = deterministic_app()
    async with app.run_test(size=size) as pilot:
        app.inspect(text, origin="feed")
        await _settle(pilot)
        return app.export_screenshot(title="noc-console — inspector")


async def _replay_shot(size: tuple[int, int]) -> str:
    """The seeded traffic journalled, then opened (`noc-console open`), paused on an error
    two thirds of the way through."""
    import tempfile

    from tui.core.journal import Journal
    from tui.core.replay import Timeline
    from tui.core.sources import LinkState, SourceBoard, SourceStatus
    from tui.services import Services

    rules = HooksConfig(rules=DEMO_RULES)
    with tempfile.TemporaryDirectory(prefix="noc-shot-") as folder:
        path = Path(folder) / "incident.sqlite"
        journal = Journal(path).open()
        store = FeedStore(100_000, journal=journal)
        start = FIXED_TIME.timestamp() - 3600.0
        with ThreadPoolExecutor(1) as pool:
            feed = offline_feed(store, start=start, policy=policy_from_config(rules))
            pool.submit(asyncio.run, feed).result()
        journal.flush()
        journal.close()
        timeline = Timeline([path])
        board = SourceBoard([SourceStatus(name=path.name, kind="journal", endpoint=str(path),
                                          state=LinkState.UP, badge="REPLAY")])  # fmt: skip
        config = AppConfig.model_construct()
        services = Services.for_replay(config, board, timeline, context=5_000)
        replay = services.replay
        assert replay is not None
        replay.player.paused = True
        replay.seek(timeline.start_ts + (timeline.end_ts - timeline.start_ts) * 2 / 3)
        replay.seek_error()  # before the app runs: the feed's rate stays 0/s, as in the others
        services.correlate()
        home = Path.home() / ".config" / "noc-console" / "config.toml"
        loaded = LoadedConfig(config=config, path=home, file_exists=False, watches_something=False)
        app = create_app(loaded, clock=fixed_clock, themes=load_themes(include_user=False),
                         persist_theme=False, start_services=False, services=services)  # fmt: skip
        async with app.run_test(size=size) as pilot:
            await _settle(pilot)
            await pilot.pause(0.3)  # the bar redraws on its clock
            svg = app.export_screenshot(title="noc-console — replay")
        timeline.close()
        return svg


async def write_screenshots(
    out: Path, sizes: list[tuple[int, int]], screens: tuple[str, ...] = SCREENS
) -> list[Path]:
    """Each screen with seeded demo data: the feed, the browser on the SBC, a decoded error."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with SimHost("screenshots") as host:
        for width, height in sizes:
            for screen in screens:
                if screen == "browser":
                    svg = await _browser_shot((width, height), host)
                elif screen == "inspector":
                    svg = await _inspector_shot((width, height))
                elif screen == "replay":
                    svg = await _replay_shot((width, height))
                else:
                    app = deterministic_app(feed=True)
                    async with app.run_test(size=(width, height)) as pilot:
                        await pilot.pause()
                        svg = app.export_screenshot(title="noc-console — feed")
                path = out / f"{screen}-{width}x{height}.svg"
                path.write_text(portable_svg(svg), encoding="utf-8")
                written.append(path)
    return written
