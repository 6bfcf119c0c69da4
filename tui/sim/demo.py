"""The demo: simulators of the five systems telling one story, on a timeline of incidents.

Runs on its own :class:`SimHost` thread. The console's own services start first (the demo needs
the hook listener's URL), then :meth:`Demo.start` points the simulators at them.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from typing import Any

from tui.config import AppConfig, HookRule
from tui.sim.host import SimHost
from tui.sim.wcs import Mix, WcsSimulator
from tui.sim.wcs_backend import BackendBehaviour, WcsBackend

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


def demo_config(base: AppConfig, *, upstream: str | None = None) -> AppConfig:
    """The operator's look and keys, with sources pointed at the simulators.

    With ``upstream`` the console taps in front of the simulated backend instead of answering.
    """
    hooks = base.hooks.model_copy(
        update={
            "bind": "127.0.0.1",
            "port": 0,
            "mode": "tap" if upstream else "backend",
            "upstream": upstream,
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


@dataclass(frozen=True)
class Act:
    """One stretch of the demo timeline: how the network and (in tap mode) the backend behave."""

    name: str
    seconds: float
    wcs: dict[str, Any]
    backend: dict[str, Any] = field(default_factory=dict)


NORMAL = Act("normal traffic", 40, {})
TAP_TIMELINE = (
    NORMAL,
    Act("backend refuses premium numbers", 30, {"premium_callees": 0.5}),
    Act("backend slow: hooks time out", 25, {}, {"delay_s": 3.0}),
    Act("normal traffic", 20, {}),
    Act("backend down", 25, {}, {"down": True}),
)
TIMELINE = (
    NORMAL,
    Act(
        "carrier trunk failure",
        35,
        {"call_fail": 0.75, "fail_codes": ((503, 6), (408, 2), (486, 1))},
    ),
    Act("normal traffic", 25, {}),
    Act("WebRTC media trouble on node 2", 35, {"troubled_node": 1}),
    Act("normal traffic", 25, {}),
    Act("backend rejects premium numbers", 30, {"premium_callees": 0.5}),
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
    ) -> None:
        self.seed = seed
        self.rate = rate
        self.speed = speed
        self.timeline = timeline
        self.host = SimHost("demo-sims")
        self.wcs: WcsSimulator | None = None
        self.tap = tap
        self.backend = BackendBehaviour()
        self._act = "starting"
        self._lock = threading.Lock()

    @property
    def act(self) -> str:
        with self._lock:
            return self._act

    def _set_act(self, name: str) -> None:
        with self._lock:
            self._act = name

    def start_backend(self) -> str:
        """Tap mode: serve the simulated customer backend first; returns its app URL."""
        self.host.start()
        return self.host.serve(WcsBackend(self.backend), name="backend") + "/apps/EchoApp"

    def start(self, hook_url: str) -> None:
        """Start the simulators against the console's hook listener (``http://127.0.0.1:port``)."""
        self.host.start()
        self.wcs = WcsSimulator(
            hook_url.rstrip("/") + "/apps/EchoApp", nodes=2, seed=self.seed, rate=self.rate,
            speed=self.speed, mix=Mix(),
        )  # fmt: skip
        self.host.spawn(self.wcs.run())
        if self.timeline:
            self.host.spawn(self._play())
        else:
            self._set_act(NORMAL.name)

    async def _play(self) -> None:
        assert self.wcs is not None
        timeline = TAP_TIMELINE if self.tap else TIMELINE
        while True:
            for act in timeline:
                self._set_act(act.name)
                self.wcs.mix = Mix(**act.wcs)
                self.backend.delay_s = float(act.backend.get("delay_s", 0.0))
                self.backend.down = bool(act.backend.get("down", False))
                await asyncio.sleep(act.seconds / self.speed)

    def stop(self) -> None:
        self.host.stop(timeout=2.0)
