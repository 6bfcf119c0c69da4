"""Where a console reading the NATS stream is, one line above the footer on every screen: the
stream and subject, live or how far behind (with the key that jumps to live), and what went
wrong when it cannot read."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.widget import Widget

from tui.core.sources import LinkState, SourceBoard
from tui.net.nats.consumer import FEED_SOURCE, StreamFeed
from tui.ui.models.calls.table import duration_text


class StreamState(NamedTuple):
    """What the bar shows; it redraws when this changes."""

    state: LinkState
    detail: str
    subject: str
    pending: int
    age_s: int
    behind: bool
    received: int
    skipped: int
    bad: int


def stream_state(feed: StreamFeed, board: SourceBoard) -> StreamState:
    status = board.get(FEED_SOURCE)
    lag = feed.lag()
    return StreamState(
        status.state, status.detail, feed.subject, lag.pending, int(lag.age_s), lag.behind,
        feed.received, feed.skipped, feed.bad,
    )  # fmt: skip


def stream_line(state: StreamState, stream: str) -> tuple[str, str, str]:
    """(badge, text, keys): the bar's three parts, plain."""
    if state.state is LinkState.DOWN or state.state is LinkState.CONNECTING:
        mark = "✕ no stream" if state.state is LinkState.DOWN else "◌ connecting"
        return mark, f"{stream} · {state.detail}", ""
    parts = [f"{stream} {state.subject}", f"{state.received:,} events"]
    if state.skipped:
        parts.append(f"{state.skipped:,} left out by jumps")
    if state.bad:
        parts.append(f"{state.bad:,} not events")
    if state.behind:
        behind = f"▼ {state.pending:,} behind"
        if state.age_s >= 1:
            behind += f" · {duration_text(state.age_s)}"
        return behind, " · ".join(parts), "F live"
    return "● live", " · ".join(parts), ""


class StreamBar(Widget):
    """Redrawn on a clock (4 times a second), only when what it shows moved."""

    DEFAULT_CSS = """
    StreamBar {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    StreamBar > .stream-bar--badge { color: $background; background: $accent; text-style: bold; }
    StreamBar > .stream-bar--behind { color: $background; background: $warning; text-style: bold; }
    StreamBar > .stream-bar--down { color: $background; background: $error; text-style: bold; }
    StreamBar > .stream-bar--muted { color: $foreground-muted; }
    """

    COMPONENT_CLASSES = {
        "stream-bar--badge",
        "stream-bar--behind",
        "stream-bar--down",
        "stream-bar--muted",
    }

    def __init__(self, feed: StreamFeed, board: SourceBoard) -> None:
        super().__init__()
        self.feed = feed
        self.board = board
        self._drawn: tuple[StreamState, int] | None = None

    def on_mount(self) -> None:
        self.set_interval(0.25, self._tick)

    def _tick(self) -> None:
        if (stream_state(self.feed, self.board), self.size.width) != self._drawn:
            self.refresh()

    def render(self) -> Text:
        state = stream_state(self.feed, self.board)
        self._drawn = (state, self.size.width)
        badge, text, keys = stream_line(state, self.feed.config.stream)
        style = self.get_component_rich_style
        if state.state in (LinkState.DOWN, LinkState.CONNECTING):
            badge_style = style("stream-bar--down")
        else:
            badge_style = style("stream-bar--behind" if state.behind else "stream-bar--badge")
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {badge} ", style=badge_style)
        if keys:  # first: at 80 columns the text may not fit, the way out must
            line.append(f" {keys} ·", style=style("stream-bar--muted"))
        line.append(f" {text}")
        return line
