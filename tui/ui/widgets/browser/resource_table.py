"""The browser's table: a Line-API widget that draws only the rows on screen.

A ``details=true`` list can hold 10,000 rows of 20 columns; Textual's DataTable needs seconds
to take that many rows (docs/performance.md §9), this widget takes them at once and renders the
visible lines only. A header line stays on top; the cursor row is highlighted; runtime cells,
links, errors and cells that changed on the last refresh have their own styles; ``/`` filters
the rows; wide tables scroll sideways.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.ui.models.browser.rows import (
    DIVIDER,
    ENTRY,
    ERROR,
    LINK,
    RUNTIME,
    Row,
    TableModel,
    fit_widths,
    row_filter,
)

_GAP = 2


class ResourceTable(ScrollView, can_focus=True):
    """Rows of a resource, list or status; the cursor row is what ``enter`` follows."""

    DEFAULT_CSS = """
    ResourceTable {
        height: 1fr;
        background: $surface;
        scrollbar-size-vertical: 1;
        scrollbar-size-horizontal: 1;
    }
    ResourceTable > .resource-table--header { color: $foreground-muted; text-style: bold; }
    ResourceTable > .resource-table--cursor { background: $primary 30%; }
    ResourceTable:focus > .resource-table--cursor { background: $primary; color: $background; }
    ResourceTable > .resource-table--link { color: $accent; }
    ResourceTable > .resource-table--runtime { color: $success; }
    ResourceTable > .resource-table--error { color: $error; text-style: bold; }
    ResourceTable > .resource-table--changed {
        background: $warning; color: $background; text-style: bold;
    }
    ResourceTable > .resource-table--muted { color: $foreground-muted; }
    ResourceTable > .resource-table--divider { color: $foreground-muted; text-style: italic; }
    """

    COMPONENT_CLASSES = {
        "resource-table--header",
        "resource-table--cursor",
        "resource-table--link",
        "resource-table--runtime",
        "resource-table--error",
        "resource-table--changed",
        "resource-table--muted",
        "resource-table--divider",
    }

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="browser.table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="browser.table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="browser.table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="browser.table.page_down"),
        Binding("home", "edge(0)", "First row", show=False, id="browser.table.first"),
        Binding("end", "edge(1)", "Last row", show=False, id="browser.table.last"),
        Binding("left,h", "sideways(-8)", "Scroll left", show=False, id="browser.table.left"),
        Binding("right,l", "sideways(8)", "Scroll right", show=False, id="browser.table.right"),
    ]

    cursor = reactive(0, always_update=True)

    class CursorMoved(Message):
        """The cursor landed on another row."""

        def __init__(self, table: ResourceTable, row: Row | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model = TableModel((), (), [])
        self.shown_rows: list[Row] = []
        self.filter_text = ""
        self._total_width = 0
        self._widths: tuple[int, ...] = ()

    # -- data -------------------------------------------------------------------------------

    def show(self, model: TableModel, *, cursor: int = 0, scroll_y: int | None = None) -> None:
        """Show a new model, keeping the filter; ``cursor`` is a row index after filtering."""
        self.model = model
        self._apply_filter()
        self.cursor = max(0, min(cursor, len(self.shown_rows) - 1))
        if scroll_y is not None:
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
        self._keep_cursor_visible()

    def set_filter(self, text: str) -> None:
        current = self.current_row
        self.filter_text = text
        self._apply_filter()
        index = self.shown_rows.index(current) if current in self.shown_rows else 0
        self.cursor = index
        self._keep_cursor_visible()

    def _apply_filter(self) -> None:
        keep = row_filter(self.filter_text)
        rows = self.model.rows
        self.shown_rows = [r for r in rows if keep(r)] if keep is not None else list(rows)
        self._layout()
        self.refresh()

    def _layout(self) -> None:
        """Column widths for the current size: the flex column takes what the others leave."""
        widths = list(self.model.widths)
        flex = self.model.flex
        if 0 <= flex < len(widths):
            others = sum(w for i, w in enumerate(widths) if i != flex)
            room = self.size.width - others - _GAP * (len(widths) - 1) - 2
            widths[flex] = max(room, min(widths[flex], 12))
        elif self.size.width:
            room = self.size.width - _GAP * (len(widths) - 1) - 2
            widths = list(fit_widths(tuple(widths), room))
        self._widths = tuple(widths)
        self._total_width = sum(widths) + _GAP * max(0, len(widths) - 1) + 2
        self.virtual_size = Size(self._total_width, len(self.shown_rows) + 1)

    def on_resize(self) -> None:
        self._layout()
        self.refresh()

    @property
    def current_row(self) -> Row | None:
        if 0 <= self.cursor < len(self.shown_rows):
            return self.shown_rows[self.cursor]
        return None

    def cursor_to_key(self, key: str) -> bool:
        for index, row in enumerate(self.shown_rows):
            if row.key == key:
                self.cursor = index
                self._keep_cursor_visible()
                return True
        return False

    # -- cursor -----------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.post_message(self.CursorMoved(self, self.current_row))

    def _page_rows(self) -> int:
        return max(1, self.size.height - 2)

    def _keep_cursor_visible(self) -> None:
        if not self.shown_rows:
            return
        top = round(self.scroll_y)
        rows = self._page_rows()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False, immediate=True)

    def _move(self, index: int) -> None:
        if not self.shown_rows:
            return
        self.cursor = max(0, min(index, len(self.shown_rows) - 1))
        self._keep_cursor_visible()

    def action_cursor(self, step: int) -> None:
        target = self.cursor + step
        # skip the divider between configuration and runtime
        while 0 <= target < len(self.shown_rows) and self.shown_rows[target].kind == DIVIDER:
            target += step
        self._move(target)

    def action_page(self, direction: int) -> None:
        self._move(self.cursor + direction * self._page_rows())

    def action_edge(self, end: int) -> None:
        self._move(len(self.shown_rows) - 1 if end else 0)

    def action_sideways(self, step: int) -> None:
        self.scroll_to(x=max(0, self.scroll_x + step), animate=False)

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._move(round(self.scroll_y) + event.y - 1)

    # -- drawing ----------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"resource-table--{name}", partial=True)

    def _cells(self, cells: tuple[str, ...], styles: list[Style], base: Style) -> list[Segment]:
        segments = [Segment(" ", base)]
        for index, width in enumerate(self._widths):
            text = cells[index] if index < len(cells) else ""
            if cell_len(text) > width:
                text = set_cell_size(text, max(0, width - 1)) + "…"
            segments.append(Segment(set_cell_size(text, width), base + styles[index]))
            if index < len(self._widths) - 1:
                segments.append(Segment(" " * _GAP, base))
        return segments

    def _row_styles(self, row: Row) -> list[Style]:
        count = len(self._widths)
        plain = Style()
        kind_style = {
            LINK: self._style("link"),
            RUNTIME: self._style("runtime"),
            ERROR: self._style("error"),
            ENTRY: self._style("link"),
            DIVIDER: self._style("divider"),
        }.get(row.kind, plain)
        styles = [kind_style if (row.kind != LINK or i <= 2) else plain for i in range(count)]
        if row.kind == LINK and count > 3:  # a details list: only the id column is the link
            styles = [kind_style] + [plain] * (count - 1)
        for column in self.model.runtime_columns:
            if column < count:
                styles[column] = self._style("runtime")
        changed = self._style("changed")
        for column in row.changed:
            if column < count:
                styles[column] = changed
        return styles

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = self.scroll_offset
        base = self.rich_style
        if y == 0:
            header = self._style("header")
            segments = self._cells(self.model.columns, [header] * len(self._widths), base)
        else:
            index = scroll_y + y - 1
            if index >= len(self.shown_rows):
                if index == 0:
                    note = self._empty_note()
                    return Strip([Segment(f" {note}", base + self._style("muted"))]).crop_extend(
                        0, width, base
                    )
                return Strip.blank(width, base)
            row = self.shown_rows[index]
            cells = row.cells
            if row.delta and len(cells) == 4:
                cells = (*cells[:2], f"{cells[2]} ({row.delta})", cells[3])
            if index == self.cursor:  # the cursor row is drawn in one colour, changes kept
                row_base = base + self._style("cursor")
                styles = [Style()] * len(self._widths)
                for column in row.changed:
                    if column < len(styles):
                        styles[column] = self._style("changed")
                segments = self._cells(cells, styles, row_base)
                return Strip(segments).crop_extend(scroll_x, scroll_x + width, row_base)
            segments = self._cells(cells, self._row_styles(row), base)
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, base)

    def _empty_note(self) -> str:
        if self.filter_text and self.model.rows:
            return f"no row matches /{self.filter_text} (escape clears the filter)"
        return self.model.empty or "nothing here"
