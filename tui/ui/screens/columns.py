"""`C` on the feed: which columns it shows and in which order (saved to ``[feed] columns``)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from tui.ui.models.feed.column_choice import ColumnChoice
from tui.ui.models.feed.columns import CATALOGUE, layout


class ColumnsScreen(ModalScreen[tuple[str, ...] | None]):
    """Switch columns on and off and reorder them; Enter keeps the choice, Escape drops it."""

    DEFAULT_CSS = """
    ColumnsScreen { align: center middle; }
    ColumnsScreen > Vertical {
        width: 90%; max-width: 90; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ColumnsScreen .columns-note { color: $foreground-muted; }
    ColumnsScreen OptionList, ColumnsScreen OptionList:focus {
        height: auto; max-height: 14; border: none; padding: 0; background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "switch", "On/off", id="columns.toggle"),
        Binding("K", "move(-1)", "Move up", id="columns.move_up"),
        Binding("J", "move(1)", "Move down", id="columns.move_down"),
        Binding("r", "reset", "Defaults", id="columns.reset"),
        Binding("enter", "apply", "Keep", priority=True, id="columns.apply"),
        Binding("escape,q,C", "cancel", "Cancel", id="columns.cancel"),
    ]

    def __init__(self, chosen: tuple[str, ...], width: int, terminal: int) -> None:
        """``chosen``: the columns now; ``width``: the rows' width, to say what fits there, in
        a terminal ``terminal`` columns wide."""
        super().__init__()
        self.choice = ColumnChoice.of(chosen)
        self.width = width
        self.terminal = terminal

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Feed columns", style="bold"))
            yield OptionList(*self._prompts(), id="columns-list")
            yield Static(id="columns-fit", classes="columns-note")
            yield Static(
                "space on/off · K J move up/down · r defaults · enter keep (saved to the config)"
                " · escape cancel",
                classes="columns-note",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0
        self._show_fit()

    def _prompts(self) -> list[Text]:
        return [self._prompt(key) for key in self.choice.order]

    def _prompt(self, key: str) -> Text:
        spec = CATALOGUE[key]
        on = self.choice.is_on(key)
        # Blanks close each run (never open one): an SVG export keeps them there.
        text = Text()
        text.append("on   " if on else "off  ", style="bold" if on else "dim")
        text.append(f"{key:<9}", style="bold" if on else "")
        text.append(spec.about, style="" if on else "dim")
        return text

    def _show_fit(self) -> None:
        hidden = layout(self.width, chosen=self.choice.chosen()).hidden
        note = (
            f"At {self.terminal} columns there is no room for: {' '.join(hidden)} "
            f"(a wider terminal shows {'it' if len(hidden) == 1 else 'them'}; or switch others off)"
            if hidden
            else f"At {self.terminal} columns every column that is on is shown."
        )
        self.query_one("#columns-fit", Static).update(Text(note))

    def _redraw(self, highlight: int) -> None:
        options = self.query_one(OptionList)
        for index, prompt in enumerate(self._prompts()):
            options.replace_option_prompt_at_index(index, prompt)
        options.highlighted = highlight
        self._show_fit()

    def _cursor(self) -> int:
        highlighted = self.query_one(OptionList).highlighted
        return 0 if highlighted is None else highlighted

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # enter keeps the choice (priority binding); a click switches the column
        self._toggle(event.option_index)

    def action_switch(self) -> None:
        self._toggle(self._cursor())

    def _toggle(self, index: int) -> None:
        if not self.choice.toggle(index):
            self.notify("One column at least stays on", severity="warning")
        self._redraw(index)

    def action_move(self, delta: int) -> None:
        self._redraw(self.choice.move(self._cursor(), delta))

    def action_reset(self) -> None:
        self.choice.reset()
        self._redraw(0)

    def action_apply(self) -> None:
        self.dismiss(self.choice.chosen())

    def action_cancel(self) -> None:
        self.dismiss(None)
