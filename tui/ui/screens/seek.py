"""`T` during a replay: where to go, typed as a time, an offset, a share or start/end."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.core.replay.target import HELP
from tui.ui.widgets.field_dialog import FieldDialog


class SeekScreen(FieldDialog):
    """Returns what was typed (Enter) or None (Esc)."""

    FIELD_ID = "seek-input"

    DEFAULT_CSS = """
    SeekScreen { align: center middle; }
    SeekScreen > Vertical {
        width: 90%; max-width: 72; height: auto;
        border: round $primary; background: $surface; padding: 0 1;
    }
    SeekScreen .seek-note { color: $foreground-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="seek.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Go to (replay)", markup=False)
            yield Input(placeholder="13:40:02  +30s  -5m  50%  start  end", id="seek-input")
            yield Static(HELP + " · Enter goes · Esc cancels", classes="seek-note", markup=False)

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.dismiss(message.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
