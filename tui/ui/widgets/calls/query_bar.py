"""The Calls screen's `/` filter box: one line, its error right under it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from tui.core.correlate.group_query import (
    FIELD_NAMES,
    GroupQuery,
    GroupQueryError,
    compile_group_query,
)


class GroupQueryBar(Vertical):
    """Type a filter over calls; Enter applies it, Escape leaves the previous one in place."""

    HELP = f"""\
## Filter the calls

`state:ESTABLISHED node:~95.191 duration:>60 sip:5xx is:failed`

- `field:value` exact (any case), `*` wildcards, `a,b` either; `field:~text` contains.
- `!` negates a term; words without a field search the id, node, numbers, state and reason.
- `sip:` / `reply:` take 503, 5xx or >=400; `duration:` (seconds), `events:` take >60, <=5.
- `is:` failed, refused, live, ended, linked.
- Fields: {", ".join(FIELD_NAMES)}.
"""

    DEFAULT_CSS = """
    GroupQueryBar { height: auto; display: none; background: $panel; }
    GroupQueryBar.-open { display: block; }
    GroupQueryBar > Input, GroupQueryBar > Input:focus {
        border: none; height: 1; padding: 0 1; background: $panel;
    }
    GroupQueryBar > #calls-query-error { color: $error; padding: 0 1; height: auto; display: none; }
    GroupQueryBar > #calls-query-error.-shown { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="calls.query.cancel"),
    ]

    class Applied(Message):
        """A valid filter was entered (empty text clears it)."""

        def __init__(self, query: GroupQuery) -> None:
            super().__init__()
            self.query = query

    class Cancelled(Message):
        pass

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="filter: state:ESTABLISHED  node:~95.191  duration:>60  sip:5xx",
            id="calls-query-input",
        )
        yield Static(id="calls-query-error")

    def open(self, current: str) -> None:
        self.add_class("-open")
        field = self.query_one(Input)
        field.value = current
        field.cursor_position = len(current)
        self._error("")
        self.screen.set_focus(field)  # now: keys already queued go there

    def _error(self, text: str) -> None:
        label = self.query_one("#calls-query-error", Static)
        label.update(Text(text))  # typed text: never markup
        label.set_class(bool(text), "-shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        try:
            compile_group_query(event.value)
        except GroupQueryError as exc:
            self._error(str(exc))
        else:
            self._error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            query = compile_group_query(event.value)
        except GroupQueryError as exc:
            self._error(str(exc))
            return
        self.remove_class("-open")
        self.post_message(self.Applied(query))

    def action_cancel(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Cancelled())
