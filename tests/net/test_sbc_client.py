"""The SBC client against the SBC simulator over real loopback HTTP."""

from __future__ import annotations

import asyncio

import pytest

from tests.net.conftest import States, make_target
from tui.core.resources import RUNTIME
from tui.core.resources.parse import parse_response
from tui.core.resources.writes import plan_action, plan_delete, plan_modify
from tui.core.sources import LinkState
from tui.net.rest.base import Query, WritesDisabled
from tui.net.rest.parse_worker import WORKER
from tui.net.rest.sbc import SbcClient
from tui.sim.host import SimHost
from tui.sim.sbc.server import SbcSimulator

PASSWORD = "s3cret-sbc"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sbc(host: SimHost) -> tuple[SbcSimulator, str]:
    sim = SbcSimulator(password=PASSWORD, seed=1)
    return sim, host.serve(sim)


async def test_login_once_then_browse_with_the_session_cookie(sbc, states: States) -> None:
    sim, url = sbc
    client = SbcClient(make_target("sbc", url), secret=PASSWORD, on_state=states)
    try:
        system = await client.fetch("/rest/system")
        assert system.ok
        assert system.resource.name == "system"
        assert system.url == f"{url}/rest/system"
        listed = await client.fetch("/rest/sipsg")
        assert [i.id for i in listed.resource.items] == ["1", "2", "3", "4"]
        assert (
            listed.resource.items[0].href == "https://10.0.0.5/rest/sipsg/1"
        )  # the box's own address
        detailed = await client.fetch("/rest/sipsg", Query(details=True))
        assert detailed.url.endswith("/rest/sipsg?details=true")
        assert detailed.resource.items[0].label == "Carrier A SIP trunk"
        runtime = await client.fetch("/rest/sipsg/1", Query(category=RUNTIME))
        assert runtime.url.endswith("/rest/sipsg/1?filter=runtime")
        assert {a.category for a in runtime.resource.attributes} == {RUNTIME}
        assert all(a.name.startswith("rt_") for a in runtime.resource.attributes)
    finally:
        await client.close()
    assert sim.logins == 1
    assert sim.logouts == 1  # close() logs out
    assert sim.sessions == {}
    assert (LinkState.CONNECTING, "logging in as restuser") in states.seen
    assert states.last is LinkState.UP
    logins = [r for r in sim.requests if r[1] == "/rest/login"]
    assert len(logins) == 1


async def test_relogin_after_a_401(sbc) -> None:
    sim, url = sbc
    client = SbcClient(make_target("sbc", url), secret=PASSWORD)
    try:
        assert (await client.fetch("/rest/system")).ok
        sim.sessions.clear()  # the box restarted: our cookie means nothing now
        again = await client.fetch("/rest/sipsg/2", refresh=True)
        assert again.ok
        assert "answered 401" in again.notes[0]
        assert sim.logins == 2
    finally:
        await client.close()


async def test_relogin_before_a_request_after_ten_idle_minutes(host: SimHost) -> None:
    clock = Clock()
    sim = SbcSimulator(password=PASSWORD, clock=clock)
    url = host.serve(sim)
    client = SbcClient(make_target("sbc", url, cache_ttl_s=0), secret=PASSWORD, clock=clock)
    try:
        assert (await client.fetch("/rest/system")).ok
        clock.now += 601  # the box would have dropped the session by now
        again = await client.fetch("/rest/system")
        assert again.ok
        assert "idle for 10 minutes" in again.notes[0]
        statuses = [path for method, path in sim.requests]
        assert statuses == ["/rest/login", "/rest/system", "/rest/login", "/rest/system"]
    finally:
        await client.close()


async def test_wrong_password_is_shown_with_its_app_code(sbc, states: States) -> None:
    _, url = sbc
    client = SbcClient(make_target("sbc", url), secret="wrong", on_state=states)
    try:
        fetched = await client.fetch("/rest/system")
    finally:
        await client.close()
    assert not fetched.ok
    assert fetched.resource.http_code == 500
    (error,) = fetched.resource.errors
    assert (error.code, error.params) == ("99102", ("restuser",))
    assert states.last is LinkState.DOWN
    assert "login refused" in states.seen[-1][1]


async def test_case_sensitive_details_and_unknown_filter_get_20035(sbc) -> None:
    _, url = sbc
    client = SbcClient(make_target("sbc", url), secret=PASSWORD)
    try:
        typed = await client.fetch("/rest/sipsg?details=True", Query(details=True))
        assert typed.url.endswith("/rest/sipsg?details=True")  # what was typed is not overridden
        assert typed.resource.http_code == 400
        (error,) = typed.resource.errors
        assert error.code == "20035"
        assert "details=True" in error.message
        assert "case-sensitive" in typed.hint
        inventory = await client.fetch("/rest/sipsg/1", Query(category="inventory"))
        assert inventory.resource.errors[0].params == ("filter=inventory",)
        missing = await client.fetch("/rest/callroutetable")
        assert missing.resource.http_code == 404
        assert "routingtable" in missing.hint
    finally:
        await client.close()


