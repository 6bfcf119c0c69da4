"""The replay's timeline, one line above the footer on every screen: playing or paused, the
speed, the event time reached, how far through the journals, and the keys that move it."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime

from rich.text import Text
from textual.widget import Widget

from tui.core.replay import Replay, ReplayState, speed_label
from tui.ui.models.calls.table import duration_text

_KEYS = "space play · . step · <> speed · T time · E error"


class ReplayBar(Widget):
    """Redrawn on a clock (4 times a second), only when what it shows moved."""

    DEFAULT_CSS = """
    ReplayBar {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    ReplayBar > .replay-bar--badge { color: $background; background: $accent; text-style: bold; }
    ReplayBar > .replay-bar--done { color: $primary; }
    ReplayBar > .replay-bar--todo { color: $foreground-muted; }
    ReplayBar > .replay-bar--muted { color: $foreground-muted; }
    ReplayBar > .replay-bar--warn { color: $warning; }
    """

    COMPONENT_CLASSES = {
        "replay-bar--badge",
        "replay-bar--done",
        "replay-bar--todo",
        "replay-bar--muted",
        "replay-bar--warn",
    }

    def __init__(self, replay: Replay, *, utc: Callable[[], bool]) -> None:
        super().__init__()
        self.replay = replay
        self.utc = utc
        self._drawn: tuple[ReplayState, int] | None = None

    def on_mount(self) -> None:
        self.set_interval(0.25, self._tick)

    def _tick(self) -> None:
        if (self.replay.state(), self.size.width) != self._drawn:
            self.refresh()

    def _time(self, ts: float) -> str:
        if ts <= 0:
            return "--:--:--.---"
        moment = datetime.fromtimestamp(ts, UTC)
        if not self.utc():
            moment = moment.astimezone()
        return moment.strftime("%H:%M:%S.%f")[:-3]

    def render(self) -> Text:
        state = self.replay.state()
        width = self.size.width
        self._drawn = (state, width)
        style = self.get_component_rich_style
        line = Text(no_wrap=True, overflow="ellipsis")
        if state.problem:  # a journal it can no longer read: paused, and why
            line.append(" ✕ stopped ", style=style("replay-bar--badge"))
            line.append(f" {state.problem}", style=style("replay-bar--warn"))
            return line
        if state.following and not state.paused:
            mark = "● following"  # the end of a journal still being written
        elif state.at_end and not state.paused:
            mark = "■ end"
        else:
            mark = "❚❚ paused" if state.paused else "▶ " + speed_label(state.speed)
        line.append(f" {mark} ", style=style("replay-bar--badge"))
        line.append(f" {self._time(state.ts)}  ")
        total = max(state.total, 1)
        share = min(state.taken / total, 1.0)
        count = f"{state.taken:,}/{state.total:,}"
        line.append(count)
        extras = Text(no_wrap=True)
        if state.partial_since > 0:
            extras.append(f"  ⟲ from {self._time(state.partial_since)[:8]}",
                          style=style("replay-bar--warn"))  # fmt: skip
        if state.skipped_s >= 1:
            extras.append(f"  skipped {duration_text(state.skipped_s)} idle",
                          style=style("replay-bar--muted"))  # fmt: skip
        keys = Text(f"  {_KEYS}", style=style("replay-bar--muted"))
        room = width - line.cell_len - extras.cell_len - 2
        if room >= 12:
            bar = min(room - (keys.cell_len if room - keys.cell_len >= 12 else 0), 40)
            bar = max(bar - 6, 4)
            done = round(share * bar)
            line.append("  ")
            line.append("━" * done, style=style("replay-bar--done"))
            line.append("─" * (bar - done), style=style("replay-bar--todo"))
            line.append(f" {math.floor(share * 100):3d}%")
        line.append_text(extras)
        if width - line.cell_len >= keys.cell_len:
            line.append_text(keys)
        return line
