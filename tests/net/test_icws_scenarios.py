"""The incident stories on the ICWS simulator, watched by the real client over loopback."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator

import pytest

from tests.net.icws_helpers import (
    PASSWORD,
    PASSWORD_ENV,
    ListSink,
    client_queues,
    in_sync,
    make_client,
    running,
    until,
)
from tui.core.icws_state import IcwsState
from tui.core.sources import LinkState, SourceBoard
from tui.net.icws import IcwsClient
from tui.sim.host import SimHost
from tui.sim.icws import IcwsSimulator, start_icws_demo
from tui.sim.icws.demo import DEMO_PASSWORD_ENV


@pytest.fixture
def sim_host() -> Iterator[SimHost]:
    with SimHost("icws-story") as host:
        yield host


@pytest.fixture
def sim(sim_host: SimHost, monkeypatch: pytest.MonkeyPatch) -> IcwsSimulator:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    simulator = IcwsSimulator(seed=21, users={"noc": PASSWORD})
    simulator.serve(sim_host)
    simulator.faults.sse_ping_s = 0.2
    simulator.world.arrival_per_s["Support"] = 1.0
    simulator.world.alert_threshold = 4
    simulator.start_clock(sim_host, tick_s=0.05)
    return simulator


async def test_surge_with_a_401_mid_surge(sim: IcwsSimulator) -> None:
    """Story 4: the queue fills, agents go DND, the alert fires, the session dies and recovers."""
    client, sink, board, state = make_client(sim.urls[0], use_sse=True)
    seen_dnd: set[str] = set()
    peak_waiting = 0

    def watch() -> bool:
        nonlocal peak_waiting
        seen_dnd.update(a.user for a in state.agents() if a.do_not_disturb)
        queues = {q.label: q for q in state.queues()}
        if "Support" in queues:
            peak_waiting = max(peak_waiting, queues["Support"].waiting)
        return story.done()

    async with running(client):
        await until(lambda: client.stats.mode == "sse", "the event stream")
        story = sim.play("surge", speed=8)
        await until(watch, "the end of the surge story", timeout=30)
        sim.stop_clock()
        await until(lambda: in_sync(sim, state), "a settled view")
        assert client.stats.sessions_lost == 1, "the session expired mid-surge"
        assert client.stats.logins == 2
        assert board.get("cic-test").state is LinkState.UP
        assert {"a.moreau", "j.chen"} <= seen_dnd
        assert peak_waiting >= 4
        raised = sink.events(kind="alertNotification", status="raised")
        assert {e.queue for e in raised} == {"Support"}
        # raised live (a delta), and again in the snapshot after the re-login: still active
        assert [bool(e.flags) for e in raised][:1] == [True]
        assert not any(a.do_not_disturb for a in state.agents()), "back to work after"
    assert client.stats.messages == sim.delivered


async def test_outbound_queue_not_draining(sim: IcwsSimulator) -> None:
    """Story 1, ICWS side: outbound calls pile up in Proceeding, then fail and drain."""
    client, sink, _, state = make_client(sim.urls[0])
    piled = 0
    stuck: set[str] = set()

    def watch() -> bool:
        nonlocal piled
        outbound = client_queues(state).get("Outbound", {})
        proceeding = {call for call, letter in outbound.items() if letter == "R"}
        stuck.update(proceeding)
        piled = max(piled, len(proceeding))
        return story.done()

    def drained() -> bool:  # new calls dialled after the story may come and go; the stuck ones left
        return not stuck & set(client_queues(state).get("Outbound", {}))

    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        story = sim.play("outbound-stuck", speed=4)
        await until(watch, "the end of the trunk failure", timeout=30)
        assert piled >= 10
        await until(drained, "the stuck calls drained", timeout=30)
    failed = {e.call for e in sink.events(queue="Outbound", status="Disconnected")}
    connected = {e.call for e in sink.events(queue="Outbound", status="Connected")}
    assert len(failed - connected) >= piled, "the stuck calls failed without ever connecting"


async def test_demo_entry_point(sim_host: SimHost, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DEMO_PASSWORD_ENV, "placeholder")  # restored after the test
    demo = start_icws_demo(sim_host, cycle=False)
    assert os.environ[DEMO_PASSWORD_ENV]
    assert demo.server.password_env == DEMO_PASSWORD_ENV
    assert demo.server.url.host == "127.0.0.1"
    sink, board, state = ListSink(), SourceBoard(), IcwsState()
    client = IcwsClient(demo.server, sink, board, state)
    async with running(client):
        await until(
            lambda: (
                len(state.queues()) == 4
                and not any(q.stale for q in state.queues())
                and len(state.agents()) == 12
                and len(state.statistics()) == 8
            ),
            "the demo's subscriptions",
        )
        assert client.stats.mode == "sse"
        await asyncio.sleep(0.6)  # the demo clock runs on its own: deltas keep coming
        assert client.stats.messages > 6
