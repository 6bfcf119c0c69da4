"""The errors inspected so far (newest first), to go back to one."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.errors.result import Inspection
from tui.core.sanitize import clean_line
from tui.ui.widgets.inspector.result_tree import KIND_TITLES

MAX_HISTORY = 200


@dataclass(frozen=True)
class HistoryEntry:
    """One inspected error: when, from where, and what it decoded to."""

    time: str
    origin: str
    text: str
    kind: str
    summary: str


class InspectorHistory(Vertical):
    """The history list, with a note while it is empty."""

    DEFAULT_CSS = """
    InspectorHistory { height: 1fr; }
    InspectorHistory > OptionList { height: 1fr; border: none; background: $surface; }
    InspectorHistory > .history-empty { color: $foreground-muted; padding: 1 2; }
    InspectorHistory > .history-empty { display: none; }
    InspectorHistory.-empty > .history-empty { display: block; }
    """

    class Picked(Message):
        """The operator chose an entry to look at again."""

        def __init__(self, entry: HistoryEntry) -> None:
            super().__init__()
            self.entry = entry

    EMPTY: ClassVar[str] = (
        "Nothing inspected yet. Each error you paste, decode (ctrl+r) or send here from the "
        "feed or the browser is listed here, newest first; enter opens it again."
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="-empty")
        self.entries: deque[HistoryEntry] = deque(maxlen=MAX_HISTORY)

    def compose(self) -> ComposeResult:
        yield Static(Text(self.EMPTY), classes="history-empty")
        yield OptionList(id="history-list")

    def add(self, inspection: Inspection, time: str) -> bool:
        """Record an inspection; the same text as the newest entry is not repeated."""
        text = inspection.text
        if self.entries and self.entries[0].text == text:
            return False
        self.entries.appendleft(
            HistoryEntry(
                time, inspection.origin or "typed", text, inspection.kind, inspection.summary
            )
        )
        self._redraw()
        return True

    def _redraw(self) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for entry in self.entries:
            kind = KIND_TITLES.get(entry.kind, "?")
            prompt = Text.assemble(
                (f"{entry.time} ", "dim"),
                (f"{entry.origin:<8.8} ", "dim"),
                (f"{kind:<6}", "bold"),
                clean_line(entry.summary, 300, squeeze=True),
            )
            options.add_option(Option(prompt))
        if self.entries:
            options.highlighted = min(highlighted or 0, len(self.entries) - 1)
        self.set_class(not self.entries, "-empty")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.entries):
            self.post_message(self.Picked(self.entries[event.option_index]))
