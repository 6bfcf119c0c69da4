"""The Calls screen's table: which groups it lists (filtered, sorted), which columns fit the
width, how each cell reads a group, and the counts its header line shows.

Everything here is plain Python over :class:`~tui.core.correlate.Group`; the widget draws only
the rows on screen, and the screen rebuilds the list on its clock (never once per event).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter
from typing import Any

from tui.core.correlate import KIND_CALL, KIND_INTERACTION, KIND_SESSION, KIND_STREAM, Group
from tui.core.correlate.correlator import Correlator
from tui.core.correlate.group_query import GroupQuery
from tui.core.correlate.rates import sparkline

KIND_TITLES = {
    KIND_CALL: "Calls",
    KIND_STREAM: "Streams",
    KIND_SESSION: "Sessions",
    KIND_INTERACTION: "ICWS interactions",
}
QUIET_AFTER_S = 60.0  # a node that sent keep-alives and then nothing at all for this long
FAILED_STATES = frozenset({"FAILED", "BUSY"})
MARK_FAILED = "✗"
MARK_REFUSED = "⊘"


def short_node(node: str) -> str:
    """A WCS nodeId is ``<32 characters>@<ip>``: the IP is what an operator knows it by."""
    _, at, ip = node.rpartition("@")
    return ip if at else node


def short_id(ident: str, width: int) -> str:
    """An id cut to ``width`` keeping its end, which is where ids differ (UUIDs, session ids
    that start with the same client address); an ``@host`` suffix shared by a node's calls goes
    first."""
    if len(ident) <= width:
        return ident
    head, at, _ = ident.partition("@")
    if at and len(head) >= 4:
        ident = head
        if len(ident) <= width:
            return ident
    return "…" + ident[-(width - 1) :] if width > 1 else ident[-width:]


def duration_text(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f}s"
    whole = int(seconds)
    if whole < 3600:
        return f"{whole // 60}:{whole % 60:02d}"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}"


def state_text(group: Group) -> str:
    """The state as a word; a call the console refused says so (WCS then reports it PENDING,
    or FAILED: the refusal is the story)."""
    if group.refused:
        return "REFUSED"
    return group.state or "?"


def mark(group: Group) -> str:
    """A mark that repeats the colour: failed and refused rows read differently in monochrome."""
    if group.refused:
        return MARK_REFUSED
    return MARK_FAILED if group.failed else " "


def status_text(group: Group) -> str:
    if group.sip_status:
        return str(group.sip_status)
    if group.refused:
        return "403"  # the console refused it, whatever it answered later
    return ""


@dataclass(frozen=True)
class CallColumn:
    """A column: its title, width (0: takes what is left, at least ``min_width``), how it reads
    a group, and when it goes as the terminal narrows (a lower ``keep`` goes first)."""

    key: str
    title: str
    width: int
    cell: Callable[[Group, int], str]
    keep: int = 9
    right: bool = False
    min_width: int = 0


def _clock(ts: float, utc: bool) -> str:
    moment = datetime.fromtimestamp(ts, UTC) if utc else datetime.fromtimestamp(ts)
    return moment.strftime("%H:%M:%S")


def _linked(group: Group, width: int) -> str:
    if not group.linked:
        return ""
    kind, _, ident = group.linked.partition(":")
    return f"{kind[:1]}:{short_id(ident, max(width - 2, 1))}"  # c:… a call, i:… an interaction


def live_duration(group: Group, now: float) -> float:
    """How long it has lasted: to its last event once it ended, to ``now`` (the latest event
    time the correlator saw) while it is live."""
    if group.ended or now <= group.first:
        return group.duration_s
    return max(group.duration_s, now - group.first)


def columns_for(utc: bool, now: Callable[[], float] = lambda: 0.0) -> list[CallColumn]:
    return [
        CallColumn("mark", "!", 1, lambda g, w: mark(g), keep=10),
        CallColumn("id", "id", 0, lambda g, w: short_id(g.id, w), keep=10, min_width=10),
        CallColumn("node", "node", 15, lambda g, w: short_node(g.node), keep=8),
        CallColumn("caller", "caller", 12, lambda g, w: g.caller or g.queue, keep=7),
        CallColumn("callee", "callee", 12, lambda g, w: g.callee or g.user, keep=7),
        CallColumn("first", "first", 8, lambda g, w: _clock(g.first, utc), keep=6),
        CallColumn(
            "duration", "dur", 6, lambda g, w: duration_text(live_duration(g, now())), 6, True
        ),
        CallColumn("state", "state", 11, lambda g, w: state_text(g), keep=10),
        CallColumn("status", "sip", 3, lambda g, w: status_text(g), keep=9, right=True),
        CallColumn("events", "ev", 4, lambda g, w: str(g.events), keep=5, right=True),
        CallColumn("linked", "linked", 10, _linked, keep=4),
    ]


def layout(
    width: int, *, utc: bool = True, now: Callable[[], float] = lambda: 0.0
) -> list[CallColumn]:
    """The columns that fit ``width`` (one space between columns), in their order; ``now``
    gives the time a live group's duration runs to."""
    columns = columns_for(utc, now)
    while len(columns) > 2:
        fixed = sum(c.width for c in columns) + len(columns) - 1
        flexible = min((c.min_width for c in columns if not c.width), default=0)
        if fixed + flexible <= width:
            break
        columns.remove(min(columns, key=lambda c: c.keep))
    return columns


