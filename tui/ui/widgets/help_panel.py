"""F1: the help of what has focus and of its screen, then the keys that work there; all of it.

A side panel, split off the right of the screen (the screen's own widgets get what is left, so
nothing draws over it). Its text scrolls: the panel takes focus when it opens, so the arrow
keys, PgUp/PgDn, Home and End move through it, whatever the terminal's size or mouse support.
"""

from __future__ import annotations

from textwrap import dedent
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Markdown, Static

from tui.ui.bindings import KeyRow, key_groups

TITLE = "Help · ↑↓ PgUp PgDn · Esc closes"


def help_texts(nodes: list[object]) -> str:
    """The ``HELP`` of each node (the focused widget, then its containers, then the screen),
    nearest first, each once."""
    texts: list[str] = []
    for node in nodes:
        text = getattr(node, "HELP", None)
        if isinstance(node, Widget) and text and dedent(text).strip() not in texts:
            texts.append(dedent(text).strip())
    return "\n\n".join(texts)


class HelpScroll(VerticalScroll, can_focus=True):
    """The panel's scrolling body (focusable, so the keys scroll it)."""


class NocHelpPanel(Widget):
    """Help for the widget that had focus when it opened (and, once focus moves on, for the
    focused one), the help of the screen under it, and the keys that work there.

    Escape (or F1 again) closes it and gives focus back to where it was.
    """

    DEFAULT_CSS = """
    NocHelpPanel {
        split: right;
        width: 45%;
        min-width: 34;
        max-width: 72;
        height: 100%;
        border-left: vkey $foreground 30%;
        background: $surface;
    }
    NocHelpPanel > #help-title {
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $foreground-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    NocHelpPanel > HelpScroll { height: 1fr; background: $surface; }
    NocHelpPanel > HelpScroll:focus { background-tint: $foreground 3%; }
    NocHelpPanel Markdown { margin: 0; padding: 0 1; background: $surface; }
    NocHelpPanel #help-keys { padding: 0 1 1 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close help", id="help.close"),
    ]

    def __init__(self) -> None:
        super().__init__(id="help-panel")
        self.target: Widget | None = None  # what the help is about (focus goes back there)
        self.help_markdown = ""
        self.key_rows: list[tuple[str, list[KeyRow]]] = []

    def compose(self) -> ComposeResult:
        yield Static(TITLE, id="help-title")
        with HelpScroll(id="help-scroll"):
            yield Markdown(id="help-text")
            yield Static(id="help-keys")

    def on_mount(self) -> None:
        self.show_help_for(self.screen.focused)
        self.watch(self.screen, "focused", self._focus_moved, init=False)
        self.query_one(HelpScroll).focus()

    def _focus_moved(self, focused: Widget | None) -> None:
        if focused is not None and self in focused.ancestors_with_self:
            return  # scrolling the help: it stays on what it was about
        self.show_help_for(focused)

    def show_help_for(self, focused: Widget | None) -> None:
        """Show the help of ``focused`` and of everything it sits in (the screen when None)."""
        if not self.screen.is_active:
            return
        self.target = focused
        nodes: list[object] = (
            list(focused.ancestors_with_self) if focused is not None else [self.screen]
        )
        self.help_markdown = help_texts(nodes) or "No help here."
        self.query_one(Markdown).update(self.help_markdown)
        self.key_rows = key_groups(self.screen)
        self.query_one("#help-keys", Static).update(self._keys_table())

    def _keys_table(self) -> Table:
        table = Table(
            title="Keys here", title_justify="left", show_header=False, box=None, expand=True
        )
        table.add_column("key", no_wrap=True, style="bold", justify="right")
        table.add_column("does")
        for group, rows in self.key_rows:
            table.add_row("", Text(group, style="italic"))
            for row in rows:
                table.add_row(Text(row.keys), Text(row.description))
        return table

    def action_close(self) -> None:
        """Close the panel; focus returns to the widget the help was about."""
        target = self.target
        self.remove()
        if target is not None and target.is_attached and target.focusable:
            target.focus()
