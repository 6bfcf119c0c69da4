"""The Calls table: a Line-API widget that draws only the rows on screen.

It holds the list the screen rebuilt on its clock (references to the correlator's groups, so a
group's counters are current whenever its row is drawn) and scrolls itself, like the feed's
event list: a top index, a cursor that stays on its group when the list is rebuilt, and a
one-column scrollbar it draws. A hundred thousand groups cost what a screenful does.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click, MouseScrollDown, MouseScrollUp
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui.core.correlate import Group
from tui.ui.models.calls.table import CallColumn, cells, flex_width, header_line, layout
from tui.ui.widgets.cursor_keys import CursorKeys, cursor_bindings

SCROLLBAR = 1
WHEEL_STEP = 3


class GroupList(CursorKeys, Widget, can_focus=True):
    """Calls (or streams, sessions, interactions), one a row; ``enter`` opens the ladder."""

    HELP = """\
## Calls table

One row per call, stream, client session or ICWS interaction. Failed and refused rows are in
the error colour and marked ✗ (failed) or ⊘ (refused by a policy rule).

- **↑ ↓ PgUp PgDn Home End** (or **k j g G**) move.
- **Enter** (or a double click) opens the ladder: who said what to whom, in time order.
- **t** next table (calls, streams, sessions, ICWS), **s** order, **/** filter
  (`state:ESTABLISHED node:~95.191 duration:>60 sip:5xx is:failed`).
"""

    DEFAULT_CSS = """
    GroupList { height: 1fr; background: $surface; }
    GroupList > .group-list--failed { color: $error; text-style: bold; }
    GroupList > .group-list--ended { color: $foreground-muted; }
    GroupList > .group-list--cursor { background: $primary 35%; }
    GroupList:focus > .group-list--cursor { background: $primary 60%; }
    GroupList > .group-list--scrollbar { background: $panel; }
    GroupList > .group-list--thumb { background: $primary 70%; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "group-list--failed",
        "group-list--ended",
        "group-list--cursor",
        "group-list--scrollbar",
        "group-list--thumb",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        *cursor_bindings("calls.list"),
        Binding("enter", "open", "Ladder", id="calls.list.open"),
    ]

    class Opened(Message):
        """The operator asked for the ladder of ``group``."""

        def __init__(self, group: Group) -> None:
            super().__init__()
            self.group = group

    def __init__(self, *, utc: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.utc = utc
        self.rows: list[Group] = []
        self.now = 0.0  # the latest event time: how far a live group's duration runs
        self.cursor = -1
        self.top = 0
        self._cursor_group: Group | None = None
        self._columns: list[CallColumn] = []
        self._columns_width = -1
        self._styles: dict[str, Style] = {}

    # -- the rows -----------------------------------------------------------------------------

    @property
    def rows_width(self) -> int:
        return max(self.size.width - SCROLLBAR, 1)

    @property
    def page(self) -> int:
        return max(self.size.height, 1)

    @property
    def selected(self) -> Group | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def set_rows(self, rows: list[Group]) -> None:
        """A rebuilt list: the cursor stays on its group if it is still there."""
        self.rows = rows
        index = -1
        if self._cursor_group is not None:
            try:
                index = rows.index(self._cursor_group)  # groups compare by identity: a C loop
            except ValueError:
                index = -1
        if index < 0:
            index = min(max(self.cursor, 0), len(rows) - 1)
        self.cursor = index
        self._remember()
        self._keep_cursor_visible()
        self.refresh()

    def _remember(self) -> None:
        self._cursor_group = self.selected

    def _clamp_top(self) -> None:
        self.top = min(max(self.top, 0), max(len(self.rows) - self.page, 0))

    def _keep_cursor_visible(self) -> None:
        if self.cursor >= 0:
            if self.cursor < self.top:
                self.top = self.cursor
            elif self.cursor >= self.top + self.page:
                self.top = self.cursor - self.page + 1
        self._clamp_top()

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        self.cursor = min(max(index, 0), len(self.rows) - 1)
        self._remember()
        self._keep_cursor_visible()
        self.refresh()

    def on_resize(self) -> None:
        self._keep_cursor_visible()
        self.refresh()

    # -- keys and mouse -----------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self.rows)

    def action_open(self) -> None:
        group = self.selected
        if group is not None:
            self.post_message(self.Opened(group))

    def on_mouse_scroll_up(self, event: MouseScrollUp) -> None:
        event.stop()
        self.top -= WHEEL_STEP
        self._clamp_top()
        self.refresh()

    def on_mouse_scroll_down(self, event: MouseScrollDown) -> None:
        event.stop()
        self.top += WHEEL_STEP
        self._clamp_top()
        self.refresh()

    def on_click(self, event: Click) -> None:
        index = self.top + event.y
        if 0 <= index < len(self.rows):
            if index == self.cursor and event.chain >= 2:
                self.action_open()
            self.move_to(index)

    # -- drawing ------------------------------------------------------------------------------

    def columns(self) -> list[CallColumn]:
        width = self.rows_width
        if width != self._columns_width:
            self._columns = layout(width, utc=self.utc, now=lambda: self.now)
            self._columns_width = width
        return self._columns

    def header_line(self) -> str:
        return header_line(self.columns(), self.rows_width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._styles = {
            name: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES
        }
        self._styles["base"] = self.rich_style
        return super().render_lines(crop)

    def _thumb(self) -> tuple[int, int]:
        count, page = len(self.rows), self.page
        if count <= page:
            return 0, page
        size = max(1, page * page // count)
        start = round(self.top / max(count - page, 1) * (page - size))
        return start, start + size

    def render_line(self, y: int) -> Strip:
        styles = self._styles
        base = styles.get("base", Style())
        width = self.size.width
        rows_width = self.rows_width
        thumb_start, thumb_end = self._thumb()
        bar = styles.get(
            "group-list--thumb" if thumb_start <= y < thumb_end else "group-list--scrollbar", base
        )
        index = self.top + y
        if not 0 <= index < len(self.rows):
            return Strip([Segment(" " * rows_width, base), Segment(" " * SCROLLBAR, bar)], width)
        group = self.rows[index]
        style = base
        if group.failed:
            style = base + styles.get("group-list--failed", Style())
        elif group.ended:
            style = base + styles.get("group-list--ended", Style())
        if index == self.cursor:
            style = style + styles.get("group-list--cursor", Style(reverse=True))
        columns = self.columns()
        text = " ".join(cell for _, cell in cells(group, columns, flex_width(columns, rows_width)))
        strip = Strip([Segment(text, style)]).adjust_cell_length(rows_width, style)
        return Strip([*strip, Segment(" " * SCROLLBAR, bar)], width)
