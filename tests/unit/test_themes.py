from __future__ import annotations

from pathlib import Path

import pytest

from tui.paths import packaged_themes_dir, user_themes_dir
from tui.ui.themes import load_theme_file, load_themes

REQUIRED = {"noc-dark", "noc-light", "noc-high-contrast"}


def test_packaged_themes_load() -> None:
    catalog = load_themes(include_user=False)
    assert set(catalog.names) >= REQUIRED
    assert catalog.problems == []
    assert not catalog.entries["noc-light"].theme.dark
    assert all(e.origin == "packaged" for e in catalog.entries.values())


def test_every_theme_defines_the_colours_the_ui_uses() -> None:
    for path in packaged_themes_dir().glob("*.toml"):
        spec = load_theme_file(path)
        for field in (
            "primary",
            "accent",
            "warning",
            "error",
            "success",
            "foreground",
            "background",
        ):
            assert getattr(spec, field), f"{path.name} lacks {field}"


def test_user_themes_are_added_and_may_replace(tmp_path: Path) -> None:
    folder = user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('name = "night-shift"\nprimary = "#884400"\n')
    (folder / "dark.toml").write_text('name = "noc-dark"\nprimary = "#ff00ff"\n')
    catalog = load_themes()
    assert catalog.entries["night-shift"].origin == "user"
    assert catalog.entries["noc-dark"].origin == "user"
    assert catalog.entries["noc-dark"].theme.primary == "#ff00ff"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('name = "x"\nprimary = "bluish"\n', "primary: 'bluish' is not a colour"),
        ('name = "Bad Name"\nprimary = "#000"\n', "name: String should match pattern"),
        ('name = "x"\n', "primary: Field required"),
        ('name = "x"\nprimary = "#000"\nshade = 1\n', "shade: Extra inputs are not permitted"),
        ("name = \n", "Invalid value"),
    ],
)
def test_broken_user_theme_is_reported_not_fatal(text: str, fragment: str) -> None:
    folder = user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text(text)
    catalog = load_themes()
    assert set(catalog.names) >= REQUIRED
    assert len(catalog.problems) == 1
    assert "broken.toml" in catalog.problems[0]
    assert fragment in catalog.problems[0]


def test_signal_colours_keep_their_meaning_in_16_colours() -> None:
    """On TERM=xterm the colours are cut to 16: warning must stay yellow, error red, ok green."""
    from rich.color import Color, ColorSystem

    expected = {"warning": {3, 11}, "error": {1, 9}, "success": {2, 10}}
    for path in packaged_themes_dir().glob("*.toml"):
        spec = load_theme_file(path)
        for role, allowed in expected.items():
            colour = Color.parse(getattr(spec, role)).downgrade(ColorSystem.STANDARD)
            assert colour.number in allowed, f"{path.name}: {role} becomes colour {colour.number}"
