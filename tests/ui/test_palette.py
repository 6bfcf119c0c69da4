"""The command palette: what it offers on each screen, and what its entries do."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.ui.browser_support import Lab, lab, open_browser, settle, sim_host
from tui.paths import data_dir
from tui.ui.palette import FEED_PRESETS, screen_commands
from tui.ui.screens.feed import FeedScreen
from tui.ui.screens.rules import RulesScreen
from tui.ui.screenshots import deterministic_app
from tui.ui.text import display_path
from tui.ui.widgets.feed.query_bar import QueryBar

__all__ = ["lab", "sim_host"]  # fixtures used below


async def run_palette_entry(pilot, text: str) -> None:
    from textual.widgets import Input

    await pilot.press("ctrl+p")
    await pilot.pause()
    # The whole text at once (as a paste): one search, not one per keystroke.
    pilot.app.screen.query_one(Input).value = text
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


async def test_save_screenshot_writes_into_the_data_folder_and_says_where(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "jump-host-home"  # no ~/Downloads, as on most jump hosts
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_palette_entry(pilot, "save screenshot")
        shots = list((data_dir() / "screenshots").glob("*.svg"))
        assert len(shots) == 1
        assert stat.S_IMODE(shots[0].stat().st_mode) == 0o600
        assert "<svg" in shots[0].read_text(encoding="utf-8")[:500]
        messages = [note.message for note in app._notifications]
        assert f"Saved to {display_path(shots[0])}" in messages
        assert display_path(shots[0]).startswith("~/.local/share/noc-console/screenshots/")
        assert not (home / "Downloads").exists()
        await run_palette_entry(pilot, "save screenshot")  # the same second: a second file
        assert len(list((data_dir() / "screenshots").glob("*.svg"))) == 2


async def test_a_screenshot_that_cannot_be_written_says_where_and_why(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))  # the data folder cannot be created
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await run_palette_entry(pilot, "save screenshot")
        notes = [(note.message, note.severity) for note in app._notifications]
        assert any(
            message.startswith(f"Could not save {blocker}/noc-console/screenshots/")
            and severity == "error"
            for message, severity in notes
        ), notes


# -- what each screen adds to the palette ----------------------------------------------------


async def run_palette(pilot, text: str) -> None:
    """Type ``text`` into the palette and run the best match (as an operator would)."""
    await run_palette_entry(pilot, text)
    await pilot.pause()


def names(screen) -> list[str]:
    return [command.name for command in screen_commands(screen)]


async def test_each_screen_offers_its_own_keys_and_not_the_others(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        feed = names(app.screen)
        for wanted in ("Feed: Pause", "Feed: Rules", "Feed: Filter", "Feed: Find", "Feed: Open"):
            assert wanted in feed
        assert "Feed: Last (follow)" in feed  # the event list's key, it has the focus
        assert not [name for name in feed if name.endswith((": Up", ": Down", ": Page up"))]
        assert "Feed: Focus Next" not in feed and "Feed: Copy selected text" not in feed
        assert any(name.startswith("Feed filter: ") for name in feed)
        assert not any(name.startswith(("Browser", "Inspector")) for name in feed)
        app.switch_mode("inspector")
        await pilot.pause()
        inspector = names(app.screen)
        assert {"Inspector: Decode", "Inspector: Example", "Inspector: Clear"} <= set(inspector)
        assert not any(name.startswith(("Feed", "Browser")) for name in inspector)


async def test_a_key_remapped_in_the_config_shows_its_new_key(make_app) -> None:
    app, _ = make_app('[keymap]\n"feed.pause" = "ctrl+y"\n')
    async with app.run_test(size=(80, 24)):
        (pause,) = [c for c in screen_commands(app.screen) if c.name == "Feed: Pause"]
        assert pause.help == "key ^y"


async def test_feed_pause_and_rules_from_the_palette(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, FeedScreen) and not screen.view.paused
        await run_palette(pilot, "feed pause")
        assert screen.view.paused
        await run_palette(pilot, "feed rules")
        assert isinstance(app.screen, RulesScreen)


async def test_a_filter_preset_opens_the_filter_bar_and_enter_applies_it(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, FeedScreen)
        await run_palette(pilot, "feed filter failed or busy")
        field = screen.query_one(QueryBar).query_one(Input)
        assert field.has_focus and field.value == "status:FAILED,BUSY"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.view.query is not None
        assert screen.view.query.text == "status:FAILED,BUSY"


def test_every_filter_preset_finds_events_in_the_seeded_demo_traffic() -> None:
    from tui.core.feed import as_row, blank_event
    from tui.core.query import compile_query

    app = deterministic_app(feed=True)  # WCS hooks ending in a trunk failure, and one ICWS line
    icws = blank_event(ts=1.0, source="icws", method="queueContentsMessage", queue="Support")
    rows = [*app.services.store.rows, as_row(icws)]
    for label, text in FEED_PRESETS:
        query = compile_query(text)
        matched = [row for row in rows if query(row)]
        assert 0 < len(matched) < len(rows), (label, text, len(matched))


async def test_inspector_example_from_the_palette(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.switch_mode("inspector")
        await pilot.pause()
        await run_palette(pilot, "inspector example")
        assert any(note.title.startswith("Example 1/") for note in app._notifications)


async def test_browser_commands_aliases_and_targets_from_the_palette(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_browser(pilot)
        offered = names(screen)
        assert {"Browser: Refresh", "Browser: :home", "Browser: :set …"} <= set(offered)
        assert {"Browser: target cue-lab", "Browser: go to :sockets"} <= set(offered)
        await run_palette(pilot, "browser go to :alarms")
        await settle(pilot)
        assert screen.active is not None and screen.active.location == "/rest/activealarm"
        await run_palette(pilot, "browser target mws-lab")
        await settle(pilot)
        assert screen.active.name == "mws-lab"
        await run_palette(pilot, "browser :set")
        box = screen.location_bar.omnibox
        assert box.has_focus and box.value == ":set "
