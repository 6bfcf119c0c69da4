"""The `/` filter and `f` find box: a one-line query with its error shown right under it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from tui.core.query import Query, QueryError, compile_query


class QueryBar(Vertical):
    """Type a query; Enter applies it, Escape leaves the previous one in place."""

    HELP = """\
## Filter and find

`method:CallStatusEvent status:FAILED,BUSY call:b6f1* node:~95.191 !status:PLAYING sip:4xx ICE`

- `field:value` exact (any case), `*` wildcards, `a,b` either; `field:~text` contains.
- `!` negates a term; words without a field search every text field.
- `sip:` / `reply:` take 486, 4xx or >=400; `sev:error`, `sev:>=warning`.
- Fields: method (type), status, call, node, session, stream, media, app, source, kind, info,
  caller, callee, queue, user, error, rule, sip, reply, sev.
"""

    DEFAULT_CSS = """
    QueryBar { height: auto; display: none; background: $panel; }
    QueryBar.-open { display: block; }
    QueryBar > Input, QueryBar > Input:focus {
        border: none; height: 1; padding: 0 1; background: $panel;
    }
    QueryBar > #query-error { color: $error; padding: 0 1; height: auto; display: none; }
    QueryBar > #query-error.-shown { display: block; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="feed.query.cancel"),
    ]

    class Applied(Message):
        """A valid query was entered (empty text clears it)."""

        def __init__(self, purpose: str, query: Query) -> None:
            super().__init__()
            self.purpose = purpose
            self.query = query

    class Cancelled(Message):
        def __init__(self, purpose: str) -> None:
            super().__init__()
            self.purpose = purpose

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.purpose = "filter"

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="status:FAILED  method:CallStatusEvent  !status:PLAYING  text",
            id="query-input",
        )
        yield Static(id="query-error")

    def open(self, purpose: str, current: str) -> None:
        self.purpose = purpose
        self.add_class("-open")
        field = self.query_one(Input)
        field.placeholder = (
            "filter: " if purpose == "filter" else "find: "
        ) + "status:FAILED  node:~95.191  ICE"
        field.value = current
        field.cursor_position = len(current)
        self._error("")
        field.focus()

    def close(self) -> None:
        self.remove_class("-open")

    def _error(self, text: str) -> None:
        label = self.query_one("#query-error", Static)
        label.update(text)
        label.set_class(bool(text), "-shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        try:
            compile_query(event.value)
        except QueryError as exc:
            self._error(str(exc))
        else:
            self._error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            query = compile_query(event.value)
        except QueryError as exc:
            self._error(str(exc))
            return
        self.close()
        self.post_message(self.Applied(self.purpose, query))

    def action_cancel(self) -> None:
        self.close()
        self.post_message(self.Cancelled(self.purpose))
