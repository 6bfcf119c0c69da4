"""The feed's status line: follow/pause state, counters, rate, filter, journal health."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui.ui.models.feed.counters import FeedCounters
from tui.ui.models.feed.status_line import SEPARATOR, status_fields


class FeedStatus(Widget):
    """One line under the list; compact at 80 columns (fields are fitted by
    :func:`~tui.ui.models.feed.status_line.status_fields`)."""

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
        text = Text(" ", no_wrap=True, overflow="ellipsis")
        for i, field in enumerate(status_fields(self.counters, self.size.width)):
            if i:
                text.append(SEPARATOR)
            if field.label:
                text.append(field.label, style=self._style("muted"))
            style = "filter" if field.style == "found" else field.style
            text.append(field.text, style=self._style(style) if style else "")
        return text
