"""Which footer keys are kept when the footer is narrower than all of them."""

from __future__ import annotations

from tui.ui.models.footer_fit import key_width, keys_that_fit

KEYS = [
    ("follow", 9),
    ("back", 7),
    ("filter", 9),
    ("app.toggle_help_panel", 8),
    ("app.show_keys", 7),
    ("app.quit", 7),
]


def test_everything_fits_when_there_is_room() -> None:
    assert keys_that_fit(KEYS, 47) == [0, 1, 2, 3, 4, 5]


def test_quit_then_help_go_first() -> None:
    assert keys_that_fit(KEYS, 46) == [0, 1, 2, 3, 4]
    assert keys_that_fit(KEYS, 39) == [0, 1, 2, 4]


def test_then_the_screen_keys_from_the_end_but_keys_stays() -> None:
    assert keys_that_fit(KEYS, 32) == [0, 1, 2, 4]
    assert keys_that_fit(KEYS, 31) == [0, 1, 4]
    assert keys_that_fit(KEYS, 0) == [4]


def test_width_counts_cells_not_characters() -> None:
    assert key_width("⏎", "Open") == 7
    assert key_width("ctrl+p", "") == 7
