"""The policy rules dialog (`R`): each rule's state as a word, its refusals in sight at 80x24,
space (or enter) switches it, and the counts follow the hooks while the dialog is open."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from tui.core.policy import PolicyEngine, Rule
from tui.ui.screens.rules import RulesScreen
from tui.ui.screenshots import deterministic_app

SIZES = [(80, 24), (120, 40)]


def _hooks() -> SimpleNamespace:
    """What the dialog reads of the hook service: its policy and its mode."""
    rules = [
        Rule("premium", ("call",), "callee", "900*", hits=1234),
        Rule("blocked-app", ("connect",), "appKey", "re:^(legacy|test)-.*$", enabled=False, hits=7),
        Rule("international", ("call", "incoming"), "callee", "00*", hits=0),
    ]
    return SimpleNamespace(policy=PolicyEngine(rules), config=SimpleNamespace(mode="backend"))


def _screen_text(app) -> str:
    svg = app.export_screenshot()
    return "".join(re.findall(r">([^<]*)</text>", svg)).replace("&#160;", " ")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_state_is_a_word_and_counts_stay_in_sight(size: tuple[int, int]) -> None:
    hooks = _hooks()
    app = deterministic_app()
    async with app.run_test(size=size) as pilot:
        app.push_screen(RulesScreen(hooks))  # type: ignore[arg-type]
        await pilot.pause()
        text = _screen_text(app)
        for word in ("ON", "off", "1,234", "premium", "blocked-app", "international"):
            assert word in text, word
        await pilot.press("space")  # the cursor starts on the first rule
        await pilot.pause()
        assert hooks.policy.get("premium").enabled is False
        hooks.policy.get("international").hits = 42  # hooks refused while the dialog is open
        dialog = app.screen
        assert isinstance(dialog, RulesScreen)
        dialog.refresh_rows()
        await pilot.pause()
        text = _screen_text(app)
        assert "42" in text
        await pilot.press("down", "enter")  # enter switches too
        await pilot.pause()
        assert hooks.policy.get("blocked-app").enabled is True


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_rules_dialog(snap_compare, size: tuple[int, int]) -> None:
    async def go(pilot) -> None:
        pilot.app.push_screen(RulesScreen(_hooks()))  # type: ignore[arg-type]
        await pilot.pause()

    assert snap_compare(deterministic_app(feed=True), terminal_size=size, run_before=go)
