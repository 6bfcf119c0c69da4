"""The demo as `noc-console demo` runs it: all five simulators behind the real console."""

from __future__ import annotations

from tui.config import load_config
from tui.core.feed import from_row
from tui.sim.demo import Demo, demo_config
from tui.ui.app import create_app
from tui.ui.screens.feed import FeedScreen
from tui.ui.screenshots import fixed_clock
from tui.ui.widgets.icws import IcwsStatePanel


async def test_the_demo_fills_every_screen() -> None:
    loaded = load_config()
    loaded = loaded.model_copy(update={"config": demo_config(loaded.config)})
    runner = Demo(seed=3, rate=4.0)
    app = create_app(loaded, demo=True, demo_runner=runner, clock=fixed_clock, persist_theme=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, FeedScreen)

        def sources_seen() -> set[str]:
            return {from_row(row).source for row in screen.view.rows}

        for _ in range(300):
            if {"wcs", "icws"} <= sources_seen() and len(app.sources) == 5:
                break
            await pilot.pause(0.05)
        assert {"wcs", "icws"} <= sources_seen()
        assert [s.label for s in app.sources] == [
            "wcs:hooks", "icws:cic-demo", "sbc:edge1-lab", "cue:cue-lab", "mws:mws-lab",
        ]  # fmt: skip
        assert app.sources.get("hooks").state.value == "up"
        assert screen.query_one(IcwsStatePanel).has_class("-shown")  # the queue and agent view
        assert app.demo_caption() == "normal traffic"
        await pilot.press("2")
        for _ in range(100):
            if app.sources.get("edge1-lab").state.value == "up":
                break
            await pilot.pause(0.05)
        assert app.sources.get("edge1-lab").state.value == "up"  # the browser logged in


async def test_browser_opened_before_the_simulators_are_up_gets_its_targets() -> None:
    from tui.ui.screens.browser import BrowserScreen

    loaded = load_config()
    loaded = loaded.model_copy(update={"config": demo_config(loaded.config)})
    app = create_app(
        loaded, demo=True, demo_runner=Demo(seed=3), clock=fixed_clock, persist_theme=False
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2")  # at once: the REST simulators are still starting
        screen = app.screen
        assert isinstance(screen, BrowserScreen)
        for _ in range(300):
            if screen.views:
                break
            await pilot.pause(0.05)
        assert sorted(screen.views) == ["cue-lab", "edge1-lab", "mws-lab"]
        assert not screen.query("#browser-empty")
