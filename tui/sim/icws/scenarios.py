"""The ICWS side of the incident stories in ``SCENARIOS.md``, as timelines on the sim loop.

- ``surge`` (story 4, contact-centre surge): the Support queue fills with Offering/Alerting
  interactions, Support agents flip to Do Not Disturb one by one, InteractionsWaiting and the
  average wait climb, the waiting alert fires, and the ICWS session expires (401) mid-surge.
- ``outbound-stuck`` (story 1, carrier trunk failure): the outbound workgroup's calls stay in
  Proceeding (``R``) and pile up; when the trunk "returns" they fail and drain.
- ``switchover``: the active host hands over to the other (sessions dropped, 503 on connect).
- ``poll-errors``, ``hang``, ``stream-stall``: outages the session outlives (25 s of HTTP 500
  on message polls; 45 s of requests accepted and never answered; open event streams going
  silent), while the world keeps queueing messages for it. Their windows run on the world's
  clock, which is what ``speed`` does not compress.

``speed`` > 1 compresses the timeline (tests use a large value); the outbound story's
dialling rate scales with it so that as many calls pile up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.sim.icws.cluster import IcwsSimulator


async def surge(sim: IcwsSimulator, speed: float = 1.0) -> None:
    world = sim.world

    async def wait(seconds: float) -> None:
        await asyncio.sleep(seconds / speed)

    world.start_surge("Support", factor=6.0)
    support = [a.user for a in world.agents.values() if a.workgroups == ("Support",)]
    flipped = support[:3]
    for user in flipped:
        await wait(4)
        sim.deliver(world.set_status(user, "Do Not Disturb"))
    await wait(6)
    sim.expire_sessions()  # the session dies mid-surge: the console must log in again
    await wait(20)
    world.end_surge()
    for user in flipped:
        await wait(3)
        sim.deliver(world.set_status(user, "Available"))


async def outbound_stuck(sim: IcwsSimulator, speed: float = 1.0) -> None:
    world = sim.world
    normal_rate = world.dial_per_s
    sim.deliver(world.set_outbound_stuck(True))
    world.dial_per_s = 0.6 * speed  # a compressed story keeps its number of calls
    try:
        await asyncio.sleep(40 / speed)
    finally:
        world.dial_per_s = normal_rate
        sim.deliver(world.set_outbound_stuck(False))


async def switchover(sim: IcwsSimulator, speed: float = 1.0) -> None:
    """The active CIC host hands over to the other one (503 + alternateHostList on connect)."""
    sim.switchover()
    await asyncio.sleep(0)


async def poll_errors(sim: IcwsSimulator, speed: float = 1.0) -> None:
    """A sick server: message polls answer 500 for 25 s; sessions and their queues live on."""
    sim.fail_polls(500, for_s=25.0)
    await asyncio.sleep(0)


async def hang(sim: IcwsSimulator, speed: float = 1.0) -> None:
    """A wedged server: for 45 s it accepts requests and never answers them."""
    sim.hang(for_s=45.0)
    await asyncio.sleep(0)


async def stream_stall(sim: IcwsSimulator, speed: float = 1.0) -> None:
    """The open event streams go silent, as over a link that died without a reset."""
    sim.stall_streams()
    await asyncio.sleep(0)


SCENARIOS: dict[str, Callable[[IcwsSimulator, float], Coroutine[Any, Any, None]]] = {
    "surge": surge,
    "outbound-stuck": outbound_stuck,
    "switchover": switchover,
    "poll-errors": poll_errors,
    "hang": hang,
    "stream-stall": stream_stall,
}
