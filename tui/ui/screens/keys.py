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

from tui.ui.text import display_path


def _group_name(node: object, screen: Screen[object]) -> str:
    from textual.app import App

    if isinstance(node, App):
        return "Everywhere"
    if node is screen:
        return f"{type(screen).__name__.removesuffix('Screen')} screen"
    return f"Focused: {type(node).__name__}"


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
        groups: dict[str, list[tuple[str, Binding]]] = {}
        for active in self.underneath.active_bindings.values():
            binding = active.binding
            if not binding.description:
                continue
            group = _group_name(active.node, self.underneath)
            groups.setdefault(group, []).append((self.app.get_key_display(binding), binding))
        order = sorted(groups, key=lambda g: (g != "Everywhere", g))
        for group in order:
            table.add_section()
            table.add_row(Text(group, style="italic"), "", "")
            keys_of: dict[str, list[str]] = {}
            ids_of: dict[str, list[str]] = {}
            for key, binding in groups[group]:
                if key not in keys_of.setdefault(binding.description, []):
                    keys_of[binding.description].append(key)
                ids = ids_of.setdefault(binding.description, [])
                if binding.id and binding.id not in ids:
                    ids.append(binding.id)
            for description, keys in keys_of.items():
                table.add_row(
                    Text(" ".join(keys)), Text(description), Text(" ".join(ids_of[description]))
                )
        return table
