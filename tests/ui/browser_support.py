"""Helpers for the browser's UI tests: the demo simulators on loopback and an app over them."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tui.config import AppConfig, HooksConfig, LoadedConfig, UiConfig
from tui.sim.host import SimHost
from tui.sim.rest_demo import (
    CUE_SECRET_ENV,
    MWS_SECRET_ENV,
    SBC_SECRET_ENV,
    RestDemo,
    start_rest_simulators,
)
from tui.ui.app import NocApp, create_app
from tui.ui.screens.browser import BrowserScreen
from tui.ui.screenshots import fixed_clock
from tui.ui.themes import load_themes


class SimClock:
    """A clock the test moves by hand (runtime values change only when it moves)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Lab:
    """The three simulators, their clock, and a way to build apps over them."""

    rest: RestDemo
    clock: SimClock

    def app(
        self, *, persist: bool = False, read_only: bool = False, **target_changes: Any
    ) -> NocApp:
        targets = [t.model_copy(update=target_changes.get(t.kind, {})) for t in self.rest.targets]
        # Any free port for the hook listener: a console or another test run on 8081 would
        # otherwise put "Address already in use" on the screen (and in the snapshots).
        hooks = HooksConfig(port=0)
        ui = UiConfig(read_only=read_only)
        config = AppConfig.model_construct().model_copy(
            update={"targets": targets, "hooks": hooks, "ui": ui}
        )
        loaded = LoadedConfig(
            config=config,
            path=Path.home() / ".config" / "noc-console" / "config.toml",
            file_exists=False,
            watches_something=True,
        )
        return create_app(
            loaded,
            demo=True,
            clock=fixed_clock,
            themes=load_themes(include_user=False),
            persist_theme=persist,
        )


@pytest.fixture(scope="module")
def sim_host() -> Iterator[SimHost]:
    with SimHost("ui-tests") as host:
        yield host


@pytest.fixture
def lab(sim_host: SimHost, monkeypatch: pytest.MonkeyPatch) -> Lab:
    clock = SimClock()
    rest = start_rest_simulators(sim_host, clock=clock, schedule=None)
    for name in (SBC_SECRET_ENV, CUE_SECRET_ENV, MWS_SECRET_ENV):
        monkeypatch.setenv(name, os.environ[name])  # removed again after the test
    rest.sbc.schedule = None  # the incident plays only when a test switches it on
    return Lab(rest, clock)


async def settle(pilot: Any) -> None:
    """Wait for the fetch workers, then for the screen to update."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_browser(pilot: Any) -> BrowserScreen:
    pilot.app.switch_mode("browser")
    await pilot.pause()
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BrowserScreen)
    return screen


def cells(screen: BrowserScreen) -> list[tuple[str, ...]]:
    return [row.cells for row in screen.table.shown_rows]


def cursor_to(screen: BrowserScreen, key: str) -> None:
    assert screen.table.cursor_to_key(key), (
        f"no row {key!r} in {[r.key for r in screen.table.shown_rows]}"
    )


async def type_location(pilot: Any, text: str, *, keys: bool = False) -> None:
    """Go somewhere through the location bar: with real key presses, or straight to the
    handler the bar calls on enter (faster; the keys are covered by a few tests)."""
    screen = pilot.app.screen
    if keys:
        await pilot.press("g")
        screen.location_bar.omnibox.value = text
        await pilot.press("enter")
    else:
        screen.run_typed(text)
    await settle(pilot)
