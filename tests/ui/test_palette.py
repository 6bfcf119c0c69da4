"""The command palette: what it offers on each screen, and what its entries do."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tui.paths import data_dir
from tui.ui.text import display_path


async def run_palette_entry(pilot, text: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.press(*text)
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
