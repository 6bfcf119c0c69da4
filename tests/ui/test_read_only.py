"""A read-only console (``[ui] read_only``, what ``noc-console serve`` gives each browser tab):
no write leaves it, whatever a target allows, no policy rule is switched, the header says so."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.ui.browser_support import Lab, lab, open_browser, sim_host, type_location
from tui.config import AppConfig, Target, UiConfig, read_only_applied
from tui.core.policy import PolicyEngine, Rule
from tui.ui.screens.feed import FeedScreen
from tui.ui.screens.rules import RulesScreen
from tui.ui.screenshots import deterministic_app
from tui.ui.widgets.browser.dialogs import ConfirmWrite

__all__ = ["lab", "sim_host"]  # fixtures used below


def _screen_text(app) -> str:
    svg = app.export_screenshot()
    return "".join(re.findall(r">([^<]*)</text>", svg)).replace("&#160;", " ")


async def test_a_delete_on_a_writable_sbc_target_is_refused_before_any_dialog(lab: Lab) -> None:
    app = lab.app(read_only=True)  # the lab's SBC target says allow_writes = true
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(pilot)
        await type_location(pilot, "/rest/sipq850map/3")
        await pilot.press("D")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmWrite)
        notices = [n for n in app._notifications if n.title == "Read-only"]
        assert notices and "This console is read-only" in notices[-1].message
        assert not any(method == "DELETE" for method, _ in lab.rest.sbc.requests)
        assert "READ-ONLY" in _screen_text(app)
        assert all(not t.allow_writes for t in app.config.targets)  # the client refuses too


async def test_the_same_delete_is_offered_when_the_console_may_write(lab: Lab) -> None:
    app = lab.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(pilot)
        await type_location(pilot, "/rest/sipq850map/3")
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmWrite)
        assert "READ-ONLY" not in _screen_text(app)


async def test_the_rules_dialog_shows_but_does_not_switch(lab: Lab) -> None:
    app = lab.app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, FeedScreen)
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, RulesScreen) and app.screen.read_only
    hooks = SimpleNamespace(
        policy=PolicyEngine([Rule("premium", ("call",), "callee", "900*")]),
        config=SimpleNamespace(mode="backend"),
    )
    app = deterministic_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(RulesScreen(hooks, read_only=True))  # type: ignore[arg-type]
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert hooks.policy.get("premium").enabled is True
        assert any("read-only" in n.message for n in app._notifications)
        assert "read-only: rules are not switched" in _screen_text(app)


@pytest.mark.parametrize("read_only", [True, False])
def test_read_only_turns_every_target_s_writes_off(read_only: bool) -> None:
    target = Target(
        name="edge1", kind="sbc", url="http://127.0.0.1:1", user="u", secret_env="X",
        allow_writes=True,
    )  # fmt: skip
    config = AppConfig.model_construct().model_copy(
        update={"targets": [target], "ui": UiConfig(read_only=read_only)}
    )
    assert read_only_applied(config).targets[0].allow_writes is not read_only


def test_the_environment_sets_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from tui.config import load_config

    monkeypatch.setenv("NOC_UI__READ_ONLY", "1")
    path = tmp_path / "c.toml"
    path.write_text('[ui]\ntheme = "noc-light"\n', encoding="utf-8")
    config = load_config(path).config
    assert config.ui.read_only and config.ui.theme == "noc-light"
