"""Modal dialogs of the browser: confirm a write (showing the exact request), ask for a value."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tui.ui.widgets.field_dialog import FieldDialog


class ConfirmWrite(ModalScreen[bool]):
    """ "Send this request?" with the request as it will go out; Cancel has the focus."""

    DEFAULT_CSS = """
    ConfirmWrite { align: center middle; }
    ConfirmWrite > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ConfirmWrite .confirm-title { color: $error; text-style: bold; }
    ConfirmWrite VerticalScroll { height: auto; max-height: 14; background: $panel; }
    ConfirmWrite Horizontal { height: auto; align-horizontal: right; }
    ConfirmWrite Button { margin: 0 1; min-width: 10; }
    """

    BINDINGS = [
        Binding("escape,n", "answer(False)", "Cancel", id="browser.confirm.cancel"),
        Binding("y", "answer(True)", "Send", id="browser.confirm.send"),
    ]

    def __init__(self, target: str, summary: str, request_text: str) -> None:
        super().__init__()
        self.target = target
        self.summary = summary
        self.request_text = request_text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Text(f"Send this request to {self.target}? ({self.summary})"),
                classes="confirm-title",
            )
            with VerticalScroll():
                yield Static(Text(self.request_text), id="confirm-request")
            yield Label(Text("It changes the device. y sends, n or escape cancels."))
            with Horizontal():
                yield Button("Send", variant="error", id="confirm-send")
                yield Button("Cancel", variant="primary", id="confirm-cancel")

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-send")

    def action_answer(self, send: bool) -> None:
        self.dismiss(send)


class ValuePrompt(FieldDialog):
    """One line of input (a new attribute value); enter accepts, escape cancels."""

    FIELD_ID = "prompt-input"

    DEFAULT_CSS = """
    ValuePrompt { align: center middle; }
    ValuePrompt > Vertical {
        width: 80%; max-width: 90; height: auto; border: round $primary;
        background: $surface; padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="browser.prompt.cancel")]

    def __init__(self, title: str, value: str) -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text))
            yield Input(self.value, id="prompt-input")
            yield Label(Text("enter: continue to the confirmation · escape: cancel"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