def flex_width(columns: Sequence[CallColumn], total: int) -> int:
    fixed = sum(c.width for c in columns if c.width) + len(columns) - 1
    return max(total - fixed, 4)


def fit(text: str, width: int, right: bool = False) -> str:
    """Exactly ``width`` characters: cut with an ellipsis, or padded."""
    if len(text) > width:
        return text[: max(width - 1, 0)] + "…" if width > 1 else text[:width]
    return text.rjust(width) if right else text.ljust(width)


def cells(group: Group, columns: Sequence[CallColumn], flex: int) -> list[tuple[str, str]]:
    """(column key, text exactly as wide as the column) for one group."""
    out = []
    for column in columns:
        width = column.width or flex
        out.append((column.key, fit(column.cell(group, width), width, column.right)))
    return out


def header_line(columns: Sequence[CallColumn], total: int) -> str:
    flex = flex_width(columns, total)
    return " ".join(fit(c.title, c.width or flex, c.right) for c in columns)


# -- sorting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    """One order of the table; ``s`` cycles through :data:`SORTS`. Rows start newest first
    and are then sorted stably on ``key``, so equal keys stay newest first."""

    name: str
    key: Callable[[Group], Any] | None  # None: newest first as it is
    reverse: bool = True


SORTS: tuple[Sort, ...] = (
    Sort("newest first", None),
    Sort("failed first", lambda g: g.failed),
    Sort("longest first", lambda g: g.last - g.first),
    Sort("most events", attrgetter("events")),
    Sort("by node", attrgetter("node"), reverse=False),
    Sort("by state", attrgetter("state"), reverse=False),
)


def select(correlator: Correlator, kind: str, query: GroupQuery | None, sort: Sort) -> list[Group]:
    """The groups of one kind that pass the filter, in the sort's order."""
    groups = correlator.groups(kind)  # oldest first
    if query is not None and not query.is_empty:
        predicate = query.predicate
        groups = [g for g in groups if predicate(g)]
    groups.reverse()
    if sort.key is not None:
        groups.sort(key=sort.key, reverse=sort.reverse)  # stable: ties stay newest first
    return groups


# -- the header line --------------------------------------------------------------------------


