"""``y``: the raw XML or JSON of the answer, re-indented and highlighted.

Highlighting is done once, off the event loop (:func:`highlight_lines`), with the ANSI themes so
it reads in a 16-colour terminal; the widget then draws only the visible lines. Huge bodies are
pretty-printed up to a cap and shown as received beyond it.
"""

from __future__ import annotations

from rich.syntax import Syntax
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

MAX_HIGHLIGHT_CHARS = 400_000


def highlight_lines(text: str, lexer: str, dark: bool) -> list[Text]:
    """The text split in lines, highlighted with ``lexer`` (xml, json or text)."""
    head, tail = text[:MAX_HIGHLIGHT_CHARS], text[MAX_HIGHLIGHT_CHARS:]
    if lexer in ("xml", "json"):
        syntax = Syntax("", lexer, theme="ansi_dark" if dark else "ansi_light")
        highlighted = syntax.highlight(head)
        highlighted.rstrip()
        lines = list(highlighted.split("\n", allow_blank=True))
    else:
        lines = [Text(line) for line in head.split("\n")]
    if tail:
        lines += [Text(line) for line in tail.split("\n")]
    return list(lines)


class RawView(ScrollView, can_focus=True):
    """The body as text, scrollable both ways."""

    DEFAULT_CSS = """
    RawView { height: 1fr; background: $surface; }
    """

    BINDINGS = [
        Binding("up,k", "scroll_up", "Up", show=False, id="browser.raw.up"),
        Binding("down,j", "scroll_down", "Down", show=False, id="browser.raw.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="browser.raw.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="browser.raw.page_down"),
        Binding("home", "scroll_home", "Top", show=False, id="browser.raw.top"),
        Binding("end", "scroll_end", "Bottom", show=False, id="browser.raw.bottom"),
        Binding("left,h", "scroll_left", "Left", show=False, id="browser.raw.left"),
        Binding("right,l", "scroll_right", "Right", show=False, id="browser.raw.right"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[Text] = []
        self.source = ""

    def show_lines(self, lines: list[Text], source: str) -> None:
        self.lines = lines
        self.source = source
        width = max((line.cell_len for line in lines[:20_000]), default=0)
        self.virtual_size = Size(width + 1, len(lines))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, base)
        segments = list(self.lines[index].render(self.app.console))
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)
