"""The ladder of one call, stream, client session or ICWS interaction: lanes across, time down,
the selected arrow's event below. Opened with Enter on the Calls screen or `L` on a feed event.

Lanes fold (`c` client, `p` SIP peer, `i` ICWS); a narrow terminal starts with fewer of them.
The drawing scrolls down and sideways. `s` saves it as text for a ticket, in the data folder.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from tui.core.correlate import Group
from tui.core.correlate.ladder import CLIENT, ICWS, SIP, Ladder, build_ladder
from tui.core.feed import FeedEvent
from tui.core.pretty import pretty_json, sip_message
from tui.core.private_files import write_private
from tui.paths import data_dir
from tui.ui.context import NocContext
from tui.ui.models.calls.ladder_view import (
    LadderEvents,
    default_hidden,
    fold,
    gather,
    ticket_name,
    ticket_text,
)
from tui.ui.models.calls.table import short_node
from tui.ui.text import display_path
from tui.ui.widgets.calls.ladder_view import LadderView
from tui.ui.widgets.footer import FittingFooter

LANE_KEYS = {CLIENT: "c", SIP: "p", ICWS: "i"}


class LadderScreen(Screen[None]):
    """Who said what to whom for one group, in time order."""

    AUTO_FOCUS = "#ladder"

    HELP = """\
## Ladder

Every hook WCS sent about this call (stream, session), the console's reply with its latency,
each status WCS reported and each SIP message it carried; ICWS messages when an interaction is
linked. Time runs down the left with the delta from the line above.

