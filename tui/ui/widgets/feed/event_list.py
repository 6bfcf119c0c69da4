"""The live event list: a Line-API widget that draws only the rows on screen.

It holds no rows of its own: it reads the :class:`FeedView` (core), which the screen syncs on a
clock. It scrolls itself (a top index and a one-column scrollbar it draws) rather than through
Textual's virtual size, because every virtual-size change costs a layout pass of the whole screen;
new rows here cost one repaint. Rendered lines are cached per (seq, selected, width).
Follow mode keeps the newest row in sight until the operator moves up, and comes back when the
cursor reaches the end again.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.events import Click, MouseScrollDown, MouseScrollUp
from textual.geometry import Region
from textual.message import Message
from textual.reactive import var
from textual.strip import Strip
from textual.widget import Widget

from tui.core.feed import SEV_ERROR, SEV_NOTICE, SEV_WARNING
from tui.core.query import Query
from tui.core.sanitize import clean_line
from tui.core.store import FeedView
from tui.ui.models.feed.columns import (
    DEFAULT_COLUMNS,
    SEQ,
    SEVERITY,
    Column,
    Layout,
    Row,
    fit,
    flex_width,
    header_line,
    layout,
)
from tui.ui.models.feed.marks import Marks
from tui.ui.widgets.cursor_keys import CursorKeys, cursor_bindings

_LOUD_COLUMNS = frozenset({"status", "info", "http"})
_SEVERITY_CLASS = {
    SEV_ERROR: "event-list--error",
    SEV_WARNING: "event-list--warning",
    SEV_NOTICE: "event-list--notice",
}
SCROLLBAR = 1  # columns kept for the scrollbar
WHEEL_STEP = 3


class EventList(CursorKeys, Widget, can_focus=True):
    """Rows of the feed, newest at the bottom; ``enter`` opens one."""

    HELP = """\
## Event list

Each row is one WCS hook, ICWS message or console error, newest at the bottom.
Colours: errors (FAILED, refused, rejected) in the error colour, BUSY and 4xx in the warning colour.

- **↑ ↓ PgUp PgDn Home End** (or **k j g G**) move; moving up stops following,
  **End** follows again.
