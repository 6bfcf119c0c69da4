"""Pilot tests of the app shell: screens, help, themes, keymap, header."""

from __future__ import annotations

import re
import socket
import tomllib

from textual.binding import Binding

from tests.fixtures import config_text
from tests.ui.typing_support import paste
from tui.ui.bindings import ui_bindings
from tui.ui.screens.keys import KeysScreen
from tui.ui.widgets.footer import FooterKeyHint
from tui.ui.widgets.header import NocHeader
from tui.ui.widgets.help_panel import NocHelpPanel


def header_text(app) -> str:
    header = app.screen.query_one(NocHeader)
    return str(header.render())


async def test_number_keys_and_f_keys_switch_screens(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.current_mode == "feed"
        assert app.screen.query_one("#feed-empty")
        for key, mode in (
            ("2", "browser"),
            ("3", "inspector"),
            ("1", "feed"),
            ("f3", "browser"),
            ("f4", "inspector"),
            ("f2", "feed"),
        ):
            await pilot.press(key)
            assert app.current_mode == mode, key
            assert app.screen.query_one(NocHeader).screen_key == mode


async def test_command_palette_reaches_each_screen(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await paste(pilot, "go to inspector")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.current_mode == "inspector"


async def test_theme_key_cycles_and_saves_to_the_config(make_app) -> None:
    app, path = make_app('# keep me\n[ui]\ntheme = "noc-dark"\n')
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "noc-dark"
        seen = [app.theme]
        for _ in range(3):
            await pilot.press("ctrl+t")
            await pilot.pause()
            seen.append(app.theme)
        assert set(seen[:3]) == {"noc-dark", "noc-light", "noc-high-contrast"}
        assert seen[3] == seen[0]
        await pilot.press("ctrl+t")
        await pilot.pause()
        saved = tomllib.loads(path.read_text())["ui"]["theme"]
        assert saved == app.theme != "noc-dark"
        assert path.read_text().startswith("# keep me")


async def test_theme_from_config_and_unknown_theme_falls_back(make_app) -> None:
    app, _ = make_app('[ui]\ntheme = "noc-light"\n')
    async with app.run_test():
        assert app.theme == "noc-light"
    app, path = make_app('[ui]\ntheme = "missing"\n')
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "noc-dark"
        assert any("Theme 'missing' not found" in n.message for n in app._notifications)
        assert (
            "missing" in path.read_text()
        )  # the fallback is not written over the operator's choice


async def test_keymap_from_config_remaps_a_binding(make_app) -> None:
    app, _ = make_app('[keymap]\n"app.screen.browser" = "b"\n"app.nothing" = "x"\n')
    async with app.run_test() as pilot:
        await pilot.press("2")
        assert app.current_mode == "feed"  # the old key no longer switches
        await pilot.press("b")
        assert app.current_mode == "browser"
        await pilot.pause()
        assert any("app.nothing" in n.message for n in app._notifications)


async def test_f1_toggles_help_with_the_screen_text(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        panel = app.screen.query_one(NocHelpPanel)
        assert "## Feed" in panel.help_markdown
        await pilot.press("f1")
        await pilot.pause()
        assert not app.screen.query(NocHelpPanel)


async def test_question_mark_lists_keys_with_ids(make_app) -> None:
    app, _ = make_app('[keymap]\n"app.screen.inspector" = "f9"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        table = app.screen._table()
        ids = list(table.columns[2].cells)
        keys = list(table.columns[0].cells)
        assert any(str(i) == "app.screen.inspector" for i in ids)
        row = [str(i) for i in ids].index("app.screen.inspector")
        assert str(keys[row]) == "f9"  # shows the remapped key
        await pilot.press("escape")
        assert not isinstance(app.screen, KeysScreen)


async def test_a_click_on_a_footer_key_presses_it(make_app) -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        hints = {hint.action: hint for hint in app.screen.query(FooterKeyHint)}
        assert hints["app.command_palette"].has_class("-command-palette")
        await pilot.click(hints["app.show_keys"])
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)


async def test_q_quits(make_app) -> None:
    app, _ = make_app()
    async with app.run_test() as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_header_lists_sources_and_flags_insecure_tls(make_app) -> None:
    app, _ = make_app(config_text("header-sources.toml"), demo=False)
    async with app.run_test(size=(120, 40)):
        text = header_text(app)
        assert "wcs:hooks" in text
        assert re.search(r"icws:cic1 (idle|connecting|down) TLS-OFF", text)  # no server there
        assert "sbc:edge1" in text
        assert "DEMO" not in text
        assert "09:26:53Z" in text


async def test_header_shortens_at_80_columns(make_app) -> None:
    app, _ = make_app(config_text("eight-targets.toml"))
    async with app.run_test(size=(80, 24)):
        line = header_text(app).splitlines()[1]
        assert len(line) <= 80
        assert "more" in line


async def test_empty_screens_say_what_to_do(make_app) -> None:
    with socket.socket() as probe:  # a port nothing listens on (another run may hold 9443)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app, _ = make_app(f"[hooks]\nport = {port}\n")
    async with app.run_test(size=(120, 40)) as pilot:
        note = str(app.screen.query_one("#feed-empty EmptyNote").render())
        assert f'update app -l "http://127.0.0.1:{port}/apps/EchoApp" defaultApp' in note
        assert "Bound to 127.0.0.1" in note
        await pilot.press("2")
        note = str(app.screen.query_one("#browser-empty EmptyNote").render())
        assert "[[targets]]" in note
        assert "config check" in note


def test_every_binding_has_an_id() -> None:
    found = ui_bindings()
    assert len(found) >= 9
    missing = [(owner, b.key) for owner, b in found if not b.id]
    assert missing == []
    ids = [b.id for _, b in found]
    assert len(ids) == len(set(ids)), "binding ids must be unique"
    assert all(isinstance(b, Binding) for _, b in found)