- **↑ ↓** select an arrow: its event (SIP message, body, reply) is shown below.
- **← →** scroll sideways when the lanes are wider than the terminal.
- **c** client, **p** SIP peer, **i** ICWS: hide or show that lane.
- **s** saves the ladder as text in the data folder (for a ticket); **Escape** goes back.
"""

    DEFAULT_CSS = """
    LadderScreen { background: $background; }
    LadderScreen #ladder-title { height: auto; background: $panel; padding: 0 1; }
    LadderScreen #ladder-detail {
        height: 40%; min-height: 5; border-top: solid $primary 50%; background: $surface;
        padding: 0 1;
    }
    LadderScreen #ladder-detail-text { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="ladder.close"),
        Binding("s", "save", "Save", id="ladder.save"),
        Binding("c", "lane('client')", "Client", id="ladder.lane.client"),
        Binding("p", "lane('sip')", "SIP", id="ladder.lane.sip"),
        Binding("i", "lane('icws')", "ICWS", id="ladder.lane.icws"),
    ]

    def __init__(self, context: NocContext, group: Group) -> None:
        super().__init__()
        self.context = context
        self.group = group
        services = context.services
        self.gathered: LadderEvents = gather(group, services.correlator, self._find)
        self.events = {e.seq: e for e in self.gathered.events}
        self.full: Ladder = build_ladder(self.gathered.events, self._sip_of)
        self.hidden: set[str] | None = None  # decided on the first resize (the width)
        self.saved: Path | None = None

    # -- data ---------------------------------------------------------------------------------

    def _find(self, seq: int) -> FeedEvent | None:
        services = self.context.services
        event = services.store.event(seq)
        if event is None and services.journal is not None:
            record = services.journal.fetch(seq)
            event = record.event if record is not None else None
        return event

    def _sip_of(self, seq: int) -> str:
        body = self.context.services.store.body(seq)
        return sip_message(body.raw) if body is not None else ""

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="ladder-title")
        yield LadderView(utc=self.context.config.ui.clock_utc, id="ladder")
        with VerticalScroll(id="ladder-detail"):
            yield Static(id="ladder-detail-text")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(LadderView).focus()

    def on_resize(self) -> None:
        if self.hidden is None:
            self.hidden = default_hidden(self.full, self.size.width)
            self._show()

    def _show(self) -> None:
        self.query_one(LadderView).show(fold(self.full, self.hidden or ()))
        self._title()

    def _title(self) -> None:
        group = self.group
        parts = [
            f"{group.kind} {group.id}",
            f"node {short_node(group.node)}" if group.node else "",
            f"{group.caller or '?'} → {group.callee or '?'}"
            if group.caller or group.callee
            else "",
            (group.state or "?") + (f" SIP {group.sip_status}" if group.sip_status else ""),
            group.reason,
        ]
        lines = ["  ·  ".join(p for p in parts if p)]
        if group.linked:
            lines.append(f"linked to {group.linked}: {group.link_why}")
        lanes = []
        for lane in self.full.lanes:
            name = self.full.names[lane]
            key = LANE_KEYS.get(lane)
            if lane in (self.hidden or ()):
                lanes.append(f"({name} hidden: {key})")
            else:
                lanes.append(f"{name} ({key})" if key else name)
        note = "lanes: " + "  ".join(lanes)
        if self.gathered.missing or self.gathered.cut:
            note += f"   not shown: {self.gathered.missing + self.gathered.cut} events"
        lines.append(note)
        title = self.query_one("#ladder-title", Static)
        title.update(Content("\n".join(lines)))  # remote text: plain, never markup

    # -- the selected arrow --------------------------------------------------------------------

    def on_ladder_view_selected(self, message: LadderView.Selected) -> None:
        view = self.query_one(LadderView)
        if not 0 <= message.index < len(view.ladder.arrows):
            return
        arrow = view.ladder.arrows[message.index]
        event = self.events.get(arrow.seq)
        body = self.context.services.store.body(arrow.seq)
        lines = [self._summary(event, arrow.seq)]
        raw = body.raw if body is not None else b""
        if arrow.what == "sip":
            lines += ["", "SIP message", sip_message(raw) or "(not kept)"]
        else:
            request, _ = pretty_json(raw)
            lines += ["", "Request body", request or "(no body kept: see the journal)"]
            reply, _ = pretty_json(body.reply if body is not None else b"")
            if reply and arrow.what == "reply":
                lines += ["", "Reply body", reply]
        text = self.query_one("#ladder-detail-text", Static)
        text.update(Content("\n".join(lines)))
        self.query_one("#ladder-detail", VerticalScroll).scroll_home(animate=False)

    def _summary(self, event: FeedEvent | None, seq: int) -> str:
        if event is None:
            return f"seq {seq}: no longer kept"
        utc = self.context.config.ui.clock_utc
        moment = datetime.fromtimestamp(event.ts, UTC) if utc else datetime.fromtimestamp(event.ts)
        parts = [
            moment.strftime("%H:%M:%S.%f")[:-3],
            f"seq {event.seq}",
            event.method or event.kind,
            event.status,
            f"SIP {event.sip_status}" if event.sip_status else "",
            f"reply {event.reply_status}" if event.reply_status else "",
            f"{event.latency_ms:.1f} ms" if event.reply_status and event.latency_ms >= 0 else "",
            f"rule {event.rule}" if event.rule else "",
            event.info,
        ]
        return "  ".join(p for p in parts if p)

    # -- actions ------------------------------------------------------------------------------

    def action_lane(self, lane: str) -> None:
        if lane not in self.full.lanes:
            self.notify(f"This ladder has no {lane} lane", severity="warning", timeout=3)
            return
        hidden = set(self.hidden or ())
        hidden ^= {lane}
        if len(set(self.full.lanes) - hidden) < 2:
            self.notify("Two lanes at least stay", severity="warning", timeout=3)
            return
        self.hidden = hidden
        self._show()

    def action_save(self) -> None:
        """The whole ladder (every lane) as text, 0600, in ``<data folder>/ladders/``."""
        text = ticket_text(
            self.group, self.full, self.gathered, utc=self.context.config.ui.clock_utc
        )
        path = data_dir() / "ladders" / ticket_name(self.group)
        try:
            write_private(path, text)
        except OSError as exc:
            self.notify(f"Could not save {display_path(path)}: {exc.strerror}", severity="error")
            return
        self.saved = path
        self.notify(f"Saved the ladder to {display_path(path)}", timeout=8)
