"""The WCS simulator against the real hook listener: it honours refusals as WCS does."""

from __future__ import annotations

import asyncio
from collections import Counter

from tui.core.feed import from_row
from tui.sim.demo import Demo
from tui.sim.wcs import Mix, WcsSimulator


async def test_simulated_traffic_is_real_hooks(hook_service) -> None:
    service, store = await hook_service(
        rules=[{"name": "premium", "methods": ["call"], "field": "callee", "match": "900*"}]
    )
    sim = WcsSimulator(service.url + "/apps/EchoApp", seed=3, speed=200.0, record=True,
                       mix=Mix(premium_callees=0.5, call_fail=0.7, retry_rate=0.0))  # fmt: skip
    for _ in range(30):
        await sim.session_life()
    await sim.aclose()
    events = [from_row(row) for row in store.rows]
    assert len(events) == sim.stats.sent > 50
    methods = Counter(e.method for e in events)
    assert methods["connect"] == 30 and methods["ConnectionStatusEvent"] >= 24
    # Every refused call is followed by that call failing, as WCS does with restOnError FAIL.
    refused = {e.call for e in events if e.method == "call" and e.reply_status == 403}
    assert refused, "the seed should produce at least one premium call"
    failed_after = {
        e.call for e in events if e.method == "CallStatusEvent" and e.status == "FAILED"
    }
    assert refused <= failed_after
    # SIP failures carry the SIP message that caused them.
    sip_failures = [e for e in events if e.method == "CallStatusEvent" and e.sip_status >= 400]
    assert sip_failures
    assert all(store.body(e.seq).raw.count(b"SIP/2.0 ") == 1 for e in sip_failures)


async def test_signed_hooks_pass_the_check(hook_service) -> None:
    service, store = await hook_service(key_env="K", env={"K": "shared-secret"})
    sim = WcsSimulator(
        service.url, seed=1, speed=500.0, key=b"shared-secret", mix=Mix(retry_rate=0.0)
    )
    await sim.session_life()
    await sim.aclose()
    assert store.received > 3
    assert all(from_row(r).reply_status == 200 for r in store.rows)


async def test_refused_connect_fails_the_session(hook_service) -> None:
    service, _store = await hook_service(key_env="K", env={"K": "right"})
    sim = WcsSimulator(
        service.url, seed=1, speed=500.0, key=b"wrong", mix=Mix(retry_rate=0.0), record=True
    )
    await sim.session_life()
    await sim.aclose()
    statuses = [
        body.get("status") for method, body, _ in sim.sent_log if method == "ConnectionStatusEvent"
    ]
    assert statuses == ["FAILED", "DISCONNECTED"]


async def test_demo_drives_the_listener_on_its_own_thread(hook_service) -> None:
    service, store = await hook_service()
    demo = Demo(seed=5, rate=20.0, speed=20.0)
    demo.start(service.url)
    try:
        for _ in range(200):
            if store.received >= 20:
                break
            await asyncio.sleep(0.02)
    finally:
        demo.stop()
    assert store.received >= 20
    assert demo.act in {"normal traffic", "carrier trunk failure"}