async def test_csrf_token_goes_back_as_a_header(host: SimHost) -> None:
    sim = SbcSimulator(password=PASSWORD, csrf=True)
    url = host.serve(sim)
    client = SbcClient(make_target("sbc", url), secret=PASSWORD)
    try:
        assert (await client.fetch("/rest/system")).ok
        assert any("X-CSRF-Token" in line for line in client.auth_lines())
    finally:
        await client.close()
    assert sim.logouts == 1


async def test_cache_serves_recent_pages_and_refresh_goes_to_the_box(host: SimHost) -> None:
    clock = Clock()
    sim = SbcSimulator(password=PASSWORD)
    url = host.serve(sim)
    client = SbcClient(make_target("sbc", url, cache_ttl_s=30), secret=PASSWORD, clock=clock)
    try:
        first = await client.fetch("/rest/sipsg/1")
        cached = await client.fetch("/rest/sipsg/1")
        assert cached.from_cache
        assert not first.from_cache
        assert cached.resource is first.resource
        assert not (await client.fetch("/rest/sipsg/1", refresh=True)).from_cache
        assert not (await client.fetch("/rest/sipsg/1", Query(details=True))).from_cache
        clock.now += 31
        assert not (await client.fetch("/rest/sipsg/1")).from_cache
    finally:
        await client.close()
    assert [p for _, p in sim.requests].count("/rest/sipsg/1") == 3


async def test_writes_need_allow_writes(sbc) -> None:
    _, url = sbc
    client = SbcClient(make_target("sbc", url), secret=PASSWORD)
    with pytest.raises(WritesDisabled, match="read-only: set allow_writes = true"):
        await client.write(plan_delete("sbc", "/rest/sipq850map/3"))
    await client.close()


async def test_delete_in_use_mapping_answers_31003_and_others_work(sbc) -> None:
    sim, url = sbc
    client = SbcClient(make_target("sbc", url, allow_writes=True), secret=PASSWORD)
    try:
        request = plan_delete("sbc", "/rest/sipq850map/3")
        shown = client.describe(request)
        assert shown.startswith(f"DELETE {url}/rest/sipq850map/3")
        assert PASSWORD not in shown
        refused = await client.write(request)
        (error,) = refused.resource.errors
        assert (error.code, error.params) == ("31003", ("3", "2"))
        assert refused.resource.http_code == 409
        await client.fetch("/rest/sipq850map")
        assert (await client.write(plan_delete("sbc", "/rest/sipq850map/5"))).ok
        listed = await client.fetch("/rest/sipq850map")
        assert not listed.from_cache  # the write dropped the cached list
        assert [i.id for i in listed.resource.items] == ["1", "3"]
        renamed = await client.write(
            plan_modify("sbc", "/rest/sipsg/3", "sipsg", {"Description": "PBX & co"})
        )
        assert renamed.resource.attributes[0].value == "PBX & co"
        assert ("POST", "/rest/sipsg/3") in sim.requests
        action = await client.write(plan_action("sbc", "/rest/isdnsg/10001", "resetcounters"))
        assert action.ok
        assert action.resource.shape == "status"
    finally:
        await client.close()


async def test_trunk_failure_shows_a_runtime_error_and_an_alarm(sbc) -> None:
    sim, url = sbc
    client = SbcClient(make_target("sbc", url, cache_ttl_s=0), secret=PASSWORD)
    try:
        healthy = await client.fetch("/rest/sipservertable/1/sipserver/2")
        assert healthy.resource.errors == ()
        sim.set_incident(True)
        failing = await client.fetch("/rest/sipservertable/1/sipserver/2")
        (error,) = failing.resource.errors
        assert error.category == RUNTIME
        status = {a.name: a.value for a in failing.resource.attributes}["rt_MonitorStatus"]
        assert status == "1"
        alarms = await client.fetch("/rest/activealarm", Query(details=True))
        assert any("not responding" in i.label for i in alarms.resource.items)
    finally:
        await client.close()


async def test_a_big_answer_is_parsed_in_the_worker_process_into_the_same_model(
    host: SimHost,
) -> None:
    sim = SbcSimulator(password=PASSWORD, bulk_sipsg=3_000)
    client = SbcClient(make_target("sbc", host.serve(sim)), secret=PASSWORD)
    before = WORKER.parsed
    try:
        fetched = await client.fetch("/rest/sipsg", Query(details=True))
    finally:
        await client.close()
        WORKER.shutdown()
    assert len(fetched.body) > client.process_parse_bytes
    assert WORKER.parsed == before + 1
    resource = fetched.resource
    assert len(resource.items) == 3_004
    assert resource == parse_response("sbc", fetched.body, transport_status=200)
    assert resource.items[1].names is resource.items[-1].names  # shared again after the trip


async def test_a_worker_process_that_died_is_replaced() -> None:
    body = b"<root><status><http_code>200</http_code></status><system><N>x</N></system></root>"
    try:
        first = await WORKER.parse("sbc", body, transport_status=200)
        process = WORKER._process
        assert process is not None
        process.kill()
        await asyncio.to_thread(process.wait, 10)
        again = await WORKER.parse("sbc", body, transport_status=200)
        assert WORKER._process is not process
    finally:
        WORKER.shutdown()
    assert first == again == parse_response("sbc", body, transport_status=200)