@dataclass(frozen=True)
class KindCounts:
    """What the header line says about one kind: states now, endings, and per node."""

    live: tuple[tuple[str, int], ...]
    ended: tuple[tuple[str, int], ...]
    nodes: tuple[tuple[str, int, int], ...]  # (node, groups, failed), busiest first
    total: int
    quiet: tuple[tuple[str, float], ...] = ()  # (node, seconds) not heard from for a while
    per: str = "node"  # what ``nodes`` counts by: "node", or "queue" for ICWS interactions


_NODE = attrgetter("node")
_QUEUE = attrgetter("queue")


def kind_counts(correlator: Correlator, kind: str, limit_nodes: int = 8) -> KindCounts:
    live = correlator.live[kind].most_common()
    ended = correlator.ended[kind].most_common()
    groups = correlator.groups(kind)
    if kind == KIND_INTERACTION:  # a contact centre is read by queue: Support 12  Sales 4
        queues = Counter(map(_QUEUE, groups))
        failed_q = Counter(g.queue for g in groups if g.failed)
        rows = tuple((q or "?", n, failed_q[q]) for q, n in queues.most_common(limit_nodes))
        return KindCounts(tuple(live), tuple(ended), rows, sum(queues.values()), per="queue")
    by_id = Counter(map(_NODE, groups))  # counted in C: 100,000 calls in a few ms
    failed_by_id = Counter(g.node for g in groups if g.failed)
    per_node: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for node, n in by_id.items():  # a node's short name may be shared by two ids
        name = short_node(node) if node else "?"
        per_node[name] += n
        failed[name] += failed_by_id[node]
    nodes = tuple((n, c, failed[n]) for n, c in per_node.most_common(limit_nodes))
    quiet = tuple(
        (short_node(health.node), silent)
        for health in correlator.nodes.values()
        if health.last_keepalive_ts  # a WCS node with streams: heard from every few seconds
        and (silent := health.silent_for(correlator.now)) >= QUIET_AFTER_S
    )
    return KindCounts(tuple(live), tuple(ended), nodes, sum(per_node.values()), quiet[:limit_nodes])


def counts_lines(counts: KindCounts) -> list[list[tuple[str, str]]]:
    """The header's two lines (states now and endings; then per node) as (text, tone)
    pieces; tone is "", "bad" or "muted"."""
    states: list[tuple[str, str]] = [("live ", "muted")]
    states += [(f"{state} {n}  ", "") for state, n in counts.live] or [("none  ", "muted")]
    if counts.ended:
        states.append(("ended ", "muted"))
        for state, n in counts.ended:
            states.append((f"{state} {n}  ", "bad" if state in FAILED_STATES else ""))
    nodes: list[tuple[str, str]] = [(f"per {counts.per} ", "muted")]
    for node, n, bad in counts.nodes:
        nodes.append((f"{node} {n}", ""))
        nodes.append((f" ({bad} failed)  " if bad else "  ", "bad" if bad else ""))
    if not counts.nodes:
        nodes.append(("none yet", "muted"))
    for node, silent in counts.quiet:  # a node that stopped sending stands out
        nodes.append((f"{node} QUIET {duration_text(silent)}  ", "bad"))
    return [states, nodes]


def rates_line(events: list[int], failures: list[int], width: int) -> list[tuple[str, str]]:
    """The header's third line: events and failures per second over the last minute, as
    sparklines with the latest second's figure ("events/s ▁▃▅ 42  failures/s  ▂ 3")."""
    if not events:
        return [("rates: nothing yet", "muted")]
    half = max(8, (width - 50) // 2)
    peak = max(events)
    out: list[tuple[str, str]] = [("events/s ", "muted")]
    out.append((sparkline(events, half, peak), ""))
    out.append((f" {events[-1]:,}  ", ""))
    out.append(("failures/s ", "muted"))
    out.append((sparkline(failures, half, max(failures) or 1), "bad" if any(failures) else ""))
    out.append((f" {failures[-1]:,}", "bad" if failures[-1] else ""))
    out.append(("  last 60 s", "muted"))
    return out
