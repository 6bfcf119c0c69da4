"""Outages the ICWS session outlives: the client keeps it, backs off, and gets every message.

The outage windows run on the simulator's world clock, which only these tests move
(``sim.advance``): "25 s of 500s" is 25 s of world time, however fast the client polls.
Where the client must time out (a hang), it gets a short read timeout instead of a long wait.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import httpx
import pytest

from tests.net.icws_helpers import (
    PASSWORD,
    PASSWORD_ENV,
    ListSink,
    answered,
    in_sync,
    logins,
    make_client,
    mark,
    marks,
    running,
    session_id,
    until,
)
from tui.core.feed import SEV_OK, SOURCE_CONSOLE
from tui.core.sources import LinkState
from tui.sim.host import SimHost
from tui.sim.icws import IcwsSimulator

OLD_GIVE_UP = 3  # failed polls after which the client used to drop the session


@pytest.fixture
def sim_host() -> Iterator[SimHost]:
    with SimHost("icws-outage") as host:
        yield host


@pytest.fixture
def sim(sim_host: SimHost, monkeypatch: pytest.MonkeyPatch) -> IcwsSimulator:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    simulator = IcwsSimulator(seed=11, users={"noc": PASSWORD})
    simulator.serve(sim_host)
    simulator.faults.sse_ping_s = 0.2
    return simulator


async def all_delivered(sink: ListSink, count: int, what: str, timeout: float = 15.0) -> None:
    """Wait for marks 0..count-1, then check each arrived exactly once (saying what was lost)."""
    with contextlib.suppress(AssertionError):
        await until(lambda: len(marks(sink)) >= count, what, timeout)
    got = marks(sink)
    lost, twice = count - len(set(got)), len(got) - len(set(got))
    assert got == list(range(count)), f"{lost} of {count} messages lost, {twice} delivered twice"


async def test_25_s_of_500s_lose_nothing_and_keep_the_session(sim: IcwsSimulator) -> None:
    client, sink, board, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        first = session_id(client)
        sim.fail_polls(500, for_s=25.0)
        for number in range(50):  # a message queued every 0.5 s of world time, for 25 s
            sim.inject(mark(number))
            sim.advance(steps=1, dt=0.5)
            if number == 24:

                def degraded() -> bool:
                    status = board.get("cic-test")
                    return (
                        answered(sim, 500) > OLD_GIVE_UP
                        and status.state is LinkState.DEGRADED
                        and "polls failed (HTTP 500), retrying in" in status.detail
                        and status.detail.endswith("session kept")
                    )

                await until(degraded, "more failed polls than the old limit, shown as degraded")
                assert "the server holds the messages" in state.note("cic-test")
        await all_delivered(sink, 50, "the messages held by the server")
        await until(lambda: in_sync(sim, state), "a settled view")
        assert session_id(client) == first
        assert client.stats.logins == 1 and logins(sim) == 1
        assert client.stats.sessions_lost == 0
        # the link is said up by the poll after the one that brought the last messages back
        await until(lambda: board.get("cic-test").state is LinkState.UP, "the link up again")
        assert state.note("cic-test") == ""
    (back,) = sink.events(source=SOURCE_CONSOLE, status="recovered")
    assert back.severity == SEV_OK
    assert "same session" in back.info
    warnings = sink.events(source=SOURCE_CONSOLE, method="poll", status="500")
    assert len(warnings) == 1, "one warning per outage, not one per failed poll"
    assert client.stats.messages == sim.delivered


async def test_a_45_s_hang_loses_nothing(sim: IcwsSimulator) -> None:
    short = httpx.AsyncClient(timeout=httpx.Timeout(0.5))  # the hang costs 0.5 s per poll
    client, sink, board, state = make_client(sim.urls[0], http=short)
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        first = session_id(client)
        sim.hang(for_s=45.0)
        for number in range(100):  # 100 messages queued over 45 s of world time
            sim.inject(mark(number))
            sim.advance(steps=1, dt=0.45)
            if number == 49:
                await until(
                    lambda: answered(sim, 0) >= OLD_GIVE_UP, "polls that timed out on the hang"
                )
                assert "no answer in time" in board.get("cic-test").detail
        await all_delivered(sink, 100, "the messages held through the hang")
        assert session_id(client) == first
        assert client.stats.logins == 1 and logins(sim) == 1
    assert client.stats.messages == sim.delivered


async def test_a_401_after_failed_polls_still_logs_in_afresh(sim: IcwsSimulator) -> None:
    """The server's word ends the session at once, outage or not: one fresh login, no more."""
    client, sink, board, state = make_client(sim.urls[0])
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        first = session_id(client)
        sim.fail_polls(500, for_s=25.0)
        await until(lambda: answered(sim, 500) > OLD_GIVE_UP + 1, "polls failing for a while")
        sim.expire_sessions()  # the server forgets the session: it now answers 401
        await until(lambda: client.stats.sessions_lost == 1, "the 401")
        sim.advance(steps=50, dt=0.5)  # the 500s stop
        await until(lambda: in_sync(sim, state), "snapshots on the new session")
        assert client.stats.logins == 2 and logins(sim) == 2
        assert session_id(client) not in ("", first)
        assert board.get("cic-test").state is LinkState.UP
    (lost,) = sink.events(source=SOURCE_CONSOLE, status="401")
    assert "logging in again" in lost.info
    assert lost.error_id == "error.request.connection.authenticationFailure"


