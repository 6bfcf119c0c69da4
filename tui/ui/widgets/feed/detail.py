"""The detail pane: one event in full — summary, our reply and timing, SIP message, bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.highlight import highlight
from textual.message import Message
from textual.widgets import Static

from tui.core.errors.handoff import inspect_text_for
from tui.core.feed import (
    FLAG_DUPLICATE,
    FLAG_FALLBACK,
    FLAG_TAP,
    SEVERITY_NAMES,
    SOURCE_ICWS,
    FeedEvent,
)
from tui.core.pretty import pretty_json, sip_message
from tui.core.protocols import wcs
from tui.core.store import Body
from tui.ui.messages import CopyRequested

_REFUSAL = {
    wcs.CONNECT: "connect: a refusal fails the whole session",
    wcs.DIRECT: "direct invocation: a 403 stops it (restOnError FAIL) or is only logged (LOG)",
    wcs.EVENT: "event: already happened, cannot be refused",
    wcs.INCOMING: "incoming invocation: a 403 makes WCS answer the caller 403 FORBIDDEN",
}


class EventDetail(VerticalScroll, can_focus=True):
    """Everything about one event. Remote text is shown as plain content, never as markup."""

    HELP = """\
## Event detail

The event's fields, what the console answered (status, time, rule, upstream), the SIP message
that caused a failure, and the request and reply bodies (secrets shown as ***). An ICWS event
names its server, subscription, message class and interaction, and shows the message as read
from the server's message channel (ICWS messages get no reply).

- **c** copies the request body, **m** the SIP message (sent to the terminal by OSC 52 and
  saved to `clipboard.txt` in the data folder; tmux needs `set -g set-clipboard on`).
