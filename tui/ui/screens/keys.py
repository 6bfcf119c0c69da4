"""`?`: every key that works right now, grouped by where it applies, with its binding id."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.ui.bindings import KeyRow, key_groups
from tui.ui.text import display_path

SCROLLBAR = 2  # the body's scrollbar gutter, kept even when nothing needs scrolling
_SPACING = 6  # two separators and their padding between three columns (no edges)
_KEY_MAX = 16
_DOES_MIN = 12


class KeysTable:
    """The keys as a Rich table, drawn for the width it is given: the heading part (title,
    column titles, rule) spans the whole dialog, over the body's scrollbar; the body has the
    same first two columns, so both line up and the rule reaches the dialog's edge."""

    def __init__(self, groups: list[tuple[str, list[KeyRow]]], *, heading: bool) -> None:
        self.groups = groups
        self.heading = heading

    def _widths(self, width: int) -> tuple[int, int, int]:
        rows = [row for _, group in self.groups for row in group]
        key = min(max([cell_len("key"), *(cell_len(r.keys) for r in rows)]), _KEY_MAX)
        key = max(key, *(cell_len(g) for g, _ in self.groups)) if self.groups else key
        key = min(key, _KEY_MAX)
        ids = max([cell_len("binding id"), *(cell_len(r.ids) for r in rows)])
        body = width - (SCROLLBAR if self.heading else 0)
        does = max(body - key - ids - _SPACING, _DOES_MIN)
        return key, does, max(width - key - does - _SPACING, 1)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key, does, ids = self._widths(options.max_width)
        table = Table(
            title="Keys" if self.heading else None,
            show_header=self.heading,
            show_edge=False,
            pad_edge=False,
        )
        table.add_column("key", width=key, no_wrap=True, style="bold")
        table.add_column("does", width=does)
        table.add_column("binding id", width=ids, no_wrap=True, style="dim")
        if not self.heading:
            for index, (group, rows) in enumerate(self.groups):
                if index:
                    table.add_section()
                table.add_row(Text(group, style="italic"), "", "")
                for row in rows:
                    table.add_row(Text(row.keys), Text(row.description), Text(row.ids))
        yield table


class KeysScreen(ModalScreen[None]):
    """Lists the active bindings of the screen underneath, ready for the keymap table."""

    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > #keys-dialog {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 0 0 1;
    }
    KeysScreen #keys-body { height: auto; scrollbar-gutter: stable; }
    KeysScreen .keys-footer { color: $foreground-muted; padding-right: 1; }
    """

    BINDINGS = [
        Binding("escape,question_mark,q", "app.pop_screen", "Close", id="keys.close"),
    ]

    def __init__(self, underneath: Screen[object], config_path: Path) -> None:
        """``underneath`` is the screen whose keys are listed; ``config_path`` the file the
        footer line says to edit."""
        super().__init__()
        self.underneath = underneath
        self.config_path = config_path

    def compose(self) -> ComposeResult:
        groups = key_groups(self.underneath)
        self.groups = groups
        with Vertical(id="keys-dialog"):
            yield Static(KeysTable(groups, heading=True), id="keys-heading")
            with VerticalScroll(id="keys-body"):
                yield Static(KeysTable(groups, heading=False), id="keys-table")
            path = display_path(self.config_path)
            yield Static(
                Text(
                    f'Remap a key in {path}: [keymap] "<binding id>" = "<keys>". Escape closes.',
                ),
                classes="keys-footer",
            )

    def on_mount(self) -> None:
        self.call_after_refresh(self._fit_body)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_body)

    def _fit_body(self) -> None:
        """The list scrolls between the heading and the footer line, which always show: its
        height is what the dialog (90% of the screen at most) has left for it."""
        dialog = self.query_one("#keys-dialog")
        fixed = dialog.styles.gutter.height + sum(
            child.outer_size.height for child in dialog.children if child.id != "keys-body"
        )
        room = max(int(self.size.height * 0.9) - fixed, 3)
        body = self.query_one("#keys-body")
        if body.styles.max_height is None or body.styles.max_height.value != room:
            body.styles.max_height = room

    def _table(self) -> Table:
        """The whole list as one table (for tests and a copy of the screen)."""
        table = Table(title="Keys")
        table.add_column("key")
        table.add_column("does")
        table.add_column("binding id")
        for group, rows in self.groups:
            table.add_row(Text(group, style="italic"), "", "")
            for row in rows:
                table.add_row(Text(row.keys), Text(row.description), Text(row.ids))
        return table
