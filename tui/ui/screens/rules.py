"""`R` on the feed: the policy rules, switched on and off while hooks flow."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

if TYPE_CHECKING:
    from tui.net.hooks.service import HookService


class RulesScreen(ModalScreen[None]):
    """Which hooks the console refuses with 403 in backend mode; space toggles a rule."""

    DEFAULT_CSS = """
    RulesScreen { align: center middle; }
    RulesScreen > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    RulesScreen .rules-note { color: $foreground-muted; }
    RulesScreen SelectionList { height: auto; max-height: 16; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,R", "app.pop_screen", "Close", id="rules.close"),
    ]

    def __init__(self, hooks: HookService | None) -> None:
        """``hooks`` is the running hook listener (None: it is not running)."""
        super().__init__()
        self.hooks = hooks

    def compose(self) -> ComposeResult:
        hooks = self.hooks
        with Vertical():
            yield Static(Text("Policy rules", style="bold"))
            if hooks is None:
                yield Static("The hook listener is not running.", classes="rules-note")
                return
            rules = hooks.policy.rules
            if hooks.config.mode == "tap":
                yield Static(
                    "Tap mode: the real backend decides; these rules apply only when the "
                    "upstream fails and the fallback answers.",
                    classes="rules-note",
                )
            if not rules:
                yield Static(
                    "No rules. Add one to the config, e.g.\n"
                    '[[hooks.rules]]\nname = "premium"\nmethods = ["call"]\n'
                    'field = "callee"\nmatch = "900*"',
                    classes="rules-note",
                )
                return
            yield SelectionList[str](
                *[Selection(self._label(r.name), r.name, r.enabled) for r in rules], id="rules-list"
            )
            yield Static(
                "space: switch on/off · escape: close · counts are refusals since start",
                classes="rules-note",
            )

    def _label(self, name: str) -> Text:
        assert self.hooks is not None
        rule = self.hooks.policy.get(name)
        label = Text(rule.name, style="bold")
        label.append(f"  {rule.describe()}  → 403")
        label.append(f"  ({rule.hits} refused)", style="italic")
        return label

    def on_selection_list_selection_toggled(
        self, message: SelectionList.SelectionToggled[str]
    ) -> None:
        assert self.hooks is not None
        name = message.selection.value
        enabled = self.hooks.policy.toggle(name)
        self.notify(f"Rule {name} {'on' if enabled else 'off'}")