- **s** saves the event as JSON for a ticket. **e** opens its error in the inspector.
- **Escape** closes the pane.
"""

    DEFAULT_CSS = """
    EventDetail {
        height: 50%;
        min-height: 8;
        border-top: solid $primary;
        background: $surface;
        padding: 0 1;
        display: none;
    }
    EventDetail.-open { display: block; }
    EventDetail > .detail-title { text-style: bold; }
    EventDetail > .detail-section { color: $primary; text-style: bold; margin-top: 1; }
    EventDetail > #detail-sip { color: $foreground; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="feed.detail.close"),
        Binding("c", "copy('request')", "Copy body", id="feed.detail.copy_body"),
        Binding("m", "copy('sip')", "Copy SIP", id="feed.detail.copy_sip"),
        Binding("s", "save", "Save", id="feed.detail.save"),
        Binding("e", "inspect", "Inspect", id="feed.detail.inspect"),
    ]

    class Closed(Message):
        """The pane was closed."""

    class SaveRequested(Message):
        def __init__(self, seq: int) -> None:
            super().__init__()
            self.seq = seq

    class InspectRequested(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, *, utc: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.utc = utc
        self.event: FeedEvent | None = None
        self.body: Body | None = None
        self._request_text = ""
        self._sip_text = ""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-title", classes="detail-title")
        yield Static(id="detail-summary")
        yield Static("SIP message", classes="detail-section", id="detail-sip-title")
        yield Static(id="detail-sip")
        yield Static("Request body", classes="detail-section", id="detail-request-title")
        yield Static(id="detail-request")
        yield Static("Reply body", classes="detail-section", id="detail-reply-title")
        yield Static(id="detail-reply")

    def show(self, event: FeedEvent, body: Body | None) -> None:
        self.event, self.body = event, body
        self.add_class("-open")
        self.scroll_home(animate=False)
        self.query_one("#detail-title", Static).update(self._title(event))
        self.query_one("#detail-summary", Static).update(
            Content("\n".join(self._summary(event, body)))
        )
        raw = body.raw if body else b""
        self._sip_text = sip_message(raw)
        sip = self.query_one("#detail-sip", Static)
        sip.update(Content(self._sip_text))
        for widget in (sip, self.query_one("#detail-sip-title")):
            widget.display = bool(self._sip_text)
        icws = event.source == SOURCE_ICWS
        self.query_one("#detail-request-title", Static).update(
            "ICWS message" if icws else "Request body"
        )
        self._request_text, is_json = pretty_json(raw)
        request = self._request_text or "(no body kept: see the journal)"
        self.query_one("#detail-request", Static).update(
            highlight(request, language="json") if is_json else Content(request)
        )
        reply_text, reply_json = pretty_json(body.reply if body else b"")
        reply = self.query_one("#detail-reply", Static)
        reply.update(highlight(reply_text, language="json") if reply_json else Content(reply_text))
        for widget in (reply, self.query_one("#detail-reply-title")):
            widget.display = bool(reply_text)

    def _title(self, event: FeedEvent) -> Content:
        parts = [event.method or event.kind, event.status, event.info]
        title = "  ".join(p for p in parts if p)
        return Content(f"{title}   (seq {event.seq}, {SEVERITY_NAMES[event.severity]})")

    def _summary(self, event: FeedEvent, body: Body | None) -> list[str]:
        moment = (
            datetime.fromtimestamp(event.ts, UTC)
            if self.utc
            else datetime.fromtimestamp(event.ts).astimezone()
        )
        icws = event.source == SOURCE_ICWS
        lines = [moment.isoformat(timespec="milliseconds") + f"  · {event.source}"]
        # The same fields carry other things for ICWS: its server, subscription id, message
        # class and interaction id, named as ICWS names them.
        where = [
            f"{'server' if icws else 'node'} {event.node}" if event.node else "",
            f"{'subscription' if icws else 'app'} {event.app}" if event.app else "",
        ]
        if event.kind:
            kind = f"message class {event.kind}" if icws else f"kind {event.kind}"
            where.append(kind if icws else _REFUSAL.get(event.kind, kind))
        lines.append(" · ".join(w for w in where if w))
        ids = [("interaction" if icws else "call", event.call), ("stream", event.stream),
               ("media", event.media), ("session", event.session), ("queue", event.queue),
               ("user", event.user), ("errorId", event.error_id)]  # fmt: skip
        line = " · ".join(f"{name} {value}" for name, value in ids if value)
        if line:
            lines.append(line)
        if event.caller or event.callee:
            lines.append(f"caller {event.caller or '?'} → callee {event.callee or '?'}")
        if event.sip_status:
            lines.append(f"SIP status {event.sip_status}")
        lines.append(self._reply_line(event, body))
        return lines

    def _reply_line(self, event: FeedEvent, body: Body | None) -> str:
        if event.source == SOURCE_ICWS:
            return "read from the ICWS server's message channel (not a hook: nothing is answered)"
        if not event.reply_status:
            return "no HTTP reply (not a hook)"
        text = f"answered {event.reply_status}"
        if event.latency_ms >= 0:
            text += f" in {event.latency_ms:.2f} ms"
        if event.flags & FLAG_TAP:
            meta = body.meta if body else {}
            url, took = meta.get("upstream_url", "?"), meta.get("upstream_ms", "?")
            text += f" — from upstream {url} ({took} ms)"
        elif event.flags & FLAG_FALLBACK:
            meta = body.meta if body else {}
            what = "answered as backend" if event.rule != "pass-error" else "passed the error on"
            text += f" — upstream failed ({meta.get('upstream_error', '?')}); the console {what}"
        elif event.rule:
            text += f" — rule {event.rule}"
        else:
            text += " as backend"
        if event.flags & FLAG_DUPLICATE:
            text += " · duplicate of a hook seconds earlier (a WCS retry)"
        return text

    def error_text(self) -> str:
        """What the inspector should decode for this event: the hook line, reply and body."""
        if self.event is None:
            return ""
        body = self.body
        path = str(body.meta.get("path", "")) if body else ""
        return inspect_text_for(self.event, body.raw if body else b"", path)

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed())

    def action_copy(self, what: str) -> None:
        text = self._sip_text if what == "sip" else self._request_text
        if not text:
            self.notify("Nothing to copy", severity="warning")
            return
        icws = self.event is not None and self.event.source == SOURCE_ICWS
        body = "the ICWS message" if icws else "the request body"
        self.post_message(CopyRequested(text, "the SIP message" if what == "sip" else body))

    def action_save(self) -> None:
        if self.event is not None:
            self.post_message(self.SaveRequested(self.event.seq))

    def action_inspect(self) -> None:
        text = self.error_text()
        if not text:
            self.notify("This event carries no error to inspect", severity="warning")
            return
        self.post_message(self.InspectRequested(text))
