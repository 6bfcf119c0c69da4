"""The resource browser for SBC, CUE and MWS trees: follow ``href`` links like a web browser.

Layout, top to bottom: targets and toggles, the location bar, breadcrumbs with what the last
answer was, errors inline (when there are any), then the table (or the raw body with ``y``).
Fetches run as exclusive workers (a new request cancels the previous one), big lists are parsed
and turned into rows in threads, and watching refreshes on a timer, never per message.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input

from tui.core.gc_quiet import without_gc
from tui.core.resource_parse import pretty_body
from tui.core.sources import LinkState
from tui.net.rest_client import Fetched
from tui.net.rest_clients import make_client
from tui.paths import data_dir
from tui.ui.context import NocContext
from tui.ui.messages import InspectRequested, TargetsArrived
from tui.ui.models.browser.bar_state import BarState, CrumbState, TargetChip
from tui.ui.models.browser.commands import alias_words
from tui.ui.models.browser.rows import DIVIDER, TableModel, mark_changes, model_for
from tui.ui.models.browser.target_view import TargetView
from tui.ui.screens.base import NocScreen
from tui.ui.screens.browser_commands import CATEGORY_CYCLE, route_key, run_typed
from tui.ui.screens.browser_writes import BrowserWrites
from tui.ui.text import display_path
from tui.ui.widgets.browser.bars import BrowserBar, CrumbBar
from tui.ui.widgets.browser.error_panel import ErrorPanel
from tui.ui.widgets.browser.omnibox import FILTER, GO, LocationBar, Omnibox
from tui.ui.widgets.browser.raw_view import RawView, highlight_lines
from tui.ui.widgets.browser.resource_table import ResourceTable
from tui.ui.widgets.empty_state import EmptyState, Line

BIG_LIST = 1000  # lists longer than this become rows in a worker thread


def add_target_lines(config_path: str) -> list[Line]:
    return [
        f"Add an SBC, CUE or MWS to {config_path}:",
        "",
        ("  [[targets]]", "code"),
        ('  name = "edge1"', "code"),
        ('  kind = "sbc"                    # sbc | cue | mws', "code"),
        ('  url = "https://10.0.0.20"', "code"),
        ('  user = "admin"                  # not for mws (bearer token)', "code"),
        ('  secret_env = "EDGE1_PASSWORD"   # the variable holding the secret', "code"),
        "",
        "Export the secret, then check the file:",
        ("  export EDGE1_PASSWORD=...", "code"),
        (f"  noc-console config check {config_path}", "code"),
        "",
        "Or look around first: noc-console demo",
    ]


def summary_of(
    fetched: Fetched, shown: int, total: int, changes: int, *, timings: bool = True
) -> str:
    resource = fetched.resource
    parts = []
    if fetched.failure:
        parts.append(fetched.failure)
    else:
        parts.append(str(resource.http_code or fetched.status))
    if resource.shape == "list":
        count = f"{total:,} items" if shown == total else f"{shown:,}/{total:,} items"
        parts.append(count)
    elif resource.shape == "resource":
        parts.append(
            f"{len(resource.attributes)} attrs" if shown == total else f"{shown}/{total} rows"
        )
    if changes:
        parts.append(f"{changes} changed")
    if fetched.from_cache and timings:
        parts.append(f"cached {fetched.age_s:.0f}s")
    elif fetched.elapsed_ms and timings:
        parts.append(f"{fetched.elapsed_ms:.0f} ms")
    return " · ".join(parts)


class BrowserScreen(BrowserWrites, NocScreen):
    """SBC, CUE and MWS resource trees, followed link by link."""

    SCREEN_KEY = "browser"
    DEFAULT_CSS = """
    BrowserScreen #browser-body { height: 1fr; }
    """
    HELP = """\
## Browser

Walks the REST trees of the configured SBC, CUE and MWS targets, following `href` links.

- **enter** follows the link on the row; **[** / **]** back and forward; **u** or
  **backspace** one level up; click a breadcrumb to jump there.
