"""What an empty screen shows: why it is empty and what to do next."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, VerticalScroll
from textual.widget import Widget

Line = str | tuple[str, str]


class EmptyNote(Widget):
    """The note itself, drawn on every repaint so it follows the theme."""

    DEFAULT_CSS = """
    EmptyNote {
        width: auto;
        max-width: 96;
        height: auto;
        border: round $primary 60%;
        padding: 0 2;
        background: $surface;
    }
    EmptyNote > .empty-note--title { color: $primary; text-style: bold; }
    EmptyNote > .empty-note--code { color: $accent; }
    EmptyNote > .empty-note--warn { color: $warning; text-style: bold; }
    """

    COMPONENT_CLASSES = {"empty-note--title", "empty-note--code", "empty-note--warn"}

    def __init__(self, title: str, lines: Sequence[Line]) -> None:
        super().__init__()
        self.title = title
        self.lines = list(lines)

    def render(self) -> Text:
        text = Text()
        text.append(self.title, style=self.get_component_rich_style("empty-note--title"))
        text.append("\n")
        for line in self.lines:
            content, kind = (line, "") if isinstance(line, str) else line
            style = self.get_component_rich_style(f"empty-note--{kind}") if kind else ""
            text.append("\n")
            text.append(content, style=style)
        return text


class EmptyState(VerticalScroll):
    """A titled note in the middle of an empty screen. Lines are plain text, never markup.

    A line may be a ``str`` or a ``(text, kind)`` pair where kind is ``"code"`` (a command or a
    config snippet to copy) or ``"warn"`` (something that will stop it working).
    """

    DEFAULT_CSS = """
    EmptyState {
        height: 1fr;
        align: center middle;
        padding: 1 1;
    }
    EmptyState > Center { height: auto; }
    """

    def __init__(self, title: str, lines: Sequence[Line], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._note = EmptyNote(title, lines)
        self.can_focus = False

    def compose(self) -> ComposeResult:
        with Center():
            yield self._note

    def update_lines(self, lines: Sequence[Line]) -> None:
        if list(lines) != self._note.lines:
            self._note.lines = list(lines)
            self._note.refresh(layout=True)
