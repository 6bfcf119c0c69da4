"""The live feed of WCS hooks and ICWS messages."""

from __future__ import annotations

import socket

from textual.app import ComposeResult

from tui.config import AppConfig
from tui.ui.screens.base import NocScreen
from tui.ui.text import display_path
from tui.ui.widgets.empty_state import EmptyState, Line


def wcs_setup_lines(config: AppConfig, config_path: str) -> list[Line]:
    """How to point WCS at this console, from the hook listener's actual settings."""
    hooks = config.hooks
    loopback = hooks.bind in ("127.0.0.1", "::1", "localhost")
    wide = hooks.bind in ("0.0.0.0", "::")
    host = socket.gethostname() if wide else hooks.bind
    host = f"[{host}]" if ":" in host else host
    app_url = f"http://{host}:{hooks.port}/apps/EchoApp"
    lines: list[Line] = [
        f"WCS hooks: {hooks.endpoint} ({hooks.mode} mode)",
        "On the WCS command line (ssh -p 2000 admin@<wcs-host>):",
        (f'  update app -l "{app_url}" defaultApp', "code"),
        ("  add app-rest-method -a defaultApp", "code"),
        "(a new app gets no REST methods until they are added)",
    ]
    if loopback:
        lines += [
            "",
            (f"Bound to {hooks.bind}: WCS on another host cannot reach it;", "warn"),
            f'set [hooks] bind = "0.0.0.0" in {config_path}',
        ]
    if not config.icws:
        lines += ["", "ICWS: no servers configured; add [[icws]] to the same file."]
    return lines


class FeedScreen(NocScreen):
    """Every WCS hook and ICWS message as it arrives."""

    SCREEN_KEY = "feed"
    HELP = """\
## Feed

The live feed of WCS REST hooks and ICWS messages, newest at the bottom.

- **1 2 3** (or **F2 F3 F4**) switch between Feed, Browser and Inspector.
- **?** lists every key and its binding id (for the `[keymap]` table in the config).
- **Ctrl+P** opens the command palette; **Ctrl+T** cycles themes.
"""

    def compose_body(self) -> ComposeResult:
        path = display_path(self.noc.config_path)
        yield EmptyState("No events yet", wcs_setup_lines(self.noc.config, path), id="feed-empty")
