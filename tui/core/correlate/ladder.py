"""The ladder of one group: who said what to whom, in time order (pure; the ladder screen and
``noc-console ladder`` draw it).

Lanes, left to right: the SIP peer (known from the SIP messages WCS reports), the client (browser
or SDK), the WCS node, the backend (the console, or the upstream in tap mode) and, when the call
is linked, the ICWS interaction. Arrows, from what the events say:

- a direct invocation (``call``, ``answer``, ``publishStream``…): client → WCS;
- an incoming invocation (``OnCallEvent``): SIP peer → WCS;
- every hook: WCS → backend, and our reply: backend → WCS (status, latency, rule);
- every status WCS reports (``CallStatusEvent`` FAILED): WCS → client;
- every SIP message in ``sipMessageRaw``: a response peer → WCS, a request WCS → peer (peer →
  WCS on an incoming call);
- every ICWS message about the linked interaction: ICWS → console.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tui.core.feed import (
    FLAG_DUPLICATE,
    FLAG_TAP,
    SOURCE_ICWS,
    FeedEvent,
    iso_time,
)

CLIENT = "client"
WCS = "wcs"
BACKEND = "backend"
SIP = "sip"
ICWS = "icws"
# WCS sits between the lanes it talks to most (the client, and the backend its hooks go to);
# the SIP peer and ICWS, with fewer arrows, take the ends.
LANES = (SIP, CLIENT, WCS, BACKEND, ICWS)


@dataclass(frozen=True, slots=True)
class Arrow:
    """One message on the ladder."""

    t: float
    src: str
    dst: str
    label: str
    seq: int
    what: str  # "invoke" | "hook" | "reply" | "status" | "sip" | "icws"
    error: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "t": iso_time(self.t),
            "from": self.src,
            "to": self.dst,
            "label": self.label,
            "seq": self.seq,
            "what": self.what,
            **({"error": True} if self.error else {}),
        }


@dataclass(frozen=True)
class Ladder:
    """The lanes that carry something, their names, and the arrows in time order."""

    lanes: tuple[str, ...]
    names: dict[str, str]
    arrows: tuple[Arrow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "lanes": [{"lane": lane, "name": self.names[lane]} for lane in self.lanes],
            "arrows": [a.to_json() for a in self.arrows],
        }


SipOf = Callable[[int], str]
"""The SIP message (``sipMessageRaw``) of the event with this seq, "" if none."""


def _no_sip(seq: int) -> str:
    return ""


def sip_summary(message: str) -> tuple[str, bool]:
    """(label, is a response) for a SIP message's first line: ``503 Service Unavailable``."""
    first = message.strip().split("\n", 1)[0].strip()
    if first.upper().startswith("SIP/2.0"):
        return first[7:].strip()[:40], True
    return first.split(" ", 1)[0][:20], False


def build_ladder(
    events: Iterable[FeedEvent], sip_of: SipOf = _no_sip, *, tap: bool = False
) -> Ladder:
    """The ladder of these events (one group's, its B-legs' and its linked interaction's, in any
    order). A B-leg's messages (events naming a parentCallId) are marked ``B``."""
    ordered = sorted(events, key=lambda e: (e.ts, e.seq))
    legs = {e.call for e in ordered if e.parent}
    ordered = [e._replace(method=f"B {e.method}") if e.call in legs else e for e in ordered]
    arrows: list[Arrow] = []
    node = ""
    for e in ordered:
        if e.source == SOURCE_ICWS:
            label = e.status or e.method
            if e.queue:
                label += f" ({e.queue})"
            arrows.append(Arrow(e.ts, ICWS, BACKEND, label, e.seq, "icws", e.is_error))
            continue
        node = node or e.node
        dup = " (retry)" if e.flags & FLAG_DUPLICATE else ""
        if e.kind == "direct":
            arrows.append(Arrow(e.ts, CLIENT, WCS, e.method, e.seq, "invoke"))
        elif e.kind == "incoming":
            arrows.append(Arrow(e.ts, SIP, WCS, "INVITE", e.seq, "invoke"))
        sip = sip_of(e.seq) if e.sip_status or e.kind in ("event", "incoming") else ""
        if sip:
            label, response = sip_summary(sip)
            src, dst = (SIP, WCS) if response or e.kind == "incoming" else (WCS, SIP)
            arrows.append(Arrow(e.ts, src, dst, label, e.seq, "sip", e.sip_status >= 400))
        hook = e.method + (f" {e.status}" if e.kind == "event" and e.status else "") + dup
        arrows.append(Arrow(e.ts, WCS, BACKEND, hook, e.seq, "hook"))
        if e.reply_status:
            reply = str(e.reply_status)
            if e.latency_ms >= 0:
                reply += f" {e.latency_ms:.1f} ms"
            if e.rule and e.reply_status != 200:
                reply += f" {e.rule}"
            arrows.append(Arrow(e.ts, BACKEND, WCS, reply, e.seq, "reply", e.reply_status >= 400))
        if e.kind == "event" and e.status and e.method != "StreamKeepAliveEvent":
            status = e.status + (f" {e.sip_status}" if e.sip_status else "")
            arrows.append(Arrow(e.ts, WCS, CLIENT, status, e.seq, "status", e.is_error))
    tap = tap or any(e.flags & FLAG_TAP for e in ordered)
    names = {
        CLIENT: "client",
        WCS: f"WCS {_short_node(node)}" if node else "WCS",
        BACKEND: "upstream" if tap else "console",
        SIP: "SIP peer",
        ICWS: "ICWS",
    }
    used = {a.src for a in arrows} | {a.dst for a in arrows}
    lanes = tuple(lane for lane in LANES if lane in used)
    return Ladder(lanes, {lane: names[lane] for lane in lanes}, tuple(arrows))


def _short_node(node: str) -> str:
    """A WCS nodeId is ``<32 characters>@<ip>``: the IP is what an operator knows it by."""
    return node.rsplit("@", 1)[-1] if "@" in node else node[:16]
