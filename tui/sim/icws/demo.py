"""The ICWS simulator as the demo runs it: started on a SimHost, with its config entry."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.config import IcwsServer
from tui.sim.icws.cluster import IcwsSimulator
from tui.sim.icws.world import AGENTS, INBOUND, OUTBOUND, WORKGROUPS

if TYPE_CHECKING:
    from tui.sim.host import SimHost

DEMO_PASSWORD_ENV = "ICWS_DEMO_PASSWORD"
DEMO_USER = "noc-demo"
# The order the demo plays the ICWS stories in, with quiet time between them (seconds).
DEMO_CYCLE: tuple[tuple[str, float], ...] = (
    ("surge", 25.0),
    ("outbound-stuck", 20.0),
    ("switchover", 40.0),
)


@dataclass(frozen=True, slots=True)
class IcwsDemo:
    """A running simulator and the ``[[icws]]`` entry that points the console at it."""

    server: IcwsServer
    sim: IcwsSimulator


def demo_server_config(url: str, name: str = "cic-demo") -> IcwsServer:
    """What a NOC would configure for this contact centre (validated like a config file)."""
    statistics = [
        {"id": f"inin.workgroup:{stat}", "workgroup": workgroup}
        for workgroup in INBOUND
        for stat in ("InteractionsWaiting", "NumberAvailableForACDInteractions")
    ]
    statistics += [
        {
            "id": "inin.workgroup:AverageWaitTime",
            "workgroup": "Support",
            "interval": "CurrentShift",
        },
        {"id": "inin.workgroup:InteractionsWaiting", "workgroup": OUTBOUND},
    ]
    return IcwsServer.model_validate(
        {
            "name": name,
            "url": url,
            "user": DEMO_USER,
            "password_env": DEMO_PASSWORD_ENV,
            "poll_interval_s": 1.0,
            "use_sse": True,
            "reconnect_initial_s": 0.5,
            "reconnect_max_s": 5.0,
            "queues": [{"type": "workgroup", "name": w} for w in WORKGROUPS],
            "link_attribute": "Eic_CallIdKey",  # the WCS call's id, on calls that came over WCS
            "user_statuses": list(AGENTS),
            "statistics": statistics,
            "alert_notifications": True,
        }
    )


def start_icws_demo(
    host: SimHost,
    *,
    seed: int = 4,
    name: str = "cic-demo",
    cycle: bool = True,
    tick_s: float = 0.25,
) -> IcwsDemo:
    """Serve the simulated CIC pair on ``host``, start its clock (and its story cycle).

    Puts the demo password in ``os.environ`` under the name the returned config references.
    """
    password = f"demo-{seed}-not-a-secret"
    os.environ[DEMO_PASSWORD_ENV] = password
    sim = IcwsSimulator(seed=seed, users={DEMO_USER: password}, start=time.time())
    url = sim.serve(host)
    sim.start_clock(host, tick_s=tick_s)
    if cycle:
        host.spawn(play_cycle(sim))
    return IcwsDemo(server=demo_server_config(url, name), sim=sim)


async def play_cycle(sim: IcwsSimulator, cycle: tuple[tuple[str, float], ...] = DEMO_CYCLE) -> None:
    """Quiet time, a story, quiet time, the next story… forever (on the simulator's loop)."""
    while True:
        for name, quiet_s in cycle:
            await asyncio.sleep(quiet_s)
            await asyncio.wrap_future(sim.play(name))
