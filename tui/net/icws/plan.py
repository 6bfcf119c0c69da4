"""What a configured ICWS server subscribes to: one PUT per subscription, in a sensible order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tui.config import IcwsServer
from tui.core.protocols.icws import (
    SUB_ALERTS,
    SUB_STATISTICS,
    SUB_STATUS_MESSAGES,
    SUB_USER_STATUSES,
)


@dataclass(frozen=True, slots=True)
class SubscriptionPlan:
    """One subscription: where to PUT it, what to send, and how to name it to the operator."""

    key: str  # the subscription id (queues) or the resource name (one-per-session resources)
    resource: str  # below /icws/{sessionId}/messaging/subscriptions/
    body: dict[str, Any] | None
    label: str
    queue_label: str = ""


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:40] or "queue"


def plan_subscriptions(server: IcwsServer) -> list[SubscriptionPlan]:
    """The catalogue first (so statuses decode at once), then users, queues, statistics."""
    plans: list[SubscriptionPlan] = []
    if server.status_messages:
        plans.append(
            SubscriptionPlan(
                SUB_STATUS_MESSAGES, "status/status-messages", None, "status catalogue"
            )
        )
    if server.user_statuses:
        count = len(server.user_statuses)
        plans.append(
            SubscriptionPlan(
                SUB_USER_STATUSES,
                "status/user-statuses",
                {"userIds": list(server.user_statuses)},
                f"user statuses ({count} user{'s' if count != 1 else ''})",
            )
        )
    for index, queue in enumerate(server.queues, start=1):
        sub_id = f"noc-{index}-{queue.type}-{_slug(queue.name)}"
        body = {
            "queueIds": [{"queueType": queue.type_code, "queueName": queue.name}],
            "attributeNames": server.attributes_for(queue),
        }
        plans.append(
            SubscriptionPlan(sub_id, f"queues/{sub_id}", body, f"queue {queue.label}", queue.label)
        )
    if server.statistics:
        keys = [
            {
                "statisticIdentifier": stat.id,
                "parameterValueItems": [
                    {"parameterTypeId": type_id, "value": value}
                    for type_id, value in stat.parameter_items()
                ],
            }
            for stat in server.statistics
        ]
        plans.append(
            SubscriptionPlan(
                SUB_STATISTICS,
                "statistics/statistic-values",
                {"statisticKeys": keys},
                f"statistics ({len(keys)})",
            )
        )
    if server.alert_notifications:
        plans.append(
            SubscriptionPlan(SUB_ALERTS, "alerts/alert-notifications", {}, "alert notifications")
        )
    return plans
