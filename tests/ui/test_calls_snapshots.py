"""Snapshots of the Calls screen and the ladder over the seeded demo, at 80x24 and 120x40.

Update after an intended change with:
.venv/bin/python -m pytest tests/ui/test_calls_snapshots.py --snapshot-update
then look at the report before committing.
"""

from __future__ import annotations

import pytest

from tests.ui.calls_support import seeded_app
from tui.core.correlate import KIND_CALL
from tui.ui.widgets.calls.group_list import GroupList
from tui.ui.widgets.calls.ladder_view import LadderView

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_calls(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(seeded_app(), terminal_size=size, press=["4"])


def test_calls_failed_first(snap_compare) -> None:
    assert snap_compare(seeded_app(), terminal_size=(80, 24), press=["4", "s"])


def test_calls_empty(snap_compare) -> None:
    assert snap_compare(seeded_app(feed=False), terminal_size=(80, 24), press=["4"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ladder_of_a_503(snap_compare, size: tuple[int, int]) -> None:
    async def open_ladder(pilot) -> None:
        await pilot.press("4")
        await pilot.pause()
        app = pilot.app
        listing = app.screen.query_one(GroupList)
        failed = next(g for g in app.services.correlator.groups(KIND_CALL) if g.sip_status == 503)
        listing.move_to(listing.rows.index(failed))
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.query_one(LadderView)
        view.move_to(next(i for i, a in enumerate(view.ladder.arrows) if a.what == "sip"))
        await pilot.pause()

    assert snap_compare(seeded_app(), terminal_size=size, run_before=open_ladder)
