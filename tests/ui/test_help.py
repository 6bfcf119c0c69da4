"""F1 help at 80x24 and 120x40: nothing draws over the panel, and all of the help can be read."""

from __future__ import annotations

import io
import re
from textwrap import dedent
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget

from tui.ui.screenshots import deterministic_app
from tui.ui.widgets.feed.event_list import EventList
from tui.ui.widgets.help_panel import HelpScroll, NocHelpPanel


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


def screen_lines(app) -> list[str]:
    """What the terminal shows, one string per row (the compositor's output, as plain text)."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True,
        color_system="truecolor", record=True, legacy_windows=False, safe_box=False,
    )  # fmt: skip
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()


def words_of_markdown(text: str) -> list[str]:
    """The words a reader sees in a help text (markup characters dropped)."""
    plain = re.sub(r"^\s*(#+|-)\s+", "", text, flags=re.MULTILINE)
    return plain.replace("**", "").replace("`", "").split()


def is_in_order(wanted: list[str], seen: list[str]) -> bool:
    remaining = iter(seen)
    return all(word in remaining for word in wanted)


async def read_whole_panel(pilot) -> list[str]:
    """Page through the open help panel with PgDn, collecting the words it shows."""
    app = pilot.app
    panel = app.screen.query_one(NocHelpPanel)
    body = panel.query_one(HelpScroll)
    assert app.screen.focused is body  # the keys scroll it without a click first
    seen: list[str] = []
    for _ in range(40):
        await pilot.pause()
        region = body.region
        lines = screen_lines(app)
        for y in range(region.y, region.bottom):
            seen += lines[y][region.x : region.right].split()
        if body.scroll_y >= body.max_scroll_y:
            return seen
        await pilot.press("pagedown")
    raise AssertionError("the help never reached its end")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("mode", ["feed", "browser", "inspector"])
async def test_f1_shows_every_word_of_the_help_and_nothing_covers_it(
    mode: str, size: tuple[int, int]
) -> None:
    app = deterministic_app(feed=mode == "feed")
    async with app.run_test(size=size) as pilot:
        app.switch_mode(mode)
        await pilot.pause()
        focused = app.screen.focused
        await pilot.press("f1")
        panel = app.screen.query_one(NocHelpPanel)
        for widget in app.screen.query("*"):
            if widget is panel or panel in widget.ancestors or not widget.display:
                continue
            if widget.region and not isinstance(widget, Screen):
                assert not widget.region.overlaps(panel.region), widget
        seen = await read_whole_panel(pilot)
        nodes = list(focused.ancestors_with_self) if focused is not None else [app.screen]
        texts = [node.HELP for node in nodes if isinstance(node, Widget) and node.HELP]
        assert type(app.screen).HELP in texts
        for text in texts:
            assert is_in_order(words_of_markdown(dedent(text)), seen), text[:40]
        assert "Keys" in seen and "Quit" in seen  # the key list follows the text


def focused(app: App[Any]) -> Widget | None:
    return app.screen.focused


async def test_escape_closes_the_help_and_gives_focus_back() -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        events = app.screen.query_one(EventList)
        assert focused(app) is events
        await pilot.press("f1")
        assert focused(app) is app.screen.query_one(HelpScroll)
        await pilot.press("end")  # scrolls the help, not the feed
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query(NocHelpPanel)
        assert focused(app) is events
        await pilot.press("f1", "f1")
        await pilot.pause()
        assert not app.screen.query(NocHelpPanel) and focused(app) is events
