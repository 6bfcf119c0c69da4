"""The Textual application: three screens (Feed, Browser, Inspector) over one set of sources."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.theme import Theme

from tui.config import AppConfig, LoadedConfig, read_only_applied, sources_from_config
from tui.config.writer import save_setting
from tui.core.errors.tally import ErrorTally
from tui.core.feed import from_row
from tui.core.pretty import export_document
from tui.core.private_files import write_private
from tui.core.sources import SourceBoard
from tui.paths import data_dir
from tui.services import Services
from tui.ui.app_timeline import TimelineActions
from tui.ui.bindings import APP_BINDINGS, known_binding_ids, with_followers
from tui.ui.clipboard import notice_for, save_copy, tmux_set_clipboard
from tui.ui.context import NocContext
from tui.ui.messages import (
    CopyRequested,
    FeedColumnsChosen,
    InspectRequested,
    SaveEventRequested,
    ShowEventsRequested,
    TargetsArrived,
)
from tui.ui.screens.feed import FeedScreen
from tui.ui.svg_text import portable_svg
from tui.ui.terminal_watch import TerminalWatch, terminal_fd
from tui.ui.text import display_path
from tui.ui.themes import DEFAULT_THEME, ThemeCatalog, load_themes

if TYPE_CHECKING:
    from tui.core.errors.detect import ErrorDecoder
    from tui.sim.demo import Demo, DemoSources

Clock = Callable[[], datetime]


def _screen(name: str, context: NocContext) -> Screen[Any]:
    """Import and build a working screen on first use (the inspector's decoders are heavy)."""
    if name == "browser":
        from tui.ui.screens.browser import BrowserScreen

        return BrowserScreen(context)
    if name == "calls":
        from tui.ui.screens.calls import CallsScreen

        return CallsScreen(context)
    from tui.ui.screens.inspector import InspectorScreen

    return InspectorScreen(context)


def utc_now() -> datetime:
    return datetime.now(UTC)


class NocApp(TimelineActions):
    """noc-console. Build it with :func:`create_app`; the CLI and the tests share that factory."""

    TITLE = "noc-console"
    CSS_PATH = "app.tcss"
    DEFAULT_MODE = "feed"
    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

    def __init__(
        self,
        loaded: LoadedConfig,
        *,
        demo: bool = False,
        clock: Clock = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        themes: ThemeCatalog | None = None,
        persist_theme: bool = True,
        start_services: bool = True,
        services: Services | None = None,
        demo_runner: Demo | None = None,
    ) -> None:
        super().__init__()
        self._terminal_watch: TerminalWatch | None = None
        loaded = loaded.model_copy(update={"config": read_only_applied(loaded.config)})
        self.loaded = loaded
        self.demo = demo
        self.clock = clock
        self.monotonic = monotonic  # pacing and rates; tests move it by hand
        self.themes = themes if themes is not None else load_themes()
        self.persist_theme = persist_theme
        self.sources = (
            services.board  # a replay's board (its journals) or a feed's
            if services is not None and (services.replay is not None or services.feed is not None)
            else SourceBoard(sources_from_config(loaded.config))
        )
        self.services = services or Services(
            loaded.config,
            self.sources,
            mode="demo" if demo else "live",
            journal=None if start_services else False,
            hook_thread=True,
        )
        self.start_services = start_services
        self.demo_runner: Demo | None = demo_runner
        self.errors_seen = ErrorTally()  # fed by the feed and the browser; read by the inspector
        self._error_decoder: ErrorDecoder | None = None
        self._settled_theme = ""  # the theme the config asked for (or its fallback): not re-saved
        # Each screen gets the app as its narrow context; browser and inspector are built on
        # their first visit (keeps start-up quick).
        self.add_mode("feed", lambda: FeedScreen(self))
        self.add_mode("browser", lambda: _screen("browser", self))
        self.add_mode("inspector", lambda: _screen("inspector", self))
        self.add_mode("calls", lambda: _screen("calls", self))

    @property
    def config(self) -> AppConfig:
        return self.loaded.config

    @property
    def config_path(self) -> Path:
        return self.loaded.path

    @property
    def error_decoder(self) -> ErrorDecoder:
        """The inspector's decoder, shared with the browser (catalogs are read once)."""
        if self._error_decoder is None:
            from tui.config.errors import build_decoder

            errors = self.config.errors
            self._error_decoder = build_decoder(
                errors.handling_rules(), extra_dirs=errors.catalog_dirs
            )
        return self._error_decoder

    @property
    def persists_settings(self) -> bool:
        """A theme or columns chosen are saved to the config file, except in tests and
        snapshots (they leave the user's files alone) and in a read-only console (the choice
        lasts as long as it runs)."""
        return self.persist_theme and not self.config.ui.read_only

    @property
    def persist_history(self) -> bool:
        """Tests and snapshots (persist_theme=False) leave the user's files alone."""
        return self.persist_theme

    def clock_text(self) -> str:
        now = self.clock()
        if self.config.ui.clock_utc:
            return now.astimezone(UTC).strftime("%H:%M:%SZ")
        return now.astimezone().strftime("%H:%M:%S")

    # -- start-up ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        for entry in self.themes.entries.values():
            self.register_theme(entry.theme)
        for problem in self.themes.problems:
            self.notify(problem, title="Theme file skipped", severity="warning", timeout=10)
        self._apply_configured_theme()
        self._settled_theme = self.theme
        self._apply_keymap()
        self.theme_changed_signal.subscribe(self, self._on_theme_changed)
        if self.start_services:
            # After the first frame: starting listeners and simulators imports uvicorn, httpx…
            # and would otherwise hold the GIL while the screen is first drawn.
            self.call_after_refresh(
                lambda: self.run_worker(
                    self._start_services(), name="services", exit_on_error=False
                )
            )
        self._tallied_seq = 0
        self._tallied_epoch = self.services.store.epoch
        self.set_interval(
            0.05, self.services.drain_on_clock
        )  # hook events into the store, 20 times a second
        if self.replay is not None:
            self._replay_clock = self.monotonic()
            self.set_interval(0.05, self._replay_tick)  # the journals' events, on the same clock
        self.set_interval(0.25, self._tally_new_events)
        self.set_interval(1.0, self._expire_groups)  # ended calls age out
        fd = None if self.is_headless else terminal_fd()
        if fd is not None:  # a real terminal: leave when it hangs up
            loop = asyncio.get_running_loop()

            def hung_up() -> None:  # from the watch's thread
                loop.call_soon_threadsafe(self._terminal_hung_up)

            self._terminal_watch = TerminalWatch(fd, hung_up)
            self._terminal_watch.start()

    def _terminal_hung_up(self) -> None:
        self.exit(return_code=128 + 1)  # as SIGHUP would have ended it

    def _expire_groups(self) -> None:
        """Age out ended groups in the correlator in use now (a replay's jump replaces it)."""
        self.services.correlator.expire()

    def _tally_new_events(self) -> None:
        """Feed the errors-seen counts with what arrived since the last tick (all events,
        whatever the feed's filter or pause)."""
        store = self.services.store
        if store.epoch != self._tallied_epoch:  # a replay moved: count its new rows afresh
            self._tallied_epoch = store.epoch
            self._tallied_seq = 0
            self.errors_seen.reset()
        rows = store.since(self._tallied_seq)
        if rows:
            self._tallied_seq = int(rows[-1][0])
            self.errors_seen.add_events(from_row(row) for row in rows)

    def show_events(self, seqs: list[int], title: str) -> None:
        """Open the feed on just these events (from the errors-seen view)."""
        self.switch_mode("feed")
        screen = self.screen
        if isinstance(screen, FeedScreen):
            screen.show_only(seqs, title)

    def on_show_events_requested(self, message: ShowEventsRequested) -> None:
        self.show_events(list(message.seqs), message.title)

    async def _start_services(self) -> None:
        demo = self.demo_runner
        if demo is not None and demo.tap:  # the listener forwards to the simulated backend
            self._adopt_demo_sources(await asyncio.to_thread(demo.prepare))
        await self.services.start()
        for problem in self.services.problems:
            self.notify(problem, title="Hook listener", severity="error", timeout=15)
        if self.services.feed_problem:
            self.notify(f"{self.services.feed_problem}; trying again", title="Stream",
                        severity="warning", timeout=10)  # fmt: skip
        if demo is None:
            self._settle_heap()
            return
        if self.services.hook_url:
            demo.start(self.services.hook_url)  # WCS traffic first: the feed fills at once
        if not demo.tap:  # then the ICWS, SBC, CUE and MWS simulators, off the event loop
            self._adopt_demo_sources(await asyncio.to_thread(demo.prepare))
            self.services.start_icws()
        self._settle_heap()

    @staticmethod
    def _settle_heap() -> None:
        """Everything built at start lives as long as the app: move it out of the collector's
        sight, so that a full collection walks what is new rather than all of Textual (measured:
        60-80 ms pauses in the middle of a hook burst without this, ~12 ms with)."""
        gc.collect()
        gc.freeze()

    def _adopt_demo_sources(self, sources: DemoSources) -> None:
        """The simulated servers are up: point the config, the services and the header at them."""
        from tui.sim.demo import with_sources

        config = read_only_applied(with_sources(self.config, sources))
        self.loaded = self.loaded.model_copy(update={"config": config})
        self.services.config = config
        known = {source.name for source in self.sources}
        for source in sources_from_config(config):
            if source.name not in known:
                self.sources.add(source)
        for screen in self.screen_stack:  # a browser built before the targets came rebuilds
            screen.post_message(TargetsArrived())

    async def on_unmount(self) -> None:
        watch = self._terminal_watch
        if watch is not None and not watch.hung_up.is_set():
            watch.stop()  # after a hang-up it still ends the process if the exit gets stuck
        if self.demo_runner is not None:
            self.demo_runner.stop()
            self.demo_runner = None
        await self.services.stop()

    def demo_caption(self) -> str:
        replay = self.replay
        if replay is not None:
            runs = len(replay.timeline.runs)  # each has its chip below; one needs no caption
            return f"{runs} journals merged by time" if runs > 1 else ""
        feed = self.services.feed
        if feed is not None:
            utc = self.config.ui.clock_utc
            return f"{feed.endpoint} from {feed.start_at.describe(utc)}"
        return self.demo_runner.act if self.demo_runner is not None else ""

    def export_event(self, seq: int) -> Path | None:
        """Write one event (redacted) as JSON under the data folder; returns the file."""
        store = self.services.store
        event = store.event(seq)
        body = store.body(seq)
        if event is None or body is None:
            self.notify("That event's body is no longer available", severity="warning")
            return None
        folder = data_dir() / "exports"
        path = folder / f"event-{seq}-{event.method or event.kind}.json"
        try:
            write_private(path, export_document(event.to_json(), body.raw, body.reply, body.meta))
        except OSError as exc:
            self.notify(f"Could not save {display_path(path)}: {exc.strerror}", severity="error")
            return None
        return path

    def on_copy_requested(self, message: CopyRequested) -> None:
        message.stop()
        self.copy_to_clipboard(message.text)
        saved = save_copy(message.text)
        notice = notice_for(message.what, message.text, saved, tmux_set_clipboard())
        timeout = 12 if notice.severity == "warning" else 6
        self.notify(notice.message, title="Copy", severity=notice.severity, timeout=timeout)

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen under the data folder (owner-only, like exports) and say
        where. Textual's own default is ~/Downloads, which a jump host often does not have."""
        folder = Path(path).expanduser() if path else data_dir() / "screenshots"
        stem = f"noc-console-{self.clock().astimezone(UTC):%Y%m%dT%H%M%SZ}"
        target = folder / (filename or f"{stem}.svg")
        taken = 1
        while filename is None and target.exists():  # two in the same second: both kept
            taken += 1
            target = folder / f"{stem}-{taken}.svg"
        try:
            write_private(target, portable_svg(self.export_screenshot()))
        except OSError as exc:
            self.notify(
                f"Could not save {display_path(target)}: {exc.strerror or exc}",
                title="Screenshot", severity="error", markup=False,
            )  # fmt: skip
            return
        self.notify(f"Saved to {display_path(target)}", title="Screenshot", markup=False)

    def on_save_event_requested(self, message: SaveEventRequested) -> None:
        path = self.export_event(message.seq)
        if path is not None:
            self.notify(f"Saved to {display_path(path)}")

    def _apply_configured_theme(self) -> None:
        wanted = self.config.ui.theme
        if wanted in self.available_themes:
            self.theme = wanted
            return
        self.theme = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"
        self.notify(
            f"Theme {wanted!r} not found; using {self.theme}. "
            f"Themes: {', '.join(self.themes.names)}",
            title="Config",
            severity="warning",
            timeout=10,
        )

    def _apply_keymap(self) -> None:
        keymap = dict(self.config.keymap)
        if not keymap:
            return
        unknown = sorted(set(keymap) - known_binding_ids())
        for binding_id in unknown:
            del keymap[binding_id]
        if unknown:
            self.notify(
                f"Unknown binding ids in [keymap]: {', '.join(unknown)}. Press ? to see the ids.",
                title="Config",
                severity="warning",
                timeout=10,
            )
        self.set_keymap(with_followers(keymap))

    # -- themes -----------------------------------------------------------------------------

    def _on_theme_changed(self, theme: Theme) -> None:
        if theme.name == self._settled_theme or not self.persists_settings:
            return
        self._settled_theme = theme.name
        try:
            save_setting(self.config_path, "ui", "theme", theme.name)
        except OSError as exc:
            self.notify(
                f"Could not save the theme to {display_path(self.config_path)}: {exc}",
                severity="error",
            )

    # -- the feed's columns -----------------------------------------------------------------

    def on_feed_columns_chosen(self, message: FeedColumnsChosen) -> None:
        feed = self.config.feed.model_copy(update={"columns": message.columns})
        config = self.config.model_copy(update={"feed": feed})
        self.loaded = self.loaded.model_copy(update={"config": config})
        self.services.config = config
        if not self.persists_settings:
            return
        try:
            save_setting(self.config_path, "feed", "columns", list(message.columns))
        except OSError as exc:
            self.notify(
                f"Could not save the columns to {display_path(self.config_path)}: {exc}",
                severity="error",
            )
            return
        self.notify(f"Columns saved to {display_path(self.config_path)}", timeout=3)

    def action_next_theme(self) -> None:
        names = self.themes.names or [DEFAULT_THEME]
        index = names.index(self.theme) if self.theme in names else -1
        self.theme = names[(index + 1) % len(names)]
        self.notify(f"Theme: {self.theme}", timeout=2)

    # -- the inspector ----------------------------------------------------------------------

    def inspect(self, text: str, origin: str) -> None:
        """Switch to the inspector and decode ``text`` there (it joins the inspector's history).

        ``origin`` says where it came from (``feed``, ``browser``…) and is shown in the history.
        """
        self.switch_mode("inspector")
        from tui.ui.screens.inspector import InspectorScreen  # loaded by the switch

        for screen in self.screen_stack:
            if isinstance(screen, InspectorScreen):
                screen.inspect_text(text, origin)
                return

    def on_inspect_requested(self, message: InspectRequested) -> None:
        self.inspect(message.text, message.origin)

    # -- help -------------------------------------------------------------------------------

    def action_toggle_help_panel(self) -> None:
        from tui.ui.widgets.help_panel import NocHelpPanel  # Markdown costs ~40 ms: load on use

        for panel in self.screen.query(NocHelpPanel):
            panel.action_close()  # focus goes back where it was
            return
        self.screen.mount(NocHelpPanel())

    def action_show_keys(self) -> None:
        from tui.ui.screens.keys import KeysScreen

        if isinstance(self.screen, KeysScreen):
            self.pop_screen()
            return
        self.push_screen(KeysScreen(self.screen, self.config_path))

    # -- command palette --------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for key, title in (
            ("feed", "Feed"),
            ("browser", "Browser"),
            ("inspector", "Inspector"),
            ("calls", "Calls"),
        ):
            yield SystemCommand(
                f"Go to {title}",
                f"Switch to the {title} screen",
                lambda key=key: self.switch_mode(key),
            )
        yield from self.timeline_commands()
        yield SystemCommand("Theme: choose", "Pick a theme by name", self.action_change_theme)
        yield SystemCommand("Theme: next", "Cycle to the next noc theme", self.action_next_theme)
        yield SystemCommand("Keys", "List every key and its binding id", self.action_show_keys)
        yield SystemCommand(
            "Help panel", "Show or hide help for the focused widget", self.action_toggle_help_panel
        )
        yield SystemCommand(
            "Save screenshot",
            "Save an SVG of this screen in the data folder",
            lambda: self.action_screenshot(),
        )
        yield SystemCommand("Quit", "Quit noc-console", self.action_quit)


def create_app(
    loaded: LoadedConfig,
    *,
    demo: bool = False,
    clock: Clock = utc_now,
    monotonic: Callable[[], float] = time.monotonic,
    themes: ThemeCatalog | None = None,
    persist_theme: bool = True,
    start_services: bool = True,
    services: Services | None = None,
    demo_runner: Demo | None = None,
) -> NocApp:
    """The one factory the CLI, the screenshot command and the tests use."""
    return NocApp(
        loaded, demo=demo, clock=clock, monotonic=monotonic, themes=themes,
        persist_theme=persist_theme, start_services=start_services, services=services,
        demo_runner=demo_runner,
    )  # fmt: skip
