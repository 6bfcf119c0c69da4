"""The two-line header: screens, mode and clock on top; every source and its state below."""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui.core.sources import LinkState, SourceBoard, SourceStatus

SCREENS = (
    ("feed", "1", "Feed"),
    ("browser", "2", "Browser"),
    ("inspector", "3", "Inspector"),
    ("calls", "4", "Calls"),
)
_STATE_CLASS = {
    LinkState.IDLE: "noc-header--idle",
    LinkState.CONNECTING: "noc-header--connecting",
    LinkState.UP: "noc-header--up",
    LinkState.DEGRADED: "noc-header--degraded",
    LinkState.DOWN: "noc-header--down",
}


READ_ONLY_BADGE = "READ-ONLY"


class NocHeader(Widget):
    """Screen tabs, the demo badge, READ-ONLY when the console changes nothing, a clock, and a
    chip per configured source."""

    DEFAULT_CSS = """
    NocHeader {
        dock: top;
        height: 2;
        background: $panel;
        color: $foreground;
        link-style: none;
        link-style-hover: bold reverse;
        link-background-hover: $primary;
    }
    NocHeader > .noc-header--brand { color: $primary; text-style: bold; }
    NocHeader > .noc-header--tab { color: $foreground-muted; }
    NocHeader > .noc-header--tab-active {
        color: $background; background: $primary; text-style: bold;
    }
    NocHeader > .noc-header--demo { color: $background; background: $warning; text-style: bold; }
    NocHeader > .noc-header--clock { color: $foreground; }
    NocHeader > .noc-header--idle { color: $foreground-muted; }
    NocHeader > .noc-header--connecting { color: $warning; }
    NocHeader > .noc-header--up { color: $success; }
    NocHeader > .noc-header--degraded { color: $warning; text-style: bold; }
    NocHeader > .noc-header--down { color: $error; text-style: bold; }
    NocHeader > .noc-header--insecure { color: $error; text-style: bold reverse; }
    NocHeader > .noc-header--badge { color: $accent; text-style: bold; }
    NocHeader > .noc-header--muted { color: $foreground-muted; }
    """

    COMPONENT_CLASSES = {
        "noc-header--brand",
        "noc-header--tab",
        "noc-header--tab-active",
        "noc-header--demo",
        "noc-header--clock",
        "noc-header--idle",
        "noc-header--connecting",
        "noc-header--up",
        "noc-header--degraded",
        "noc-header--down",
        "noc-header--insecure",
        "noc-header--badge",
        "noc-header--muted",
    }

    def __init__(
        self,
        screen_key: str,
        *,
        sources: SourceBoard,
        clock_text: Callable[[], str],
        demo_caption: Callable[[], str] | None = None,
        badge: str = "DEMO",
        read_only: bool = False,
    ) -> None:
        """``screen_key`` is the active tab; ``demo_caption`` (None: not a demo, no badge)
        says what the demo is playing; ``read_only`` adds a READ-ONLY badge by the clock."""
        super().__init__()
        self.screen_key = screen_key
        self.sources = sources
        self.clock_text = clock_text
        self.demo_caption = demo_caption
        self.badge = badge
        self.read_only = read_only
        self._drawn: tuple[int, str, str] = (-1, "", "")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _caption(self) -> str:
        return self.demo_caption() if self.demo_caption is not None else ""

    def _tick(self) -> None:
        """Redraw only when a source changed or the clock moved to a new second."""
        if (self.sources.version, self.clock_text(), self._caption()) != self._drawn:
            self.refresh()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _top_line(self, width: int, clock: str) -> Text:
        line = Text(no_wrap=True)
        line.append(" NOC ", style=self._style("noc-header--brand"))
        for key, digit, label in SCREENS:
            active = key == self.screen_key
            style = self._style("noc-header--tab-active" if active else "noc-header--tab")
            click = Style(meta={"@click": f"app.switch_mode('{key}')"})
            line.append(f" {digit} {label} ", style=style + click)
            line.append(" ")
        right = Text()
        if self.demo_caption is not None:
            caption = self.demo_caption()
            # What is left once the tabs, the badge and the clock have their room.
            room = width - line.cell_len - len(clock) - len(self.badge) - 6
            room -= len(READ_ONLY_BADGE) + 3 if self.read_only else 0
            if caption and room > 8:
                shown = caption if len(caption) <= room else caption[: room - 1] + "…"
                right.append(f"{shown} ", style=self._style("noc-header--muted"))
            right.append(f" {self.badge} ", style=self._style("noc-header--demo"))
            right.append(" ")
        if self.read_only:
            right.append(f" {READ_ONLY_BADGE} ", style=self._style("noc-header--demo"))
            right.append(" ")
        right.append(clock + " ", style=self._style("noc-header--clock"))
        gap = width - line.cell_len - right.cell_len
        if gap > 0:
            line.append(" " * gap)
            line.append_text(right)
        return line

    def _chip(self, source: SourceStatus) -> Text:
        chip = Text(no_wrap=True)
        style = self._style(_STATE_CLASS[source.state])
        chip.append(f"{source.state.symbol} ", style=style)
        chip.append(source.label)
        if source.badge:
            chip.append(" ")
            chip.append(source.badge, style=self._style("noc-header--badge"))
        if source.state is not LinkState.UP:
            chip.append(f" {source.summary or source.state.value}", style=style)
        if source.insecure:
            chip.append(" ")
            chip.append("TLS-OFF", style=self._style("noc-header--insecure"))
        return chip

    def _sources_line(self, width: int) -> Text:
        sources = list(self.sources)
        line = Text(" ", no_wrap=True)
        if not sources:
            line.append("no sources configured", style=self._style("noc-header--muted"))
            return line
        for index, source in enumerate(sources):
            chip = self._chip(source)
            rest = len(sources) - index - 1
            more = f"  +{rest} more" if rest else ""
            if line.cell_len + chip.cell_len + 2 + len(more) > width and index > 0:
                line.append(
                    f"  +{len(sources) - index} more", style=self._style("noc-header--muted")
                )
                break
            if index:
                line.append("  ")
            line.append_text(chip)
        return line

    def render(self) -> Text:
        width = self.size.width
        clock = self.clock_text()
        self._drawn = (self.sources.version, clock, self._caption())
        text = self._top_line(width, clock)
        text.append("\n")
        text.append_text(self._sources_line(width))
        return text
