"""The ladder screen's model: which events make a group's ladder, which lanes are folded, how
wide the drawing is, how each arrow is toned, and the text a ticket gets.

The events are found again by the group's seqs (the store's buffer first, then the journal);
the drawing is :func:`~tui.core.correlate.ladder_text.ladder_lines`, one line per arrow, so the
screen, the saved file and ``noc-console ladder`` draw the same geometry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from tui.core.correlate import Group
from tui.core.correlate.correlator import Correlator
from tui.core.correlate.ladder import CLIENT, ICWS, SIP, Arrow, Ladder
from tui.core.correlate.ladder_text import LEFT, ladder_lines
from tui.core.feed import FeedEvent

MAX_EVENTS = 2000  # a long session's ladder shows its first events and says how many more
FOLDABLE = (CLIENT, SIP, ICWS)  # the WCS node and the backend always stay
READABLE_GAP = 16  # columns between lanes that keep most labels whole
FEW_LANES_BELOW = 100  # under this width the ladder starts with fewer lanes


@dataclass(frozen=True)
class LadderEvents:
    """A group's events (and its linked group's), in time order, and how many are not shown."""

    events: tuple[FeedEvent, ...]
    missing: int  # in neither the buffer nor the journal
    cut: int  # over MAX_EVENTS


def gather(
    group: Group,
    correlator: Correlator,
    find: Callable[[int], FeedEvent | None],
    limit: int = MAX_EVENTS,
) -> LadderEvents:
    """The events of ``group`` and of the group it is linked to, looked up with ``find``."""
    seqs = list(group.seqs)
    linked = correlator.get(group.linked) if group.linked else None
    if linked is not None:
        seqs += linked.seqs
    if group.kind == "call":  # its B-legs: one story with the A-leg
        for leg in correlator.legs_of(group):
            seqs += leg.seqs
    seqs = sorted(set(seqs))
    cut = max(0, len(seqs) - limit)
    events = []
    missing = 0
    for seq in seqs[:limit]:
        event = find(seq)
        if event is None:
            missing += 1
        else:
            events.append(event)
    events.sort(key=lambda e: (e.ts, e.seq))
    return LadderEvents(tuple(events), missing, cut)


def fold(ladder: Ladder, hidden: Iterable[str]) -> Ladder:
    """The ladder without the hidden lanes and the arrows that touch them."""
    gone = set(hidden)
    lanes = tuple(lane for lane in ladder.lanes if lane not in gone)
    if len(lanes) < 1:
        return ladder
    arrows = tuple(a for a in ladder.arrows if a.src not in gone and a.dst not in gone)
    return Ladder(lanes, {lane: ladder.names[lane] for lane in lanes}, arrows)


def default_hidden(ladder: Ladder, width: int) -> set[str]:
    """Narrow terminals start with fewer lanes: the client first (its arrows repeat what the
    hooks say), then the SIP peer; an ICWS lane (a linked interaction) stays."""
    hidden: set[str] = set()
    if width >= FEW_LANES_BELOW:
        return hidden
    keep = 3 if width < 70 else 4
    for lane in (CLIENT, SIP):
        if len(ladder.lanes) - len(hidden) <= keep:
            break
        if lane in ladder.lanes:
            hidden.add(lane)
    return hidden


def draw_width(lanes: int, view_width: int) -> int:
    """The drawing's width: the view's, or wider (scrolled sideways) when the lanes need it."""
    return max(view_width, LEFT + 2 + max(lanes - 1, 0) * READABLE_GAP + 2)


def tone(arrow: Arrow) -> str:
    """How an arrow is drawn: "error" (a failure, a refusal, a SIP 4xx-6xx), "reply" (our
    answers, dim), "sip", "icws" or "" (the rest)."""
    if arrow.error:
        return "error"
    if arrow.what in ("reply", "sip", "icws"):
        return arrow.what
    return ""


def _stamp(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")


def ticket_text(
    group: Group, ladder: Ladder, gathered: LadderEvents, *, width: int = 120, utc: bool = True
) -> str:
    """The ladder as a ticket wants it: what the group is, then every lane and arrow."""
    head = [
        f"{group.kind} {group.id}",
        f"node {group.node or '?'}  {group.caller or '?'} → {group.callee or '?'}",
        f"first {_stamp(group.first)}  last {_stamp(group.last)}  "
        f"duration {group.duration_s:.3f} s  state {group.state or '?'}"
        + (f"  SIP {group.sip_status}" if group.sip_status else "")
        + (f"  ({group.reason})" if group.reason else ""),
    ]
    if group.linked:
        head.append(f"linked to {group.linked}: {group.link_why}")
    if group.parent:
        head.append(f"B-leg of call {group.parent}")
    if group.kind == "call" and group.children:
        head.append(f"B-legs: {', '.join(group.children)} (their messages marked B)")
    if gathered.missing or gathered.cut:
        head.append(
            f"not shown: {gathered.missing} events no longer kept, {gathered.cut} over the limit"
        )
    lines = ladder_lines(ladder, draw_width(len(ladder.lanes), width), utc=utc)
    return "\n".join([*head, "", *lines]) + "\n"


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ticket_name(group: Group) -> str:
    """A file name for the saved ladder (the id's own characters where they are safe)."""
    safe = _UNSAFE.sub("_", group.id).strip("_")[-60:] or "group"
    return f"ladder-{group.kind}-{safe}.txt"
