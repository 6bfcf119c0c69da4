"""Snapshots of each screen at 80x24 and 120x40 (fixed clock, packaged themes, no saving).

Update after an intended change with: .venv/bin/python -m pytest tests/ui --snapshot-update
then look at the report before committing.
"""

from __future__ import annotations

import pytest

from tui.ui.screenshots import MODES, deterministic_app

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", MODES)
def test_screen(snap_compare, screen: str, size: tuple[int, int]) -> None:
    async def go(pilot) -> None:
        pilot.app.switch_mode(screen)
        await pilot.pause()

    assert snap_compare(deterministic_app(feed=screen == "feed"), terminal_size=size, run_before=go)


@pytest.mark.parametrize("theme", ["noc-light", "noc-high-contrast"])
def test_feed_in_other_themes(snap_compare, theme: str) -> None:
    assert snap_compare(deterministic_app(theme=theme, feed=True), terminal_size=(80, 24))


def test_feed_empty_says_how_to_point_wcs(snap_compare) -> None:
    assert snap_compare(deterministic_app(), terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_failed_call_detail(snap_compare, size: tuple[int, int]) -> None:
    press = ["slash", *"sip:>=400", "enter", "enter"]
    assert snap_compare(deterministic_app(feed=True), terminal_size=size, press=press)


def test_keys_overlay(snap_compare) -> None:
    assert snap_compare(deterministic_app(), terminal_size=(80, 24), press=["question_mark"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_panel(snap_compare, size: tuple[int, int]) -> None:
    assert snap_compare(deterministic_app(feed=True), terminal_size=size, press=["f1"])


def test_help_panel_scrolled_to_its_end(snap_compare) -> None:
    async def go(pilot) -> None:
        pilot.app.switch_mode("browser")
        await pilot.pause()
        await pilot.press("f1", "end")
        await pilot.pause()

    assert snap_compare(deterministic_app(), terminal_size=(80, 24), run_before=go)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_columns_dialog(snap_compare, size: tuple[int, int]) -> None:
    """What is on and off in words, and what the terminal has no room for."""
    press = ["C", "down", "space"]
    assert snap_compare(deterministic_app(feed=True), terminal_size=size, press=press)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_find_marks_its_matches(snap_compare, size: tuple[int, int]) -> None:
    """The status line says "match 1 of 4"; FAILED and Failed are marked where they are."""
    press = ["f", *"fail*", "enter"]
    assert snap_compare(deterministic_app(feed=True), terminal_size=size, press=press)
