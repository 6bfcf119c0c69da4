"""What cleaning remote text costs where models are built. A benchmark: it prints, asserts nothing.

    .venv/bin/python tests/bench/sanitize.py [--runs 7] [--resources 10000]

1. The WCS normaliser (``wcs.normalise``, run on every hook, thousands a second) on four bodies:
   the usual clean ones of the documented shapes, and a failed call whose ``info`` and ``callId``
   carry an ESC sequence, a bidi override and a lone surrogate (the slow path). Microseconds per
   body, the best of ``--runs`` timeit repeats.
2. The SBC parser on a ``details=true`` list of N resources from the simulator (the browser's
   biggest answer): milliseconds, median of ``--runs``; and the same list with a hostile value
   in every item.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import timeit
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.core.feed import StringPool
from tui.core.protocols import wcs
from tui.core.protocols.sbc import parse_sbc

BODIES: dict[str, tuple[str, dict[str, Any]]] = {
    "connect": (
        "connect",
        {
            "nodeId": "H4gfHeULtX6ddGGUWwZxhUNyqZHUFH8j@192.168.1.59",
            "appKey": "defaultApp",
            "sessionId": "/192.168.1.38:64604/192.168.1.59:8443",
            "useWsTunnel": False,
            "mediaProviders": ["WebRTC", "WSPlayer"],
            "clientVersion": "0.5.16",
        },
    ),
    "stream status": (
        "StreamStatusEvent",
        {
            "nodeId": "d2hxbqNPE04vGeZ51NPhDuId6k3hUrBB@95.191.130.39",
            "appKey": "defaultApp",
            "sessionId": "04cfeb85-cf9c-49aa-8144-022dfc0cdd0b",
            "mediaSessionId": "c43a28b7-9a4d-45f8-a010-57b959a22755",
            "name": "e6dcaedd-f084-49df-8262-7ce906e42eb2",
            "published": True,
            "status": "PUBLISHING",
            "audioCodec": "PCMA",
            "videoCodec": "VP8",
        },
    ),
    "failed call": (
        "CallStatusEvent",
        {
            "nodeId": "n1@10.0.0.1",
            "appKey": "defaultApp",
            "sessionId": "s1",
            "callId": "e9516680-13af-11e7-af37-05c788b22e35",
            "status": "FAILED",
            "sipStatus": 403,
            "info": "SIP 403 FORBIDDEN",
            "caller": "1000",
            "callee": "1001",
        },
    ),
    "hostile call (slow path)": (
        "CallStatusEvent",
        {
            "nodeId": "n1@10.0.0.1",
            "appKey": "defaultApp",
            "sessionId": "s1",
            "callId": "sur\ud800x\u202eabc",
            "status": "FAILED",
            "info": "SIP 403 \x1b[2J\x9b31mFORBIDDEN\nsecond line",
            "caller": "1000",
            "callee": "1001",
        },
    ),
}


def bench_normaliser(runs: int) -> None:
    print("WCS normaliser (µs per body, best of repeats):")
    pool = StringPool()
    for label, (method, body) in BODIES.items():

        def work(method: str = method, body: dict[str, Any] = body) -> None:
            wcs.normalise("/apps/EchoApp", method, body, ts=1.0, reply_status=200, pool=pool)

        number = 20_000
        best = min(timeit.repeat(work, number=number, repeat=runs))
        print(f"  {label:<28}: {best / number * 1e6:6.2f} µs")


def bench_sbc(count: int, runs: int) -> None:
    from tests.bench.browser_parse import big_list_body

    body = big_list_body(count)
    hostile = body.replace(b"<Description>", b"<Description>&#x202e;&#x9b;", count)
    print(f"SBC parse of a details=true list of {count:,} resources (ms, median):")
    for label, blob in (("clean values", body), ("a hostile value per item", hostile)):
        times = []
        for _ in range(runs):
            gc.collect()
            started = time.perf_counter()
            resource = parse_sbc(blob)
            times.append((time.perf_counter() - started) * 1000)
            del resource
        print(f"  {label:<28}: {statistics.median(times):6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--resources", type=int, default=10_000)
    args = parser.parse_args()
    bench_normaliser(args.runs)
    bench_sbc(args.resources, max(3, args.runs // 2))


if __name__ == "__main__":
    main()
