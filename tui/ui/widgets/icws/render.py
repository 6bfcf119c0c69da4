"""Text for the ICWS state panel, built from the state model's views (plain Text, no markup).

Every string from the server was cleaned by the state model (no control sequences) and is
appended as plain text here, so a queue called ``[red]x`` shows as exactly that.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from tui.core.icws_state import AgentView, AlertView, QueueView, StatisticView
from tui.core.protocols.icws_wire import format_seconds
from tui.core.sources import LinkState, SourceStatus

StyleOf = Callable[[str], Style]

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


@dataclass(frozen=True, slots=True)
class PanelOptions:
    """What the operator chose to see."""

    details: bool = True  # one line per interaction under each queue
    waiting_only: bool = False  # only interactions not yet answered
    server: str | None = None  # one server, or all


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _age(now: float, since: float | None) -> str:
    return format_seconds(now - since) if since is not None else "-"


def _clock(stamp: float | None) -> str:
    return time.strftime("%H:%M:%SZ", time.gmtime(stamp)) if stamp is not None else "-"


def sources_text(sources: Sequence[SourceStatus], notes: dict[str, str], style: StyleOf) -> Text:
    """One line per ICWS server: its link state, what it is doing, and any note."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if not sources:
        text.append(
            "No ICWS server is configured: add an [[icws]] block to the config.", style("muted")
        )
        return text
    for index, source in enumerate(sources):
        if index:
            text.append("\n")
        text.append(f"{source.state.symbol} ", style(LINK_STYLE[source.state]))
        text.append(source.name, style("title"))
        text.append(f" {source.state.value}", style(LINK_STYLE[source.state]))
        if source.detail:
            text.append(f" · {source.detail}", style("muted"))
        if source.insecure:
            text.append(" TLS-OFF", style("error"))
        note = notes.get(source.name, "")
        if note:
            text.append(f" · {note}", style("warn"))
    return text


def queues_text(
    queues: Sequence[QueueView], now: float, options: PanelOptions, width: int, style: StyleOf
) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("QUEUES", style("heading"))
    if not queues:
        text.append("\nno queue subscriptions yet", style("muted"))
        return text
    several = len({q.server for q in queues}) > 1
    remote_width = max(8, min(24, width - 55))  # the others take 53, +2 for a scrollbar
    for queue in queues:
        text.append("\n")
        label = f"{queue.label} @{queue.server}" if several else queue.label
        text.append(_clip(label, 24), style("title"))
        waiting = queue.waiting
        text.append(f"  {waiting} waiting", style("warn" if waiting else "muted"))
        connected = queue.count("C") + queue.count("H")
        text.append(f" · {connected} talking · {len(queue.interactions)} in queue", style("muted"))
        longest = queue.longest_wait(now)
        if longest is not None:
            text.append(f" · longest {format_seconds(longest)}", style("warn"))
        if queue.stale:
            text.append("  stale: waiting for a fresh snapshot", style("stale"))
        if queue.limit_exceeded:
            text.append("  incomplete: server result limit", style("error"))
        if not options.details:
            continue
        shown = [i for i in queue.interactions if i.waiting or not options.waiting_only]
        for item in shown:
            text.append("\n  ")
            text.append(f"{_clip(item.interaction_id, 10):<10} ", style("muted"))
            state_style = style(STATE_STYLE.get(item.state, "muted"))
            text.append(f"{_clip(item.state_name, 11):<11} ", state_style)
            who = item.remote or "-"
            text.append(f"{_clip(who, remote_width):<{remote_width}} ")
            media = " ".join(p for p in (item.media, item.direction) if p)
            text.append(f"{_clip(media, 8):<8} ", style("muted"))
            text.append(f"{_clip(item.user or '', 10):<10} ")
            text.append(f"{_age(now, item.started):>7}", style("muted"))
        hidden = len(queue.interactions) - len(shown)
        if hidden:
            text.append(f"\n  … {hidden} answered not shown (waiting-only view)", style("muted"))
    return text


def agents_text(agents: Sequence[AgentView], now: float, style: StyleOf) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("AGENTS", style("heading"))
    if not agents:
        text.append("\nno user statuses watched (user_statuses in [[icws]])", style("muted"))
        return text
    if agents[0].stale:
        text.append("  stale: waiting for a fresh snapshot", style("stale"))
    for agent in agents:
        if agent.logged_in is False:
            mark, kind = "○", "muted"
        elif agent.do_not_disturb:
            mark, kind = "⊘", "error"
        elif agent.acd or agent.status_text.casefold() == "available":
            mark, kind = "●", "ok"
        else:
            mark, kind = "◐", "warn"
        text.append(f"\n {mark} ", style(kind))
        text.append(f"{_clip(agent.user, 12):<12} ")
        text.append(f"{_clip(agent.status_text, 16):<16} ", style(kind))
        text.append(f"{_age(now, agent.since):>6}", style("muted"))
        if agent.on_phone:
            text.append(" phone", style("accent"))
    return text


def statistics_text(stats: Sequence[StatisticView], style: StyleOf) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("STATISTICS", style("heading"))
    if not stats:
        text.append("\nno statistics watched ([[icws.statistics]])", style("muted"))
        return text
    if any(s.stale for s in stats):
        text.append("  stale", style("stale"))
    for stat in stats:
        text.append("\n ")
        text.append(f"{_clip(stat.where or '-', 10):<10} ", style("muted"))
        text.append(f"{_clip(_short_stat(stat.name), 24):<24} ")
        text.append(stat.value, style("error" if stat.failed else "title"))
    return text


_STAT_SHORT = {
    "NumberAvailableForACDInteractions": "AvailableForACD",
    "InteractionsWaiting": "Waiting",
    "InteractionsEntered": "Entered",
    "InteractionsAnswered": "Answered",
    "InteractionsCompleted": "Completed",
}


def _short_stat(name: str) -> str:
    """Long statistic names in fewer columns (the feed keeps the full identifier)."""
    return _STAT_SHORT.get(name, name)


def alerts_text(alerts: Sequence[AlertView], style: StyleOf) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append("ALERTS", style("heading"))
    if not alerts:
        text.append("\nnone raised", style("muted"))
        return text
    for alert in alerts:
        text.append("\n ▲ ", style("error"))
        text.append(f"{alert.statistic} = {alert.value}", style("warn"))
        text.append(
            f"  {alert.definition} / {alert.rule} since {_clock(alert.raised)}", style("muted")
        )
    return text
