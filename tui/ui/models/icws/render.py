"""Lines for the ICWS state panel, built from the state model's views.

A line is a list of ``(text, style name)`` pieces: cheap to build for every interaction on
every redraw, turned into styled segments only for the rows on screen. Every string from the
server was cleaned by the state model (no control sequences) and stays plain text here, so a
queue called ``[red]x`` shows as exactly that.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.icws_state import AgentView, AlertView, QueueView, StatisticView
from tui.core.protocols.icws_wire import format_seconds
from tui.core.sources import LinkState, SourceStatus

Piece = tuple[str, str]  # (text, style name: "" plain, "title", "muted", "ok", "warn", ...)
Line = list[Piece]
Block = list[Line]

STYLE_NAMES = ("title", "heading", "muted", "ok", "warn", "error", "accent", "stale")
STATE_STYLE = {
    "O": "warn",
    "A": "warn",
    "R": "warn",
    "C": "ok",
    "H": "accent",
    "P": "accent",
    "X": "error",
    "E": "muted",
    "I": "muted",
    "?": "error",
}
LINK_STYLE = {
    LinkState.IDLE: "muted",
    LinkState.CONNECTING: "warn",
    LinkState.UP: "ok",
    LinkState.DEGRADED: "warn",
    LinkState.DOWN: "error",
}
_STAT_SHORT = {
    "NumberAvailableForACDInteractions": "AvailableForACD",
    "InteractionsWaiting": "Waiting",
    "InteractionsEntered": "Entered",
    "InteractionsAnswered": "Answered",
    "InteractionsCompleted": "Completed",
}


@dataclass(frozen=True, slots=True)
class PanelOptions:
    """What the operator chose to see."""

    details: bool = True  # one line per interaction under each queue
    waiting_only: bool = False  # only interactions not yet answered
    server: str | None = None  # one server, or all


def plain(block: Block) -> str:
    """A block as plain text, one line per line (tests, copying)."""
    return "\n".join("".join(text for text, _ in line) for line in block)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _age(now: float, since: float | None) -> str:
    return format_seconds(now - since) if since is not None else "-"


def _clock(stamp: float | None) -> str:
    return time.strftime("%H:%M:%SZ", time.gmtime(stamp)) if stamp is not None else "-"


def sources_block(sources: Sequence[SourceStatus], notes: dict[str, str]) -> Block:
    """One line per ICWS server: its link state, what it is doing, and any note."""
    if not sources:
        return [[("No ICWS server is configured: add an [[icws]] block to the config.", "muted")]]
    block: Block = []
    for source in sources:
        kind = LINK_STYLE[source.state]
        line: Line = [
            (f"{source.state.symbol} ", kind),
            (source.name, "title"),
            (f" {source.state.value}", kind),
        ]
        if source.detail:
            line.append((f" · {source.detail}", "muted"))
        if source.insecure:
            line.append((" TLS-OFF", "error"))
        note = notes.get(source.name, "")
        if note:
            line.append((f" · {note}", "warn"))
        block.append(line)
    return block


def _queue_header(queue: QueueView, now: float, several: bool) -> Line:
    label = f"{queue.label} @{queue.server}" if several else queue.label
    waiting = queue.waiting
    talking = queue.count("C") + queue.count("H")
    line: Line = [
        (_clip(label, 24), "title"),
        (f"  {waiting} waiting", "warn" if waiting else "muted"),
        (f" · {talking} talking · {len(queue.interactions)} in queue", "muted"),
    ]
    longest = queue.longest_wait(now)
    if longest is not None:
        line.append((f" · longest {format_seconds(longest)}", "warn"))
    if queue.stale:
        line.append(("  stale: waiting for a fresh snapshot", "stale"))
    if queue.limit_exceeded:
        line.append(("  incomplete: server result limit", "error"))
    return line


def queues_block(
    queues: Sequence[QueueView], now: float, options: PanelOptions, width: int
) -> Block:
    block: Block = [[("QUEUES", "heading")]]
    if not queues:
        block.append([("no queue subscriptions yet", "muted")])
        return block
    several = len({q.server for q in queues}) > 1
    remote_width = max(8, min(24, width - 54))  # the other columns take 54
    for queue in queues:
        block.append(_queue_header(queue, now, several))
        if not options.details:
            continue
        shown = [i for i in queue.interactions if i.waiting or not options.waiting_only]
        for item in shown:
            media = " ".join(p for p in (item.media, item.direction) if p)
            block.append(
                [
                    (f"  {_clip(item.interaction_id, 10):<10} ", "muted"),
                    (f"{_clip(item.state_name, 12):<12} ", STATE_STYLE.get(item.state, "muted")),
                    (f"{_clip(item.remote or '-', remote_width):<{remote_width}} ", ""),
                    (f"{_clip(media, 8):<8} ", "muted"),
                    (f"{_clip(item.user, 10):<10} ", ""),
                    (f"{_age(now, item.started):>7}", "muted"),
                ]
            )
        hidden = len(queue.interactions) - len(shown)
        if hidden:
            block.append([(f"  … {hidden} answered not shown (waiting-only view)", "muted")])
    return block


def agents_block(agents: Sequence[AgentView], now: float) -> Block:
    head: Line = [("AGENTS", "heading")]
    block: Block = [head]
    if not agents:
        block.append([("no user statuses watched (user_statuses in [[icws]])", "muted")])
        return block
    if agents[0].stale:
        head.append(("  stale: waiting for a fresh snapshot", "stale"))
    for agent in agents:
        if agent.logged_in is False:
            mark, kind = "○", "muted"
        elif agent.do_not_disturb:
            mark, kind = "⊘", "error"
        elif agent.acd or agent.status_text.casefold() == "available":
            mark, kind = "●", "ok"
        else:
            mark, kind = "◐", "warn"
        line: Line = [
            (f" {mark} ", kind),
            (f"{_clip(agent.user, 12):<12} ", ""),
            (f"{_clip(agent.status_text, 16):<16} ", kind),
            (f"{_age(now, agent.since):>6}", "muted"),
        ]
        if agent.on_phone:
            line.append((" phone", "accent"))
        block.append(line)
    return block


def statistics_block(stats: Sequence[StatisticView]) -> Block:
    head: Line = [("STATISTICS", "heading")]
    block: Block = [head]
    if not stats:
        block.append([("no statistics watched ([[icws.statistics]])", "muted")])
        return block
    if any(s.stale for s in stats):
        head.append(("  stale", "stale"))
    for stat in stats:
        name = _STAT_SHORT.get(stat.name, stat.name)  # the feed keeps the full identifier
        block.append(
            [
                (f" {_clip(stat.where or '-', 10):<10} ", "muted"),
                (f"{_clip(name, 24):<24} ", ""),
                (stat.value, "error" if stat.failed else "title"),
            ]
        )
    return block


def alerts_block(alerts: Sequence[AlertView]) -> Block:
    block: Block = [[("ALERTS", "heading")]]
    if not alerts:
        block.append([("none raised", "muted")])
        return block
    for alert in alerts:
        block.append(
            [
                (" ▲ ", "error"),
                (f"{alert.statistic} = {alert.value}", "warn"),
                (f"  {alert.definition} / {alert.rule} since {_clock(alert.raised)}", "muted"),
            ]
        )
    return block
