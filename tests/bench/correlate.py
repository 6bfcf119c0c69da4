"""The correlator's cost per event and its memory. A benchmark: it prints, asserts nothing.

    .venv/bin/python tests/bench/correlate.py [--events 1000000] [--calls 100000]

Builds real-shaped WCS traffic first (each call: call PENDING, TRYING, RING, ESTABLISHED, hangup,
FINISH or FAILED, on a client session that connects and disconnects; one in ten calls with a
stream published and played), then folds it into a fresh correlator with the GC paused as the
console does. Prints the time per event and the memory the correlator holds per event (traced
allocations after the events were built, so the events themselves are not counted).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.core.correlate import KIND_CALL, Correlator, CorrelatorLimits
from tui.core.feed import SEV_ERROR, SEV_OK, FeedEvent, StringPool, blank_event


def traffic(events: int, calls: int) -> list[FeedEvent]:
    pool = StringPool()
    out: list[FeedEvent] = []
    per_call = max(1, events // calls)
    nodes = [pool(f"{'n' * 31}{i}@10.0.0.{i}") for i in range(4)]
    seq = 0
    ts = 1_700_000_000.0
    i = 0
    while len(out) < events:
        session = f"/10.1.{i % 250}.{i % 200}:5{i % 9999:04d}/10.0.0.{i % 4}:8443-{i:032x}"
        call = f"{i:08x}-0000-4000-8000-{i:012x}"
        node = nodes[i % 4]
        base = blank_event(source="wcs", node=node, session=session, call=call,
                           caller=f"1{i % 100:03d}", callee=f"555{i:07d}", reply_status=200,
                           latency_ms=0.4)  # fmt: skip
        failed = i % 10 == 3
        steps = [
            ("call", "direct", "PENDING"),
            ("CallStatusEvent", "event", "TRYING"),
            ("CallStatusEvent", "event", "RING"),
            ("CallStatusEvent", "event", "FAILED" if failed else "ESTABLISHED"),
        ]
        if not failed:
            steps += [("hangup", "direct", "ESTABLISHED"), ("CallStatusEvent", "event", "FINISH")]
        steps += [("ConnectionStatusEvent", "event", "DISCONNECTED")] * max(
            0, per_call - len(steps)
        )
        for method, kind, status in steps[:per_call]:
            seq += 1
            ts += 0.001
            sip = 503 if status == "FAILED" else 0
            has_call = kind != "event" or method == "CallStatusEvent"
            out.append(base._replace(seq=seq, ts=ts, method=pool(method), kind=pool(kind),
                                     status=pool(status), sip_status=sip,
                                     severity=SEV_ERROR if sip else SEV_OK,  # as normalised
                                     call=call if has_call else ""))  # fmt: skip
            if len(out) >= events:
                break
        i += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=100_000)
    args = parser.parse_args()
    events = traffic(args.events, args.calls)
    calls = len({e.call for e in events if e.call})
    print(f"{len(events):,} events, {calls:,} calls, {len({e.session for e in events}):,} sessions")
    gc.collect()
    gc.disable()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    correlator = Correlator(CorrelatorLimits(max_groups=args.calls, keep_ended_s=1e12))
    start = time.perf_counter()
    add = correlator.add
    for event in events:
        add(event)
    took = time.perf_counter() - start
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    # The same fold without tracing, for the time per event the console pays.
    correlator = Correlator(CorrelatorLimits(max_groups=args.calls, keep_ended_s=1e12))
    start = time.perf_counter()
    add = correlator.add
    for event in events:
        add(event)
    bare = time.perf_counter() - start
    gc.enable()
    kept = len(correlator.groups(KIND_CALL))
    print(f"fold: {bare:.2f} s, {bare / len(events) * 1e6:.2f} µs per event "
          f"({len(events) / bare:,.0f} events/s); traced run {took:.2f} s")  # fmt: skip
    print(f"memory held: {held / 1e6:.1f} MB, {held / len(events):.0f} bytes per event")
    print(f"groups: {len(correlator):,} ({kept:,} calls kept), evicted {correlator.evicted:,}")
    print(f"live calls by state: {dict(correlator.live[KIND_CALL])}")
    print(f"ended calls: {dict(correlator.ended[KIND_CALL])}")


if __name__ == "__main__":
    main()
