"""The error inspector."""

from __future__ import annotations

from textual.app import ComposeResult

from tui.ui.screens.base import NocScreen
from tui.ui.widgets.empty_state import EmptyState

INSPECTOR_LINES = [
    "The inspector explains errors from all five systems:",
    "",
    "  ICWS errorId      error.request.connection.authenticationFailure",
    "  SBC app code      an app_status_entry code with its |-separated params",
    "  CUE / MWS         an XML or JSON error body",
    "  SIP / HTTP        SIP 486 BUSY HERE, 503, …",
]


class InspectorScreen(NocScreen):
    """Decode an error and see which errors are happening."""

    SCREEN_KEY = "inspector"
    HELP = """\
## Inspector

Decodes ICWS `errorId` hierarchies, SBC app codes, CUE and MWS error bodies and SIP/HTTP
statuses.

- **1 2 3** (or **F2 F3 F4**) switch screens; **?** lists every key.
"""

    def compose_body(self) -> ComposeResult:
        yield EmptyState("Nothing inspected yet", INSPECTOR_LINES, id="inspector-empty")
