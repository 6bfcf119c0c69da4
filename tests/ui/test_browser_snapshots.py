"""Snapshots of the browser over the demo simulators: seeded data, a clock that does not move,
timings hidden. Update with: .venv/bin/python -m pytest tests/ui --snapshot-update"""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.browser_support import Lab, lab, open_browser, settle, sim_host, type_location
from tui.ui.screens.browser import BrowserScreen
from tui.ui.widgets.header import NocHeader

__all__ = ["lab", "sim_host"]

PAGES = {
    "signaling-group": [],
    "sip-server-down": [":sst", "/rest/sipservertable/1/sipserver/2"],
    "sipsg-details": [":sipsg", "d"],
    "group-members": [":t cue-lab", "/rest/voicemail/groups/sales/users"],
    "sockets": [":sockets"],
    "index": ["/rest"],
}


async def steady(pilot: Any) -> None:
    """Redraw what moves on a clock (the header's source chips) once everything has settled."""
    screen = pilot.app.screen
    if isinstance(screen, BrowserScreen):
        screen._refresh_crumbs()
    pilot.app.screen.query_one(NocHeader).refresh()
    await pilot.pause()


def run(steps: list[str], *, incident: bool = False):
    async def go(pilot: Any) -> None:
        screen = await open_browser(pilot)
        screen.show_timings = False
        for step in steps:
            if step == "d":
                await pilot.press("d")
                await settle(pilot)
            else:
                await type_location(pilot, step)
        await steady(pilot)

    return go


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_signaling_group(snap_compare, lab: Lab, size: tuple[int, int]) -> None:
    assert snap_compare(lab.app(), terminal_size=size, run_before=run(PAGES["signaling-group"]))


@pytest.mark.parametrize(
    "page", ["sip-server-down", "sipsg-details", "group-members", "sockets", "index"]
)
def test_pages_at_80x24(snap_compare, lab: Lab, page: str) -> None:
    if page == "sip-server-down":
        lab.rest.sbc.set_incident(True)
    assert snap_compare(lab.app(), terminal_size=(80, 24), run_before=run(PAGES[page]))


def test_app_error_with_its_links(snap_compare, lab: Lab) -> None:
    async def go(pilot: Any) -> None:
        screen = await open_browser(pilot)
        screen.show_timings = False
        await type_location(pilot, "/rest/sipq850map/3")
        await pilot.press("D")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        await steady(pilot)

    assert snap_compare(lab.app(), terminal_size=(80, 24), run_before=go)
