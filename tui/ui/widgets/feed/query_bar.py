"""The `/` filter and `f` find box: a one-line query with its error shown right under it."""

from __future__ import annotations

from datetime import UTC, tzinfo
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

`type:CallStatusEvent status:FAILED,BUSY call:pbx-* node:~10.20.1 !status:PLAYING sip:4xx ICE`

- `field:value` exact (any case), `*` wildcards, `a,b` either; `field:~text` contains;
  `field:=text` exactly that text.
- `!` negates a term. A word without a field matches a whole word in any text field (`ICE` is
  not "SERVICE"; `fail*` is FAILED); `~text` finds the text inside words too.
- `sip:` / `reply:` take 486, 4xx or >=400; `sev:error`, `sev:>=warning`.
- `latency:>100` (ms; also `>=1.5s`, `<500us`, `100-500`).
- `time:>06:00`, `time:06:00-06:30`, `time:06:00` (that minute), in the header's clock; ISO
  times too: `time:2026-03-14T06:00..2026-03-14T06:30`.
- Fields: method (type), status, call (interaction), node, session, stream, media, app, source,
  kind, info, caller, callee, queue, user, error, rule, sip, reply, sev, latency, time.
- Find (`f`) says "match 3 of 17" and marks what matched in each row.
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

    def __init__(self, *, zone: tzinfo | None = UTC, id: str | None = None) -> None:
        """``zone``: the clock ``time:`` values are read in (None: the machine's zone)."""
        super().__init__(id=id)
        self.purpose = "filter"
        self.zone = zone

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
        ) + "status:FAILED  node:~10.20.1  ICE  latency:>100  time:>06:00"
        field.value = current
        field.cursor_position = len(current)
        self._error("")
        self.screen.set_focus(field)  # now: keys already queued go there

    def close(self) -> None:
        self.remove_class("-open")

    def _error(self, text: str) -> None:
        label = self.query_one("#query-error", Static)
        label.update(text)
        label.set_class(bool(text), "-shown")

    def on_input_changed(self, event: Input.Changed) -> None:
        try:
            compile_query(event.value, self.zone)
        except QueryError as exc:
            self._error(str(exc))
        else:
            self._error("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            query = compile_query(event.value, self.zone)
        except QueryError as exc:
            self._error(str(exc))
            return
        self.close()
        self.post_message(self.Applied(self.purpose, query))

    def action_cancel(self) -> None:
        self.close()
        self.post_message(self.Cancelled(self.purpose))
