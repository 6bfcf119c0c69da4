"""The resource browser's decisions, without Textual: where each key, typed location and ``:``
command leads, and what the screen must do about it.

The controller holds the browser's state — the targets and which one is active, each target's
location and history, the toggles, whether a fetch is under way, the write waiting for its
confirmation — and answers every request with a list of effects
(:mod:`tui.ui.models.browser.effects`): fetch this, show that, confirm this write, say that. The
screen carries them out and reports answers back (``loaded``, ``answer``, ``edited``,
``written``). Rows come in as arguments: which row the cursor is on is the table's business.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from tui.core.resources.writes import WriteRequest
from tui.core.targets import kind_of
from tui.net.rest.base import Fetched
from tui.ui.models.browser.bar_state import BarState, CrumbState, TargetChip, summary_of
from tui.ui.models.browser.commands import HELP as COMMAND_HELP
from tui.ui.models.browser.commands import AliasJump, Command, alias_words, read_command
from tui.ui.models.browser.effects import (
    Copy,
    CopyUrl,
    Effects,
    Fetch,
    Inspect,
    Loading,
    Notify,
    RefreshBars,
    RememberPlace,
    RestartWatch,
    ShowPage,
    Suggest,
    ToggleRaw,
)
from tui.ui.models.browser.rows import Row, TableModel, mark_changes
from tui.ui.models.browser.target_view import TargetView
from tui.ui.models.browser.writes import (
    WRITE_COMMANDS,
    WriteFlow,
    command_request,
    delete_request,
)

CATEGORY_CYCLE = ("", "configuration", "runtime", "statistics", "inventory")


class BrowserController:
    """The browser's state and its decisions; every method returns the effects to carry out."""

    def __init__(
        self, views: Sequence[TargetView], *, config_path: str, read_only: bool = False
    ) -> None:
        """``views``: one per configured target, the first one active; ``config_path``: the
        config file as shown in hints (where ``allow_writes`` goes); ``read_only``: the whole
        console refuses writes (``[ui] read_only``), whatever a target allows."""
        self.views: dict[str, TargetView] = {view.name: view for view in views}
        self.active: TargetView | None = next(iter(self.views.values()), None)
        self.writes = WriteFlow(config_path, read_only=read_only)
        self.loading = False  # a fetch is under way (watch ticks wait for it)
        self.changes = 0  # values that moved on the last watch tick

    # -- opening and moving -----------------------------------------------------------------

    def suggestions(self) -> tuple[str, ...]:
        view = self.active
        return tuple(alias_words() + (view.history.recent() if view is not None else []))

    def open_active(self, location: str | None = None) -> Effects:
        """Show the active target: at ``location``, else where it was, else where it starts."""
        view = self.active
        if view is None:
            return []
        effects: Effects = [Suggest(self.suggestions()), RestartWatch(self._watch_interval())]
        if location is not None:
            return effects + self.navigate(location)
        if (
            view.fetched is not None
            and view.model is not None
            and view.fetched.location == view.location
        ):
            return [*effects, ShowPage(keep_place=False)]
        return effects + self.navigate(view.location, push=view.history.current is None)

    def navigate(
        self, location: str, *, push: bool = True, refresh: bool = False, watch: bool = False
    ) -> Effects:
        """Fetch ``location`` on the active target (a new visit drops forward history)."""
        view = self.active
        if view is None:
            return []
        effects: Effects = [] if watch else [RememberPlace(view.name)]
        if push:
            view.history.visit(location)
            problem = view.save_history()
            if problem:
                effects.append(Notify(problem, severity="warning", timeout=6))
            effects.append(Suggest(self.suggestions()))
        self.loading = True
        if not watch:
            effects.append(Loading())
        effects.append(Fetch(view.name, location, view.query, refresh=refresh, watch=watch))
        return effects

    def loaded(self, target: str, fetched: Fetched, model: TableModel, *, watch: bool) -> Effects:
        """A fetch answered: keep it, mark what moved since the last tick, show it if active."""
        view = self.views[target]
        self.changes = 0
        if watch:
            model, self.changes = mark_changes(model, view.model)
        view.fetched, view.model = fetched, model
        return [ShowPage(keep_place=watch)] if view is self.active else []

    def load_ended(self) -> None:
        """The fetch is over, answered or not (a newer one may have cancelled it)."""
        self.loading = False

    def follow(self, row: Row | None) -> Effects:
        view = self.active
        if view is None or row is None:
            return []
        if not row.href:
            return [Notify("This row does not link anywhere.", timeout=3)]
        return self.navigate(view.paths.from_href(row.href, view.location))

    def back(self) -> Effects:
        return self._step(back=True)

    def forward(self) -> Effects:
        return self._step(back=False)

    def _step(self, *, back: bool) -> Effects:
        view = self.active
        if view is None:
            return []
        found = view.history.back() if back else view.history.forward()
        if found is None:
            notice = "Nothing further back on this target." if back else "Nothing further forward."
            return [Notify(notice, timeout=2)]
        view.save_history()
        return self.navigate(found, push=False)

    def up(self) -> Effects:
        view = self.active
        return self.navigate(view.paths.up(view.location)) if view is not None else []

    def go_to(self, location: str) -> Effects:
        return self.navigate(location)

    def refresh(self) -> Effects:
        view = self.active
        return self.navigate(view.location, push=False, refresh=True) if view else []

    def switch_target(self, name: str, location: str | None = None) -> Effects:
        """Make ``name`` (or the first target whose name starts with it) the active one."""
        found = self.views.get(name) or next(
            (v for n, v in self.views.items() if n.startswith(name)), None
        )
        if found is None:
            targets = ", ".join(self.views)
            return [Notify(f"No target named {name!r}; targets: {targets}", severity="error")]
        effects: Effects = [RememberPlace(self.active.name)] if self.active is not None else []
        self.active = found
        return effects + self.open_active(location)

    def next_target(self) -> Effects:
        if self.active is None or len(self.views) < 2:
            return []
        names = list(self.views)
        return self.switch_target(names[(names.index(self.active.name) + 1) % len(names)])

    # -- the view's toggles -----------------------------------------------------------------

    def details(self) -> Effects:
        view = self.active
        if view is None:
            return []
        if not kind_of(view.kind).list_details:
            kind = kind_of(view.kind).title
            return [Notify(f"details=true is an SBC option; {kind} lists are complete.", timeout=3)]
        view.details = not view.details
        return self.navigate(view.location, push=False)

    def category(self) -> Effects:
        """Cycle the SBC category filter: all, configuration, runtime, statistics, inventory."""
        view = self.active
        if view is None:
            return []
        if not kind_of(view.kind).categories:
            kind = kind_of(view.kind).title
            return [Notify(f"{kind} attributes have no categories to filter on.", timeout=3)]
        index = CATEGORY_CYCLE.index(view.category) if view.category in CATEGORY_CYCLE else 0
        view.category = CATEGORY_CYCLE[(index + 1) % len(CATEGORY_CYCLE)]
        return self.navigate(view.location, push=False)

    def watch(self) -> Effects:
        """Start or stop refreshing the page on the target's watch interval."""
        view = self.active
        if view is None:
            return []
        view.watching = not view.watching
        state = f"every {view.target.watch_interval_s:g} s" if view.watching else "off"
        return [
            RestartWatch(self._watch_interval()),
            RefreshBars(),
            Notify(f"Watching {view.name}: {state}", timeout=2),
        ]

    def watch_tick(self) -> Effects:
        """The watch timer fired: refresh the page, unless the last refresh is still out."""
        view = self.active
        if view is None or not view.watching or self.loading:
            return []
        return self.navigate(view.location, push=False, refresh=True, watch=True)

    def _watch_interval(self) -> float | None:
        view = self.active
        return view.target.watch_interval_s if view is not None and view.watching else None

    # -- what the bars say ------------------------------------------------------------------

    def bar_state(self) -> BarState | None:
        view = self.active
        if view is None:
            return None
        chips = [
            TargetChip(v.name, v.kind, v is view, not v.target.verify_tls)
            for v in self.views.values()
        ]
        watch = view.target.watch_interval_s if view.watching else 0.0
        target = view.target
        return BarState(
            chips, view.details, view.category, view.fields, watch, target.allow_writes, view.kind
        )

    def crumb_state(self, shown: int, *, loading: bool, timings: bool) -> CrumbState | None:
        """The breadcrumbs, and the last answer's summary with ``shown`` rows after the filter."""
        view = self.active
        if view is None:
            return None
        crumbs = view.paths.crumbs(view.location)
        if view.fetched is None or loading:
            return CrumbState(crumbs, "", loading, False)
        total = len(view.model.rows) if view.model else 0
        summary = summary_of(view.fetched, shown, total, self.changes, timings=timings)
        return CrumbState(crumbs, summary, loading, not view.fetched.ok)

    # -- copy and inspect -------------------------------------------------------------------

    def copy_url(self) -> Effects:
        view = self.active
        return [CopyUrl(view.name, view.location, view.query)] if view is not None else []

    def copy_value(self, row: Row | None) -> Effects:
        if row is None or not (row.value or row.href):
            return [Notify("Nothing to copy on this row.", timeout=2)]
        value = row.value or row.href
        shown = value if len(value) <= 60 else value[:57] + "..."
        return [Copy(value, f"the value {shown}")]

    def inspect(self) -> Effects:
        view = self.active
        fetched = view.fetched if view is not None else None
        if fetched is None or fetched.ok:
            return [Notify("No error on this page to inspect.", timeout=3)]
        text = fetched.body.decode("utf-8", "replace") if fetched.body else fetched.resource.problem
        return [Inspect(text)]

    # -- what is typed in the location bar --------------------------------------------------

    def typed(self, text: str, row: Row | None = None) -> Effects:
        """A location (URL, absolute or relative path, alias) or a ``:`` command."""
        view = self.active
        text = text.strip()
        if view is None or not text:
            return []
        if text.startswith(":"):
            return self.command(text, row)
        if "://" in text:
            for other in self.views.values():
                if other.paths.same_target(text) and other is not view:
                    return self.switch_target(other.name, other.paths.from_input(text))
        alias = view.paths.alias(text) if "/" not in text and text != ".." else None
        return self.navigate(alias or view.paths.from_input(text, view.location))

    def command(self, text: str, row: Row | None = None) -> Effects:
        """``:word rest``: a resource alias (``:users``) or a command (``:t edge``)."""
        if self.active is None:
            return []
        found = read_command(text)
        if found is None:
            notice = f"Unknown command {text!r}. {COMMAND_HELP}"
            return [Notify(notice, severity="error", timeout=10)]
        if isinstance(found, AliasJump):
            return self._jump(found)
        return self._run(found, row)

    def _jump(self, jump: AliasJump) -> Effects:
        view = self.active
        if view is not None and view.kind in jump.kinds:
            return self.navigate(view.paths.alias(jump.alias) or view.location)
        other = next((v for v in self.views.values() if v.kind in jump.kinds), None)
        if other is None:
            kinds = " or ".join(k.upper() for k in jump.kinds)
            notice = f":{jump.alias} needs a {kinds} target; none is configured."
            return [Notify(notice, severity="error")]
        return self.switch_target(other.name, other.paths.alias(jump.alias))

    def _run(self, command: Command, row: Row | None) -> Effects:
        view = self.active
        assert view is not None
        name, arg = command
        simple: dict[str, Callable[[], Effects]] = {
            "details": self.details,
            "raw": lambda: [ToggleRaw()],
            "refresh": self.refresh,
            "back": self.back,
            "forward": self.forward,
            "up": self.up,
            "copy": self.copy_url,
            "inspect": self.inspect,
            "delete": lambda: self.delete(row),
            "home": lambda: self.navigate(view.start),
            "help": lambda: [Notify(COMMAND_HELP, title="Commands", timeout=15)],
        }
        if name in simple:
            return simple[name]()
        if name == "target":
            return self.switch_target(arg) if arg else self.next_target()
        if name == "filter":
            return self._set_category(arg)
        if name == "fields":
            view.fields = None if arg in ("all", "*") else arg.replace(" ", "")
            return self.navigate(view.location, push=False)
        if name == "watch":
            return self._set_watch(arg)
        if name in WRITE_COMMANDS:
            return self.writes.plan(view, lambda: command_request(view, name, arg, row))
        return []

    def _set_category(self, arg: str) -> Effects:
        view = self.active
        assert view is not None
        wanted = "" if arg in ("", "all", "none") else arg
        if wanted and wanted not in CATEGORY_CYCLE:
            notice = f"Categories: {', '.join(CATEGORY_CYCLE[1:])} or all."
            return [Notify(notice, severity="error")]
        view.category = wanted
        return self.navigate(view.location, push=False)

    def _set_watch(self, arg: str) -> Effects:
        """``:w`` toggles watching; ``:w 5`` watches every 5 s (at least every 0.5 s)."""
        view = self.active
        assert view is not None
        if arg:
            try:
                seconds = max(0.5, float(arg))
            except ValueError:
                return [Notify(f":watch takes seconds, not {arg!r}", severity="error")]
            view.target = view.target.model_copy(update={"watch_interval_s": seconds})
            view.watching = False
        return self.watch()

    # -- writes (see WriteFlow) --------------------------------------------------------------

    def delete(self, row: Row | None) -> Effects:
        """Delete the row's resource on a list, else the page's (after confirmation)."""
        view = self.active
        return self.writes.plan(view, lambda: delete_request(view, row)) if view else []

    def edit(self, row: Row | None) -> Effects:
        return self.writes.edit(self.active, row)

    def edited(self, value: str | None) -> Effects:
        return self.writes.edited(value)

    def answer(self, send: bool | None) -> Effects:
        return self.writes.answer(send)

    def written(
        self, target: str, request: WriteRequest, fetched: Fetched, model: TableModel
    ) -> Effects:
        view = self.views[target]
        return self.writes.written(view, request, fetched, model, shown=view is self.active)

    @staticmethod
    def not_written(reason: str) -> Effects:
        """The client refused to send (the target is read-only)."""
        return [Notify(reason, severity="warning")]
