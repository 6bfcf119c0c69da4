"""The current ICWS picture: interactions per queue, user statuses, statistics, alerts.

ICWS sends a snapshot first (``isDelta: false``) and differences afterwards. The rule, per
subscription: a message with ``isDelta: false`` *replaces* that subscription's cache, one with
``isDelta: true`` *merges* what it carries and keeps the rest. A cache that has not had its
snapshot since the session started (or since the session was lost) is *stale*: the panel
says so instead of presenting old data as current.

All servers share one model; everything is keyed by server name. ``version`` moves on every
change so the UI can redraw on its clock only when something changed. Pure Python.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.core.protocols.icws import (
    SUB_ALERTS,
    SUB_STATISTICS,
    SUB_STATUS_MESSAGES,
    SUB_USER_STATUSES,
    looks_do_not_disturb,
)
from tui.core.protocols.icws_wire import (
    T_ALERT_NOTIFICATION,
    T_QUEUE_CONTENTS,
    T_STATISTIC_VALUE,
    T_STATUS_MESSAGES,
    T_USER_STATUS,
    WAITING_STATES,
    casefolded,
    decode_eic_state,
    format_statistic_value,
    parse_icws_time,
    statistic_key_text,
)
from tui.core.sanitize import clean_line, text_of


@dataclass(slots=True)
class _Interaction:
    attributes: dict[str, str]  # case-folded name → value
    started: float | None = None

    def merge(self, changes: dict[str, str]) -> None:
        self.attributes.update(changes)
        if "eic_initiationtime" in changes:
            self.started = parse_icws_time(changes["eic_initiationtime"])


@dataclass(slots=True)
class _QueueCache:
    label: str
    interactions: dict[str, _Interaction] = field(default_factory=dict)
    limit_exceeded: bool = False
    snapshot_at: float = 0.0
    unknown_updates: int = 0  # deltas about interactions never announced


@dataclass(slots=True)
class _ServerCaches:
    name: str
    queues: dict[str, _QueueCache] = field(default_factory=dict)  # by subscription id
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # by case-folded userId
    catalogue: dict[str, dict[str, Any]] = field(default_factory=dict)  # by case-folded statusId
    statistics: dict[tuple[str, tuple[tuple[str, str], ...]], StatisticView] = field(
        default_factory=dict
    )
    alerts: dict[tuple[str, str, str], AlertView] = field(default_factory=dict)
    stale: set[str] = field(default_factory=set)  # cache keys waiting for their snapshot
    note: str = ""


@dataclass(frozen=True, slots=True)
class InteractionView:
    """One interaction in a queue, decoded for display (remote text already cleaned)."""

    interaction_id: str
    state: str  # the Eic_State letter ("" not set, "?" unknown)
    state_name: str
    remote: str
    media: str
    direction: str
    user: str
    started: float | None

    @property
    def waiting(self) -> bool:
        return self.state in WAITING_STATES


@dataclass(frozen=True, slots=True)
class QueueView:
    """A watched queue and what is in it now."""

    server: str
    subscription: str
    label: str
    interactions: tuple[InteractionView, ...]
    stale: bool
    limit_exceeded: bool

    @property
    def waiting(self) -> int:
        return sum(1 for i in self.interactions if i.waiting)

    def longest_wait(self, now: float) -> float | None:
        starts = [i.started for i in self.interactions if i.waiting and i.started is not None]
        return max(0.0, now - min(starts)) if starts else None

    def count(self, state: str) -> int:
        return sum(1 for i in self.interactions if i.state == state)


@dataclass(frozen=True, slots=True)
class AgentView:
    """A user and their status, with the catalogue's text and flags when known."""

    server: str
    user: str
    status_id: str
    status_text: str
    do_not_disturb: bool
    acd: bool  # available for ACD interactions, per the catalogue
    logged_in: bool | None
    on_phone: bool
    since: float | None
    stale: bool


