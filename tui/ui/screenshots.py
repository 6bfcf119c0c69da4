"""Deterministic renders of each screen: a fixed clock, packaged themes only, no saving."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from tui.config import AppConfig, HooksConfig, LoadedConfig
from tui.core.sources import LinkState
from tui.core.store import FeedStore
from tui.net.hooks.service import policy_from_config
from tui.sim.demo import DEMO_RULES
from tui.sim.offline import offline_feed
from tui.ui.app import NocApp, create_app
from tui.ui.themes import load_themes

FIXED_TIME = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)
SCREENS = ("feed", "browser", "inspector")


def fixed_clock() -> datetime:
    return FIXED_TIME


def deterministic_app(
    config: AppConfig | None = None,
    *,
    demo: bool = True,
    theme: str | None = None,
    feed: bool = False,
) -> NocApp:
    """An app that renders the same on every machine: no environment, no user files, no network.

    With ``feed=True`` the store holds seeded demo traffic, put through the real hook endpoint
    with a virtual clock, and the hook listener is shown as up.
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


async def write_screenshots(out: Path, sizes: list[tuple[int, int]]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for width, height in sizes:
        for screen in SCREENS:
            app = deterministic_app(feed=screen == "feed")
            async with app.run_test(size=(width, height)) as pilot:
                app.switch_mode(screen)
                await pilot.pause()
                svg = app.export_screenshot(title=f"noc-console — {screen}")
            path = out / f"{screen}-{width}x{height}.svg"
            path.write_text(svg, encoding="utf-8")
            written.append(path)
    return written