- **g** (or **ctrl+l**) types a location: a URL, `/rest/sipsg`, a path relative to here
  (`2`, `sipserver/1`, `..`); **:** runs a command: `:sipsg`, `:sst`, `:routing`, `:alarms`,
  `:users`, `:groups`, `:mailboxes`, `:sockets`, `:t NAME` (target), `:f runtime`, `:help`.
- **d** details=true on lists (SBC); **f** cycles the category filter (SBC: configuration,
  runtime, statistics, inventory); **r** refreshes; **w** watches (refresh on a timer,
  changed values highlighted); **y** shows the raw XML/JSON; **/** filters rows (`!text` hides).
- **c** copies the URL, **v** the value on the row (OSC 52: works over SSH); **e** opens the
  error in the inspector; **t** next target.
- Writes (only with `allow_writes = true`, always confirmed): **D** delete, **E** edit the
  attribute on the row, `:action NAME`, `:create NAME=VALUE…`, `:push TEXT` (MWS).
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "follow", "Follow", id="browser.follow"),
        Binding("left_square_bracket", "back", "Back", key_display="[", id="browser.back"),
        Binding("right_square_bracket", "forward", "Fwd", key_display="]", id="browser.forward"),
        Binding("u,backspace", "up", "Up", id="browser.up"),
        Binding("r", "refresh", "Refresh", id="browser.refresh"),
        Binding("w", "watch", "Watch", id="browser.watch"),
        Binding("y", "raw", "Raw", id="browser.raw"),
        Binding("slash", "filter", "Filter", key_display="/", id="browser.filter"),
        Binding("colon", "command", "Cmd", key_display=":", id="browser.command"),
        Binding("g,ctrl+l", "location", "Go to", show=False, id="browser.location"),
        Binding("d", "details", "details=true", show=False, id="browser.details"),
        Binding("f", "category", "Category filter", show=False, id="browser.category"),
        Binding("t", "next_target", "Next target", show=False, id="browser.target.next"),
        Binding("c", "copy_url", "Copy URL", show=False, id="browser.copy.url"),
        Binding("v", "copy_value", "Copy value", show=False, id="browser.copy.value"),
        Binding("e", "inspect", "Inspect error", show=False, id="browser.inspect"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="browser.clear"),
        Binding("D", "delete", "Delete (confirm)", show=False, id="browser.write.delete"),
        Binding("E", "edit", "Edit value (confirm)", show=False, id="browser.write.modify"),
    ]

    def __init__(self, context: NocContext) -> None:
        super().__init__(context)
        self.views: dict[str, TargetView] = {}
        self.active: TargetView | None = None
        self._watch_timer: Timer | None = None
        self._changes = 0
        self._loading = False
        self.show_timings = True  # snapshots turn timings off: they differ on every run

    # -- layout -----------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        if not self.context.config.targets:
            path = display_path(self.context.config_path)
            yield EmptyState("No targets to browse", add_target_lines(path), id="browser-empty")
            return
        yield BrowserBar(id="browser-bar")
        yield LocationBar(id="location-bar")
        yield CrumbBar(id="crumb-bar")
        yield ErrorPanel(id="error-panel")
        with ContentSwitcher(initial="resource-table", id="browser-body"):
            yield ResourceTable(id="resource-table")
            yield RawView(id="raw-view")

    @property
    def table(self) -> ResourceTable:
        return self.query_one(ResourceTable)

    @property
    def location_bar(self) -> LocationBar:
        return self.query_one(LocationBar)

    def on_mount(self) -> None:
        if not self.context.config.targets:
            return
        history_dir = data_dir() / "browser-history" if self.context.persist_history else None
        for target in self.context.config.targets:
            client = make_client(target, on_state=partial(self._link_state, target.name))
            self.views[target.name] = TargetView(target, client, history_dir)
        self.active = next(iter(self.views.values()))
        self.table.focus()
        self._open_active()

    async def adopt_targets(self) -> None:
        """Targets arrived after this screen was built (the demo's simulators come up in the
        background): rebuild it around them."""
        if self.views or not self.context.config.targets:
            return
        await self.recompose()
        self.on_mount()

    def on_targets_arrived(self, _: TargetsArrived) -> None:
        self.run_worker(self.adopt_targets(), name="adopt-targets")

    def on_screen_resume(self) -> None:
        if not self.views and self.context.config.targets:
            self.run_worker(self.adopt_targets(), name="adopt-targets")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """With no target configured the browser's keys do nothing, so the footer hides them."""
        own = any(b.action == action for b in self.BINDINGS if isinstance(b, Binding))
        return bool(self.context.config.targets) or not own

    async def on_unmount(self) -> None:
        """Log out of the SBCs and close every connection."""
        for view in self.views.values():
            with contextlib.suppress(Exception):
                await view.client.close()

    def _link_state(self, name: str, state: LinkState, detail: str) -> None:
        with contextlib.suppress(KeyError):
            self.context.sources.set_state(name, state, detail)

    # -- showing ----------------------------------------------------------------------------

    def _refresh_bars(self) -> None:
        view = self.active
        if view is None:
            return
        chips = [
            TargetChip(v.name, v.kind, v is view, not v.target.verify_tls)
            for v in self.views.values()
        ]
        watch = view.target.watch_interval_s if view.watching else 0.0
        state = BarState(
            chips,
            view.details,
            view.category,
            view.fields,
            watch,
            view.target.allow_writes,
            view.kind,
        )
        self.query_one(BrowserBar).update_state(state)
        if self.focused is not self.location_bar.omnibox:
            self.location_bar.set_mode(GO, view.location)

    def _refresh_crumbs(self, loading: bool = False) -> None:
        view = self.active
        if view is None:
            return
        crumbs = view.paths.crumbs(view.location)
        summary = ""
        problem = False
        if view.fetched is not None and not loading:
            total = len(view.model.rows) if view.model else 0
            shown = len(self.table.shown_rows)
            summary = summary_of(
                view.fetched, shown, total, self._changes, timings=self.show_timings
            )
            problem = not view.fetched.ok
        self.query_one(CrumbBar).update_state(CrumbState(crumbs, summary, loading, problem))

    def _show(
        self, view: TargetView, fetched: Fetched, model: TableModel, *, keep_place: bool
    ) -> None:
        table = self.table
        if keep_place and table.current_row is not None:
            key, scroll = table.current_row.key, round(table.scroll_y)
        else:
            key, scroll = view.positions.get(fetched.location, ("", 0))
        view.fetched, view.model = fetched, model
        table.show(model, scroll_y=scroll)
        if not key or not table.cursor_to_key(key):
            first = next((i for i, r in enumerate(table.shown_rows) if r.kind != DIVIDER), 0)
            table.cursor = first
        self.query_one(ErrorPanel).show_fetched(fetched, inspector=True)
        self._refresh_crumbs()
        self._refresh_bars()
        if self.query_one(ContentSwitcher).current == "raw-view":
            self._show_raw()

    def _count_errors(self, view: TargetView, fetched: Fetched) -> None:
        """Every app error met goes to the inspector's errors-seen counts."""
        tally = self.context.errors_seen
        errors = [
            *fetched.resource.errors,
            *(e for item in fetched.resource.items for e in item.errors),
        ]
        for error in errors:
            tally.add_resource_error(
                view.target.kind, error.code, error.params,
                ts=fetched.fetched_at or time.time(), ref=fetched.url, http_status=fetched.status,
            )  # fmt: skip

    def _remember_place(self) -> None:
        view = self.active
        row = self.table.current_row
        if view is not None and view.fetched is not None and row is not None:
            view.positions[view.fetched.location] = (row.key, round(self.table.scroll_y))

    # -- loading ----------------------------------------------------------------------------

    def navigate(
        self, location: str, *, push: bool = True, refresh: bool = False, watch: bool = False
    ) -> None:
        """Show ``location`` on the active target (a new visit drops forward history)."""
        view = self.active
        if view is None:
            return
        if not watch:
            self._remember_place()
        if push:
            view.history.visit(location)
            problem = view.save_history()
            if problem:
                self.notify(problem, severity="warning", timeout=6)
            self.location_bar.set_suggestions(alias_words() + view.history.recent())
        self._loading = True
        if not watch:
            self._refresh_crumbs(loading=True)
            self._refresh_bars()
        self.start_job(partial(self._load, view, location, refresh, watch), "fetch")

    async def _load(self, view: TargetView, location: str, refresh: bool, watch: bool) -> None:
        try:
            fetched = await view.client.fetch(location, view.query, refresh=refresh)
            resource = fetched.resource
            if not fetched.from_cache:
                self._count_errors(view, fetched)
            if resource.is_list and len(resource.items) > BIG_LIST:
                model = await asyncio.to_thread(without_gc(model_for), resource)
            else:
                model = model_for(resource)
            self._changes = 0
            if watch:
                model, self._changes = mark_changes(model, view.model)
            if view is self.active:
                self._show(view, fetched, model, keep_place=watch)
            else:
                view.fetched, view.model = fetched, model
        finally:
            self._loading = False

    def _open_active(self, location: str | None = None) -> None:
        view = self.active
        if view is None:
            return
        self.location_bar.set_suggestions(alias_words() + view.history.recent())
        self._restart_watch()
        if location is not None:
            self.navigate(location)
        elif (
            view.fetched is not None
            and view.model is not None
            and view.fetched.location == view.location
        ):
            self._show(view, view.fetched, view.model, keep_place=False)
        else:
            self.navigate(view.location, push=view.history.current is None)

    # -- actions: moving --------------------------------------------------------------------

    def action_follow(self) -> None:
        view, row = self.active, self.table.current_row
        if view is None or row is None:
            return
        if not row.href:
            self.notify("This row does not link anywhere.", timeout=3)
            return
        self.navigate(view.paths.from_href(row.href, view.location))

    def action_back(self) -> None:
        if self.active is not None:
            found = self.active.history.back()
            if found is None:
                self.notify("Nothing further back on this target.", timeout=2)
            else:
                self.active.save_history()
                self.navigate(found, push=False)

    def action_forward(self) -> None:
        if self.active is not None:
            found = self.active.history.forward()
            if found is None:
                self.notify("Nothing further forward.", timeout=2)
            else:
                self.active.save_history()
                self.navigate(found, push=False)

    def action_up(self) -> None:
        if self.active is not None:
            self.navigate(self.active.paths.up(self.active.location))

    def action_go_to(self, location: str) -> None:
        self.navigate(location)

    def action_refresh(self) -> None:
        if self.active is not None:
            self.navigate(self.active.location, push=False, refresh=True)

    def switch_target(self, name: str, location: str | None = None) -> None:
        found = self.views.get(name) or next(
            (v for n, v in self.views.items() if n.startswith(name)), None
        )
        if found is None:
            self.notify(
                f"No target named {name!r}; targets: {', '.join(self.views)}", severity="error"
            )
            return
        self._remember_place()
        self.active = found
        self._open_active(location)

    def action_switch_target(self, name: str) -> None:
        self.switch_target(name)

    def action_next_target(self) -> None:
        if self.active is not None and len(self.views) > 1:
            names = list(self.views)
            self.switch_target(names[(names.index(self.active.name) + 1) % len(names)])

    # -- actions: the view ------------------------------------------------------------------

    def action_details(self) -> None:
        view = self.active
        if view is None:
            return
        if view.kind != "sbc":
            self.notify(
                f"details=true is an SBC option; {view.kind.upper()} lists are complete.", timeout=3
            )
            return
        view.details = not view.details
        self.navigate(view.location, push=False)

    def action_category(self) -> None:
        view = self.active
        if view is None:
            return
        if view.kind != "sbc":
            self.notify(
                f"{view.kind.upper()} attributes have no categories to filter on.", timeout=3
            )
            return
        index = CATEGORY_CYCLE.index(view.category) if view.category in CATEGORY_CYCLE else 0
        view.category = CATEGORY_CYCLE[(index + 1) % len(CATEGORY_CYCLE)]
        self.navigate(view.location, push=False)

    def action_watch(self) -> None:
        view = self.active
        if view is None:
            return
        view.watching = not view.watching
        self._restart_watch()
        self._refresh_bars()
        state = f"every {view.target.watch_interval_s:g} s" if view.watching else "off"
        self.notify(f"Watching {view.name}: {state}", timeout=2)

    def _restart_watch(self) -> None:
        if self._watch_timer is not None:
            self._watch_timer.stop()
            self._watch_timer = None
        view = self.active
        if view is not None and view.watching:
            self._watch_timer = self.set_interval(view.target.watch_interval_s, self._watch_tick)

    def _watch_tick(self) -> None:
        view = self.active
        if view is None or not view.watching or self._loading or not self.is_current:
            return
        self.navigate(view.location, push=False, refresh=True, watch=True)

    def action_raw(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "raw-view":
            switcher.current = "resource-table"
            self.table.focus()
            return
        switcher.current = "raw-view"
        self.query_one(RawView).focus()
        self._show_raw()

    def _show_raw(self) -> None:
        view = self.active
        if view is None or view.fetched is None:
            return
        fetched = view.fetched
        dark = self.app.current_theme.dark

        async def work() -> None:
            if fetched.body:
                text, lexer = await asyncio.to_thread(
                    pretty_body, view.kind, fetched.body, fetched.content_type
                )
                lines = await asyncio.to_thread(highlight_lines, text, lexer, dark)
            else:
                lines = [Text(f"(no body: {fetched.resource.problem or 'the answer was empty'})")]
            self.query_one(RawView).show_lines(lines, fetched.url)

        self.start_job(work, "raw")

    # -- location bar -----------------------------------------------------------------------

    def action_filter(self) -> None:
        self.location_bar.set_mode(FILTER, self.table.filter_text)
        self.app.set_focus(self.location_bar.omnibox)  # now: keys already queued go there

    def action_command(self) -> None:
        self.location_bar.set_mode(GO, ":")
        self.app.set_focus(self.location_bar.omnibox)  # now: keys already queued go there

    def action_location(self) -> None:
        view = self.active
        self.location_bar.set_mode(GO, view.location if view else "")
        self.app.set_focus(self.location_bar.omnibox)  # now: keys already queued go there
        self.location_bar.omnibox.select_all()  # typing replaces it, like a browser's ctrl+l

    def action_clear_filter(self) -> None:
        if self.table.filter_text:
            self.table.set_filter("")
            self._refresh_crumbs()

    def on_key(self, event: events.Key) -> None:
        route_key(self, event)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.location_bar.mode == FILTER:
            self.table.set_filter(event.value)
            self._refresh_crumbs()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not isinstance(event.input, Omnibox):
            return
        event.stop()
        mode = self.location_bar.mode
        self.table.focus()
        if mode == FILTER:
            self.location_bar.set_mode(GO, self.active.location if self.active else "")
            return
        self.run_typed(event.value)

    def on_omnibox_cancelled(self, _: Omnibox.Cancelled) -> None:
        if self.location_bar.mode == FILTER:
            self.table.set_filter("")
            self._refresh_crumbs()
        self.table.focus()
        self._refresh_bars()

    def on_descendant_blur(self) -> None:
        if self.focused is not self.location_bar.omnibox and self.active is not None:
            self.location_bar.set_mode(GO, self.active.location)

    def run_typed(self, text: str) -> None:
        """What the operator typed in the location bar (a location or a ``:`` command)."""
        run_typed(self, text)

    # -- copy and inspect -------------------------------------------------------------------

    def action_copy_url(self) -> None:
        view = self.active
        if view is not None:
            url = view.client.url_of(view.location, view.query)
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {url}", timeout=3)

    def action_copy_value(self) -> None:
        row = self.table.current_row
        if row is None or not (row.value or row.href):
            self.notify("Nothing to copy on this row.", timeout=2)
            return
        value = row.value or row.href
        self.app.copy_to_clipboard(value)
        shown = value if len(value) <= 60 else value[:57] + "..."
        self.notify(f"Copied {shown}", timeout=3)

    def action_inspect(self) -> None:
        view = self.active
        fetched = view.fetched if view is not None else None
        if fetched is None or fetched.ok:
            self.notify("No error on this page to inspect.", timeout=3)
            return
        text = fetched.body.decode("utf-8", "replace") if fetched.body else fetched.resource.problem
        self.post_message(InspectRequested(text, origin="browser"))
