"""The resource browser for SBC, CUE and MWS trees: follow ``href`` links like a web browser.

Layout, top to bottom: targets and toggles, the location bar, breadcrumbs with what the last
answer was, errors inline (when there are any), then the table (or the raw body with ``y``).
Fetches run as exclusive workers (a new request cancels the previous one), big lists are parsed
and turned into rows in threads, and watching refreshes on a timer, never per message.

The screen is an adapter: what each key and typed command means is decided by the Textual-free
:class:`~tui.ui.models.browser.controller.BrowserController`; the screen carries out the effects
it returns (fetch with the target's client, draw, open dialogs, copy) and reports back.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from dataclasses import replace
from functools import partial
from typing import ClassVar, assert_never, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input
from textual.worker import Worker

from tui.core.errors.explain import explain_errors
from tui.core.errors.sbc_values import ValueReader
from tui.core.gc_quiet import without_gc
from tui.core.resources.parse import pretty_body
from tui.core.resources.paths import Rebaser, TargetPaths
from tui.core.sources import LinkState
from tui.net.rest.base import Fetched, RestClient, WritesDisabled
from tui.paths import data_dir
from tui.ui.context import NocContext
from tui.ui.messages import CopyRequested, InspectRequested, TargetsArrived
from tui.ui.models.browser.controller import BrowserController
from tui.ui.models.browser.effects import (
    Confirm,
    Copy,
    CopyUrl,
    Effect,
    Fetch,
    Inspect,
    Loading,
    Notify,
    Prompt,
    RefreshBars,
    RememberPlace,
    RestartWatch,
    Send,
    ShowPage,
    Suggest,
    ToggleRaw,
)
from tui.ui.models.browser.rows import DIVIDER, Shown, TableModel, model_for
from tui.ui.models.browser.target_view import TargetView
from tui.ui.screens.base import NocScreen
from tui.ui.text import display_path
from tui.ui.widgets.browser.bars import BrowserBar, CrumbBar
from tui.ui.widgets.browser.dialogs import ConfirmWrite, ValuePrompt
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


def _paths_of(client: RestClient) -> Callable[[], TargetPaths]:
    """The client's paths as they are now (a CUE client moves to HTTPS when redirected)."""
    return lambda: client.paths


class BrowserScreen(NocScreen):
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
- **c** copies the URL, **v** the value on the row (sent to the terminal by OSC 52 and saved
  to `clipboard.txt` in the data folder; tmux needs `set -g set-clipboard on`); **e** opens
  the error in the inspector; **t** next target.
- SBC numbers that stand for a state show their meaning: `2 (Down)`; SIP and Q.850 causes
  read as the inspector reads them; **v** copies the number as sent.
