"""Message mixes for load tests and benchmarks: the simulator's contact centre in a surge.

The messages are exactly what a simulated session would queue (queue deltas, user statuses,
statistics, alerts, and the snapshots of each fresh start), produced without HTTP so that a
benchmark can feed them at any rate. Subscription ids are ``q0``… in ``WORKGROUPS`` order.
"""

from __future__ import annotations

from typing import Any

from tui.sim.icws.sessions import QueueSubscription, SimSession
from tui.sim.icws.world import AGENTS, WORKGROUPS, ContactCentre

ATTRIBUTES = [
    "Eic_State", "Eic_RemoteName", "Eic_RemoteTn", "Eic_ObjectType",
    "Eic_CallDirection", "Eic_WorkgroupName", "Eic_UserName", "Eic_InitiationTime",
]  # fmt: skip


def _surge_session(seed: int) -> tuple[ContactCentre, SimSession]:
    world = ContactCentre(seed=seed)
    world.start_surge("Support", factor=4.0)
    world.dial_per_s = 0.5
    session = SimSession("1", "csrf", "cookie", "noc", world.now)
    for index, workgroup in enumerate(WORKGROUPS):
        session.subscribe_queue(f"q{index}", QueueSubscription([(2, workgroup)], ATTRIBUTES), world)
    session.subscribe_users(list(AGENTS), world)
    keys = [
        {
            "statisticIdentifier": f"inin.workgroup:{name}",
            "parameterValueItems": [
                {"parameterTypeId": "ININ.People.WorkgroupStats:Workgroup", "value": workgroup}
            ],
        }
        for workgroup in WORKGROUPS
        for name in ("InteractionsWaiting", "NumberAvailableForACDInteractions", "AverageWaitTime")
    ]
    session.subscribe_statistics(keys, world)
    session.subscribe_alerts(world)
    return world, session


def surge_messages(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """A surge's worth of messages from the simulator's world and session logic (no HTTP).

    A fresh contact centre every few thousand messages keeps queues at surge size rather than
    growing without end (the snapshots of each fresh start are part of the mix).
    """
    messages: list[dict[str, Any]] = []
    while len(messages) < count:
        world, session = _surge_session(seed + len(messages))
        target = min(count, len(messages) + 3000)
        while len(messages) < target:
            session.on_changes(world.step(0.2), world)
            messages += session.take_all()
    return messages[:count]