- **Enter** (or a double click) opens the event: body, SIP message, our reply and its timing.
"""

    DEFAULT_CSS = """
    EventList {
        height: 1fr;
        background: $surface;
    }
    EventList > .event-list--time { color: $foreground-muted; }
    EventList > .event-list--error { color: $error; text-style: bold; }
    EventList > .event-list--warning { color: $warning; }
    EventList > .event-list--notice { color: $foreground-muted; }
    EventList > .event-list--cursor { background: $primary 35%; }
    EventList:focus > .event-list--cursor { background: $primary 60%; }
    EventList > .event-list--scrollbar { background: $panel; }
    EventList > .event-list--thumb { background: $primary 70%; }
    EventList > .event-list--match { text-style: reverse bold; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "event-list--time",
        "event-list--error",
        "event-list--warning",
        "event-list--notice",
        "event-list--cursor",
        "event-list--scrollbar",
        "event-list--thumb",
        "event-list--match",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        *cursor_bindings("feed.list", last="Last (follow)"),
        Binding("enter", "open", "Open", id="feed.list.open"),
    ]

    follow: var[bool] = var(True)

    class Opened(Message):
        """The operator asked to open the event numbered ``seq``."""

        def __init__(self, seq: int) -> None:
            super().__init__()
            self.seq = seq

    class FollowChanged(Message):
        def __init__(self, follow: bool) -> None:
            super().__init__()
            self.follow = follow

    def __init__(
        self,
        view: FeedView,
        *,
        utc: bool = True,
        columns: tuple[str, ...] = DEFAULT_COLUMNS,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.view = view
        self.utc = utc
        self.chosen = columns  # the operator's columns, in their order
        self.find: Query | None = None  # what matches it are marked in the rows
        self.cursor = -1  # index into the view; -1 when empty
        self.top = 0  # index of the first row on screen
        self._cursor_seq = 0
        self._layout = Layout([], ())
        self._columns_width = -1
        self._cache: OrderedDict[tuple[int, bool, bool], Strip] = OrderedDict()
        self._styles: dict[str, Style] = {}
        self._palettes: dict[tuple[int, bool], tuple[Style, Style, Style, Style]] = {}
        self._frame: _Frame | None = None

    # -- geometry -----------------------------------------------------------------------------

    @property
    def rows_width(self) -> int:
        return max(self.size.width - SCROLLBAR, 1)

    @property
    def page(self) -> int:
        return max(self.size.height, 1)

    def _clamp_top(self) -> None:
        self.top = min(max(self.top, 0), max(len(self.view) - self.page, 0))

    # -- the clock calls this -----------------------------------------------------------------

    def rows_changed(self) -> None:
        """The view gained or lost rows: keep the cursor on its event, follow if following."""
        count = len(self.view)
        if count == 0:
            self.cursor = -1
        elif self.follow:
            self.cursor = count - 1
        else:
            index = self.view.index_of(self._cursor_seq) if self._cursor_seq else None
            self.cursor = index if index is not None else min(max(self.cursor, 0), count - 1)
        self._remember_cursor()
        if self.follow:
            self.top = max(count - self.page, 0)
        self._keep_cursor_visible()
        self.refresh()

    def reset(self) -> None:
        """The filter changed: everything below is different."""
        self._cache.clear()
        self.rows_changed()

    def on_resize(self) -> None:
        self._cache.clear()
        self.rows_changed()

    # -- moving -------------------------------------------------------------------------------

    def _remember_cursor(self) -> None:
        self._cursor_seq = int(self.view[self.cursor][SEQ]) if self.cursor >= 0 else 0

    @property
    def selected_seq(self) -> int:
        """The seq of the selected event; 0 when none is."""
        return self._cursor_seq

    def move_to(self, index: int) -> None:
        count = len(self.view)
        if count == 0:
            return
        self.cursor = min(max(index, 0), count - 1)
        self._remember_cursor()
        self.set_follow(self.cursor == count - 1)
        self._keep_cursor_visible()
        self.refresh()

    def set_follow(self, follow: bool) -> None:
        if follow != self.follow:
            self.follow = follow
            self.post_message(self.FollowChanged(follow))

    def _keep_cursor_visible(self) -> None:
        if self.cursor >= 0:
            if self.cursor < self.top:
                self.top = self.cursor
            elif self.cursor >= self.top + self.page:
                self.top = self.cursor - self.page + 1
        self._clamp_top()

    def row_count(self) -> int:
        return len(self.view)

    def action_open(self) -> None:
        if self.cursor >= 0:
            self.post_message(self.Opened(int(self.view[self.cursor][SEQ])))

    def on_mouse_scroll_up(self, event: MouseScrollUp) -> None:
        event.stop()
        self.set_follow(False)
        self.top -= WHEEL_STEP
        self._clamp_top()
        self.refresh()

    def on_mouse_scroll_down(self, event: MouseScrollDown) -> None:
        event.stop()
        self.top += WHEEL_STEP
        self._clamp_top()
        if self.top >= max(len(self.view) - self.page, 0):
            self.move_to(len(self.view) - 1)  # wheel to the bottom: follow again
        self.refresh()

    def on_click(self, event: Click) -> None:
        if event.x >= self.rows_width:  # on the scrollbar: jump there
            count = len(self.view)
            self.top = int(event.y / max(self.page - 1, 1) * max(count - self.page, 0))
            self._clamp_top()
            self.set_follow(False)
            self.refresh()
            return
        index = self.top + event.y
        if 0 <= index < len(self.view):
            if index == self.cursor and event.chain >= 2:
                self.action_open()
            self.move_to(index)

    # -- drawing ------------------------------------------------------------------------------

    def columns(self) -> list[Column]:
        return self.current_layout().columns

    def current_layout(self) -> Layout:
        """The columns drawn at the current width (and those left out for room)."""
        width = self.rows_width
        if width != self._columns_width:
            self._layout = layout(width, utc=self.utc, chosen=self.chosen)
            self._columns_width = width
            self._cache.clear()
        return self._layout

    def set_columns(self, chosen: tuple[str, ...]) -> None:
        """The operator chose other columns (or another order): draw everything again."""
        self.chosen = chosen
        self._columns_width = -1
        self._cache.clear()
        self.refresh()

    def set_find(self, query: Query | None) -> None:
        """Mark what ``query`` matches in every row it matches (None: mark nothing)."""
        self.find = query
        self._cache.clear()
        self.refresh()

    def header_line(self) -> str:
        return header_line(self.current_layout(), self.rows_width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Once per frame, not once per line (nor per cell): the styles, the geometry, the columns.
        # At thousands of events a second every row on screen is new on every frame.
        self._styles = {
            name: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES
        }
        self._styles["base"] = self.rich_style
        self._palettes = {}
        self._frame = self._new_frame()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _new_frame(self) -> _Frame:
        width = self.size.width
        rows_width = max(width - SCROLLBAR, 1)
        columns = self.columns()
        return _Frame(
            width=width,
            rows_width=rows_width,
            rows=len(self.view),
            thumb=self._thumb(),
            columns=columns,
            flex=flex_width(columns, rows_width),
        )

    def _palette(self, severity: int, selected: bool) -> tuple[Style, Style, Style, Style]:
        """(time, loud, plain, gap) styles for a row of this severity, cursor or not."""
        key = (severity, selected)
        found = self._palettes.get(key)
        if found is None:
            styles = self._styles
            base = styles.get("base", Style())
            severity_class = _SEVERITY_CLASS.get(severity)
            loud = base + styles[severity_class] if severity_class in styles else base
            time_style = base + styles.get("event-list--time", base)
            plain = loud if severity_class == "event-list--notice" else base
            gap = base
            if selected:
                cursor = styles.get("event-list--cursor", Style(reverse=True))
                time_style, loud, plain, gap = (s + cursor for s in (time_style, loud, plain, gap))
            found = self._palettes[key] = (time_style, loud, plain, gap)
        return found

    def _thumb(self) -> tuple[int, int]:
        count, page = len(self.view), self.page
        if count <= page:
            return 0, page
        size = max(1, page * page // count)
        start = round(self.top / max(count - page, 1) * (page - size))
        return start, start + size

    def render_line(self, y: int) -> Strip:
        frame = self._frame or self._new_frame()  # Textual may ask for a single line
        styles = self._styles
        base = styles.get("base", Style())
        thumb_start, thumb_end = frame.thumb
        on_thumb = thumb_start <= y < thumb_end
        bar_style = styles.get("event-list--thumb" if on_thumb else "event-list--scrollbar", base)
        index = self.top + y
        if not 0 <= index < frame.rows:
            blank = " " * frame.rows_width
            if frame.rows == 0 and y == 1 and self.view.query is not None:
                # A filter that matches nothing says so, instead of an empty screen.
                note = f"  No event matches {self.view.query.text} · Esc clears the filter"
                blank = fit(clean_line(note), frame.rows_width)
                blank += " " * (frame.rows_width - len(blank))
                base = styles.get("event-list--notice", base)
            return Strip([Segment(blank, base), Segment(" " * SCROLLBAR, bar_style)], frame.width)
        row = self.view[index]
        selected = index == self.cursor
        key = (int(row[SEQ]), selected, on_thumb)
        strip = self._cache.get(key)
        if strip is None:
            segments, exact = self._row_segments(row, selected, frame)
            if exact:
                segments.append(Segment(" " * SCROLLBAR, bar_style))
                strip = Strip(segments, frame.width)
            else:  # wide or combining characters, or too many columns: Rich measures and cuts
                gap = self._palette(int(row[SEVERITY]), selected)[3]
                strip = Strip(segments).adjust_cell_length(frame.rows_width, gap)
                strip = Strip([*strip, Segment(" " * SCROLLBAR, bar_style)], frame.width)
            self._cache[key] = strip
            # About a page: cached strips (7 caches and ~17 segments each) are garbage-collector
            # work on every younger-generation pass, and rows off screen do not need them.
            if len(self._cache) > self.page + 8:
                self._cache.popitem(last=False)
        return strip

    def _row_segments(self, row: Row, selected: bool, frame: _Frame) -> tuple[list[Segment], bool]:
        """One row as segments at least ``frame.rows_width`` characters wide, and whether that is
        exactly that many cells (true when every cell is ASCII, the usual case for ids and
        statuses, and the columns fit)."""
        width = frame.rows_width
        flex = frame.flex
        time_style, loud, plain, gap = self._palette(int(row[SEVERITY]), selected)
        find = self.find
        marks: Marks | None = None
        if find is not None and find(row):
            match_style = self._styles.get("event-list--match", Style(reverse=True, bold=True))
            marks = Marks(find.matched_fields(row), find.words, match_style)
        parts: list[tuple[str, Style]] = []
        used = 0
        exact = True
        for position, column in enumerate(frame.columns):
            text = fit(column.cell(row), column.width or flex, column.right, column.cut)
            key = column.key
            style = time_style if key == "time" else loud if key in _LOUD_COLUMNS else plain
            if position:
                parts.append((" ", gap))
                used += 1
            if marks is None:
                parts.append((text, style))
            else:
                parts += marks.cell(column, text, style)
            used += len(text)
            exact = exact and (text.isascii() or cell_len(text) == len(text))
        if used < width:
            parts.append((" " * (width - used), gap))
        # Columns wider than the list (a narrow terminal, the help panel beside it) are cut by
        # the caller: a strip must never cover more cells than it claims, or it draws over
        # whatever sits to its right.
        segments = [Segment(text, style) for text, style in blanks_last(parts)]
        return segments, exact and used <= width


def blanks_last(parts: list[tuple[str, Style]]) -> list[tuple[str, Style]]:
    """The same cells with every run of blanks moved to the end of the run before it.

    On screen nothing changes (a row's background is the same under every cell). In an SVG
    export each run is a text element, and some renderers drop the blanks a text element starts
    with, which runs neighbouring columns together ("drop 06/s"); blanks at the end of an
    element are harmless there, since the next one is placed by its own position.
    """
    out: list[tuple[str, Style]] = []
    for text, style in parts:
        if out and text.startswith(" ") and _blanks_look_alike(out[-1][1], style):
            stripped = text.lstrip(" ")
            before, before_style = out[-1]
            out[-1] = (before + text[: len(text) - len(stripped)], before_style)
            text = stripped
        if not text:
            continue
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        else:
            out.append((text, style))
    return out


def _blanks_look_alike(one: Style, other: Style) -> bool:
    """Whether blanks look the same in either style (a find's reversed mark does not)."""
    return (
        one.bgcolor == other.bgcolor
        and bool(one.reverse) == bool(other.reverse)
        and bool(one.underline) == bool(other.underline)
        and bool(one.strike) == bool(other.strike)
    )


class _Frame(NamedTuple):
    """What every line of one frame shares."""

    width: int
    rows_width: int
    rows: int
    thumb: tuple[int, int]
    columns: list[Column]
    flex: int