@dataclass(frozen=True, slots=True)
class StatisticView:
    """One statistic value."""

    server: str
    identifier: str
    parameters: tuple[tuple[str, str], ...]
    value: str
    failed: bool
    updated: float
    stale: bool = False

    @property
    def name(self) -> str:
        return self.identifier.rsplit(":", 1)[-1]

    @property
    def where(self) -> str:
        return ", ".join(v for _, v in self.parameters)


@dataclass(frozen=True, slots=True)
class AlertView:
    """An alert that is raised (cleared alerts leave the model)."""

    server: str
    definition: str
    rule: str
    statistic: str
    value: str
    raised: float


class IcwsState:
    """Live ICWS state for every server, fed with decoded messages (dicts) in arrival order."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.version = 0
        self._servers: dict[str, _ServerCaches] = {}
        self._appliers: dict[str, Callable[[_ServerCaches, Mapping[str, Any], bool], None]] = {
            T_QUEUE_CONTENTS: self._queue_contents,
            T_USER_STATUS: self._user_status,
            T_STATUS_MESSAGES: self._status_messages,
            T_STATISTIC_VALUE: self._statistics,
            T_ALERT_NOTIFICATION: self._alerts,
        }

    def _caches(self, server: str) -> _ServerCaches:
        caches = self._servers.get(server)
        if caches is None:
            caches = self._servers[server] = _ServerCaches(server)
        return caches

    # -- what the client tells the model ------------------------------------------------

    def watch_queue(self, server: str, subscription: str, label: str) -> None:
        """Name the queue a subscription watches; it is stale until its snapshot arrives."""
        caches = self._caches(server)
        cache = caches.queues.get(subscription)
        if cache is None:
            caches.queues[subscription] = _QueueCache(label=label)
            caches.stale.add(subscription)
        else:
            cache.label = label
        self.version += 1

    def expect_snapshot(self, server: str, *keys: str) -> None:
        """Mark caches as waiting for their (next) ``isDelta: false`` message."""
        caches = self._caches(server)
        caches.stale.update(keys)
        self.version += 1

    def session_lost(self, server: str, note: str) -> None:
        """Everything this server told us may be out of date until the fresh snapshots."""
        caches = self._caches(server)
        caches.stale.update(caches.queues)
        for key, present in (
            (SUB_USER_STATUSES, caches.users),
            (SUB_STATUS_MESSAGES, caches.catalogue),
            (SUB_STATISTICS, caches.statistics),
            (SUB_ALERTS, caches.alerts),
        ):
            if present or key in caches.stale:
                caches.stale.add(key)
        caches.note = clean_line(note, 200)
        self.version += 1

    def set_note(self, server: str, note: str) -> None:
        caches = self._caches(server)
        cleaned = clean_line(note, 200)
        if caches.note != cleaned:
            caches.note = cleaned
            self.version += 1

    def forget(self, server: str) -> None:
        if self._servers.pop(server, None) is not None:
            self.version += 1

    def apply(self, server: str, message: Any) -> bool:
        """Fold one message in; False when the model has nothing to keep from it."""
        if not isinstance(message, Mapping):
            return False
        type_urn = message.get("__type")
        applier = self._appliers.get(type_urn) if isinstance(type_urn, str) else None
        if applier is None:  # not a type the model keeps (or not a type at all: [] or {})
            return False
        try:
            applier(self._caches(server), message, message.get("isDelta") is True)
        except (TypeError, ValueError, AttributeError, KeyError, RecursionError):
            return False  # the normaliser reports the bad message; keep what we had
        self.version += 1
        return True

    # -- appliers -----------------------------------------------------------------------

    def _queue_contents(
        self, caches: _ServerCaches, message: Mapping[str, Any], delta: bool
    ) -> None:
        sub = text_of(message.get("subscriptionId"), 120)
        cache = caches.queues.get(sub)
        if cache is None:
            cache = caches.queues[sub] = _QueueCache(label=sub or "(no subscription id)")
        if not delta:
            cache.interactions = {}
            cache.snapshot_at = self.clock()
            caches.stale.discard(sub)
        if "queueResultLimitExceeded" in message:
            cache.limit_exceeded = message.get("queueResultLimitExceeded") is True
        interactions = cache.interactions
        for key in ("interactionsAdded", "interactionsChanged"):
            items = message.get(key)
            if not isinstance(items, list):
                continue
            for item in items:
                if not isinstance(item, Mapping):
                    continue
                interaction_id = item.get("interactionId")
                if not isinstance(interaction_id, str | int) or isinstance(interaction_id, bool):
                    continue
                interaction_id = str(interaction_id)
                changes = casefolded(item.get("attributes"))
                known = interactions.get(interaction_id)
                if known is None:
                    if key == "interactionsChanged":
                        cache.unknown_updates += 1
                    known = interactions[interaction_id] = _Interaction({})
                known.merge(changes)
        removed = message.get("interactionsRemoved")
        if isinstance(removed, list):
            for interaction_id in removed:
                if isinstance(interaction_id, str | int) and not isinstance(interaction_id, bool):
                    interactions.pop(str(interaction_id), None)

    def _user_status(self, caches: _ServerCaches, message: Mapping[str, Any], delta: bool) -> None:
        if not delta:
            caches.users = {}
            caches.stale.discard(SUB_USER_STATUSES)
        items = message.get("userStatusList")
        if not isinstance(items, list):
            return
        for item in items:
            if not isinstance(item, Mapping) or not isinstance(item.get("userId"), str):
                continue
            key = item["userId"].casefold()
            record = caches.users.setdefault(key, {"userId": item["userId"]})
            for name, value in item.items():
                if name == "userId":
                    continue  # ids are case-insensitive: keep the spelling first seen
                if value is None:
                    record.pop(name, None)  # a property the server removed
                else:
                    record[name] = value

    def _status_messages(
        self, caches: _ServerCaches, message: Mapping[str, Any], delta: bool
    ) -> None:
        if not delta:
            caches.catalogue = {}
            caches.stale.discard(SUB_STATUS_MESSAGES)
        for key in ("statusMessagesAdded", "statusMessagesChanged"):
            items = message.get(key)
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, Mapping) and isinstance(item.get("statusId"), str):
                        caches.catalogue[item["statusId"].casefold()] = dict(item)
        removed = message.get("statusMessagesRemoved")
        if isinstance(removed, list):
            for status_id in removed:
                if isinstance(status_id, str):
                    caches.catalogue.pop(status_id.casefold(), None)

    def _statistics(self, caches: _ServerCaches, message: Mapping[str, Any], delta: bool) -> None:
        if not delta:
            caches.statistics = {}
            caches.stale.discard(SUB_STATISTICS)
        items = message.get("statisticValueChanges")
        if not isinstance(items, list):
            return
        now = self.clock()
        server = caches.name
        for item in items:
            if not isinstance(item, Mapping):
                continue
            identifier, params = statistic_key_text(item.get("statisticKey"))
            if not identifier:
                continue
            value, failed = format_statistic_value(item.get("statisticValue"))
            key = (identifier.casefold(), tuple((t.casefold(), v.casefold()) for t, v in params))
            caches.statistics[key] = StatisticView(
                server, identifier, tuple(params), value, failed, now
            )

    def _alerts(self, caches: _ServerCaches, message: Mapping[str, Any], delta: bool) -> None:
        if not delta:
            caches.alerts = {}
            caches.stale.discard(SUB_ALERTS)
        items = message.get("alertNotificationList")
        if not isinstance(items, list):
            return
        server = caches.name
        for item in items:
            if not isinstance(item, Mapping):
                continue
            identifier, params = statistic_key_text(item.get("statisticKey"))
            definition = text_of(item.get("alertDefinitionId"), 80)
            rule = text_of(item.get("alertRuleId"), 80)
            where = ", ".join(v for _, v in params)
            statistic = f"{identifier} [{where}]" if where else identifier
            key = (definition, rule, statistic)
            if item.get("cleared") is True:
                caches.alerts.pop(key, None)
                continue
            value, _ = format_statistic_value(item.get("statisticValue"))
            raised = parse_icws_time(item.get("timeStamp")) or self.clock()
            caches.alerts[key] = AlertView(server, definition, rule, statistic, value, raised)

    # -- what the UI reads --------------------------------------------------------------

    @property
    def servers(self) -> list[str]:
        return list(self._servers)

    def note(self, server: str) -> str:
        caches = self._servers.get(server)
        return caches.note if caches else ""

    def queues(self, server: str | None = None) -> list[QueueView]:
        out: list[QueueView] = []
        for name, caches in self._servers.items():
            if server is not None and name != server:
                continue
            for sub, cache in caches.queues.items():
                interactions = tuple(
                    sorted(
                        (_interaction_view(i, record) for i, record in cache.interactions.items()),
                        key=lambda v: (v.started is None, v.started or 0.0, v.interaction_id),
                    )
                )
                out.append(
                    QueueView(
                        name,
                        sub,
                        clean_line(cache.label, 60),
                        interactions,
                        sub in caches.stale,
                        cache.limit_exceeded,
                    )
                )
        return out

    def agents(self, server: str | None = None) -> list[AgentView]:
        out: list[AgentView] = []
        for name, caches in self._servers.items():
            if server is not None and name != server:
                continue
            stale = SUB_USER_STATUSES in caches.stale
            for record in caches.users.values():
                out.append(_agent_view(name, record, caches.catalogue, stale))
        out.sort(key=lambda a: (a.server, a.user.casefold()))
        return out

    def statistics(self, server: str | None = None) -> list[StatisticView]:
        out: list[StatisticView] = []
        for name, caches in self._servers.items():
            if server is not None and name != server:
                continue
            stale = SUB_STATISTICS in caches.stale
            for view in caches.statistics.values():
                out.append(view if not stale else _stale(view))
        out.sort(key=lambda s: (s.server, s.where.casefold(), s.identifier.casefold()))
        return out

    def alerts(self, server: str | None = None) -> list[AlertView]:
        out = [
            alert
            for name, caches in self._servers.items()
            if server is None or name == server
            for alert in caches.alerts.values()
        ]
        out.sort(key=lambda a: (a.server, a.raised))
        return out


def _stale(view: StatisticView) -> StatisticView:
    return StatisticView(
        view.server, view.identifier, view.parameters, view.value, view.failed, view.updated, True
    )


def _interaction_view(interaction_id: str, record: _Interaction) -> InteractionView:
    attrs = record.attributes
    letter, name = decode_eic_state(attrs.get("eic_state"))
    remote = (
        attrs.get("eic_remotename")
        or attrs.get("eic_remotetn")
        or attrs.get("eic_remoteaddress", "")
    )
    direction = attrs.get("eic_calldirection", "").upper()
    return InteractionView(
        interaction_id=clean_line(interaction_id, 40),
        state=letter,
        state_name=name or "not set",
        remote=clean_line(remote, 60),
        media=clean_line(attrs.get("eic_objecttype", ""), 20),
        direction={"I": "in", "O": "out"}.get(direction, clean_line(direction, 8)),
        user=clean_line(attrs.get("eic_username", ""), 40),
        started=record.started,
    )


def _agent_view(
    server: str, record: Mapping[str, Any], catalogue: Mapping[str, Mapping[str, Any]], stale: bool
) -> AgentView:
    status_id = text_of(record.get("statusId"), 80)
    entry = catalogue.get(status_id.casefold())
    if entry is not None:
        text = text_of(entry.get("messageText"), 60) or status_id
        dnd = entry.get("isDoNotDisturbStatus") is True
        acd = entry.get("isAcdStatus") is True
    else:
        text, dnd, acd = status_id, looks_do_not_disturb(status_id), False
    logged_in = record.get("loggedIn")
    return AgentView(
        server=server,
        user=text_of(record.get("userId"), 60),
        status_id=status_id,
        status_text=text,
        do_not_disturb=dnd,
        acd=acd,
        logged_in=logged_in if isinstance(logged_in, bool) else None,
        on_phone=record.get("onPhone") is True,
        since=parse_icws_time(record.get("statusChanged")),
        stale=stale,
    )
