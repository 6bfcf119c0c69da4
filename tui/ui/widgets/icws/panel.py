"""The ICWS state panel: queues with their interactions, agents, statistics, alerts.

A Line-API widget (``ScrollView`` + ``render_line``): the panel keeps pre-rendered lines and
Textual draws only the visible ones, and since the panel's own size never depends on its
content, new data never costs a screen-wide layout. Lines are rebuilt on a clock (4 Hz), and
only when something moved: the state's version, the source board's version, the second shown
in waiting times, the width, or the operator's view options. Two columns from 110 columns up,
one below (80×24 works). Self-contained: give it the state, the board and a clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.icws_state import IcwsState
from tui.core.sources import SourceBoard, SourceKind
from tui.ui.models.icws.render import (
    STYLE_NAMES,
    Block,
    Line,
    PanelOptions,
    agents_block,
    alerts_block,
    plain,
    queues_block,
    sources_block,
    statistics_block,
)

NARROW_BELOW = 110  # columns: under this the panel stacks its sections
COLUMN_GAP = 2


class IcwsStatePanel(ScrollView, can_focus=True):
    """Live ICWS state for every configured server (place it anywhere; it fills its region)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "toggle_details", "Interactions", id="icws.details"),
        Binding("w", "toggle_waiting", "Waiting only", id="icws.waiting-only"),
        Binding("s", "next_server", "Server", id="icws.server.next"),
    ]

    DEFAULT_CSS = """
    IcwsStatePanel {
        height: 1fr;
        border: round $primary 50%;
        border-title-color: $primary;
        border-subtitle-color: $foreground-muted;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        background: $surface;
    }
    IcwsStatePanel:focus { border: round $primary; }
    IcwsStatePanel > .icws-panel--title { color: $foreground; text-style: bold; }
    IcwsStatePanel > .icws-panel--heading { color: $primary; text-style: bold; }
    IcwsStatePanel > .icws-panel--muted { color: $foreground-muted; }
    IcwsStatePanel > .icws-panel--ok { color: $success; }
    IcwsStatePanel > .icws-panel--warn { color: $warning; }
    IcwsStatePanel > .icws-panel--error { color: $error; text-style: bold; }
    IcwsStatePanel > .icws-panel--accent { color: $accent; }
    IcwsStatePanel > .icws-panel--stale { color: $warning; text-style: bold reverse; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "icws-panel--title",
        "icws-panel--heading",
        "icws-panel--muted",
        "icws-panel--ok",
        "icws-panel--warn",
        "icws-panel--error",
        "icws-panel--accent",
        "icws-panel--stale",
    }

    HELP = """\
## ICWS state

Queues with the interactions in them (Eic_State decoded), agents and their statuses,
statistics and raised alerts, for every ICWS server. *stale* means the session was lost
and the fresh snapshot has not arrived yet: what is shown may be out of date.

