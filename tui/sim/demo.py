"""The demo: simulators of the five systems telling one story, on a timeline of incidents.

Runs on its own :class:`SimHost` thread. The console draws its first frame at once; in the
background :meth:`Demo.prepare` starts the simulated servers and says where they are, the console
adopts them (:func:`with_sources`) and starts its own services, then :meth:`Demo.start` points the
WCS simulator at the console's hook listener and plays the timeline. Heavy imports (uvicorn,
httpx, the simulators) happen in those methods, off the path to the first frame.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.config import AppConfig, HookRule, IcwsServer, Target
from tui.sim.wcs.backend import BackendBehaviour

if TYPE_CHECKING:
    from pathlib import Path

    from tui.sim.host import SimHost
    from tui.sim.icws.demo import IcwsDemo
    from tui.sim.sbc.server import IncidentSchedule
    from tui.sim.wcs import WcsSimulator

DEMO_RULES = [
    HookRule(name="premium-numbers", methods=["call"], field="callee", match="900*"),
    HookRule(
        name="no-test-streams",
        methods=["publishStream"],
        field="name",
        match="test-*",
        enabled=False,
    ),
]


@dataclass
class DemoSources:
    """What the simulators serve, for the console's config: where to tap, whom to log in to."""

    upstream: str | None = None
    icws: list[IcwsServer] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)


def demo_config(base: AppConfig, *, tap: bool = False) -> AppConfig:
    """The operator's look and keys, with the hook listener set up for the demo.

    The simulated servers are added by :func:`with_sources` once they are up. With ``tap`` the
    console will tap in front of the simulated backend instead of answering WCS itself.
    """
    hooks = base.hooks.model_copy(
        update={
            "bind": "127.0.0.1",
            "port": 0,
            "mode": "tap" if tap else "backend",
            "upstream": None,
            "upstreams": {},
            "upstream_timeout_s": 2.0,
            "fallback": "answer",
            "app_paths": [],
            "rules": DEMO_RULES,
            "key_env": None,
            "allow_from": [],
        }
    )
    return base.model_copy(update={"hooks": hooks, "icws": [], "targets": []})


def with_sources(config: AppConfig, sources: DemoSources) -> AppConfig:
    """The demo config pointed at the running simulators."""
    hooks = config.hooks
    if sources.upstream:
        hooks = hooks.model_copy(update={"upstream": sources.upstream})
    return config.model_copy(
        update={"hooks": hooks, "icws": list(sources.icws), "targets": list(sources.targets)}
    )


@dataclass(frozen=True)
class Act:
    """One stretch of the demo timeline: how the network and (in tap mode) the backend behave."""

    name: str
    seconds: float
    wcs: dict[str, Any]
    backend: dict[str, Any] = field(default_factory=dict)
    icws: str = ""  # an ICWS story played at the start of the act


NORMAL = Act("normal traffic", 40, {})
TRUNK = Act(
    "carrier trunk failure",
    35,
    {"call_fail": 0.75, "fail_codes": ((503, 6), (408, 2), (486, 1))},
    icws="outbound-stuck",
)
TIMELINE = (
    NORMAL,
    TRUNK,
    Act("normal traffic", 25, {}),
    Act("WebRTC media trouble on node 2", 35, {"troubled_node": 1}),
    Act("contact-centre surge (ICWS session expires)", 45, {}, icws="surge"),
    Act("backend rejects premium numbers", 30, {"premium_callees": 0.5}),
    Act("ICWS server switchover", 30, {}, icws="switchover"),
)
TAP_TIMELINE = (
    NORMAL,
    Act("backend refuses premium numbers", 30, {"premium_callees": 0.5}),
    Act("backend slow: hooks time out", 25, {}, {"delay_s": 3.0}),
    Act("normal traffic", 20, {}),
    Act("backend down", 25, {}, {"down": True}),
    TRUNK,
)


