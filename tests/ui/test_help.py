"""F1 help at 80x24 and 120x40: nothing draws over the panel, and all of the help can be read."""

from __future__ import annotations

from rich.cells import cell_len

from tui.ui.screenshots import deterministic_app
from tui.ui.widgets.feed.event_list import EventList


def strip_cells(strip) -> int:
    """The cells a strip really covers (not the length it claims)."""
    return sum(cell_len(segment.text) for segment in strip)


async def test_event_rows_never_reach_past_the_list_however_narrow() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        events = app.screen.query_one(EventList)
        for width in (80, 50, 44, 30):
            events.styles.width = width
            await pilot.pause()
            assert events.size.width == width
            lines = events.render_lines(events.size.region)
            assert {strip_cells(strip) for strip in lines} == {width}, width
