"""`R` on the feed: the policy rules, switched on and off while hooks flow.

Each rule is one row: its state as a word (ON / off, colour only repeats it), how many hooks it
refused since start, its name and what it refuses. The counts come first so they stay in sight at
80 columns; the description, last, is what gets cut. The rows are redrawn on a clock (hooks keep
arriving while the dialog is open), not per hook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

if TYPE_CHECKING:
    from tui.core.policy import Rule
    from tui.net.hooks.service import HookService

REFRESH_S = 1.0
COLUMNS = ("state", "refused", "rule", "refuses (→ 403)")


class RulesScreen(ModalScreen[None]):
    """Which hooks the console refuses with 403 in backend mode; space toggles a rule."""

    DEFAULT_CSS = """
    RulesScreen { align: center middle; }
    RulesScreen > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    RulesScreen .rules-note { color: $foreground-muted; }
    RulesScreen DataTable { height: auto; max-height: 16; overflow-x: hidden; }
    RulesScreen > .rules--on { color: $success; text-style: bold; }
    RulesScreen > .rules--off { color: $foreground-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"rules--on", "rules--off"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,R", "app.pop_screen", "Close", id="rules.close"),
        Binding("space", "switch", "On/off", id="rules.toggle"),
    ]

    def __init__(self, hooks: HookService | None, *, read_only: bool = False) -> None:
        """``hooks`` is the running hook listener (None: it is not running); ``read_only``:
        the rules are shown but not switched (``[ui] read_only``)."""
        super().__init__()
        self.hooks = hooks
        self.read_only = read_only

    @property
    def rules(self) -> list[Rule]:
        return self.hooks.policy.rules if self.hooks is not None else []

    def compose(self) -> ComposeResult:
        hooks = self.hooks
        with Vertical():
            yield Static(Text("Policy rules", style="bold"))
            if hooks is None:
                yield Static("The hook listener is not running.", classes="rules-note")
                return
            if hooks.config.mode == "tap":
                yield Static(
                    "Tap mode: the real backend decides; these rules apply only when the "
                    "upstream fails and the fallback answers.",
                    classes="rules-note",
                )
            if not self.rules:
                yield Static(
                    "No rules. Add one to the config, e.g.\n"
                    '[[hooks.rules]]\nname = "premium"\nmethods = ["call"]\n'
                    'field = "callee"\nmatch = "900*"',
                    classes="rules-note",
                )
                return
            table: DataTable[Text] = DataTable(
                id="rules-list", cursor_type="row", zebra_stripes=False
            )
            yield table
            switch = (
                "read-only: rules are not switched" if self.read_only else "space: switch on/off"
            )
            yield Static(
                f"{switch} · escape: close · refused: hooks answered 403 since start",
                classes="rules-note",
            )

    def on_mount(self) -> None:
        if not self.rules:
            return
        table = self.query_one("#rules-list", DataTable)
        for title in COLUMNS:
            table.add_column(title, key=title)
        for rule in self.rules:
            table.add_row(*self._cells(rule), key=rule.name)
        table.focus()
        self.set_interval(REFRESH_S, self.refresh_rows)
        self.call_after_refresh(self._fit_description)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_description)

    def _fit_description(self) -> None:
        """The description takes the room the other columns leave, cut with an ellipsis (the
        dialog never scrolls sideways: the state and counts are what must be seen)."""
        if not self.rules:
            return
        table = self.query_one("#rules-list", DataTable)
        columns = list(table.columns.values())
        used = sum(c.get_render_width(table) for c in columns[:-1])
        room = max(12, table.scrollable_content_region.width - used - 2 * table.cell_padding)
        last = columns[-1]
        if last.width != room or last.auto_width:
            last.auto_width = False
            last.width = room
            table.refresh(layout=True)

    def _cells(self, rule: Rule) -> tuple[Text, Text, Text, Text]:
        on = rule.enabled
        state = Text(
            "ON" if on else "off",
            style=self.get_component_rich_style("rules--on" if on else "rules--off", partial=True),
        )
        return (
            state,
            Text(f"{rule.hits:,}", justify="right"),
            Text(rule.name, style="bold"),
            Text(rule.describe(), no_wrap=True, overflow="ellipsis"),
        )

    def refresh_rows(self) -> None:
        """Redraw the state and the counts (called on the screen's clock and after a toggle)."""
        table = self.query_one("#rules-list", DataTable)
        for rule in self.rules:
            state, hits, _, _ = self._cells(rule)
            table.update_cell(rule.name, "state", state)
            table.update_cell(rule.name, "refused", hits, update_width=True)

    def on_data_table_row_selected(self, message: DataTable.RowSelected) -> None:
        """Enter (or a click) on a row switches it too."""
        message.stop()
        self.action_switch()

    def action_switch(self) -> None:
        if self.hooks is None or not self.rules:
            return
        if self.read_only:
            self.notify(
                "This console is read-only: policy rules are not switched.",
                title="Read-only",
                severity="warning",
            )
            return
        table = self.query_one("#rules-list", DataTable)
        name = self.rules[table.cursor_row].name
        enabled = self.hooks.policy.toggle(name)
        self.refresh_rows()
        self.notify(f"Rule {name} {'ON' if enabled else 'off'}")
