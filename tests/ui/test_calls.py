"""Pilot tests of the Calls screen and the ladder over the seeded demo (its trunk-failure
incident: calls on one node FAILED with SIP 503), at 80x24 and 120x40."""

from __future__ import annotations

import stat

import pytest

from tests.ui.calls_support import seeded_app
from tests.ui.typing_support import burst, paste
from tui.core.correlate import KIND_CALL, Group
from tui.core.correlate.ladder import CLIENT, SIP
from tui.ui.app import NocApp
from tui.ui.screens.calls import CallsScreen, KindTabs
from tui.ui.screens.feed import FeedScreen
from tui.ui.screens.ladder import LadderScreen
from tui.ui.widgets.calls.group_list import GroupList
from tui.ui.widgets.calls.ladder_view import LadderView
from tui.ui.widgets.feed.event_list import EventList

SIZES = [(80, 24), (120, 40)]
TRUNK_NODE = "10.20.0.11"


def calls(app) -> CallsScreen:
    screen = app.screen
    assert isinstance(screen, CallsScreen)
    return screen


def ladder(app) -> LadderScreen:
    screen = app.screen
    assert isinstance(screen, LadderScreen)
    return screen


def rendered(widget) -> list[str]:
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def _open_calls(pilot) -> CallsScreen:
    await pilot.press("4")
    await pilot.pause()
    return calls(pilot.app)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_trunk_failure_shows_as_failed_calls_with_503_on_one_node(size) -> None:
    app = seeded_app()
    async with app.run_test(size=size) as pilot:
        screen = await _open_calls(pilot)
        listing = screen.query_one(GroupList)
        assert listing.has_focus and listing.rows
        lines = rendered(listing)
        failed_503 = [line for line in lines if "503" in line.split()]
        assert len(failed_503) == 2
        for line in failed_503:
            assert line.startswith("✗") and "FAILED" in line and TRUNK_NODE in line
        counts = str(screen.query_one("#calls-counts").render())
        assert "FAILED 3" in counts and f"{TRUNK_NODE} " in counts and "failed)" in counts
        for y, line in enumerate(lines):  # failed rows are drawn in the error colour too
            strip = listing.render_line(y)
            if line.startswith("✗"):
                assert any(seg.style and seg.style.bold for seg in strip)
        header = str(screen.query_one("#calls-columns").render())
        assert "state" in header and "sip" in header and "node" in header


async def test_keys_typed_in_a_burst_after_slash_land_in_the_filter() -> None:
    """The keys after ``/`` that arrive before it is handled are the filter (its ``s`` and
    ``t`` would have sorted and switched the table)."""
    app = seeded_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_calls(pilot)
        kind = screen.kind
        burst(pilot, "/sip:5xx\r")
        await pilot.pause()
        await pilot.pause()
        assert screen.filter_query is not None and screen.filter_query.text == "sip:5xx"
        assert screen.kind == kind
        assert [g.sip_status for g in screen.query_one(GroupList).rows] == [503, 503]


async def test_filter_sort_and_tables() -> None:
    app = seeded_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_calls(pilot)
        await pilot.press("slash")
        await paste(pilot, "sip:5xx node:~10.20.0")
        await pilot.press("enter")
        await pilot.pause()
        listing = screen.query_one(GroupList)
        assert [g.sip_status for g in listing.rows] == [503, 503]
        assert all(g.node.endswith("@" + TRUNK_NODE) for g in listing.rows)
        assert "filter: sip:5xx" in str(screen.query_one("#calls-status").render())
        await pilot.press("slash")
        await paste(pilot, " duration:")
        await pilot.press("enter")  # an error is shown, nothing applied
        await pilot.pause()
        assert "give a number" in str(screen.query_one("#calls-query-error").render())
        await pilot.press("escape", "escape")  # out of the box, then the filter is cleared
        await pilot.pause()
        assert screen.filter_query is None and len(listing.rows) == 11
        await pilot.press("s")  # failed first
        await pilot.pause()
        assert [g.failed for g in listing.rows[:3]] == [True, True, True]
        assert not listing.rows[-1].failed
        await pilot.press("t")
        await pilot.pause()
        assert screen.kind == "stream" and screen.query_one(KindTabs).kind == "stream"
        assert all(g.kind == "stream" for g in listing.rows)
        for _ in range(3):
            await pilot.press("t")
        await pilot.pause()
        assert screen.kind == KIND_CALL


