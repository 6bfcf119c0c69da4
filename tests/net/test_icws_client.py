"""The ICWS client against the simulator over real loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator

import pytest

from tests.net.icws_helpers import (
    PASSWORD,
    PASSWORD_ENV,
    client_queues,
    in_sync,
    make_client,
    running,
    until,
    world_queues,
)
from tui.core.feed import SEV_ERROR, SOURCE_CONSOLE, SOURCE_ICWS
from tui.core.sources import LinkState
from tui.net.icws.plan import SubscriptionPlan
from tui.sim.host import SimHost
from tui.sim.icws import IcwsSimulator


@pytest.fixture
def sim_host() -> Iterator[SimHost]:
    with SimHost("icws-test") as host:
        yield host


@pytest.fixture
def sim(sim_host: SimHost, monkeypatch: pytest.MonkeyPatch) -> IcwsSimulator:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    simulator = IcwsSimulator(seed=7, users={"noc": PASSWORD})
    simulator.serve(sim_host)
    simulator.faults.sse_ping_s = 0.2
    return simulator


async def test_login_csrf_cookie_subscriptions_and_logout(sim: IcwsSimulator) -> None:
    client, sink, board, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        assert board.get("cic-test").state is LinkState.UP
        assert "polling every 0.1s" in board.get("cic-test").detail
        session = sim.run(lambda: next(iter(sim.servers[0].sessions.values())))
        secrets = (PASSWORD, session.csrf, session.cookie)
    requests = list(sim.requests)
    login = requests[0]
    assert (login.method, login.path, login.status) == ("POST", "/icws/connection", 201)
    assert login.accept_language == "en-us"
    in_session = [r for r in requests if r.path.startswith(f"/icws/{session.session_id}/")]
    assert in_session
    assert all(r.has_cookie and r.has_csrf for r in in_session), "cookie and CSRF on every call"
    assert all(r.status < 400 for r in in_session)
    puts = sorted(r.path.split("/subscriptions/")[1] for r in in_session if r.method == "PUT")
    assert puts == [
        "alerts/alert-notifications",
        "queues/noc-1-workgroup-support",
        "queues/noc-2-workgroup-sales",
        "queues/noc-3-workgroup-outbound",
        "statistics/statistic-values",
        "status/status-messages",
        "status/user-statuses",
    ]
    deletes = [r.path for r in in_session if r.method == "DELETE"]
    assert len(deletes) == len(puts) + 1
    assert deletes[-1].endswith("/connection"), "the session is closed after its subscriptions"
    assert sim.session_count() == 0
    assert board.get("cic-test").state is LinkState.IDLE
    for event, raw in sink.rows:
        for secret in secrets:
            assert secret not in repr(event)
            assert secret.encode() not in raw
    logged_in = sink.events(source=SOURCE_CONSOLE, status="logged in")
    assert len(logged_in) == 1
    assert (
        "subscribed to status catalogue, user statuses (3 users), queue Support"
        in logged_in[0].info
    )
    assert {a.user for a in state.agents()} == {"j.chen", "a.moreau", "m.rossi"}
    assert state.statistics()[0].name == "InteractionsWaiting"


async def test_deltas_keep_the_view_equal_to_the_server(sim: IcwsSimulator) -> None:
    client, sink, _, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        for _ in range(6):
            sim.advance(steps=10, dt=0.5)
            await until(lambda: in_sync(sim, state), "the deltas")
        deltas = [e for e, _ in sink.rows if e.source == SOURCE_ICWS and e.flags]
        assert any(e.status == "Connected" for e in deltas)
        assert any(e.status == "Removed" for e in deltas)
    assert client.stats.messages == sim.delivered, "every message handed out reached the sink"


async def test_is_delta_false_resets_a_subscription(sim: IcwsSimulator) -> None:
    client, _, _, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        assert client_queues(state)["Support"], "the seed puts interactions in Support"
        sim.inject(
            {
                "__type": "urn:inin.com:queues:queueContentsMessage",
                "isDelta": False,
                "subscriptionId": "noc-1-workgroup-support",
                "interactionsAdded": [{"interactionId": "42", "attributes": {"Eic_State": "H"}}],
            }
        )
        await until(lambda: client_queues(state)["Support"] == {"42": "H"}, "the reset")


async def test_401_relogs_in_without_losing_messages_or_leaving_stale_interactions(
    sim: IcwsSimulator,
) -> None:
    client, sink, board, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        sim.advance(steps=8)
        await until(lambda: in_sync(sim, state), "the deltas")
        gone = next(iter(client_queues(state)["Support"]))

        def expire_and_end_one() -> None:
            sim.expire_sessions()
            sim.world.interactions.pop(gone)  # ends while nobody is logged in: no delta says so
            sim.step(0.5)

        sim.run(expire_and_end_one)
        await until(lambda: client.stats.sessions_lost == 1, "the 401")
        await until(lambda: client.stats.logins == 2 and in_sync(sim, state), "the fresh snapshots")
        assert gone not in client_queues(state)["Support"]
        assert board.get("cic-test").state is LinkState.UP
        lost = sink.events(source=SOURCE_CONSOLE, status="401")
        assert lost
        assert "logging in again" in lost[0].info
        assert lost[0].error_id == "error.request.connection.authenticationFailure"
        assert not any(q.stale for q in state.queues())
        assert not state.agents()[0].stale
    assert client.stats.messages == sim.delivered


async def test_switchover_follows_the_alternate_host(sim: IcwsSimulator) -> None:
    client, sink, board, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        backup = sim.switchover()
        await until(lambda: client.stats.switchovers == 1, "the move to the backup host")
        await until(lambda: in_sync(sim, state), "snapshots from the backup")
        assert client.stats.host == backup
        assert backup in board.get("cic-test").detail
        warning = sink.events(source=SOURCE_CONSOLE, status="switchover")[0]
        assert warning.error_id == "error.server.notAcceptingConnections"
        assert f"trying {backup}" in warning.info
        sim.advance(steps=6)
        await until(lambda: in_sync(sim, state), "deltas from the backup")
    hosts = {r.host for r in sim.requests if r.method == "DELETE"}
    assert hosts == {"cic-b"}, "the logout goes to the host the session lives on"
    assert client.stats.messages == sim.delivered


async def test_every_host_refusing_backs_off_until_one_accepts(sim: IcwsSimulator) -> None:
    """Both CIC hosts answer 503 mid-switchover: keep trying both, then take the one that opens."""
    client, sink, board, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        sim.run(lambda: setattr(sim.servers[0], "accepting", False))
        sim.expire_sessions()
        await until(lambda: len(sink.events(status="switchover")) >= 4, "503s from both hosts")
        assert board.get("cic-test").state is LinkState.DOWN
        assert len(client.stats.backoff_delays) >= 1
        sim.run(lambda: setattr(sim.servers[1], "accepting", True))
        await until(lambda: client.stats.host == sim.servers[1].address, "the backup opens")
        await until(lambda: in_sync(sim, state), "snapshots from the backup")


async def test_an_unexpected_error_is_reported_and_survived(sim: IcwsSimulator) -> None:
    client, sink, _, state = make_client(sim.urls[0])
    original = client._subscribe
    calls = 0

    async def flaky(session):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom")
        await original(session)

    client._subscribe = flaky  # type: ignore[method-assign]
    async with running(client):
        await until(lambda: in_sync(sim, state), "recovery after the bug")
    (report,) = sink.events(source=SOURCE_CONSOLE, method="client")
    assert report.severity == SEV_ERROR
    assert "internal error (RuntimeError: boom)" in report.info


async def test_server_sent_events(sim: IcwsSimulator) -> None:
    client, _, board, state = make_client(sim.urls[0], use_sse=True)
    async with running(client):
        await until(lambda: client.stats.mode == "sse" and in_sync(sim, state), "the stream")
        assert "event stream" in board.get("cic-test").detail
        for _ in range(3):
            sim.advance(steps=8)
            await until(lambda: in_sync(sim, state), "streamed deltas")
        sim.expire_sessions()
        sim.advance(steps=4)
        await until(lambda: client.stats.logins == 2 and in_sync(sim, state), "a new stream")
        assert client.stats.mode == "sse"
        assert client.stats.streams >= 2
    gets = [r for r in sim.requests if r.method == "GET"]
    assert all("text/event-stream" in r.accept for r in gets)
    assert client.stats.polls == 0
    assert client.stats.messages == sim.delivered


async def test_server_without_messaging_v2_is_polled(sim_host: SimHost, monkeypatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    sim = IcwsSimulator(seed=3, users={"noc": PASSWORD}, messaging_version=1)
    sim.serve(sim_host)
    client, _, _, state = make_client(sim.urls[0], use_sse=True)
    async with running(client):
        await until(lambda: in_sync(sim, state) and client.stats.polls > 2, "polling")
        assert client.stats.mode == "poll"
        assert client.stats.streams == 0


async def test_empty_200_is_no_messages(sim: IcwsSimulator) -> None:
    sim.faults.empty_200 = True
    client, sink, _, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        await until(lambda: client.stats.empty_polls >= 3, "empty polls")
        sim.advance(steps=5)
        await until(lambda: in_sync(sim, state), "deltas between empty answers")
    assert not sink.events(status="bad answer")


async def test_refused_password_waits_for_a_fix(sim: IcwsSimulator, monkeypatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "wrong")
    client, sink, board, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: board.get("cic-test").state is LinkState.DOWN, "the refusal")
        refusal = sink.events(source=SOURCE_CONSOLE, severity=SEV_ERROR)[0]
        assert refusal.error_id == "error.request.connection.authenticationFailure"
        assert "Not retrying on its own" in refusal.info
        assert "wrong" not in refusal.info
        await asyncio.sleep(0.3)  # backoff would have retried several times by now
        assert [r.path for r in sim.requests] == ["/icws/connection"]
        monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
        await until(lambda: in_sync(sim, state), "login once the password is fixed")


async def test_missing_password_variable_is_explained(sim: IcwsSimulator, monkeypatch) -> None:
    monkeypatch.delenv(PASSWORD_ENV)
    client, sink, board, _ = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: board.get("cic-test").state is LinkState.DOWN, "the refusal")
        assert f"environment variable {PASSWORD_ENV} is not set" in board.get("cic-test").detail
        (refusal,) = sink.events(source=SOURCE_CONSOLE, method="login")
        assert refusal.severity == SEV_ERROR
    assert not sim.requests


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_backoff_with_jitter_while_the_server_is_down(monkeypatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    client, sink, board, _ = make_client(f"http://127.0.0.1:{closed_port()}")
    async with running(client):
        await until(lambda: len(client.stats.backoff_delays) >= 6, "six retries")
        status = board.get("cic-test")
        assert status.state in (LinkState.DOWN, LinkState.CONNECTING)
    delays = list(client.stats.backoff_delays)
    ceilings = [min(0.4, 0.05 * 2**i) for i in range(len(delays))]
    for delay, ceiling in zip(delays, ceilings, strict=True):
        assert ceiling / 2 <= delay <= ceiling
    failures = sink.events(source=SOURCE_CONSOLE, method="login", status="unreachable")
    assert len(failures) >= 6
    assert "cannot connect" in failures[0].info


async def test_slow_answers_show_as_degraded(sim: IcwsSimulator) -> None:
    client, _, board, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        sim.faults.slow_s = 1.2
        await until(lambda: "slow answers" in board.get("cic-test").detail, "slowness shown")
        assert board.get("cic-test").state is LinkState.DEGRADED
        sim.faults.slow_s = 0.0
        await until(lambda: board.get("cic-test").state is LinkState.UP, "recovery")


async def test_a_poll_in_flight_still_delivers_when_run_is_cancelled(sim: IcwsSimulator) -> None:
    client, sink, _, state = make_client(sim.urls[0])
    task = asyncio.create_task(client.run())
    try:
        await until(lambda: in_sync(sim, state), "the first snapshots")
        sim.hold_polls()
        await until(lambda: sim.held_polls() == 1, "a poll on the wire, its queue not read yet")
        assert client.channel.in_flight is not None
        marker = {"__type": "urn:inin.com:licenses:licenseMessage", "isDelta": False, "mark": 1}
        sim.inject(marker)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        sim.release_polls()  # the poll now reads the queue, the marker with it
    finally:
        await client.aclose()
    kept = [raw for e, raw in sink.rows if e.method == "licenses:licenseMessage"]
    assert [json.loads(r) for r in kept] == [marker]
    assert client.stats.messages == sim.delivered


async def test_refused_subscription_is_reported_and_the_rest_work(sim: IcwsSimulator) -> None:
    client, sink, board, state = make_client(sim.urls[0])
    client.plans.append(SubscriptionPlan("bogus", "no/such/resource", {}, "a bogus thing"))
    async with running(client):
        await until(lambda: in_sync(sim, state), "the other subscriptions")
        refused = sink.events(source=SOURCE_CONSOLE, method="subscribe")
        assert [(e.app, e.reply_status) for e in refused] == [("bogus", 404)]
        assert "1 subscription(s) refused: a bogus thing" in state.note("cic-test")
        assert board.get("cic-test").state is LinkState.UP
    assert world_queues(sim)
