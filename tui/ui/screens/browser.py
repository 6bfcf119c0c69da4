"""The resource browser for SBC, CUE and MWS trees."""

from __future__ import annotations

from textual.app import ComposeResult

from tui.ui.screens.base import NocScreen
from tui.ui.text import display_path
from tui.ui.widgets.empty_state import EmptyState, Line


def add_target_lines(config_path: str) -> list[Line]:
    return [
        f"Add an SBC, CUE or MWS to {config_path}:",
        "",
        ("  [[targets]]", "code"),
        ('  name = "edge1"', "code"),
        ('  kind = "sbc"                    # sbc | cue | mws', "code"),
        ('  url = "https://10.0.0.20"', "code"),
        ('  user = "admin"                  # not for mws (bearer token)', "code"),
        ('  secret_env = "EDGE1_PASSWORD"   # the variable holding the secret', "code"),
        "",
        "Export the secret, then check the file:",
        ("  export EDGE1_PASSWORD=...", "code"),
        (f"  noc-console config check {config_path}", "code"),
        "",
        "Or look around first: noc-console demo",
    ]


class BrowserScreen(NocScreen):
    """SBC, CUE and MWS resource trees, followed link by link."""

    SCREEN_KEY = "browser"
    HELP = """\
## Browser

Walks the REST resource trees of the configured SBC, CUE and MWS targets, following
`href` links like a web browser.

- **1 2 3** (or **F2 F3 F4**) switch screens; **?** lists every key.
"""

    def compose_body(self) -> ComposeResult:
        path = display_path(self.noc.config_path)
        if not self.noc.config.targets:
            yield EmptyState("No targets to browse", add_target_lines(path), id="browser-empty")
        else:
            names = ", ".join(f"{t.kind}:{t.name}" for t in self.noc.config.targets)
            yield EmptyState(
                "Targets configured",
                [f"Targets: {names}", "", "Browsing them arrives with the resource browser."],
                id="browser-empty",
            )
