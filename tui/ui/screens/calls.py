"""Calls: every call, stream, client session and ICWS interaction the console has seen, live.

The correlator (fed by the services after each drain of the store) keeps the groups; this
screen lists one kind at a time, filtered and sorted, and rebuilds the list on a one-second
clock, never per event. Enter opens a group's ladder.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Click
from textual.widget import Widget
from textual.widgets import Static

from tui.core.correlate import KINDS
from tui.core.correlate.group_query import GroupQuery
from tui.ui.context import NocContext
from tui.ui.models.calls.table import (
    KIND_TITLES,
    SORTS,
    counts_lines,
    kind_counts,
    rates_line,
    select,
)
from tui.ui.screens.base import NocScreen
from tui.ui.widgets.calls.group_list import GroupList
from tui.ui.widgets.calls.query_bar import GroupQueryBar
from tui.ui.widgets.empty_state import EmptyNote, EmptyState, Line

REFRESH_S = 1.0
BUSY_SHARE = 10  # a rebuild that took t waits at least BUSY_SHARE × t for the next one

WHAT_FEEDS: dict[str, list[Line]] = {
    "call": [
        "Calls come from the WCS REST hooks that carry a callId",
        "(call, OnCallEvent, CallStatusEvent, answer, hangup…).",
        "Each call appears with its first hook; the Feed (1) says",
        "how to point WCS at this console.",
    ],
    "stream": [
        "Streams come from publishStream, playStream and StreamStatusEvent",
        "hooks, one row per stream name with its publisher and players.",
    ],
    "session": [
        "Sessions are the clients' connections to WCS: every hook that",
        "carries a sessionId, with the calls and streams made on it.",
    ],
    "interaction": [
        "ICWS interactions come from the ICWS messaging channel (queue",
        "contents): add [[icws]] servers to the config. An interaction is",
        "linked to the WCS call that has its remote number.",
    ],
}


class KindTabs(Widget):
    """The four tables with their sizes; the shown one is highlighted, a click switches."""

    DEFAULT_CSS = """
    KindTabs { height: 1; background: $panel; }
    KindTabs > .kind-tabs--active { color: $background; background: $primary; text-style: bold; }
    KindTabs > .kind-tabs--tab { color: $foreground-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"kind-tabs--active", "kind-tabs--tab"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.kind = KINDS[0]
        self.sizes: dict[str, int] = {}
        self._spans: list[tuple[int, int, str]] = []

    def render(self) -> Text:
        narrow = self.size.width < 90
        line = Text(no_wrap=True, overflow="ellipsis")
        self._spans = []
        for kind in KINDS:
            title = KIND_TITLES[kind]
            if narrow and kind == "interaction":
                title = "ICWS"
            label = f" {title} {self.sizes.get(kind, 0):,} "
            start = line.cell_len
            active = kind == self.kind
            line.append(
                label,
                style=self.get_component_rich_style(
                    "kind-tabs--active" if active else "kind-tabs--tab", partial=True
                ),
            )
            self._spans.append((start, line.cell_len, kind))
            line.append(" ")
        line.append(" t: next table", style=self.get_component_rich_style("kind-tabs--tab"))
        return line

    def on_click(self, event: Click) -> None:
        for start, end, kind in self._spans:
            if start <= event.x < end:
                screen = self.screen
                if isinstance(screen, CallsScreen):
                    screen.show_kind(kind)


class ColumnTitles(Widget):
    """The table's column titles, laid out like its rows at the current width."""

    DEFAULT_CSS = """
    ColumnTitles { height: 1; background: $panel; color: $foreground-muted; text-style: bold; }
    """

    def __init__(self, listing: GroupList, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.listing = listing

    def render(self) -> Text:
        return Text(self.listing.header_line(), no_wrap=True)


class CallsScreen(NocScreen):
    """The calls, streams, sessions and ICWS interactions of the correlator, live."""

    SCREEN_KEY = "calls"
    HELP = """\
## Calls

Every call, stream, client session and ICWS interaction, one a row, from the hooks and ICWS
messages as they arrive (the journal keeps every event; ended ones leave this table after
`[correlate] keep_ended_s`). The line on top counts them by state and per node.
Failed rows are in the error colour and marked ✗; refused ones ⊘ and REFUSED.

- **t** next table (calls, streams, sessions, ICWS interactions)
- **/** filter (`state:ESTABLISHED node:~95.191 duration:>60 sip:5xx is:failed`), **Escape** clears
- **s** changes the order (newest, failed first, longest, most events, node, state)
- **Enter** opens the ladder of the selected row
- **x** exports the table as it is now (kind, filter, order) to the data folder's `exports/`,
  one `calls --json` listing a line
- **1 2 3 4** switch screens; **?** lists every key
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "next_kind", "Table", id="calls.kind.next"),
        Binding("slash", "filter", "Filter", key_display="/", id="calls.filter", priority=True),
        Binding("s", "next_sort", "Sort", id="calls.sort"),
        Binding("x", "export", "Export", show=False, id="calls.export"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="calls.clear_filter"),
    ]

    DEFAULT_CSS = """
    CallsScreen #calls-counts { height: 3; padding: 0 1; }
    CallsScreen #calls-status { height: 1; background: $panel; color: $foreground-muted; }
    CallsScreen > .calls--bad { color: $error; text-style: bold; }
    CallsScreen > .calls--muted { color: $foreground-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"calls--bad", "calls--muted"}

    def __init__(self, context: NocContext) -> None:
        super().__init__(context)
        self.kind = KINDS[0]
        self.filter_query: GroupQuery | None = None
        self.sort_index = 0
        self._seen: tuple[int, ...] = ()
        self._next_rebuild = 0.0  # on the context's monotonic clock

    def compose_body(self) -> ComposeResult:
        with Vertical(id="calls-body"):
            yield KindTabs(id="calls-kinds")
            yield Static(id="calls-counts")
            yield EmptyState("No calls yet", WHAT_FEEDS["call"], id="calls-empty")
            listing = GroupList(utc=self.context.config.ui.clock_utc, id="calls-list")
            yield ColumnTitles(listing, id="calls-columns")
            yield listing
        yield Static(id="calls-status")
        yield GroupQueryBar(id="calls-query")

    def on_mount(self) -> None:
        self.context.services.correlate()  # what the store holds already, before the first tick
        self.set_interval(REFRESH_S, self.tick)
        self.query_one(GroupList).focus()
        self.rebuild()

    # -- the clock ----------------------------------------------------------------------------

    def tick(self) -> None:
        """Rebuild the list when the correlator moved; redraw the rows either way (a live
        group's duration and state change without a new group). With so many groups that a
        rebuild takes long, rebuilds come less often, so the screen keeps answering keys."""
        correlator = self.context.services.correlator
        seen = (id(correlator), correlator.events, correlator.aged_out, correlator.evicted)
        if seen != self._seen and self.context.monotonic() >= self._next_rebuild:
            self.rebuild()
        else:
            listing = self.query_one(GroupList)
            listing.now = correlator.now
            listing.refresh()

    def rebuild(self) -> None:
        started = self.context.monotonic()
        self._rebuild()
        took = self.context.monotonic() - started
        self._next_rebuild = started + max(REFRESH_S, BUSY_SHARE * took) - REFRESH_S / 2

    def _rebuild(self) -> None:
        correlator = self.context.services.correlator
        self._seen = (id(correlator), correlator.events, correlator.aged_out, correlator.evicted)
        groups = select(correlator, self.kind, self.filter_query, SORTS[self.sort_index])
        listing = self.query_one(GroupList)
        listing.now = correlator.now
        listing.set_rows(groups)
        tabs = self.query_one(KindTabs)
        tabs.kind = self.kind
        tabs.sizes = {kind: len(correlator.groups(kind)) for kind in KINDS}
        tabs.refresh()
        self._counts()
        total = tabs.sizes[self.kind]
        self._empty(total == 0)
        self._status(len(groups), total)

    def _counts(self) -> None:
        correlator = self.context.services.correlator
        counts = kind_counts(correlator, self.kind)
        text = Text(no_wrap=True, overflow="ellipsis")
        events, failures = correlator.rates.series()
        lines = [*counts_lines(counts), rates_line(events, failures, self.size.width)]
        for row, pieces in enumerate(lines):
            if row:
                text.append("\n")
            for piece, tone in pieces:
                style = self.get_component_rich_style(f"calls--{tone}") if tone else ""
                text.append(piece, style=style)
        self.query_one("#calls-counts", Static).update(text)

    def _empty(self, empty: bool) -> None:
        state = self.query_one("#calls-empty", EmptyState)
        state.display = empty
        for selector in ("#calls-columns", "#calls-list"):
            self.query_one(selector).display = not empty
        if empty:
            note = state.query_one(EmptyNote)
            title = f"No {KIND_TITLES[self.kind].lower()} yet"
            if note.title != title:
                note.title = title
                note.refresh(layout=True)
            state.update_lines(WHAT_FEEDS[self.kind])

    def _status(self, shown: int, total: int) -> None:
        correlator = self.context.services.correlator
        parts = [f" {shown:,} shown of {total:,}", f"sort: {SORTS[self.sort_index].name}"]
        if self.filter_query is not None:
            parts.append(f"filter: {self.filter_query.text}")
        if correlator.aged_out or correlator.evicted:
            parts.append(f"aged out {correlator.aged_out:,}, dropped {correlator.evicted:,}")
        missed = self.context.services.correlate_missed
        if missed:
            parts.append(f"{missed:,} events not correlated (buffer overrun)")
        self.query_one("#calls-status", Static).update(Text(" · ".join(parts)))

    # -- actions ------------------------------------------------------------------------------

    def show_kind(self, kind: str) -> None:
        self.kind = kind
        listing = self.query_one(GroupList)
        listing.cursor, listing.top = 0, 0
        self.rebuild()

    def action_next_kind(self) -> None:
        self.show_kind(KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)])

    def action_next_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.rebuild()
        self.notify(f"Sorted: {SORTS[self.sort_index].name}", timeout=2)

    def action_filter(self) -> None:
        self.not_while_typing()  # and the bar takes the focus at once (see start_typing)
        self.query_one(GroupQueryBar).open(self.filter_query.text if self.filter_query else "")

    def action_clear_filter(self) -> None:
        if self.filter_query is not None:
            self.filter_query = None
            self.rebuild()

    def action_export(self) -> None:
        from tui.ui.view_export import export_calls_table

        correlator = self.context.services.correlator
        groups = select(correlator, self.kind, self.filter_query, SORTS[self.sort_index])
        export_calls_table(self, groups)

    def on_group_query_bar_applied(self, message: GroupQueryBar.Applied) -> None:
        self.filter_query = None if message.query.is_empty else message.query
        self.rebuild()
        self.query_one(GroupList).focus()

    def on_group_query_bar_cancelled(self, message: GroupQueryBar.Cancelled) -> None:
        self.query_one(GroupList).focus()

    def on_group_list_opened(self, message: GroupList.Opened) -> None:
        from tui.ui.screens.ladder import LadderScreen

        self.app.push_screen(LadderScreen(self.context, message.group))
