"""The ICWS state panel: queues with their interactions, agents, statistics, alerts.

Drawn from :class:`tui.core.icws_state.IcwsState` on a clock (4 Hz), and only when something
moved: the state's version, the source board's version, the second shown in waiting times,
or the operator's view options. Two columns when wide, one scrolling column when narrow
(80×24 works). Self-contained: give it the state, the board and a clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from tui.core.icws_state import IcwsState
from tui.core.sources import SourceBoard, SourceKind
from tui.ui.widgets.icws.render import (
    PanelOptions,
    agents_text,
    alerts_text,
    queues_text,
    sources_text,
    statistics_text,
)

NARROW_BELOW = 110  # columns: under this the panel stacks its sections


class IcwsStatePanel(Vertical, can_focus=False):
    """Live ICWS state for every configured server (place it anywhere; it sizes to fit)."""

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
    }
    IcwsStatePanel:focus-within { border: round $primary; }
    IcwsStatePanel Static { text-wrap: nowrap; text-overflow: ellipsis; }
    IcwsStatePanel > #icws-sources { height: auto; max-height: 4; }
    IcwsStatePanel > #icws-body { height: 1fr; scrollbar-size-vertical: 1; }
    IcwsStatePanel #icws-columns { height: auto; }
    IcwsStatePanel #icws-queues { width: 3fr; height: auto; padding-right: 2; }
    IcwsStatePanel #icws-side { width: 2fr; height: auto; }
    IcwsStatePanel #icws-side > Static { height: auto; margin-bottom: 1; }
    IcwsStatePanel.-narrow #icws-columns { layout: vertical; }
    IcwsStatePanel.-narrow #icws-queues { width: 1fr; padding-right: 0; margin-bottom: 1; }
    IcwsStatePanel.-narrow #icws-side { width: 1fr; }
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
        self._drawn: tuple[object, ...] = ()
        self.border_title = "ICWS"

    def compose(self) -> ComposeResult:
        yield Static(id="icws-sources")
        with VerticalScroll(id="icws-body"), Horizontal(id="icws-columns"):
            yield Static(id="icws-queues")
            with Vertical(id="icws-side"):
                yield Static(id="icws-agents")
                yield Static(id="icws-statistics")
                yield Static(id="icws-alerts")

    def on_mount(self) -> None:
        self._redraw()
        self.set_interval(1 / self.refresh_hz, self._tick)

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_BELOW, "-narrow")
        self.call_after_refresh(self._redraw)  # column widths are known once laid out

    # -- drawing ------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"icws-panel--{name}", partial=True)

    def _key(self) -> tuple[object, ...]:
        board_version = self.board.version if self.board is not None else 0
        return (self.state.version, board_version, int(self.clock()), self.options, self.size.width)

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

    def _redraw(self) -> None:
        self._drawn = self._key()
        self.redraws += 1
        now = self.clock()
        only = self.options.server
        style = self._style
        sources = self.board.of_kind(SourceKind.ICWS) if self.board is not None else []
        if only is not None:
            sources = [s for s in sources if s.name == only]
        notes = {name: self.state.note(name) for name in self._servers()}
        self.query_one("#icws-sources", Static).update(sources_text(sources, notes, style))
        width = self.query_one("#icws-queues", Static).content_size.width or self.size.width
        queues = queues_text(self.state.queues(only), now, self.options, width, style)
        self.query_one("#icws-queues", Static).update(queues)
        self.query_one("#icws-agents", Static).update(
            agents_text(self.state.agents(only), now, style)
        )
        self.query_one("#icws-statistics", Static).update(
            statistics_text(self.state.statistics(only), style)
        )
        self.query_one("#icws-alerts", Static).update(alerts_text(self.state.alerts(only), style))
        self.border_subtitle = f"server: {only}" if only else ""

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
