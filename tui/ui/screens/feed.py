"""The live feed of WCS hooks and ICWS messages."""

from __future__ import annotations

import socket
from datetime import UTC, tzinfo
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget

from tui.config import AppConfig
from tui.core.feed import from_row
from tui.core.query import Query, QueryError, compile_query
from tui.core.store import FeedView
from tui.ui.context import NocContext
from tui.ui.messages import FeedColumnsChosen, InspectRequested, SaveEventRequested
from tui.ui.models.feed.columns import fit_id
from tui.ui.models.feed.counters import FeedCounters
from tui.ui.models.feed.find import find_match
from tui.ui.models.feed.pacing import REFRESH_HZ, FramePacer
from tui.ui.models.feed.same_thing import SameThingFilter, same_thing
from tui.ui.screens.base import NocScreen
from tui.ui.text import display_path
from tui.ui.widgets.empty_state import EmptyState, Line
from tui.ui.widgets.feed.detail import EventDetail
from tui.ui.widgets.feed.event_list import SCROLLBAR, EventList
from tui.ui.widgets.feed.query_bar import QueryBar
from tui.ui.widgets.feed.status import FeedStatus
from tui.ui.widgets.icws import IcwsStatePanel


def wcs_setup_lines(
    config: AppConfig, config_path: str, listening: str | None = None
) -> list[Line]:
    """How to point WCS at this console, from the hook listener's actual settings."""
    hooks = config.hooks
    loopback = hooks.bind in ("127.0.0.1", "::1", "localhost")
    wide = hooks.bind in ("0.0.0.0", "::")
    host = socket.gethostname() if wide else hooks.bind
    host = f"[{host}]" if ":" in host else host
    port = listening.rsplit(":", 1)[-1].rstrip("/") if listening else str(hooks.port)
    app_url = f"http://{host}:{port}/apps/EchoApp"
    lines: list[Line] = [
        f"WCS hooks: {listening or hooks.endpoint} ({hooks.mode} mode)",
        "On the WCS command line (ssh -p 2000 admin@<wcs-host>):",
        (f'  update app -l "{app_url}" defaultApp', "code"),
        ("  add app-rest-method -a defaultApp", "code"),
        "(a new app gets no REST methods until they are added)",
    ]
    if loopback:
        lines += [
            "",
            (f"Bound to {hooks.bind}: WCS on another host cannot reach it;", "warn"),
            f'set [hooks] bind = "0.0.0.0" in {config_path}',
        ]
    if not config.icws:
        lines += ["", "ICWS: no servers configured; add [[icws]] to the same file."]
    return lines


def replay_start_lines(journals: list[str]) -> list[Line]:
    """What an empty feed says in a replay standing before its first event."""
    lines: list[Line] = [f"Replaying {name}" for name in journals[:3]]
    if len(journals) > 3:
        lines.append(f"and {len(journals) - 3} more journals, merged by time")
    lines += [
        "",
        ("space   play (the bar below shows the time reached)", "code"),
        ("  .     one event", "code"),
        ("  T     go to a time: 13:40:02, +30s, 50%, end", "code"),
        ("  E     the first error", "code"),
    ]
    return lines


def stream_wait_lines(endpoint: str, subject: str, since: str) -> list[Line]:
    """What an empty feed says on a console reading the NATS stream."""
    return [
        f"Reading {endpoint}",
        f"subject {subject}, from {since}",
        "",
        "Events appear as the collectors publish them:",
        ("  noc-console collect --config FILE", "code"),
        "runs the hook listener and publishes to this stream.",
        "",
        ("F  jump to live when the bar below says behind", "code"),
    ]


class ColumnHeader(Widget):
    """Column titles, aligned with the event list below."""

    DEFAULT_CSS = """
    ColumnHeader { height: 1; background: $panel; color: $foreground-muted; text-style: bold; }
    """

    def __init__(self, events: EventList) -> None:
        super().__init__()
        self.events = events

    def render(self) -> str:
        return self.events.header_line()


