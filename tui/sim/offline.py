"""The WCS simulator without network or wall clock, for deterministic screenshots and snapshots.

Each hook goes through the real :class:`HookApp` (same routing, policy, normaliser and store as
live traffic) by calling the ASGI app directly; time is virtual and advances as the scripts pause.
Sessions run one after another, so the same seed always gives the same feed.
"""

from __future__ import annotations

import random
from collections.abc import MutableMapping, Sequence
from typing import Any

from tui.core.policy import PolicyEngine
from tui.core.store import FeedStore
from tui.net.hooks.app import HookApp, HookSettings
from tui.sim.wcs import Mix, WcsSimulator


class _VirtualTime:
    def __init__(self, start: float, seed: int) -> None:
        self.now = start
        self.rng = random.Random(seed)

    def clock(self) -> float:
        return self.now

    def timer(self) -> float:
        # Each reading moves the stopwatch a little, so replies show plausible sub-ms latencies.
        self.now += self.rng.uniform(0.00008, 0.0009)
        return self.now


class OfflineWcs(WcsSimulator):
    """A simulator whose hooks are handed straight to a HookApp and whose pauses cost nothing."""

    def __init__(self, app: HookApp, time: _VirtualTime, **kwargs: Any) -> None:
        super().__init__("http://offline/apps/EchoApp", **kwargs)
        self.app = app
        self.time = time

    async def pause(self, seconds: float) -> None:
        self.time.now += seconds

    async def _send(self, method: str, raw: bytes, headers: dict[str, str]) -> int:
        scope = {
            "type": "http",
            "method": "POST",
            "path": f"/apps/EchoApp/{method}",
            "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
            "client": ("10.20.0.1", 41000),
        }
        sent = False

        async def receive() -> MutableMapping[str, Any]:
            nonlocal sent
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}

        status = 0

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])

        await self.app(scope, receive, send)
        self.stats.sent += 1
        self.time.now += 0.002
        return status


async def offline_feed(
    store: FeedStore,
    *,
    start: float,
    seed: int = 7,
    sessions: int = 30,
    policy: PolicyEngine | None = None,
) -> float:
    """Fill ``store`` with a deterministic stretch of demo traffic, ending in a trunk failure.

    Returns the virtual time at the end.
    """
    calm = sessions * 2 // 3
    trunk = Mix(call_fail=0.8, fail_codes=((503, 6), (408, 2), (486, 1)), retry_rate=0.0)
    acts = ((Mix(retry_rate=0.0), calm), (trunk, sessions - calm))
    return await offline_acts(store, acts, start=start, seed=seed, policy=policy)


async def offline_acts(
    store: FeedStore,
    acts: Sequence[tuple[Mix, int]],
    *,
    start: float,
    seed: int = 7,
    policy: PolicyEngine | None = None,
) -> float:
    """Fill ``store`` with acts of traffic, each a network mix and a number of sessions (the
    demo's timeline, say). Returns the virtual time at the end."""
    time = _VirtualTime(start, seed)
    app = HookApp(HookSettings(), store, policy=policy, clock=time.clock, timer=time.timer)
    sim = OfflineWcs(app, time, seed=seed, mix=acts[0][0] if acts else Mix(retry_rate=0.0))
    for mix, sessions in acts:
        sim.mix = mix
        for _ in range(sessions):
            await sim.session_life()
            time.now += sim.rng.uniform(0.2, 1.5)
    store.drain()
    return time.now