async def test_failing_polls_give_the_session_up_after_keep_session_s(sim: IcwsSimulator) -> None:
    """A server that stays sick past the ceiling: delete the session, log in anew."""
    client, sink, _, state = make_client(
        sim.urls[0], keep_session_s=10, clock=lambda: sim.world.now
    )
    async with running(client):
        await until(lambda: in_sync(sim, state), "the first snapshots")
        first = session_id(client)
        sim.fail_polls(500, for_s=60.0)
        await until(lambda: answered(sim, 500) >= 2, "the outage under way")
        assert client.stats.logins == 1, "a few failed polls keep the session"
        sim.advance(steps=24, dt=0.5)  # 12 s of world time: past keep_session_s
        await until(lambda: client.stats.logins >= 2, "a new session after the ceiling")
        sim.fail_polls(500, for_s=0.0)
        await until(lambda: in_sync(sim, state), "snapshots on the new session")
        assert sim.session_count() == 1, "the old session was deleted, not left to expire"
    (given_up,) = [e for e in sink.events(source=SOURCE_CONSOLE) if "giving the session" in e.info]
    assert "keep_session_s = 10" in given_up.info
    deleted = [r for r in sim.requests if r.method == "DELETE" and r.path.endswith("/connection")]
    assert deleted[0].path == f"/icws/{first}/connection"


async def test_a_silent_event_stream_is_reopened_on_the_same_session(sim: IcwsSimulator) -> None:
    """No event and no keep-alive for about twice the interval: reopen, long before 60 s."""
    keepalive = 0.2  # what the simulator sends
    client, sink, _, state = make_client(
        sim.urls[0], use_sse=True, sse_keepalive_s=keepalive, request_timeout_s=30
    )
    async with running(client):
        await until(lambda: client.stats.mode == "sse" and in_sync(sim, state), "the stream")
        first = session_id(client)
        sim.stall_streams()
        for number in range(10):
            sim.inject(mark(number))  # queued: the stalled stream takes nothing
        # the old client waited for its 60 s read timeout; the bound here is far below it
        await all_delivered(sink, 10, "the messages on a reopened stream", 10)
        assert client.stats.stream_silences == 1
        assert client.stats.streams == 2
        # twice the interval, learned from the stream within 1/4..4 times the configured one
        assert 2 * keepalive / 4 <= client.stats.silence_limit_s <= 2 * keepalive * 4
        assert session_id(client) == first and client.stats.logins == 1
        assert client.stats.polls == 0, "still on the event stream"
    (silent,) = sink.events(source=SOURCE_CONSOLE, status="silent")
    assert "reopening it on the same session" in silent.info


async def test_event_stream_requests_failing_keep_the_session(sim: IcwsSimulator) -> None:
    """The stream dies, and reopening it meets 500s for a while: same session, nothing lost."""
    client, sink, board, state = make_client(sim.urls[0], use_sse=True, sse_keepalive_s=0.2)
    async with running(client):
        await until(lambda: client.stats.mode == "sse" and in_sync(sim, state), "the stream")
        first = session_id(client)
        sim.fail_polls(500, for_s=20.0)
        sim.stall_streams()
        for number in range(40):
            sim.inject(mark(number))
            sim.advance(steps=1, dt=0.5)
            if number == 19:
                await until(lambda: answered(sim, 500) > OLD_GIVE_UP, "failed stream requests")
                assert "stream requests failed (HTTP 500)" in board.get("cic-test").detail
        await all_delivered(sink, 40, "the messages on the reopened stream")
        assert session_id(client) == first and client.stats.logins == 1
        assert client.stats.mode == "sse"
    assert client.stats.messages == sim.delivered
