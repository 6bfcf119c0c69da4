"""Errors seen: the app's ErrorTally as a table, redrawn on a clock when it has changed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.widgets.data_table import CellDoesNotExist, RowKey

from tui.core.errors.catalog import Catalogs
from tui.core.errors.describe import meaning_of
from tui.core.errors.tally import GROUP_TITLES, ErrorTally, TallyRow
from tui.core.sanitize import clean_line

REFRESH_S = 1.0
MEANING_CHARS = 64  # the rest is one enter away (the row decoded in full)
HEADER_PREFIX = "\x00group:"


class SeenTable(DataTable[Text]):
    """The counts, one row per error key under a heading per group."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "inspect_row", "Decode", id="inspector.seen.decode"),
        Binding("j", "jump", "Events", id="inspector.seen.jump"),
        Binding("x", "reset", "Reset", id="inspector.seen.reset"),
    ]

    def action_inspect_row(self) -> None:
        self.parent_view().inspect_current()

    def action_jump(self) -> None:
        self.parent_view().jump_current()

    def action_reset(self) -> None:
        self.parent_view().reset()

    def parent_view(self) -> ErrorsSeen:
        parent = self.parent
        assert isinstance(parent, ErrorsSeen)
        return parent


class ErrorsSeen(Vertical):
    """Counts per ICWS hierarchy level, SBC code, SIP status, WCS info and HTTP answer."""

    DEFAULT_CSS = """
    ErrorsSeen { height: 1fr; }
    ErrorsSeen > .seen-status { height: 1; color: $foreground-muted; padding: 0 1; }
    ErrorsSeen > SeenTable { height: 1fr; background: $surface; }
    ErrorsSeen > .seen-detail {
        height: auto; max-height: 3; padding: 0 1; background: $panel; color: $foreground;
    }
    ErrorsSeen.-empty > .seen-detail { display: none; }
    ErrorsSeen > .seen-empty { color: $foreground-muted; padding: 1 2; display: none; }
    ErrorsSeen.-empty > .seen-empty { display: block; }
    ErrorsSeen.-empty > .seen-status { display: none; }
    """
    EMPTY = (
        "No errors seen yet. Everything the feed and the browser meet is counted here: ICWS "
        "errorIds at every level of their hierarchy (error › error.request › …), SBC app "
        "codes, SIP statuses, WCS info texts (Failed by ICE timeout…) and HTTP answers, with "
        "when each was last seen. enter decodes a row, j jumps to its events in the feed."
    )

    class Inspect(Message):
        """Decode this key in the inspector."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Jump(Message):
        """Show these feed events (their seq numbers)."""

        def __init__(self, seqs: tuple[int, ...], title: str, refs: tuple[str, ...]) -> None:
            super().__init__()
            self.seqs = seqs
            self.title = title
            self.refs = refs

    def __init__(
        self, tally: ErrorTally, catalogs: Catalogs, *, utc: bool = True, id: str | None = None
    ) -> None:
        super().__init__(id=id, classes="-empty")
        self.tally = tally
        self.catalogs = catalogs
        self.utc = utc
        self.drawn_version = -1
        self.rows: dict[str, TallyRow] = {}
        self._meanings: dict[tuple[str, str], str] = {}

    def compose(self) -> ComposeResult:
        yield Static("", classes="seen-status")
        yield Static(Text(self.EMPTY), classes="seen-empty")
        table = SeenTable(cursor_type="row", zebra_stripes=False)
        table.add_column("count", key="count")
        table.add_column("last seen", key="last")
        table.add_column("error", key="key")
        table.add_column("meaning", key="meaning")
        yield table
        yield Static("", classes="seen-detail")

    def on_mount(self) -> None:
        self.refresh_counts()
        self.set_interval(REFRESH_S, self.refresh_counts)

    def _time(self, ts: float) -> str:
        moment = datetime.fromtimestamp(ts, UTC)
        return (
            moment.strftime("%H:%M:%SZ") if self.utc else moment.astimezone().strftime("%H:%M:%S")
        )

    def _meaning(self, group: str, key: str) -> str:
        cached = self._meanings.get((group, key))
        if cached is None:
            cached = self._meanings[(group, key)] = meaning_of(self.catalogs, group, key)
        return cached

    def refresh_counts(self, *, force: bool = False) -> None:
        """Redraw when the tally moved since the last draw (called on a clock)."""
        tally = self.tally
        if tally.version == self.drawn_version and not force:
            return
        self.drawn_version = tally.version
        table = self.query_one(SeenTable)
        current = self._current_key(table)
        table.clear()
        self.rows = {}
        group = ""
        for row in tally.rows():
            if row.group != group:
                group = row.group
                title = Text(f"── {GROUP_TITLES.get(group, group)}", style="bold")
                table.add_row(Text(""), Text(""), title, Text(""), key=HEADER_PREFIX + group)
            key = f"{row.group}\x00{row.key}"
            self.rows[key] = row
            table.add_row(
                Text(f"{row.count:>5,}"),
                Text(self._time(row.last_seen)),
                Text("  " * (row.depth + 1) + clean_line(row.key, 120, squeeze=True)),
                Text(
                    clean_line(self._meaning(row.group, row.key), MEANING_CHARS, squeeze=True),
                    style="dim",
                ),
                key=key,
            )
        if current is not None and current in table.rows:
            table.move_cursor(row=table.get_row_index(current))
        elif table.row_count > 1:
            table.move_cursor(row=1)  # the first count, under its group heading
        self._show_detail()
        empty = tally.empty
        self.set_class(empty, "-empty")
        status = self.query_one(".seen-status", Static)
        if empty:
            status.update("")
        else:
            status.update(
                Text(
                    f"{tally.events:,} error events since {self._time(tally.since)}; "
                    "redrawn every second when they change"
                )
            )

    @staticmethod
    def _current_key(table: DataTable[Text]) -> RowKey | None:
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        except CellDoesNotExist:
            return None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted row in full: what it means, when, how often, which events."""
        row = self.current_row()
        detail = self.query_one(".seen-detail", Static)
        if row is None:
            detail.update("")
            return
        meaning = self._meaning(row.group, row.key)
        parts = [f"{row.key}" + (f" — {meaning}" if meaning else "")]
        when = (
            f"{row.count:,}× between {self._time(row.first_seen)} and {self._time(row.last_seen)}"
        )
        if row.seqs:
            when += f"; events seq {row.seqs[0]}…{row.seqs[-1]} (j)"
        elif row.refs:
            when += f"; at {row.refs[-1]}"
        detail.update(Text(f"{parts[0]}\n{when}"))

    def current_row(self) -> TallyRow | None:
        table = self.query_one(SeenTable)
        key = self._current_key(table)
        return self.rows.get(str(key.value)) if key is not None and key.value else None

    def inspect_current(self) -> None:
        row = self.current_row()
        if row is not None and row.sample:
            self.post_message(self.Inspect(row.sample))

    def jump_current(self) -> None:
        row = self.current_row()
        if row is not None:
            self.post_message(
                self.Jump(row.seqs, f"{GROUP_TITLES[row.group]}: {row.key}", row.refs)
            )

    def reset(self) -> None:
        self.tally.reset()
        self.refresh_counts(force=True)
        self.notify("Error counts reset", timeout=2)
