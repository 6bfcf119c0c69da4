"""`?`: every key that works right now, grouped by where it applies, with its binding id."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tui.ui.bindings import key_groups
from tui.ui.text import display_path


class KeysScreen(ModalScreen[None]):
    """Lists the active bindings of the screen underneath, ready for the keymap table."""

    DEFAULT_CSS = """
    KeysScreen { align: center middle; }
    KeysScreen > VerticalScroll {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    KeysScreen .keys-footer { color: $foreground-muted; }
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
        with VerticalScroll():
            yield Static(self._table(), id="keys-table")
            path = display_path(self.config_path)
            yield Static(
                Text(
                    f'Remap a key in {path}: [keymap] "<binding id>" = "<keys>". Escape closes.',
                ),
                classes="keys-footer",
            )

    def _table(self) -> Table:
        table = Table(title="Keys", expand=True, show_edge=False, pad_edge=False)
        table.add_column("key", no_wrap=True, style="bold")
        table.add_column("does")
        table.add_column("binding id", no_wrap=True, style="dim")
        for group, rows in key_groups(self.underneath):
            table.add_section()
            table.add_row(Text(group, style="italic"), "", "")
            for row in rows:
                table.add_row(Text(row.keys), Text(row.description), Text(row.ids))
        return table
