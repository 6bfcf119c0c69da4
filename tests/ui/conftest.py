from __future__ import annotations

from pathlib import Path

import pytest

from tui.config import LoadedConfig, load_config
from tui.ui.app import NocApp, create_app
from tui.ui.screenshots import fixed_clock
from tui.ui.themes import load_themes


@pytest.fixture
def make_app(write_config):
    """An app over a real config file (so theme changes are saved there)."""

    def make(text: str = "", *, demo: bool = True) -> tuple[NocApp, Path]:
        if "[hooks]" not in text:
            # Any free port: a console or another test run on 8081 must not change the result.
            text += "\n[hooks]\nport = 0\n"
        path = write_config(text)
        loaded: LoadedConfig = load_config(path)
        app = create_app(loaded, demo=demo, clock=fixed_clock, themes=load_themes())
        return app, path

    return make
