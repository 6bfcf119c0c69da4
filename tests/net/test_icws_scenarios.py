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
    """A simulator whose world clock only the test moves: stories play in world time."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    simulator = IcwsSimulator(seed=21, users={"noc": PASSWORD})
    simulator.serve(sim_host)
    simulator.faults.sse_ping_s = 0.2
    simulator.world.arrival_per_s["Support"] = 1.0
    simulator.world.alert_threshold = 4
    return simulator


STEP_S = 0.25  # world seconds per step


def watched_agents_in_sync(sim: IcwsSimulator, state: IcwsState) -> bool:
    """The client shows each watched agent's Do Not Disturb as the world has it."""
    world = sim.run(lambda: {u: a.status == "Do Not Disturb" for u, a in sim.world.agents.items()})
    shown = {a.user: a.do_not_disturb for a in state.agents()}
    return bool(shown) and all(world[user] == dnd for user, dnd in shown.items())


def on_a_live_session(sim: IcwsSimulator, client: IcwsClient) -> bool:
    """The client reads on a session the simulator holds (not one it has dropped)."""
    session = client.session
    live = sim.run(lambda: {sid for host in sim.servers for sid in host.sessions})
    return session is not None and session.session_id in live


def test_a_story_acts_on_the_world_clock_not_the_wall_clock(sim: IcwsSimulator) -> None:
    first = next(a.user for a in sim.world.agents.values() if a.workgroups == ("Support",))
    story = sim.play("surge")  # speed 1: the first agent goes Do Not Disturb 4 s in
    sim.advance(steps=15, dt=STEP_S)
    assert sim.world.agents[first].status == "Available"
    sim.advance(steps=1, dt=STEP_S)
    assert sim.world.agents[first].status == "Do Not Disturb"
    assert not story.done()
    sim.advance(steps=4 * (47 - 4) - 1, dt=STEP_S)  # the story lasts 47 s of world time
    assert not story.done()
    sim.advance(steps=1, dt=STEP_S)
    assert story.done() and story.result() is None
    assert sim.world.agents[first].status == "Available"


async def test_surge_with_a_401_mid_surge(sim: IcwsSimulator) -> None:
    """Story 4: the queue fills, agents go DND, the alert fires, the session dies and recovers.

    Played in lockstep on the world's clock: after every step the test waits until the
    client's view matches the world, so the client sees every state the story goes through.
    """
    client, sink, board, state = make_client(sim.urls[0], use_sse=True)
    seen_dnd: set[str] = set()
    peak_waiting = 0

    def settled() -> bool:
        return (
            on_a_live_session(sim, client)
            and in_sync(sim, state)
            and watched_agents_in_sync(sim, state)
        )

    async with running(client):
        await until(lambda: client.stats.mode == "sse" and settled(), "the event stream")
        story = sim.play("surge", speed=8)
        steps = 0
        while not story.done():
            sim.advance(steps=1, dt=STEP_S)
            steps += 1
            await until(settled, f"the client's view after step {steps}")
            seen_dnd.update(a.user for a in state.agents() if a.do_not_disturb)
            queues = {q.label: q for q in state.queues()}
            peak_waiting = max(peak_waiting, queues["Support"].waiting)
            assert steps < 200, "the story should be over after 47/8 s of world time"
        story.result()
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
    """Story 1, ICWS side: outbound calls pile up in Proceeding, then fail and drain.

    The world moves only when the test steps it; the client (polling) catches up every
    two world seconds, which is enough to see the pile: stuck calls stay until the trunk
    returns.
    """
    client, sink, _, state = make_client(sim.urls[0])
    piled = 0
    stuck: set[str] = set()

    def look() -> None:
        nonlocal piled
        outbound = client_queues(state).get("Outbound", {})
        proceeding = {call for call, letter in outbound.items() if letter == "R"}
        stuck.update(proceeding)
        piled = max(piled, len(proceeding))

    def drained() -> bool:  # new calls dialled after the story may come and go; the stuck ones left
        return not stuck & set(client_queues(state).get("Outbound", {}))

    async def step(count: int) -> None:
        sim.advance(steps=count, dt=STEP_S)
        await until(lambda: in_sync(sim, state), "the client's view of the world")

    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        story = sim.play("outbound-stuck", speed=4)
        while not story.done():
            await step(8)
            look()
        story.result()
        assert piled >= 10
        for _ in range(20):
            await step(4)
            if drained():
                break
        assert drained(), "the stuck calls drained"
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
