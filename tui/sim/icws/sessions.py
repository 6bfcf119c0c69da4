"""A simulated ICWS session: its subscriptions and its destructive message queue.

Each subscription starts with an ``isDelta: false`` snapshot, then gets deltas built from the
world's changes: only the attributes that changed (in the casing the client asked for), only
the users it watches, only the statistics whose value moved.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from tui.core.protocols.icws_wire import (
    T_ALERT_NOTIFICATION,
    T_QUEUE_CONTENTS,
    T_STATISTIC_VALUE,
    T_STATUS_MESSAGES,
    T_USER_STATUS,
    format_icws_time,
)
from tui.sim.icws.world import STATUSES, Changes, ContactCentre, SimAgent, SimInteraction

MAX_QUEUED = 50_000  # a real server would drop a session this far behind; we drop the oldest
WAITING_KEY = "inin.workgroup:InteractionsWaiting"
WORKGROUP_PARAM = "ININ.People.WorkgroupStats:Workgroup"


@dataclass(slots=True)
class QueueSubscription:
    """``PUT …/subscriptions/queues/{id}``: queue ids and attribute names, as requested."""

    queue_ids: list[tuple[int, str]]
    attribute_names: list[str]
    known: set[str] = field(default_factory=set)  # interactions the client has been told of

    def holds(self, item: SimInteraction, world: ContactCentre) -> bool:
        user = item.attributes.get("Eic_UserName", "").casefold()
        for queue_type, name in self.queue_ids:
            folded = name.casefold()
            if queue_type == 2 and item.workgroup.casefold() == folded:
                return True
            if queue_type in (0, 1) and user and user == folded:
                return True
            if queue_type == 3 and user:
                agent = world.agents.get(item.attributes.get("Eic_UserName", ""))
                if agent is not None and agent.station.casefold() == folded:
                    return True
        return False

    def attributes(self, values: dict[str, str], only: set[str] | None = None) -> dict[str, str]:
        """The requested attributes (requested casing), matched case-insensitively."""
        folded = {k.casefold(): v for k, v in values.items()}
        wanted = {k.casefold() for k in only} if only is not None else None
        return {
            name: folded.get(name.casefold(), "")
            for name in self.attribute_names
            if wanted is None or name.casefold() in wanted
        }


def stat_value(kind: str, value: float) -> dict[str, Any]:
    if kind == "duration":
        return {
            "__type": "urn:inin.com:statistics:statisticDurationValue",
            "value": value,
            "statisticValueType": 6,
        }
    if kind == "percent":
        return {
            "__type": "urn:inin.com:statistics:statisticPercentValue",
            "value": value,
            "statisticValueType": 9,
        }
    return {
        "__type": "urn:inin.com:statistics:statisticIntValue",
        "value": int(value),
        "statisticValueType": 0,
    }


UNKNOWN_STAT = {
    "__type": "urn:inin.com:statistics:statisticErrorValue",
    "statisticValueType": 12,
    "errorValueType": 2,  # UnknownStatisticKey
}


def key_params(key: dict[str, Any]) -> tuple[str, str, str]:
    identifier = str(key.get("statisticIdentifier", ""))
    workgroup = user = ""
    for item in key.get("parameterValueItems") or []:
        type_id = str(item.get("parameterTypeId", "")).casefold()
        if type_id.endswith(":workgroup"):
            workgroup = str(item.get("value", ""))
        elif type_id.endswith(":user"):
            user = str(item.get("value", ""))
    return identifier, workgroup, user


class SimSession:
    """One logged-in client on one simulated host."""

    def __init__(self, session_id: str, csrf: str, cookie: str, user: str, now: float) -> None:
        self.session_id = session_id
        self.csrf = csrf
        self.cookie = cookie
        self.user = user
        self.last_seen = now
        self.messages: deque[dict[str, Any]] = deque()
        self.dropped = 0
        self.wakeup = asyncio.Event()
        self.closed = False
        self.queues: dict[str, QueueSubscription] = {}
        self.user_ids: dict[str, str] | None = None  # case-folded → as requested
        self.status_messages = False
        self.stat_keys: list[dict[str, Any]] | None = None
        self.stat_sent: dict[int, Any] = {}
        self.alerts = False

    def push(self, message: dict[str, Any]) -> None:
        if len(self.messages) >= MAX_QUEUED:
            self.messages.popleft()
            self.dropped += 1
        self.messages.append(message)
        self.wakeup.set()

    def take_all(self) -> list[dict[str, Any]]:
        """The destructive read: whatever is queued leaves the server now."""
        out = list(self.messages)
        self.messages.clear()
        self.wakeup.clear()
        return out

    def close(self) -> None:
        self.closed = True
        self.wakeup.set()

    # -- subscriptions: snapshots ---------------------------------------------------------

    def subscribe_queue(
        self, sub_id: str, subscription: QueueSubscription, world: ContactCentre
    ) -> None:
        self.queues[sub_id] = subscription
        items = [i for i in world.interactions.values() if subscription.holds(i, world)]
        subscription.known = {i.interaction_id for i in items}
        self.push(
            {
                "__type": T_QUEUE_CONTENTS,
                "isDelta": False,
                "subscriptionId": sub_id,
                "interactionsAdded": [
                    {
                        "interactionId": i.interaction_id,
                        "attributes": subscription.attributes(i.attributes),
                    }
                    for i in items
                ],
            }
        )

    def subscribe_users(self, user_ids: list[str], world: ContactCentre) -> None:
        self.user_ids = {u.casefold(): u for u in user_ids}
        entries = [
            _user_entry(agent, None)
            for agent in world.agents.values()
            if agent.user.casefold() in self.user_ids
        ]
        self.push({"__type": T_USER_STATUS, "isDelta": False, "userStatusList": entries})

    def subscribe_status_messages(self) -> None:
        self.status_messages = True
        catalogue = [
            {
                "statusId": status_id,
                "messageText": text,
                "iconUri": f"/icws/status/icons/{status_id.replace(' ', '')}.png",
                "groupTag": "",
                "canHaveDate": False,
                "canHaveTime": False,
                "isDoNotDisturbStatus": dnd,
                "isSelectableStatus": True,
                "isPersistentStatus": False,
                "isForwardStatus": False,
                "isAfterCallWorkStatus": acw,
                "isAcdStatus": acd,
                "isAllowFollowUpStatus": acw,
                "systemId": status_id,
            }
            for status_id, (text, dnd, acd, acw, _) in STATUSES.items()
        ]
        self.push({"__type": T_STATUS_MESSAGES, "isDelta": False, "statusMessagesAdded": catalogue})

    def subscribe_statistics(self, keys: list[dict[str, Any]], world: ContactCentre) -> None:
        self.stat_keys = keys
        self.stat_sent = {}
        changes = self._stat_changes(world)
        self.push({"__type": T_STATISTIC_VALUE, "isDelta": False, "statisticValueChanges": changes})

    def subscribe_alerts(self, world: ContactCentre) -> None:
        self.alerts = True
        active = [alert_entry(w, False, world) for w in sorted(world.alerting_workgroups)]
        self.push(
            {"__type": T_ALERT_NOTIFICATION, "isDelta": False, "alertNotificationList": active}
        )

    # -- deltas -------------------------------------------------------------------------

    def on_changes(self, changes: Changes, world: ContactCentre) -> None:
        for sub_id, subscription in self.queues.items():
            message = _queue_delta(sub_id, subscription, changes, world)
            if message is not None:
                self.push(message)
        if self.user_ids is not None and changes.users:
            merged: dict[str, set[str]] = {}
            for agent, fields in changes.users:
                if agent.user.casefold() in self.user_ids:
                    merged.setdefault(agent.user, set()).update(fields)
            if merged:
                entries = [_user_entry(world.agents[u], f) for u, f in merged.items()]
                self.push({"__type": T_USER_STATUS, "isDelta": True, "userStatusList": entries})
        if self.stat_keys is not None:
            moved = self._stat_changes(world)
            if moved:
                self.push(
                    {"__type": T_STATISTIC_VALUE, "isDelta": True, "statisticValueChanges": moved}
                )
        if self.alerts and changes.alerts:
            entries = [alert_entry(w, cleared, world) for w, cleared in changes.alerts]
            self.push(
                {"__type": T_ALERT_NOTIFICATION, "isDelta": True, "alertNotificationList": entries}
            )

    def _stat_changes(self, world: ContactCentre) -> list[dict[str, Any]]:
        out = []
        for index, key in enumerate(self.stat_keys or []):
            identifier, workgroup, user = key_params(key)
            figure = world.statistic(identifier, workgroup, user)
            value = UNKNOWN_STAT if figure is None else stat_value(*figure)
            if self.stat_sent.get(index) != value:
                self.stat_sent[index] = value
                out.append({"statisticKey": key, "statisticValue": value})
        return out


def _queue_delta(
    sub_id: str, subscription: QueueSubscription, changes: Changes, world: ContactCentre
) -> dict[str, Any] | None:
    added: dict[str, dict[str, str]] = {}
    changed: dict[str, dict[str, str]] = {}
    removed: list[str] = []
    known = subscription.known
    for item in changes.added:
        if subscription.holds(item, world) and item.interaction_id not in known:
            known.add(item.interaction_id)
            added[item.interaction_id] = subscription.attributes(item.attributes)
    for item, attributes in changes.changed:
        iid = item.interaction_id
        if iid in added:  # announced in this very message: send its latest attributes
            added[iid] = subscription.attributes(item.attributes)
            continue
        inside = subscription.holds(item, world) and iid in world.interactions
        if inside and iid not in known:
            known.add(iid)
            added[iid] = subscription.attributes(item.attributes)
        elif inside:
            values = subscription.attributes(item.attributes, set(attributes))
            if values:
                changed.setdefault(iid, {}).update(values)
        elif iid in known:
            known.discard(iid)
            removed.append(iid)
    for item in changes.removed:
        if item.interaction_id in known:
            known.discard(item.interaction_id)
            changed.pop(item.interaction_id, None)
            removed.append(item.interaction_id)
    if not (added or changed or removed):
        return None
    message: dict[str, Any] = {
        "__type": T_QUEUE_CONTENTS,
        "isDelta": True,
        "subscriptionId": sub_id,
    }
    if added:
        message["interactionsAdded"] = [
            {"interactionId": i, "attributes": a} for i, a in added.items()
        ]
    if changed:
        message["interactionsChanged"] = [
            {"interactionId": i, "attributes": a} for i, a in changed.items()
        ]
    if removed:
        message["interactionsRemoved"] = removed
    return message


def _user_entry(agent: SimAgent, fields: set[str] | None) -> dict[str, Any]:
    full = {
        "userId": agent.user,
        "statusId": agent.status,
        "statusChanged": format_icws_time(agent.status_changed),
        "loggedIn": agent.logged_in,
        "onPhone": agent.on_phone,
        "onPhoneChanged": format_icws_time(agent.on_phone_changed),
        "stations": [agent.station] if agent.logged_in else [],
        "icServers": [],
    }
    if fields is None:
        return full
    # a delta: the required properties, plus the ones that changed
    return {k: v for k, v in full.items() if k in ("userId", "statusId") or k in fields}


def alert_entry(workgroup: str, cleared: bool, world: ContactCentre) -> dict[str, Any]:
    return {
        "alertDefinitionId": "noc-sim.workgroup-waiting",  # invented for the simulator
        "alertRuleId": f"waiting-at-least-{world.alert_threshold}",
        "cleared": cleared,
        "timeStamp": format_icws_time(world.now),
        "statisticKey": {
            "statisticIdentifier": WAITING_KEY,
            "parameterValueItems": [{"parameterTypeId": WORKGROUP_PARAM, "value": workgroup}],
        },
        "statisticValue": stat_value("int", world.waiting(workgroup)),
    }