class FeedScreen(NocScreen):
    """Every WCS hook and ICWS message as it arrives."""

    SCREEN_KEY = "feed"
    HELP = """\
## Feed

The live feed of WCS REST hooks and ICWS messages, newest at the bottom. It follows new events
until you move up; **End** follows again. The journal keeps every event, even those the view drops.

- **/** filter (`status:FAILED node:~10.20.1 !status:PLAYING`)
- **=** only what the selected row is about: its call, ICWS interaction, stream (by name),
  media session, queue or user, else its WCS session; **=** or **Esc** again gives back the
  filter before
- **f** find, **n**/**N** next/previous match
- **Enter** opens an event; **p** pauses the view (events keep arriving and are journalled),
  **p** again resumes it (the footer says which)
- **R** policy rules (backend mode: which hooks the console refuses)
- **C** columns: switch them on and off, reorder them (saved to `[feed] columns`); a narrow
  terminal leaves out those an operator needs least, and the header names them
- **L** the ladder of the event's call (stream, session): every hook, reply and SIP message
- **x** exports what the view shows now (its filter applied) as JSON lines, each event with
  its bodies, redacted, to the data folder's `exports/`; `noc-console export` does it from a
  journal, also as CSV or HAR
- **1 2 3 4** switch screens; **?** lists every key
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "query('filter')", "Filter", key_display="/", id="feed.filter", priority=True
        ),
        Binding(
            "equals_sign",
            "same_thing",
            "Same call/stream",
            show=False,
            key_display="=",
            id="feed.same_thing",
        ),
        Binding("f", "query('find')", "Find", id="feed.find", priority=True),
        Binding("n", "find(1)", "Next", show=False, id="feed.find_next"),
        Binding("N", "find(-1)", "Previous", show=False, id="feed.find_previous"),
        Binding("p", "pause", "Pause", id="feed.pause"),
        Binding("p", "resume", "Resume", id="feed.resume"),  # shown instead while paused
        Binding("R", "rules", "Rules", show=False, id="feed.rules"),
        Binding("C", "columns", "Columns", show=False, id="feed.columns"),
        Binding("L", "ladder", "Ladder", show=False, id="feed.ladder"),
        Binding("i", "toggle_icws", "ICWS state", id="feed.icws"),
        Binding("x", "export", "Export", show=False, id="feed.export"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="feed.clear_filter"),
    ]

    def __init__(self, context: NocContext) -> None:
        super().__init__(context)
        self._view: FeedView | None = None
        self._note_url: str | None = None
        self._icws_panel_decided = False
        self._panel_hidden_for_detail = False
        self.find_query: Query | None = None
        self.find_label = ""  # "match 3 of 17", counted at the last f, n or N; a filter clears it
        self.same = SameThingFilter()
        self._seen_version = -1
        self._pacer: FramePacer | None = None  # started on mount, on the context's clock

    @property
    def zone(self) -> tzinfo | None:
        """The clock the header shows, which ``time:`` in a query means (None: local time)."""
        return UTC if self.context.config.ui.clock_utc else None

    @property
    def view(self) -> FeedView:
        if self._view is None:
            self._view = FeedView(self.context.services.store)
        return self._view

    def compose_body(self) -> ComposeResult:
        utc = self.context.config.ui.clock_utc
        events = EventList(
            self.view, utc=utc, columns=self.context.config.feed.columns, id="events"
        )
        path = display_path(self.context.config_path)
        with Vertical(id="feed-body"):
            yield IcwsStatePanel(
                self.context.services.icws_state,
                self.context.sources,
                clock=lambda: self.context.clock().timestamp(),
                id="icws-panel",
            )
            replay = self.context.services.replay
            feed = self.context.services.feed
            if replay is not None:
                title, lines = "Nothing played yet", replay_start_lines(replay.timeline.labels)
            elif feed is not None:
                title = "Nothing on the stream yet"
                lines = stream_wait_lines(feed.endpoint, feed.subject, feed.start_at.describe(utc))
            else:
                title, lines = "No events yet", wcs_setup_lines(self.context.config, path)
            yield EmptyState(title, lines, id="feed-empty")
            yield ColumnHeader(events)
            yield events
            yield EventDetail(utc=utc, id="detail")
        yield FeedStatus(id="feed-status")
        yield QueryBar(zone=self.zone, id="query-bar")

    DEFAULT_CSS = """
    FeedScreen #icws-panel { height: 45%; min-height: 8; display: none; }
    FeedScreen #icws-panel.-shown { display: block; }
    """

    def on_mount(self) -> None:
        self._open_icws_panel_if_new()
        default = self.context.config.feed.default_filter
        if default:
            try:
                self.view.set_query(compile_query(default, self.zone))
            except QueryError as exc:
                self.notify(f"feed.default_filter ignored: {exc}", severity="warning", timeout=10)
        self._set_empty(len(self.context.services.store.rows) == 0)
        self._pacer = FramePacer(self.context.monotonic, self.context.services.store.received)
        self.set_interval(1 / REFRESH_HZ, self.tick)
        events = self.query_one(EventList)
        events.focus()
        self.call_after_refresh(events.rows_changed)  # rows already in the store: show the newest

    # -- the clock ----------------------------------------------------------------------------

    def _open_icws_panel_if_new(self) -> None:
        """The queue and agent view opens by itself once, when ICWS servers are configured (now
        or when the demo's come up) and the terminal has room; after that only `i` moves it."""
        if self._icws_panel_decided or not self.context.config.icws:
            return
        self._icws_panel_decided = True
        self.query_one(IcwsStatePanel).set_class(self.app.size.height >= 36, "-shown")

    def tick(self) -> None:
        """Pull what arrived since the last tick and redraw once (never once per event)."""
        store = self.context.services.store
        pacer = self._pacer
        if pacer is None or not pacer.frame_due(store.received, self.query_one(EventList).page):
            return  # flooded: this frame is skipped
        self._open_icws_panel_if_new()
        view = self.view
        if store.version != self._seen_version:
            self._seen_version = store.version
            before = len(view)
            view.sync()
            if len(view) != before or view.pending():
                self.query_one(EventList).rows_changed()
            self._set_empty(store.received == 0)
        elif store.received == 0 and self._note_url != self.context.services.hook_url:
            self._set_empty(True)  # the listener came up: show its real address
        self._update_status()

    def _set_empty(self, empty: bool) -> None:
        self.query_one("#feed-empty").display = empty
        for widget in (self.query_one(ColumnHeader), self.query_one(EventList)):
            widget.display = not empty
        if empty and self.context.services.hook_url and self.context.services.replay is None:
            self._note_url = self.context.services.hook_url
            note = self.query_one("#feed-empty", EmptyState)
            lines = wcs_setup_lines(
                self.context.config,
                display_path(self.context.config_path),
                self.context.services.hook_url,
            )
            note.update_lines(lines)

    def _update_status(self) -> None:
        view = self.view
        store = self.context.services.store
        self.query_one(FeedStatus).update_counters(
            FeedCounters(
                received=store.received,
                shown=len(view),
                dropped=store.evicted,
                missed=view.missed,
                rate=self._pacer.rate if self._pacer is not None else 0.0,
                follow=self.query_one(EventList).follow,
                paused=view.paused,
                pending=view.pending() if view.paused else 0,
                query=view.query.text if view.query else "",
                find=self.find_label,
                journal=self.context.services.journal_problem(),
            )
        )

    # -- actions ------------------------------------------------------------------------------

    def action_query(self, purpose: str) -> None:
        self.not_while_typing()  # and the bar takes the focus at once (see start_typing)
        view = self.view
        current = (
            (view.query.text if view.query else "")
            if purpose == "filter"
            else (self.find_query.text if self.find_query else "")
        )
        self.query_one(QueryBar).open(purpose, current)

    def on_query_bar_applied(self, message: QueryBar.Applied) -> None:
        events = self.query_one(EventList)
        if message.purpose == "filter":
            self.same.forget()
            self.context.follow_filter(message.query.text)
            self.view.set_query(message.query)
            self.find_label = ""
            events.reset()
            events.set_follow(True)
        else:
            self.find_query = None if message.query.is_empty else message.query
            self.find_label = ""
            events.set_find(self.find_query)
            if self.find_query is not None:
                self.action_find(1)
        events.focus()
        self._update_status()

    def on_query_bar_cancelled(self, message: QueryBar.Cancelled) -> None:
        self.query_one(EventList).focus()

    def show_only(self, seqs: list[int], title: str) -> None:
        """Filter the feed to these events (Escape returns to everything)."""
        wanted = frozenset(seqs)
        count = f"{len(wanted)} event{'' if len(wanted) == 1 else 's'}"
        query = Query(f"{title} ({count})", lambda row: row[0] in wanted, 1)
        self.same.forget()
        self.view.set_query(query)
        self.find_label = ""
        events = self.query_one(EventList)
        events.reset()
        events.focus()
        self._update_status()
        if not len(self.view):
            self.notify(
                "Those events have left the live buffer; they are in the journal",
                severity="warning",
            )

    def action_clear_filter(self) -> None:
        if self.same.active is not None:
            self._refilter(self.same.stop())
            return
        view = self.view
        if view is not None and view.query is not None:
            self.same.forget()
            self.context.follow_filter("")
            view.set_query(None)
            self.find_label = ""
            self.query_one(EventList).reset()
            self._update_status()

    def action_same_thing(self) -> None:
        """Only what the selected row is about; pressed again, the filter before comes back."""
        if self.same.active is not None:
            self._refilter(self.same.stop())
            return
        events = self.query_one(EventList)
        if events.cursor < 0:
            self.notify("No event selected", severity="warning")
            return
        thing = same_thing(self.view[events.cursor])
        if thing is None:
            self.notify("This event names no call, stream or session", severity="warning")
            return
        self.same.start(thing, self.view.query)
        self._refilter(compile_query(thing.query))
        self.notify(f"Only {thing.what} {fit_id(thing.value, 28)} · = or Esc: back", timeout=4)

    def _refilter(self, query: Query | None) -> None:
        """Another filter, with the selected event still selected when it is in the result."""
        events = self.query_one(EventList)
        seq = events.selected_seq
        self.view.set_query(query)
        self.find_label = ""
        events.reset()
        index = self.view.index_of(seq) if seq else None
        if index is not None:
            events.move_to(index)
        events.focus()
        self._update_status()

    def select_seq(self, seq: int) -> bool:
        """Put the cursor on event ``seq`` (a replay's error), if the filter shows it."""
        self.view.sync()
        events = self.query_one(EventList)
        events.rows_changed()
        index = self.view.index_of(seq)
        if index is None:
            return False
        events.move_to(index)
        return True

    def action_find(self, direction: int) -> None:
        if self.find_query is None:
            self.notify("No find query: press f to set one", severity="warning")
            return
        events = self.query_one(EventList)
        found = find_match(self.view.rows, self.find_query, events.cursor, direction)
        if found is None:
            self.find_label = f"no match for {self.find_query.text}"
            self.notify(f"No event matches {self.find_query.text!r}", severity="warning")
        else:
            self.find_label = found.label
            events.move_to(found.index)
        self._update_status()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """One key pauses and resumes: the footer says what it will do now."""
        if action == "pause":
            return not self.view.paused
        if action == "resume":
            return self.view.paused
        return True

    def action_pause(self) -> None:
        """Pause the view, or resume it when paused."""
        self._set_paused(not self.view.paused)

    def action_resume(self) -> None:
        self._set_paused(False)

    def _set_paused(self, paused: bool) -> None:
        view = self.view
        view.paused = paused
        if not paused:
            view.sync()
            self.query_one(EventList).rows_changed()
        self._update_status()
        self.refresh_bindings()

    def action_toggle_icws(self) -> None:
        self._icws_panel_decided = True
        panel = self.query_one(IcwsStatePanel)
        shown = not panel.has_class("-shown")
        panel.set_class(shown, "-shown")
        if not shown:
            self.query_one(EventList).focus()
        elif not self.context.config.icws:
            self.notify("No ICWS server configured: add [[icws]] to the config", severity="warning")

    def action_columns(self) -> None:
        from tui.ui.screens.columns import ColumnsScreen

        events = self.query_one(EventList)
        terminal = self.size.width
        rows = events.rows_width if events.size.width else terminal - SCROLLBAR  # none shown yet
        self.app.push_screen(ColumnsScreen(events.chosen, rows, terminal), self._columns_chosen)

    def _columns_chosen(self, chosen: tuple[str, ...] | None) -> None:
        events = self.query_one(EventList)
        if chosen is None or chosen == events.chosen:
            return
        events.set_columns(chosen)
        self.query_one(ColumnHeader).refresh()
        self.post_message(FeedColumnsChosen(chosen))

    def action_rules(self) -> None:
        from tui.ui.screens.rules import RulesScreen

        read_only = self.context.config.ui.read_only
        self.app.push_screen(RulesScreen(self.context.services.hooks, read_only=read_only))

    def action_ladder(self) -> None:
        """The ladder of the selected event's call, else its stream, else its session."""
        events = self.query_one(EventList)
        if events.cursor < 0:
            return
        event = from_row(self.view[events.cursor])
        groups = self.context.services.correlator.groups_of(event)
        if not groups:
            self.notify("This event is not part of a call, stream or session in the live tables")
            return
        from tui.ui.screens.ladder import LadderScreen

        self.app.push_screen(LadderScreen(self.context, groups[0]))

    def action_export(self) -> None:
        from tui.ui.view_export import export_feed_view

        export_feed_view(self)

    # -- detail -------------------------------------------------------------------------------

    def on_event_list_opened(self, message: EventList.Opened) -> None:
        store = self.context.services.store
        event = store.event(message.seq)
        if event is None:
            self.notify("That event has left the buffer; it is in the journal", severity="warning")
            return
        detail = self.query_one(EventDetail)
        detail.show(event, store.body(message.seq))
        detail.focus()
        panel = self.query_one(IcwsStatePanel)
        if panel.has_class("-shown"):  # room for the list and the detail; back when it closes
            self._panel_hidden_for_detail = True
            panel.remove_class("-shown")

    def on_event_list_follow_changed(self, message: EventList.FollowChanged) -> None:
        self._update_status()

    def on_event_detail_closed(self, message: EventDetail.Closed) -> None:
        self.query_one(EventList).focus()
        if self._panel_hidden_for_detail:
            self._panel_hidden_for_detail = False
            self.query_one(IcwsStatePanel).add_class("-shown")

    def on_event_detail_save_requested(self, message: EventDetail.SaveRequested) -> None:
        self.post_message(SaveEventRequested(message.seq))

    def on_event_detail_inspect_requested(self, message: EventDetail.InspectRequested) -> None:
        self.post_message(InspectRequested(message.text, origin="feed"))
