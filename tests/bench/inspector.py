"""Figures for the error inspector: tally throughput, decode latency, catalog load time.

Run: .venv/bin/python tests/bench/inspector.py
Prints figures; asserts nothing (a benchmark, not a test).
"""

from __future__ import annotations

import gc
import statistics
import time

from tui.core.errors.catalog import packaged_only
from tui.core.errors.context import Context
from tui.core.errors.detect import ErrorDecoder
from tui.core.errors.examples import EXAMPLES
from tui.core.errors.tally import ErrorTally
from tui.core.feed import SEV_ERROR, SEV_OK, SEV_WARNING, FeedEvent, blank_event

BATCH = 500  # the feed flushes in batches (~10-20 Hz)


def feed_mix(count: int, error_share: float) -> list[FeedEvent]:
    errors = [
        dict(
            source="icws",
            error_id="error.request.connection.authenticationFailure",
            severity=SEV_ERROR,
        ),
        dict(
            source="wcs",
            status="FAILED",
            info="SIP 503 SERVICE UNAVAILABLE",
            sip_status=503,
            severity=SEV_ERROR,
        ),
        dict(source="wcs", status="FAILED", info="Failed by ICE timeout", severity=SEV_ERROR),
        dict(source="wcs", method="call", reply_status=403, severity=SEV_WARNING),
    ]
    fine = dict(source="wcs", status="ESTABLISHED", method="CallStatusEvent", severity=SEV_OK)
    every = max(1, round(1 / error_share)) if error_share else 0
    events = []
    for seq in range(count):
        fields = errors[seq % len(errors)] if every and seq % every == 0 else fine
        events.append(blank_event(seq=seq, ts=1_700_000_000.0 + seq / 1000, **fields))
    return events


def tally_rate(events: list[FeedEvent]) -> float:
    tally = ErrorTally()
    start = time.perf_counter()
    for i in range(0, len(events), BATCH):
        tally.add_events(events[i : i + BATCH])
    return len(events) / (time.perf_counter() - start)


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    gc.collect()
    loads = timed(packaged_only, 20)
    print(f"catalog load (packaged, 8 files): median {statistics.median(loads):.1f} ms")

    for share in (0.0, 0.05, 1.0):
        events = feed_mix(200_000, share)
        rates = [tally_rate(events) for _ in range(3)]
        print(
            f"ErrorTally.add_events, {share:>4.0%} errors, batches of {BATCH}: "
            f"median {statistics.median(rates):,.0f} events/s"
        )

    decoder = ErrorDecoder(Context(packaged_only()))
    print("decode (auto-detection + decoder), median of 200:")
    for title, text in EXAMPLES:
        decoder.inspect(text)  # warm (lxml import, regex compile)
        runs = timed(lambda text=text: decoder.inspect(text), 200)
        print(f"  {statistics.median(runs) * 1000:>8.0f} µs  {title}")
    big = (
        '<root><status><http_code>200</http_code></status><sipsg_list count="5000">'
        + "".join(
            f'<sipsg id="{i}" href="https://sbc/rest/sipsg/{i}" app_code_runtime="20035" '
            f'app_params_runtime="x"/>'
            for i in range(5000)
        )
        + "</sipsg_list></root>"
    )
    runs = timed(lambda: decoder.inspect(big), 5)
    print(
        f"  {statistics.median(runs) * 1000:>8.0f} µs  SBC list of 5,000 resources with app codes "
        f"({len(big) // 1024} KiB; the first 200 entries decoded, all counted)"
    )


if __name__ == "__main__":
    main()