class Demo:
    """Owns the simulator thread and the incident timeline."""

    def __init__(
        self,
        *,
        seed: int = 7,
        rate: float = 1.5,
        speed: float = 1.0,
        timeline: bool = True,
        tap: bool = False,
        wcs_log: Path | None = None,
    ) -> None:
        self.seed = seed
        self.wcs_log = wcs_log  # WCS's own log of the hooks it sends (flashphoner.log), if asked
        self.rate = rate
        self.speed = speed
        self.timeline = timeline
        self._host: SimHost | None = None
        self.wcs: WcsSimulator | None = None
        self.tap = tap
        self.backend = BackendBehaviour()
        self.icws: IcwsDemo | None = None
        self._act = "starting"
        self._lock = threading.Lock()

    @property
    def host(self) -> SimHost:
        if self._host is None:
            from tui.sim.host import SimHost

            self._host = SimHost("demo-sims")
        return self._host

    @property
    def act(self) -> str:
        with self._lock:
            return self._act

    def _set_act(self, name: str) -> None:
        with self._lock:
            self._act = name

    def prepare(self) -> DemoSources:
        """Start the simulated servers (before the console, which is configured to reach them)."""
        from tui.sim.icws.demo import start_icws_demo
        from tui.sim.rest_demo import start_rest_simulators
        from tui.sim.wcs.backend import WcsBackend

        self.host.start()
        sources = DemoSources()
        if self.tap:
            sources.upstream = (
                self.host.serve(WcsBackend(self.backend), name="backend") + "/apps/EchoApp"
            )
        self.icws = start_icws_demo(self.host, seed=self.seed, cycle=False)
        sources.icws.append(self.icws.server)
        rest = start_rest_simulators(self.host, seed=self.seed, schedule=self._sbc_schedule())
        sources.targets.extend(rest.targets)
        return sources

    def _queue_in_contact_centre(self, caller: str, call_id: str) -> None:
        """An incoming call WCS accepted queues in the contact centre as the same call (its id in
        ``Eic_CallIdKey``), once the ICWS simulator is up (it starts after the WCS traffic)."""
        if self.icws is not None:
            self.icws.sim.world.offer("Support", caller, call_id)

    def play_icws_stories(self) -> None:
        """Without the console's timeline (``demo --targets``): the ICWS stories in a cycle of
        their own, so a ``tail --icws`` against the simulator sees them."""
        from tui.sim.icws.demo import play_cycle

        if self.icws is not None:
            self.host.spawn(play_cycle(self.icws.sim))

    def _sbc_schedule(self) -> IncidentSchedule:
        """The SBC's dead SIP server plays during the timeline's trunk failure, every cycle."""
        from tui.sim.sbc.server import IncidentSchedule

        timeline = TAP_TIMELINE if self.tap else TIMELINE
        start = 0.0
        for act in timeline:
            if act is TRUNK:
                break
            start += act.seconds
        period = sum(act.seconds for act in timeline)
        return IncidentSchedule(
            start_s=start / self.speed,
            duration_s=TRUNK.seconds / self.speed,
            period_s=period / self.speed,
        )

    def start(self, hook_url: str) -> None:
        """Start the simulators against the console's hook listener (``http://127.0.0.1:port``)."""
        from tui.sim.wcs import Mix, WcsSimulator

        self.host.start()
        self.wcs = WcsSimulator(
            hook_url.rstrip("/") + "/apps/EchoApp", nodes=2, seed=self.seed, rate=self.rate,
            speed=self.speed, mix=Mix(), log_to=self.wcs_log,
        )  # fmt: skip
        self.wcs.on_incoming = self._queue_in_contact_centre
        self.host.spawn(self.wcs.run())
        if self.timeline:
            self.host.spawn(self._play())
        else:
            self._set_act(NORMAL.name)

    async def _play(self) -> None:
        from tui.sim.wcs import Mix

        assert self.wcs is not None
        timeline = TAP_TIMELINE if self.tap else TIMELINE
        while True:
            for act in timeline:
                self._set_act(act.name)
                self.wcs.mix = Mix(**act.wcs)
                self.backend.delay_s = float(act.backend.get("delay_s", 0.0))
                self.backend.down = bool(act.backend.get("down", False))
                if act.icws and self.icws is not None:
                    self.icws.sim.play(act.icws, speed=self.speed)
                await asyncio.sleep(act.seconds / self.speed)

    def stop(self) -> None:
        if self._host is not None:
            self._host.stop(timeout=2.0)
