"""The simulated contact centre: seeded, surges, outbound trunk failure, messages it makes."""

from __future__ import annotations

import json

from tui.core.icws_state import IcwsState
from tui.sim.icws.load import surge_messages
from tui.sim.icws.sessions import QueueSubscription, SimSession
from tui.sim.icws.world import OUTBOUND, ContactCentre


def run(world: ContactCentre, steps: int, dt: float = 0.5) -> None:
    for _ in range(steps):
        world.step(dt)


def test_same_seed_same_story() -> None:
    assert json.dumps(surge_messages(400, seed=3)) == json.dumps(surge_messages(400, seed=3))
    assert json.dumps(surge_messages(400, seed=3)) != json.dumps(surge_messages(400, seed=4))


def test_surge_fills_the_queue_flips_agents_and_raises_the_alert() -> None:
    world = ContactCentre(seed=2)
    world.alert_threshold = 6
    before = world.waiting("Support")
    world.start_surge("Support", factor=10.0)
    changes = world.set_status("a.moreau", "Do Not Disturb")
    assert [a.user for a, _ in changes.users] == ["a.moreau"]
    raised = []
    for _ in range(120):
        raised += [w for w, cleared in world.step(0.5).alerts if not cleared]
    assert world.waiting("Support") > before + 5
    assert raised == ["Support"]
    world.end_surge()
    for agent in world.agents.values():
        world.set_status(agent.user, "Available")
    cleared = []
    for _ in range(400):
        cleared += [w for w, c in world.step(0.5).alerts if c]
    assert cleared == ["Support"]


def test_outbound_calls_stay_proceeding_while_the_trunk_is_down() -> None:
    world = ContactCentre(seed=5)
    world.dial_per_s = 1.0
    world.set_outbound_stuck(True)
    counts = []
    for _ in range(6):
        run(world, 10)
        outbound = [i for i in world.interactions.values() if i.workgroup == OUTBOUND]
        assert all(i.attributes["Eic_State"] == "R" for i in outbound), "nothing connects"
        counts.append(len(outbound))
    assert counts == sorted(counts)
    assert counts[-1] >= 10
    changes = world.set_outbound_stuck(False)
    assert {a["Eic_State"] for _, a in changes.changed} == {"E"}
    world.dial_per_s = 0.0
    run(world, 10)
    assert not [i for i in world.interactions.values() if i.workgroup == OUTBOUND]


def test_session_messages_rebuild_the_world_exactly() -> None:
    """Snapshot + deltas from a simulated session, applied by the state model, equal the world."""
    world = ContactCentre(seed=9)
    session = SimSession("1", "c", "k", "noc", world.now)
    session.subscribe_queue(
        "q",
        QueueSubscription([(2, "Support"), (2, "Sales")], ["eic_state", "Eic_RemoteName"]),
        world,
    )
    state = IcwsState()
    world.start_surge("Support", 5.0)
    messages = session.take_all()
    for _ in range(200):
        session.on_changes(world.step(0.5), world)
        messages += session.take_all()
    assert messages[0]["isDelta"] is False, "a subscription starts with its snapshot"
    assert all(m["isDelta"] for m in messages[1:])
    assert len(messages) > 50
    for message in messages:
        state.apply("cic", message)
    expected = {
        i.interaction_id: i.attributes["Eic_State"]
        for i in world.interactions.values()
        if i.workgroup in ("Support", "Sales")
    }
    (queue,) = state.queues()
    assert {i.interaction_id: i.state for i in queue.interactions} == expected
    first = next(iter(queue.interactions))
    assert first.remote, "attributes asked for in lower case still arrive"
