"""The two status lines of the browser: targets with the view toggles, and the breadcrumbs with
what the last answer was (status, size, timing, cache age, watch changes)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from tui.core.resources.paths import Crumb
from tui.core.sanitize import clean_line
from tui.core.targets import KINDS
from tui.ui.models.browser.bar_state import BarState, CrumbState


class BrowserBar(Widget):
    """Targets (click or ``t`` to switch) and the toggles that shape the next request."""

    DEFAULT_CSS = """
    BrowserBar { height: 1; background: $panel; }
    BrowserBar > .browser-bar--active {
        background: $primary; color: $background; text-style: bold;
    }
    BrowserBar > .browser-bar--target { color: $foreground-muted; }
    BrowserBar > .browser-bar--on { color: $accent; text-style: bold; }
    BrowserBar > .browser-bar--off { color: $foreground-muted; }
    BrowserBar > .browser-bar--watch { color: $background; background: $success; text-style: bold; }
    BrowserBar > .browser-bar--danger { color: $error; text-style: bold reverse; }
    """

    COMPONENT_CLASSES = {
        "browser-bar--active",
        "browser-bar--target",
        "browser-bar--on",
        "browser-bar--off",
        "browser-bar--watch",
        "browser-bar--danger",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = BarState()

    def update_state(self, state: BarState) -> None:
        self.state = state
        self.refresh()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"browser-bar--{name}", partial=True)

    def render(self) -> Text:
        state = self.state
        line = Text(no_wrap=True, overflow="ellipsis")
        for chip in state.targets:
            click = Style(meta={"@click": f"screen.switch_target({chip.name!r})"})
            style = self._style("active" if chip.active else "target")
            line.append(f" {chip.kind}:{chip.name} ", style=style + click)
            if chip.insecure:
                line.append("TLS-OFF", style=self._style("danger"))
            line.append(" ")
        right = Text(no_wrap=True)
        spec = KINDS.get(state.kind)  # none before the first target is shown
        if spec is not None and spec.list_details:
            right.append("details ", style=self._style("off"))
            right.append(
                "on" if state.details else "off",
                style=self._style("on" if state.details else "off"),
            )
            right.append("  filter ", style=self._style("off"))
            right.append(
                state.category or "all", style=self._style("on" if state.category else "off")
            )
        elif spec is not None and spec.field_selection and state.fields is not None:
            right.append("fields ", style=self._style("off"))
            right.append(state.fields or "(uri only)", style=self._style("on"))
        if state.watch_s:
            right.append("  ")
            right.append(f" WATCH {state.watch_s:g}s ", style=self._style("watch"))
        right.append("  ")
        if state.writes:
            right.append("WRITES ON", style=self._style("danger"))
        else:
            right.append("read-only", style=self._style("off"))
        right.append(" ")
        gap = self.size.width - line.cell_len - right.cell_len
        if gap > 0:
            line.append(" " * gap)
        else:
            line.append(" ")
        line.append_text(right)
        return line


class CrumbBar(Widget):
    """Where you are (click a step to go there) and what the last answer was."""

    DEFAULT_CSS = """
    CrumbBar { height: 1; background: $surface; }
    CrumbBar > .crumb-bar--crumb { color: $accent; }
    CrumbBar > .crumb-bar--last { color: $foreground; text-style: bold; }
    CrumbBar > .crumb-bar--sep { color: $foreground-muted; }
    CrumbBar > .crumb-bar--summary { color: $foreground-muted; }
    CrumbBar > .crumb-bar--problem { color: $error; text-style: bold; }
    CrumbBar > .crumb-bar--loading { color: $warning; }
    """

    COMPONENT_CLASSES = {
        "crumb-bar--crumb",
        "crumb-bar--last",
        "crumb-bar--sep",
        "crumb-bar--summary",
        "crumb-bar--problem",
        "crumb-bar--loading",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = CrumbState()

    def update_state(self, state: CrumbState) -> None:
        self.state = state
        self.refresh()

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"crumb-bar--{name}", partial=True)

    def render(self) -> Text:
        state = self.state
        right = Text(no_wrap=True)
        if state.loading:
            right.append("loading… ", style=self._style("loading"))
        elif state.summary:
            right.append(
                state.summary + " ", style=self._style("problem" if state.problem else "summary")
            )
        line = Text(" ", no_wrap=True, overflow="ellipsis")
        room = self.size.width - right.cell_len - 2
        crumbs = list(state.crumbs)
        labels = [clean_line(c.label, 40) for c in crumbs]
        start = 0  # at 80 columns a deep path drops its first steps, shown as "…"
        while start < len(crumbs) - 1 and sum(len(x) + 3 for x in labels[start:]) + 4 > room:
            start += 1
        if start:
            crumbs, labels = [Crumb("…", ""), *crumbs[start:]], ["…", *labels[start:]]
        for index, (crumb, label) in enumerate(zip(crumbs, labels, strict=True)):
            if index:
                line.append(" › ", style=self._style("sep"))
            last = index == len(crumbs) - 1
            style = self._style("last" if last else "crumb")
            if crumb.path:
                style += Style(meta={"@click": f"screen.go_to({crumb.path!r})"})
            line.append(label, style=style)
        gap = self.size.width - line.cell_len - right.cell_len
        line.append(" " * max(1, gap))
        line.append_text(right)
        return line