- Writes (only with `allow_writes = true`, always confirmed): **D** delete, **E** edit the
  attribute on the row, `:action NAME`, `:create NAME=VALUE…` (MWS lists: `tags=[a,b]`),
  `:push TEXT` (MWS).
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
        Binding(
            "E",
            "edit",
            "Edit value (confirm)",
            show=False,
            id="browser.write.modify",
            priority=True,  # the value typed right after it goes into the prompt
        ),
    ]

    def __init__(self, context: NocContext) -> None:
        super().__init__(context)
        self.controller: BrowserController | None = None  # built on mount, when targets exist
        self.clients: dict[str, RestClient] = {}
        self._watch_timer: Timer | None = None
        self.show_timings = True  # snapshots turn timings off: they differ on every run

    @property
    def views(self) -> dict[str, TargetView]:
        return self.controller.views if self.controller is not None else {}

    @property
    def active(self) -> TargetView | None:
        return self.controller.active if self.controller is not None else None

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
        views = []
        for target in self.context.config.targets:  # the services own the clients and close them
            client = self.context.services.rest_client(
                target, on_state=partial(self._link_state, target.name)
            )
            self.clients[target.name] = client
            views.append(TargetView(target, _paths_of(client), history_dir))
        path = display_path(self.context.config_path)
        read_only = self.context.config.ui.read_only
        self.controller = BrowserController(views, config_path=path, read_only=read_only)
        self.table.focus()
        self.perform(self.controller.open_active())

    async def adopt_targets(self) -> None:
        """Targets arrived after this screen was built (the demo's simulators come up in the
        background): rebuild it around them."""
        if self.controller is not None or not self.context.config.targets:
            return
        await self.recompose()
        self.on_mount()

    def on_targets_arrived(self, _: TargetsArrived) -> None:
        self.run_worker(self.adopt_targets(), name="adopt-targets")

    def on_screen_resume(self) -> None:
        if self.controller is None and self.context.config.targets:
            self.run_worker(self.adopt_targets(), name="adopt-targets")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """With no target configured the browser's keys do nothing, so the footer hides them."""
        own = any(b.action == action for b in self.BINDINGS if isinstance(b, Binding))
        return bool(self.context.config.targets) or not own

    def _link_state(self, name: str, state: LinkState, detail: str) -> None:
        with contextlib.suppress(KeyError):
            self.context.sources.set_state(name, state, detail)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications here quote paths, values and server text: never read them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def start_job(
        self, job: Callable[[], Awaitable[None]], group: str, *, exclusive: bool = True
    ) -> Worker[None]:
        """Run ``job`` as a worker; a job cancelled before it starts never creates its coroutine."""
        work = cast("Callable[[], Coroutine[None, None, None]]", job)
        return self.run_worker(work, group=group, exclusive=exclusive, exit_on_error=False)

    # -- carrying out what the controller decided -------------------------------------------

    def perform(self, effects: Iterable[Effect]) -> None:
        """Carry out the controller's effects, in order."""
        for effect in effects:
            self._perform(effect)

    def _perform(self, effect: Effect) -> None:
        match effect:
            case Notify(message, title, severity, timeout):
                self.notify(message, title=title, severity=severity, timeout=timeout)
            case RememberPlace(target):
                self._remember_place(self.views[target])
            case Fetch():
                self.start_job(partial(self._load, effect), "fetch")
            case Loading():
                self._refresh_crumbs(loading=True)
                self._refresh_bars()
            case ShowPage(keep_place):
                view = self.active
                if view is not None and view.fetched is not None and view.model is not None:
                    self._show(view, view.fetched, view.model, keep_place=keep_place)
            case RefreshBars():
                self._refresh_bars()
            case Suggest(words):
                self.location_bar.set_suggestions(list(words))
            case RestartWatch(interval_s):
                self._restart_watch(interval_s)
            case ToggleRaw():
                self.action_raw()
            case Copy(text, what):
                self.post_message(CopyRequested(text, what))
            case CopyUrl(target, location, query):
                url = self.clients[target].url_of(location, query)
                self.post_message(CopyRequested(url, f"the URL {url}"))
            case Inspect(text):
                self.post_message(InspectRequested(text, origin="browser"))
            case Confirm(target, request):
                text = self.clients[target].describe(request)
                self.app.push_screen(ConfirmWrite(target, request.summary, text), self._answered)
            case Prompt(title, value):
                self.app.push_screen(ValuePrompt(title, value), self._edited)
            case Send():
                self.start_job(partial(self._send, effect), "write", exclusive=False)
            case _:
                assert_never(effect)

    def _answered(self, send: bool | None) -> None:
        if self.controller is not None:
            self.perform(self.controller.answer(send))

    def _edited(self, value: str | None) -> None:
        if self.controller is not None:
            self.perform(self.controller.edited(value))

    def _shown(self, target: str, location: str) -> Shown:
        """How the rows of an answer from ``location`` show: links re-based on the target,
        enumerated values read in the inspector's catalogs."""
        catalogs = self.context.error_decoder.context.catalogs
        return Shown(Rebaser(self.clients[target].paths, location), ValueReader(catalogs))

    def _explained(self, fetched: Fetched) -> Fetched:
        """The answer with its SBC codes read in the inspector's catalogs (one reading)."""
        resource = explain_errors(fetched.resource, self.context.error_decoder.context.catalogs)
        return fetched if resource is fetched.resource else replace(fetched, resource=resource)

    async def _load(self, fetch: Fetch) -> None:
        controller = self.controller
        assert controller is not None
        try:
            fetched = await self.clients[fetch.target].fetch(
                fetch.location, fetch.query, refresh=fetch.refresh
            )
            fetched = self._explained(fetched)
            resource = fetched.resource
            if not fetched.from_cache:
                self._count_errors(self.views[fetch.target], fetched)
            shown = self._shown(fetch.target, fetched.location)
            if resource.is_list and len(resource.items) > BIG_LIST:
                model = await asyncio.to_thread(without_gc(model_for), resource, shown)
            else:
                model = model_for(resource, shown)
            self.perform(controller.loaded(fetch.target, fetched, model, watch=fetch.watch))
        finally:
            controller.load_ended()

    async def _send(self, send: Send) -> None:
        controller = self.controller
        assert controller is not None
        try:
            fetched = await self.clients[send.target].write(send.request)
        except WritesDisabled as exc:
            self.perform(controller.not_written(str(exc)))
            return
        fetched = self._explained(fetched)
        model = model_for(fetched.resource, self._shown(send.target, send.request.location))
        self.perform(controller.written(send.target, send.request, fetched, model))

    # -- showing ----------------------------------------------------------------------------

    def _refresh_bars(self) -> None:
        state = self.controller.bar_state() if self.controller is not None else None
        if state is None:
            return
        self.query_one(BrowserBar).update_state(state)
        view = self.active
        if view is not None and self.focused is not self.location_bar.omnibox:
            self.location_bar.set_mode(GO, view.location)

    def _refresh_crumbs(self, loading: bool = False) -> None:
        if self.controller is None:
            return
        shown = len(self.table.shown_rows)
        state = self.controller.crumb_state(shown, loading=loading, timings=self.show_timings)
        if state is not None:
            self.query_one(CrumbBar).update_state(state)

    def _show(
        self, view: TargetView, fetched: Fetched, model: TableModel, *, keep_place: bool
    ) -> None:
        table = self.table
        if keep_place and table.current_row is not None:
            key, scroll = table.current_row.key, round(table.scroll_y)
        else:
            key, scroll = view.positions.get(fetched.location, ("", 0))
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

    def _remember_place(self, view: TargetView) -> None:
        row = self.table.current_row
        if view.fetched is not None and row is not None:
            view.positions[view.fetched.location] = (row.key, round(self.table.scroll_y))

    def _restart_watch(self, interval_s: float | None) -> None:
        if self._watch_timer is not None:
            self._watch_timer.stop()
            self._watch_timer = None
        if interval_s is not None:
            self._watch_timer = self.set_interval(interval_s, self._watch_tick)

    def _watch_tick(self) -> None:
        if self.controller is not None and self.is_current:
            self.perform(self.controller.watch_tick())

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

    # -- actions: each asks the controller, then does what it says ---------------------------

    def _ask(self, decide: Callable[[BrowserController], list[Effect]]) -> None:
        if self.controller is not None:
            self.perform(decide(self.controller))

    def action_follow(self) -> None:
        self._ask(lambda c: c.follow(self.table.current_row))

    def action_back(self) -> None:
        self._ask(BrowserController.back)

    def action_forward(self) -> None:
        self._ask(BrowserController.forward)

    def action_up(self) -> None:
        self._ask(BrowserController.up)

    def action_go_to(self, location: str) -> None:
        self._ask(lambda c: c.go_to(location))

    def action_refresh(self) -> None:
        self._ask(BrowserController.refresh)

    def action_switch_target(self, name: str) -> None:
        """A click on a target in the top bar."""
        self._ask(lambda c: c.switch_target(name))

    def action_next_target(self) -> None:
        self._ask(BrowserController.next_target)

    def action_details(self) -> None:
        self._ask(BrowserController.details)

    def action_category(self) -> None:
        self._ask(BrowserController.category)

    def action_watch(self) -> None:
        self._ask(BrowserController.watch)

    def action_copy_url(self) -> None:
        self._ask(BrowserController.copy_url)

    def action_copy_value(self) -> None:
        self._ask(lambda c: c.copy_value(self.table.current_row))

    def action_inspect(self) -> None:
        self._ask(BrowserController.inspect)

    def action_delete(self) -> None:
        self._ask(lambda c: c.delete(self.table.current_row))

    def action_edit(self) -> None:
        self.not_while_typing()
        self._ask(lambda c: c.edit(self.table.current_row))

    def run_typed(self, text: str) -> None:
        """What the operator typed in the location bar (a location or a ``:`` command)."""
        self._ask(lambda c: c.typed(text, self.table.current_row))

    def action_raw(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "raw-view":
            switcher.current = "resource-table"
            self.table.focus()
            return
        switcher.current = "raw-view"
        self.query_one(RawView).focus()
        self._show_raw()

    # -- location bar -----------------------------------------------------------------------

    def action_filter(self) -> None:
        self.location_bar.set_mode(FILTER, self.table.filter_text)
        self.app.set_focus(self.location_bar.omnibox)  # now: keys already queued go there

    def action_command(self, text: str = ":") -> None:
        self.location_bar.set_mode(GO, text)
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
        """Keys reach this screen in the order they were typed, before the app runs bindings.

        ``:``, ``g`` and ``/`` move the focus to the location bar *here*, not when their
        binding runs: otherwise the keys right behind them (a paste, a fast typist, tmux
        send-keys) would already be on their way to the table's and the screen's bindings.
        Printable keys that arrive while the location bar has the focus are typed into it.
        """
        if self.controller is None:
            return
        box = self.location_bar.omnibox
        if self.focused is box:  # set at once (has_focus follows a message later)
            if event.is_printable and event.character:
                event.stop()
                event.prevent_default()
                if box.selection.is_empty:
                    box.insert_text_at_cursor(event.character)
                else:
                    box.replace(event.character, *box.selection)
            return
        active = self.active_bindings.get(event.key)
        if active is not None and active.node is self:
            to_bar = {
                "command": self.action_command,
                "location": self.action_location,
                "filter": self.action_filter,
            }.get(active.binding.action)
            if to_bar is not None:
                event.stop()
                event.prevent_default()
                to_bar()

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
