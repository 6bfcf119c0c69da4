"""The simulated WCS's own log, imported, tells the story the console's listener journalled."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from tui.core.correlate import Correlator
from tui.core.feed import FeedEvent
from tui.core.journal import read_journal
from tui.core.wcs_log import LogStats, import_logs
from tui.sim.demo import Demo
from tui.sim.wcs import Mix, WcsSimulator, bodies

EPOCH = datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC).timestamp()  # a second to midnight
MIDNIGHT = datetime(2026, 12, 1, tzinfo=UTC).timestamp()


def story(events: list[FeedEvent]) -> Counter[tuple[object, ...]]:
    return Counter(
        (e.method, e.kind, e.node, e.session, e.call, e.stream, e.status, e.info, e.sip_status,
         e.caller, e.callee, e.reply_status, e.severity)
        for e in events
    )  # fmt: skip


def calls(events: list[FeedEvent]) -> set[tuple[str, str, str, int, int]]:
    """The calls and client sessions the correlator makes of the events (streams are left out:
    two sessions may pick the same random stream name, and which of two hooks sent at once
    came first then decides whether it is one stream or two)."""
    correlator = Correlator()
    correlator.add_all(events)
    return {
        (g.kind, g.key, g.final_status, g.sip_status, g.refused)
        for g in correlator
        if g.kind in ("call", "session")
    }


async def test_the_imported_log_matches_the_journal(hook_service, tmp_path: Path) -> None:
    service, store = await hook_service(
        rules=[{"name": "premium", "methods": ["call"], "field": "callee", "match": "900*"}]
    )
    log = tmp_path / "flashphoner.log"
    sim = WcsSimulator(
        service.url + "/apps/EchoApp", seed=11, speed=200.0, log_to=log, log_tz=UTC,
        epoch=EPOCH, mix=Mix(premium_callees=0.4, call_fail=0.4, stream_fail=0.3),
    )  # fmt: skip
    # Sessions at once: their hooks interleave in the log on different threads.
    await asyncio.gather(*(sim.session_life() for _ in range(16)))
    # And one refusal for certain: which session draws which number from the simulator's one
    # random generator depends on how the sessions interleave, so the sessions' own calls to
    # premium numbers may, on a busy machine, be none at all.
    _, session = sim.new_session()
    refused = await sim.post("call", bodies.call_body(session, "premium-1", "9001234", "PENDING"))
    assert refused == 403
    await sim.aclose()
    assert store.journal is not None and store.journal.flush()
    live = [record.event for record in read_journal(store.journal.path)]

    stats = LogStats()
    # The simulation runs 200 times real time: a reply that a busy machine delays by 0.6 s is
    # 120 s of log time, past the import's answer window. The window is not what this test is
    # about, so it is taken wide.
    items = list(
        import_logs([log], stats, start_date=date(2026, 11, 30), tz=UTC, answer_window_s=1e9)
    )
    imported = [item[0] for item in items]

    assert len(imported) == len(live) == sim.stats.sent > 100
    assert story(imported) == story(live)
    assert calls(imported) == calls(live)
    assert len(calls(live)) > 16
    assert Counter(e.reply_status for e in imported)[403] > 0  # refusals came through
    threads = {item[3]["thread"] for item in items}
    assert len(threads) > 3  # hooks were in flight at once
    assert (stats.problem_count, stats.unanswered, stats.orphan_answers) == (0, 0, 0)
    assert stats.skipped > 16  # the sessions' own lines (and stack traces) were skipped
    times = [e.ts for e in imported]
    assert times == sorted(times)
    # On the simulation's clock, past midnight: the lines after it are on the next day (on the
    # same day they would be before EPOCH, out of order), and on no later one.
    assert times[0] >= EPOCH and MIDNIGHT < times[-1] < MIDNIGHT + 86_400


async def test_the_demo_writes_the_log_when_asked(hook_service, tmp_path: Path) -> None:
    service, store = await hook_service()
    log = tmp_path / "demo" / "flashphoner.log"
    log.parent.mkdir()
    demo = Demo(seed=5, rate=20.0, speed=20.0, timeline=False, wcs_log=log)
    demo.start(service.url)
    try:
        for _ in range(300):
            if store.received >= 30:
                break
            await asyncio.sleep(0.02)
    finally:
        demo.stop()
    assert store.received >= 30
    stats = LogStats()
    imported = list(import_logs([log], stats, tz=UTC))
    assert len(imported) >= 30
    assert {item[0].method for item in imported} >= {"connect", "ConnectionStatusEvent"}
    assert stats.problem_count == 0
