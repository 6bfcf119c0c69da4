"""Scenario 3: the console taps in front of a backend that refuses, then slows down, then dies."""

from __future__ import annotations

import httpx
import pytest

from tui.core.feed import FLAG_FALLBACK, FLAG_TAP, SEV_ERROR
from tui.sim.host import SimHost
from tui.sim.wcs.backend import BackendBehaviour, WcsBackend


@pytest.fixture
def backend():
    behaviour = BackendBehaviour()
    with SimHost("backend") as host:
        yield host.serve(WcsBackend(behaviour)) + "/apps/EchoApp", behaviour


async def test_refusal_slowness_and_death_as_the_operator_sees_them(hook_service, backend) -> None:
    url, behaviour = backend
    service, store = await hook_service(mode="tap", upstream=url, upstream_timeout_s=0.3)
    async with httpx.AsyncClient() as client:
        connect = await client.post(service.url + "/connect", json={"sessionId": "s1"})
        assert connect.json()["restClientConfig"]["call"]["restOnError"] == "FAIL"
        refused = await client.post(service.url + "/call", json={"callId": "c1", "callee": "9001"})
        assert refused.status_code == 403  # the backend's answer, passed through
        behaviour.delay_s = 1.0
        slow = await client.post(service.url + "/call", json={"callId": "c2", "callee": "1001"})
        behaviour.delay_s, behaviour.down = 0.0, True
        dead = await client.post(service.url + "/call", json={"callId": "c3", "callee": "1001"})
    assert slow.status_code == 200  # fallback: the console answered as backend
    assert (dead.status_code, dead.headers["content-type"]) == (502, "text/html")  # passed through
    events = {e.call: e for e in (store.event(s) for s in range(1, store.last_seq + 1)) if e.call}
    assert events["c1"].flags & FLAG_TAP and events["c1"].reply_status == 403
    assert (
        events["c2"].flags & FLAG_FALLBACK
        and events["c2"].info == "UPSTREAM timeout: answered as backend"
    )
    assert events["c3"].flags & FLAG_TAP and events["c3"].reply_status == 502
    assert events["c3"].severity == SEV_ERROR
    assert behaviour.seen[:2] == ["connect", "call"]
