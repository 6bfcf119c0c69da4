"""The services feed every event the store takes to the correlator, in batches on the drain
clock, whichever way the event came in (submitted from a thread, or published on the loop)."""

from __future__ import annotations

from tui.config import AppConfig
from tui.core.correlate import KIND_CALL
from tui.core.feed import blank_event
from tui.core.sources import SourceBoard
from tui.services import Services


def _services(**correlate: float) -> Services:
    config = AppConfig.model_validate({"feed": {"buffer_size": 1000}, "correlate": correlate})
    return Services(config, SourceBoard([]), journal=False)


def _call(call: str, ts: float, status: str):
    return blank_event(source="wcs", method="CallStatusEvent", call=call, node="n1", ts=ts,
                       status=status)  # fmt: skip


def test_submitted_and_published_events_reach_the_correlator_on_drain() -> None:
    services = _services()
    services.store.publish(_call("b", 2.0, "ESTABLISHED"))  # drained at once, correlated later
    services.store.submit(_call("a", 1.0, "TRYING"))
    assert len(services.correlator) == 0
    assert services.drain() == 1
    calls = {g.id: g.state for g in services.correlator.groups(KIND_CALL)}
    assert calls == {"a": "TRYING", "b": "ESTABLISHED"}
    assert services.correlate() == 0  # each event once
    assert services.correlator.events == 2


def test_events_that_left_the_buffer_unseen_are_counted() -> None:
    services = _services()
    for i in range(1500):
        services.store.publish(_call(f"c{i}", float(i), "TRYING"))
    services.drain()
    assert services.correlate_missed == 500
    assert len(services.correlator.groups(KIND_CALL)) == 1000


def test_the_correlate_section_sets_the_limits() -> None:
    services = _services(max_groups=100, keep_ended_s=5, link_window_s=7)
    limits = services.correlator.limits
    assert (limits.max_groups, limits.keep_ended_s, limits.link_window_s) == (100, 5.0, 7.0)


async def test_a_run_with_a_journal_leaves_its_groups_for_calls(tmp_path, capsys) -> None:
    import json

    from tui.cli.parser import main

    config = AppConfig.model_validate(
        {"journal": {"file": str(tmp_path / "run.sqlite")}, "hooks": {"port": 0}}
    )
    services = Services(config, SourceBoard([]))
    assert services.correlator.track_changes
    services.journal.open()
    for i in range(20):
        services.store.submit(_call(f"c{i}", float(i), "TRYING"), b"{}", b"{}")
        services.store.submit(_call(f"c{i}", i + 0.5, "FAILED"), b"{}", b"{}")
    services.drain()
    await services.stop()  # the last checkpoint goes in before the journal closes
    path = str(tmp_path / "run.sqlite")
    import sqlite3

    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM groups").fetchone()[0] == 20
    assert main(["calls", "--journal", path, "--json"]) == 0
    fast = capsys.readouterr().out
    assert main(["calls", "--journal", path, "--json", "--full"]) == 0
    assert fast == capsys.readouterr().out
    assert [json.loads(line)["final_status"] for line in fast.splitlines()] == ["FAILED"] * 20


async def test_a_failure_while_draining_is_logged_and_the_drain_clock_goes_on(
    monkeypatch, caplog
) -> None:
    """Headless, one task drains the store on a clock: an exception from a drain (here the
    correlator's, on one batch) is logged and counted, and the next batches are still drained,
    instead of the task ending and `tail` printing nothing more."""
    import asyncio

    services = _services()
    fold = services.correlator.add
    failures = [RuntimeError("a correlator bug")]

    def add(event):
        if failures:
            raise failures.pop()
        return fold(event)

    monkeypatch.setattr(services.correlator, "add", add)
    clock = asyncio.create_task(services._drain_clock(interval=0.001))
    try:
        services.store.submit(_call("a", 1.0, "TRYING"))
        async with asyncio.timeout(10):
            while services.drain_errors == 0:
                await asyncio.sleep(0.001)
        services.store.submit(_call("b", 2.0, "TRYING"))
        async with asyncio.timeout(10):
            while services.store.received < 2 or services.correlator.events < 1:
                await asyncio.sleep(0.001)
    finally:
        clock.cancel()
    assert {g.id for g in services.correlator.groups(KIND_CALL)} == {"b"}
    assert "a correlator bug" in caplog.text
