"""All ICWS clients of a config, started and closed together."""

from __future__ import annotations

import socket

import pytest

from tests.net.icws_helpers import PASSWORD, PASSWORD_ENV, ListSink, icws_config, until
from tui.core.icws_state import IcwsState
from tui.core.sources import LinkState, SourceBoard
from tui.net.icws import IcwsFleet
from tui.sim.host import SimHost
from tui.sim.icws import IcwsSimulator


async def test_one_server_down_does_not_stop_the_other(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with SimHost("icws-fleet") as host:
        sim = IcwsSimulator(seed=1, users={"noc": PASSWORD})
        sim.serve(host)
        servers = [icws_config(sim.urls[0], name="cic1"), icws_config(dead, name="cic2")]
        sink, board, state = ListSink(), SourceBoard(), IcwsState()
        fleet = IcwsFleet(servers, sink, board, state)
        fleet.start()
        try:
            await until(
                lambda: (
                    board.get("cic1").state is LinkState.UP
                    and board.get("cic2").state is LinkState.DOWN
                    and not any(q.stale for q in state.queues("cic1"))
                ),
                "one up, one down",
            )
            assert fleet.client("cic2").stats.logins == 0
        finally:
            await fleet.aclose()
        assert sim.session_count() == 0
        assert board.get("cic1").state is LinkState.IDLE
        assert {e.node for e, _ in sink.rows} == {"cic1", "cic2"}
