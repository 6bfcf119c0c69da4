"""The feed's status line: follow/pause state, counters, rate, filter, journal health."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui.ui.models.feed.counters import FeedCounters


class FeedStatus(Widget):
    """One line under the list; compact at 80 columns."""

    DEFAULT_CSS = """
    FeedStatus { height: 1; background: $panel; color: $foreground; }
    FeedStatus > .feed-status--mode { text-style: bold; color: $success; }
    FeedStatus > .feed-status--paused { text-style: bold reverse; color: $warning; }
    FeedStatus > .feed-status--muted { color: $foreground-muted; }
    FeedStatus > .feed-status--bad { color: $error; text-style: bold; }
    FeedStatus > .feed-status--filter { color: $accent; }
    """
    COMPONENT_CLASSES = {
        "feed-status--mode",
        "feed-status--paused",
        "feed-status--muted",
        "feed-status--bad",
        "feed-status--filter",
    }

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.counters = FeedCounters()

    def update_counters(self, counters: FeedCounters) -> None:
        if counters != self.counters:
            self.counters = counters
            self.refresh()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"feed-status--{name}", partial=True)

    def render(self) -> Text:
        c = self.counters
        narrow = self.size.width < 100
        text = Text(no_wrap=True, overflow="ellipsis")
        if c.paused:
            text.append(f" PAUSED +{c.pending:,} ", style=self._style("paused"))
        elif c.follow:
            text.append(" FOLLOW ", style=self._style("mode"))
        else:
            text.append(" SCROLL ", style=self._style("muted"))
        labels = ("rcv", "shown", "drop") if narrow else ("received", "shown", "dropped")
        text.append(f" {labels[0]} {c.received:,}  {labels[1]} {c.shown:,}  ")
        text.append(
            f"{labels[2]} {c.dropped:,}", style=self._style("muted") if not c.dropped else ""
        )
        if c.missed:
            text.append(f"  missed {c.missed:,}", style=self._style("bad"))
        text.append(f"  {c.rate:,.0f}/s")
        # Trouble first: a long filter must not push the tap or journal warning off the line.
        if c.tap:
            text.append(f"  {c.tap}", style=self._style("bad"))
        if c.journal:
            text.append(f"  {c.journal}", style=self._style("bad"))
        if c.find:
            text.append(f"  {c.find}", style=self._style("filter"))
        if c.query:
            text.append("  filter: ", style=self._style("muted"))
            room = self.size.width - text.cell_len
            query = c.query
            if room > 1 and len(query) > room:
                query = query[: room - 1] + "…"
            text.append(query, style=self._style("filter"))
        return text
