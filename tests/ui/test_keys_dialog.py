"""The Keys dialog (`?`): its heading spans the dialog, the list scrolls under it."""

from __future__ import annotations

import pytest

from tests.ui.test_help import screen_lines
from tui.ui.screens.keys import KeysScreen
from tui.ui.screenshots import deterministic_app


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_heading_rule_reaches_the_dialog_border(size: tuple[int, int]) -> None:
    app = deterministic_app(feed=True)
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        lines = screen_lines(app)
        rule = next(line for line in lines if "╇" in line)
        inside = rule.strip()[1:-1]  # between the dialog's borders
        assert inside.startswith(" ━") and inside.endswith("━"), rule
        assert any("Remap a key in" in line for line in lines)  # the footer line stays
        body = app.screen.query_one("#keys-body")
        assert body.max_scroll_y > 0  # more keys than room: the list scrolls under the heading