async def test_the_empty_screen_says_what_feeds_it() -> None:
    app = seeded_app(feed=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_calls(pilot)
        note = screen.query_one("#calls-empty EmptyNote")
        assert screen.query_one("#calls-empty").display
        assert not screen.query_one(GroupList).display
        text = str(note.render())
        assert text.startswith("No calls yet") and "callId" in text
        await pilot.press("t", "t", "t")
        await pilot.pause()
        text = str(note.render())
        assert text.startswith("No icws interactions yet") and "[[icws]]" in text


def _failed_503(app: NocApp) -> Group:
    return next(g for g in app.services.correlator.groups(KIND_CALL) if g.sip_status == 503)


async def _open_ladder_of_503(pilot) -> LadderScreen:
    screen = await _open_calls(pilot)
    listing = screen.query_one(GroupList)
    listing.move_to(listing.rows.index(_failed_503(pilot.app)))
    await pilot.press("enter")
    await pilot.pause()
    return ladder(pilot.app)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_ladder_of_a_call_that_failed_with_503(size) -> None:
    app = seeded_app()
    async with app.run_test(size=size) as pilot:
        screen = await _open_ladder_of_503(pilot)
        view = screen.query_one(LadderView)
        assert view.has_focus
        lines = rendered(view)
        assert lines[0].startswith("time") and "console" in lines[0]
        assert any("FAILED 503" in line for line in lines)
        for line in lines:
            assert len(line) <= view.size.width  # at 80x24 too: no label runs over a bar
        assert view.ladder.lanes == ("sip", "client", "wcs", "backend")  # four lanes fit 80
        assert not screen.hidden and view.virtual_size.width <= view.size.width
        sip = next(i for i, a in enumerate(view.ladder.arrows) if a.what == "sip")
        view.move_to(sip)
        await pilot.pause()
        detail = str(screen.query_one("#ladder-detail-text").render())
        assert "SIP/2.0 503 Service Unavailable" in detail
        assert view.ladder.arrows[sip].error
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallsScreen)


async def test_lanes_fold_and_the_ladder_scrolls_sideways(isolated_home) -> None:
    app = seeded_app()
    async with app.run_test(size=(60, 24)) as pilot:
        screen = await _open_ladder_of_503(pilot)
        view = screen.query_one(LadderView)
        assert screen.hidden == {CLIENT}  # a narrow terminal starts with fewer lanes
        assert "client hidden: c" in str(screen.query_one("#ladder-title").render())
        assert view.virtual_size.width <= view.size.width  # and then it fits
        await pilot.press("c")  # the client lane back: four lanes do not fit 60 columns
        await pilot.pause()
        assert CLIENT in view.ladder.lanes
        assert view.virtual_size.width > view.scrollable_content_region.width
        await pilot.press("right", "right", "right")
        await pilot.pause()
        assert view.scroll_x > 0
        assert not rendered(view)[1].startswith("time")
        await pilot.press("p")
        await pilot.pause()
        assert SIP not in view.ladder.lanes
        assert all(a.what != "sip" for a in view.ladder.arrows)
        await pilot.press("s")
        await pilot.pause()
        saved = screen.saved
        assert saved is not None and saved.parent.name == "ladders"
        assert saved.is_relative_to(isolated_home / "xdg-data")
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        text = saved.read_text(encoding="utf-8")
        assert "503 Service Unavailable" in text and "SIP peer" in text  # every lane is saved


async def test_moving_down_the_ladder_selects_the_next_arrow() -> None:
    app = seeded_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_ladder_of_503(pilot)
        view = screen.query_one(LadderView)
        assert view.cursor == 0
        await pilot.press("down", "down")
        await pilot.pause()
        assert view.cursor == 2
        detail = str(screen.query_one("#ladder-detail-text").render())
        assert f"seq {view.ladder.arrows[2].seq}" in detail
        await pilot.press("end")
        await pilot.pause()
        assert view.cursor == len(view.ladder.arrows) - 1


async def test_L_on_a_feed_event_opens_its_calls_ladder() -> None:
    app = seeded_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        feed = app.screen
        assert isinstance(feed, FeedScreen)
        events = feed.query_one(EventList)
        target = _failed_503(app)
        index = next(i for i in range(len(feed.view)) if feed.view[i][0] == target.seqs[-1])
        events.move_to(index)
        await pilot.press("L")
        await pilot.pause()
        screen = ladder(app)
        assert screen.group is target
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FeedScreen)
