"""ICWS messages per second through parse → sink → state model, and over loopback HTTP.

    .venv/bin/python tests/bench/icws_throughput.py [--messages 60000]

1. In process: messaging-channel bodies (a realistic mix made by the simulator's contact
   centre during a surge: queue deltas, user statuses, statistics, alerts) go through
   ``parse_message_batch`` → ``IcwsNormaliser`` → a list sink that numbers events and keeps
   plain rows (what the store does) → ``IcwsState.apply``. Batches of 1 (SSE), 20 and 200.
2. Over HTTP: the same messages queued on the simulator, drained by the real IcwsClient by
   short polling and by SSE on loopback, until the state model has applied every one.

Prints figures; asserts nothing (the issue asks for >= 10,000 messages/s for part 1).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tui.config import IcwsServer
from tui.core.icws_state import IcwsState
from tui.core.journal import Journal
from tui.core.protocols.icws import IcwsNormaliser
from tui.core.protocols.icws_wire import parse_message_batch
from tui.core.sources import SourceBoard
from tui.core.store import FeedStore
from tui.sim.icws.load import surge_messages
from tui.sim.icws.world import WORKGROUPS


def bodies(messages: list[dict[str, Any]], batch: int) -> list[bytes]:
    return [
        json.dumps(messages[i : i + batch], separators=(",", ":")).encode()
        for i in range(0, len(messages), batch)
    ]


def pipeline(batch_bodies: list[bytes]) -> tuple[float, int, int]:
    """The real store (bounded rows, recent bodies, SQLite journal on its writer thread)."""
    folder = tempfile.mkdtemp()
    journal = Journal(Path(folder) / "bench.sqlite").open()
    sink = FeedStore(200_000, journal=journal)
    state = IcwsState()
    normaliser = IcwsNormaliser("cic1")
    for index in range(len(WORKGROUPS)):
        normaliser.queue_labels[f"q{index}"] = WORKGROUPS[index]
    gc.collect()
    started = time.perf_counter()
    count = 0
    for body in batch_bodies:
        for message in parse_message_batch(body).messages:
            for event, raw in normaliser.normalise(message):
                sink.publish(event, raw)
            state.apply("cic1", message)
            count += 1
    elapsed = time.perf_counter() - started
    journal.flush()
    journal.close()
    shutil.rmtree(folder, ignore_errors=True)
    return elapsed, count, sink.received


def in_process(messages: list[dict[str, Any]]) -> None:
    print(f"parse → store (with journal) → state, {len(messages):,} messages (median of 3 runs):")
    kinds: dict[str, int] = {}
    for message in messages:
        kind = message["__type"].rsplit(":", 1)[-1]
        kinds[kind] = kinds.get(kind, 0) + 1
    print(
        "  mix: " + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
    )
    for batch in (1, 20, 200):
        prepared = bodies(messages, batch)
        runs = [pipeline(prepared) for _ in range(3)]
        elapsed = statistics.median(r[0] for r in runs)
        count, events = runs[0][1], runs[0][2]
        print(
            f"  batch {batch:>3}: {count / elapsed:>9,.0f} messages/s  "
            f"{events / elapsed:>9,.0f} events/s  ({elapsed * 1e6 / count:.1f} µs per message)"
        )


async def over_http(messages: list[dict[str, Any]], use_sse: bool) -> None:
    from tui.net.icws import IcwsClient
    from tui.sim.host import SimHost
    from tui.sim.icws import IcwsSimulator

    os.environ["ICWS_BENCH_PASSWORD"] = "bench"
    with SimHost("icws-bench") as host:
        sim = IcwsSimulator(seed=5, users={"noc": "bench"})
        url = sim.serve(host)
        server = IcwsServer.model_validate(
            {
                "name": "bench",
                "url": url,
                "user": "noc",
                "password_env": "ICWS_BENCH_PASSWORD",
                "use_sse": use_sse,
                "poll_interval_s": 0.1,
                "queues": [{"name": w} for w in WORKGROUPS],
                "status_messages": False,
            }
        )
        sink, state = FeedStore(200_000), IcwsState()
        client = IcwsClient(server, sink, SourceBoard(), state)
        task = asyncio.create_task(client.run())
        while client.stats.logins == 0 or (use_sse and client.stats.streams == 0):
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)
        base = client.stats.messages
        renamed = [
            {**m, "subscriptionId": f"noc-{int(m['subscriptionId'][1:]) + 1}-workgroup-"
             f"{WORKGROUPS[int(m['subscriptionId'][1:])].lower()}"} if "subscriptionId" in m else m
            for m in messages
        ]  # fmt: skip

        def queue_all() -> None:
            for server_host in sim.servers:
                for session in server_host.sessions.values():
                    for message in renamed:
                        session.push(message)

        started = time.perf_counter()
        sim.run(queue_all)
        while client.stats.messages - base < len(messages):
            await asyncio.sleep(0.005)
        elapsed = time.perf_counter() - started
        mode = "SSE" if use_sse else "short polling (0.1 s interval)"
        print(
            f"  {mode:<32}: {len(messages) / elapsed:>9,.0f} messages/s "
            f"({len(messages):,} in {elapsed:.2f} s; polls {client.stats.polls}, "
            f"streams {client.stats.streams})"
        )
        await client.aclose()
        task.cancel()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=60_000)
    args = parser.parse_args()
    made = time.perf_counter()
    messages = surge_messages(args.messages)
    print(
        f"(made {len(messages):,} messages with the simulator "
        f"in {time.perf_counter() - made:.1f} s)"
    )
    in_process(messages)
    print("loopback HTTP, simulator → IcwsClient → sink → state (one run each):")
    http_share = messages[: min(len(messages), 20_000)]
    asyncio.run(over_http(http_share, use_sse=False))
    asyncio.run(over_http(http_share, use_sse=True))


if __name__ == "__main__":
    main()
