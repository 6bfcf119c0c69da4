"""The ladder drawn: a Line-API scroll view, down and sideways, with the lane names kept on top.

Each line is one arrow of the ladder as :func:`~tui.core.correlate.ladder_text.ladder_lines`
draws it, styled by what the arrow is (errors in the error colour, our replies dim); the
selected arrow is highlighted and its event is shown by the screen below.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.correlate.ladder import Ladder
from tui.core.correlate.ladder_text import ladder_lines
from tui.ui.models.calls.ladder_view import draw_width, tone
from tui.ui.widgets.cursor_keys import CursorKeys, cursor_bindings


class LadderView(CursorKeys, ScrollView, can_focus=True):
    """Lanes across, time down; ↑/↓ select an arrow, ←/→ scroll sideways."""

    HELP = """\
## Ladder

One line per message: time and the delta from the line above on the left, then an arrow
between the lanes (SIP peer, client, the WCS node, the console or the upstream, ICWS).
Errors are in the error colour; the console's replies are dim.

- **↑ ↓** select an arrow (its event is shown below), **← →** scroll sideways,
  **PgUp PgDn Home End** move by pages.
"""

    DEFAULT_CSS = """
    LadderView { height: 1fr; background: $surface; }
    LadderView > .ladder-view--head { color: $foreground; background: $panel; text-style: bold; }
    LadderView > .ladder-view--error { color: $error; text-style: bold; }
    LadderView > .ladder-view--reply { color: $foreground-muted; }
    LadderView > .ladder-view--sip { color: $accent; }
    LadderView > .ladder-view--icws { color: $secondary; }
    LadderView > .ladder-view--cursor { background: $primary 35%; }
    LadderView:focus > .ladder-view--cursor { background: $primary 60%; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "ladder-view--head",
        "ladder-view--error",
        "ladder-view--reply",
        "ladder-view--sip",
        "ladder-view--icws",
        "ladder-view--cursor",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        *cursor_bindings("ladder"),
    ]

    class Selected(Message):
        """The arrow at ``index`` of the drawn ladder was selected."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, utc: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.utc = utc
        self.ladder: Ladder = Ladder((), {}, ())
        self.lines: list[str] = []
        self.cursor = 0
        self._drawn_for = -1

    # -- content ------------------------------------------------------------------------------

    def show(self, ladder: Ladder) -> None:
        """Draw a (folded) ladder; the cursor stays on the same event where it can."""
        seq = self.ladder.arrows[self.cursor].seq if self.ladder.arrows else None
        self.ladder = ladder
        self._drawn_for = -1
        self._redraw()
        if seq is not None:
            found = next((i for i, a in enumerate(ladder.arrows) if a.seq >= seq), None)
            self.cursor = found if found is not None else max(len(ladder.arrows) - 1, 0)
        else:
            self.cursor = 0
        self.move_to(self.cursor)

    def _redraw(self) -> None:
        width = max(self.scrollable_content_region.width, 40)
        if width == self._drawn_for:
            return
        self._drawn_for = width
        self.lines = ladder_lines(
            self.ladder, draw_width(len(self.ladder.lanes), width), utc=self.utc
        )
        widest = max((len(line) for line in self.lines), default=0)
        self.virtual_size = Size(widest, len(self.lines))
        self.refresh()

    def on_resize(self) -> None:
        self._redraw()
        self.move_to(self.cursor)

    # -- moving -------------------------------------------------------------------------------

    @property
    def page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)  # the lane names stay on top

    def move_to(self, index: int) -> None:
        count = len(self.ladder.arrows)
        if not count:
            return
        self.cursor = min(max(index, 0), count - 1)
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + self.page:
            self.scroll_to(y=self.cursor - self.page + 1, animate=False)
        self.refresh()
        self.post_message(self.Selected(self.cursor))

    def row_count(self) -> int:
        return len(self.ladder.arrows)

    def on_click(self, event: Click) -> None:
        if event.y >= 1:
            self.move_to(round(self.scroll_y) + event.y - 1)

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        scroll_x = round(self.scroll_x)
        if y == 0:
            text, style = (self.lines[0] if self.lines else ""), self._style("head", base)
        else:
            index = round(self.scroll_y) + y - 1
            if not 0 <= index < len(self.ladder.arrows) or index + 1 >= len(self.lines):
                return Strip.blank(width, base)
            text = self.lines[index + 1]
            kind = tone(self.ladder.arrows[index])
            style = self._style(kind, base) if kind else base
            if index == self.cursor:
                style = style + self.get_component_rich_style("ladder-view--cursor")
        strip = Strip([Segment(text, style)]).crop(scroll_x, scroll_x + width)
        return strip.adjust_cell_length(width, style)

    def _style(self, name: str, base: Style) -> Style:
        return base + self.get_component_rich_style(f"ladder-view--{name}")
