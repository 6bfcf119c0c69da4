"""The ICWS side of the incident stories (docs/architecture.md §11.5), as timelines on the world's
clock.

- ``surge`` (story 4, contact-centre surge): the Support queue fills with Offering/Alerting
  interactions, Support agents flip to Do Not Disturb one by one, InteractionsWaiting and the
  average wait climb, the waiting alert fires, and the ICWS session expires (401) mid-surge.
- ``outbound-stuck`` (story 1, carrier trunk failure): the outbound workgroup's calls stay in
  Proceeding (``R``) and pile up; when the trunk "returns" they fail and drain.
- ``switchover``: the active host hands over to the other (sessions dropped, 503 on connect).
- ``poll-errors``, ``hang``, ``stream-stall``: outages the session outlives (25 s of HTTP 500
  on message polls; 45 s of requests accepted and never answered; open event streams going
  silent), while the world keeps queueing messages for it. Their windows are world time,
  which ``speed`` does not compress.

A story is a generator: it acts on the simulator and yields how many seconds of world time
to wait before it acts again. The simulator runs it as its world clock moves (in real time
for the demo, step by step in tests), so a story never waits on the wall clock. ``speed`` > 1
compresses the timeline; the outbound story's dialling rate scales with it so that as many
calls pile up.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Protocol

from tui.sim.icws.world import Changes, ContactCentre

Story = Generator[float, None, None]
"""Acts, then yields the world seconds until it acts again; returns when the story is over."""


class Stage(Protocol):
    """What a story may do to the simulator (:class:`~tui.sim.icws.cluster.IcwsSimulator`)."""

    @property
    def world(self) -> ContactCentre: ...

    def deliver(self, changes: Changes) -> None: ...

    def expire_sessions(self) -> int: ...

    def switchover(self) -> str: ...

    def fail_polls(self, status: int = 500, *, for_s: float = 25.0) -> None: ...

    def hang(self, *, for_s: float = 45.0) -> None: ...

    def stall_streams(self) -> int: ...


def surge(sim: Stage, speed: float = 1.0) -> Story:
    world = sim.world
    world.start_surge("Support", factor=6.0)
    support = [a.user for a in world.agents.values() if a.workgroups == ("Support",)]
    flipped = support[:3]
    for user in flipped:
        yield 4 / speed
        sim.deliver(world.set_status(user, "Do Not Disturb"))
    yield 6 / speed
    sim.expire_sessions()  # the session dies mid-surge: the console must log in again
    yield 20 / speed
    world.end_surge()
    for user in flipped:
        yield 3 / speed
        sim.deliver(world.set_status(user, "Available"))


def outbound_stuck(sim: Stage, speed: float = 1.0) -> Story:
    world = sim.world
    normal_rate = world.dial_per_s
    sim.deliver(world.set_outbound_stuck(True))
    world.dial_per_s = 0.6 * speed  # a compressed story keeps its number of calls
    try:
        yield 40 / speed
    finally:
        world.dial_per_s = normal_rate
        sim.deliver(world.set_outbound_stuck(False))


def switchover(sim: Stage, speed: float = 1.0) -> Story:
    """The active CIC host hands over to the other one (503 + alternateHostList on connect)."""
    sim.switchover()
    yield from ()


def poll_errors(sim: Stage, speed: float = 1.0) -> Story:
    """A sick server: message polls answer 500 for 25 s; sessions and their queues live on."""
    sim.fail_polls(500, for_s=25.0)
    yield from ()


def hang(sim: Stage, speed: float = 1.0) -> Story:
    """A wedged server: for 45 s it accepts requests and never answers them."""
    sim.hang(for_s=45.0)
    yield from ()


def stream_stall(sim: Stage, speed: float = 1.0) -> Story:
    """The open event streams go silent, as over a link that died without a reset."""
    sim.stall_streams()
    yield from ()


SCENARIOS: dict[str, Callable[[Stage, float], Story]] = {
    "surge": surge,
    "outbound-stuck": outbound_stuck,
    "switchover": switchover,
    "poll-errors": poll_errors,
    "hang": hang,
    "stream-stall": stream_stall,
}
