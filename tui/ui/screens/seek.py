"""`T` during a replay: where to go, typed as a time, an offset, a share or start/end."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.core.replay.target import HELP


class SeekScreen(ModalScreen[str | None]):
    """Returns what was typed (Enter) or None (Esc)."""

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

    def on_mount(self) -> None:
        self.set_focus(self.query_one(Input))

    def on_key(self, event: events.Key) -> None:
        """Keys typed right after ``T`` (a burst over a laggy link) come to the screen before
        its field has the focus: they are the field's."""
        field = self.query_one(Input)
        if self.focused is field:
            return
        if event.is_printable and event.character:
            self.set_focus(field)
            field.insert_text_at_cursor(event.character)
        elif event.key == "enter":
            self.dismiss(field.value)
        else:
            return
        event.stop()
        event.prevent_default()

    def on_input_submitted(self, message: Input.Submitted) -> None:
        message.stop()
        self.dismiss(message.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