- **d** shows or hides the interaction lines under each queue.
- **w** shows only interactions not yet answered (Offering, Alerting, Proceeding).
- **s** cycles through the servers (all, then each one).
"""

    def __init__(
        self,
        state: IcwsState,
        board: SourceBoard | None = None,
        *,
        clock: Callable[[], float] = time.time,
        refresh_hz: float = 4.0,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.state = state
        self.board = board
        self.clock = clock
        self.refresh_hz = refresh_hz
        self.options = PanelOptions()
        self.redraws = 0
        self.sections: dict[str, Block] = {}  # the last lines of each part
        self._rows: list[tuple[Line, Line | None]] = []  # (whole line) or (left, right) columns
        self._strips: dict[int, Strip] = {}  # rows drawn since the last rebuild
        self._styles: dict[str, Style] = {}
        self._widths = (0, 0, 0)
        self._drawn: tuple[object, ...] = ()
        self.border_title = "ICWS"

    def on_mount(self) -> None:
        self.set_interval(1 / self.refresh_hz, self._tick)
        self.call_after_refresh(self._redraw)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_BELOW, "-narrow")
        self._redraw()

    # -- building the lines ---------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"icws-panel--{name}", partial=True)

    def _key(self) -> tuple[object, ...]:
        board_version = self.board.version if self.board is not None else 0
        width = self.scrollable_content_region.width
        return (self.state.version, board_version, int(self.clock()), self.options, width)

    def _tick(self) -> None:
        if self._key() != self._drawn:
            self._redraw()

    def _servers(self) -> list[str]:
        names = list(self.state.servers)
        if self.board is not None:
            for source in self.board.of_kind(SourceKind.ICWS):
                if source.name not in names:
                    names.append(source.name)
        return names

    def _build_sections(self, queue_width: int) -> dict[str, Block]:
        now = self.clock()
        only = self.options.server
        sources = self.board.of_kind(SourceKind.ICWS) if self.board is not None else []
        if only is not None:
            sources = [s for s in sources if s.name == only]
        notes = {name: self.state.note(name) for name in self._servers()}
        return {
            "sources": sources_block(sources, notes),
            "queues": queues_block(self.state.queues(only), now, self.options, queue_width),
            "agents": agents_block(self.state.agents(only), now),
            "statistics": statistics_block(self.state.statistics(only)),
            "alerts": alerts_block(self.state.alerts(only)),
        }

    def section_text(self, name: str) -> str:
        """One part of the panel as plain text: sources, queues, agents, statistics, alerts."""
        return plain(self.sections.get(name, []))

    def _redraw(self) -> None:
        """Rebuild the line specs (cheap); rows become strips only when they are drawn."""
        self._drawn = self._key()
        self.redraws += 1
        width = max(self.scrollable_content_region.width, 20)
        narrow = self.size.width < NARROW_BELOW
        left_width = width if narrow else (width - COLUMN_GAP) * 3 // 5
        self._widths = (width, left_width, width - left_width - COLUMN_GAP)
        self.sections = sections = self._build_sections(left_width)
        side = sections["agents"] + [[]] + sections["statistics"] + [[]] + sections["alerts"]
        rows: list[tuple[Line, Line | None]] = [(line, None) for line in sections["sources"]]
        if narrow:
            rows += [(line, None) for line in sections["queues"] + [[]] + side]
        else:
            left = sections["queues"]
            for index in range(max(len(left), len(side))):
                rows.append(
                    (
                        left[index] if index < len(left) else [],
                        side[index] if index < len(side) else [],
                    )
                )
        self._rows = rows
        self._strips.clear()
        self._styles = {name: self._style(name) for name in STYLE_NAMES}
        self.virtual_size = Size(width, len(rows))
        self.border_subtitle = f"server: {self.options.server}" if self.options.server else ""
        self.refresh()

    def _fit(self, line: Line, width: int) -> Strip:
        styles = self._styles
        segments = [Segment(text, styles.get(name)) for text, name in line if text]
        strip = Strip(segments)
        if strip.cell_length > width:
            return Strip.join([strip.crop(0, width - 1), Strip([Segment("…")])])
        return strip.extend_cell_length(width)

    def _row(self, index: int) -> Strip:
        strip = self._strips.get(index)
        if strip is None:
            width, left_width, right_width = self._widths
            left, right = self._rows[index]
            if right is None:
                strip = self._fit(left, width)
            else:
                gap = Strip([Segment(" " * COLUMN_GAP)])
                strip = Strip.join(
                    [self._fit(left, left_width), gap, self._fit(right, right_width)]
                )
            self._strips[index] = strip
        return strip

    def lines_text(self) -> list[str]:
        """The panel's lines as plain text (what a copy of the panel would hold)."""
        return [self._row(i).text.rstrip() for i in range(len(self._rows))]

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, base)
        return self._row(index).crop_extend(0, width, base).apply_style(base)

    # -- actions ------------------------------------------------------------------------

    def _set(self, options: PanelOptions) -> None:
        self.options = options
        self._redraw()

    def action_toggle_details(self) -> None:
        self._set(replace(self.options, details=not self.options.details))

    def action_toggle_waiting(self) -> None:
        self._set(replace(self.options, waiting_only=not self.options.waiting_only, details=True))

    def action_next_server(self) -> None:
        servers = self._servers()
        current = self.options.server
        if not servers:
            return
        if current is None:
            following: str | None = servers[0]
        elif current in servers and servers.index(current) + 1 < len(servers):
            following = servers[servers.index(current) + 1]
        else:
            following = None
        self._set(replace(self.options, server=following))
        self.notify(f"ICWS panel: {following or 'all servers'}", timeout=2)
