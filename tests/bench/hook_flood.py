"""Real hooks during a flood of idle connections, at the common open-files limit.

    python tests/bench/hook_flood.py [--idle 1100] [--reopen] [--seconds 20] [--rate 10]
                                     [--nofile 1024]

A child process with RLIMIT_NOFILE ``--nofile`` runs the listener as the UI does (its own thread
and loop, events handed over to the store and journal on the main loop). Another process opens
``--idle`` connections that never send a byte (with ``--reopen`` it reopens each one the
listener closes, as fast as it can, so the flood lasts the whole run and churns). Meanwhile this
process sends real hooks at ``--rate`` per second, each on a new connection with a 15 s timeout
(WCS's default rest_request_timeout). Prints how many hooks were answered, their reply latency
(p50/p99 from connect to the last byte of the answer), the listener's CPU use during the run, and
how many bytes it wrote to stderr. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import multiprocessing
import os
import resource
import selectors
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

CHILD = """
import asyncio, os, sys
from tui.config import AppConfig, sources_from_config
from tui.core.sources import SourceBoard
from tui.services import Services

async def main() -> None:
    config = AppConfig.model_validate(
        {"hooks": {"port": 0}, "journal": {"dir": sys.argv[1]}, "feed": {"buffer_size": 100_000}}
    )
    services = Services(config, SourceBoard(sources_from_config(config)), hook_thread=True)
    await services.start()
    print(services.hook_url, flush=True)
    while True:  # the UI's clock: take the hook thread's events into the store
        services.drain()
        await asyncio.sleep(0.05)

asyncio.run(main())
"""

HOOK = (
    b"POST /apps/EchoApp/CallStatusEvent HTTP/1.1\r\nHost: console\r\n"
    b"Content-Type: application/json;charset=UTF-8\r\nUser-Agent: Java/1.8.0_111\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s"
)


def limit_nofile(soft: int) -> None:
    _old, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class IdleFlood:
    """Keeps ``count`` connections open that never send anything, reopening closed ones."""

    def __init__(self, host: str, port: int, count: int, reopen: bool) -> None:
        self.address = (host, port)
        self.count = count
        self.reopen = reopen
        self.selector = selectors.DefaultSelector()
        self.opened = 0
        self.closed_by_server = 0
        self.connect_errors = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _open(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        code = sock.connect_ex(self.address)
        if code not in (0, errno.EINPROGRESS):
            sock.close()
            self.connect_errors += 1
            return
        self.selector.register(sock, selectors.EVENT_READ)
        self.opened += 1

    def start(self) -> None:
        for _ in range(self.count):
            self._open()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for key, _mask in self.selector.select(timeout=0.1):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    data = sock.recv(4096)
                except OSError:
                    data = b""
                if data:
                    continue  # an answer (a 408, say): wait for the close
                self.selector.unregister(sock)
                sock.close()
                self.closed_by_server += 1
                if self.reopen and not self._stop.is_set():
                    self._open()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        self.selector.close()


def run_flood(
    host: str, port: int, count: int, reopen: bool, started: Any, stop: Any, report: Any
) -> None:
    """The flood, in a process of its own (so that it does not slow the hook sender down)."""
    limit_nofile(count * 2 + 256)
    flood = IdleFlood(host, port, count, reopen)
    flood.start()
    started.set()
    stop.wait()
    flood.stop()
    report.send((flood.opened, flood.closed_by_server, flood.connect_errors))


async def one_hook(host: str, port: int, n: int, timeout: float) -> float | None:
    body = json.dumps({"callId": f"flood-{n}", "status": "ESTABLISHED"}).encode()
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(HOOK % (len(body), body))
                await writer.drain()
                answer = await reader.read()
            finally:
                writer.close()
    except (TimeoutError, OSError):
        return None
    if not answer.startswith(b"HTTP/1.1 200"):
        return None
    return (time.perf_counter() - started) * 1000.0


async def send_hooks(host: str, port: int, seconds: float, rate: float) -> list[float | None]:
    tasks: list[asyncio.Task[float | None]] = []
    start = time.perf_counter()
    n = 0
    while time.perf_counter() - start < seconds:
        tasks.append(asyncio.create_task(one_hook(host, port, n, 15.0)))
        n += 1
        await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
    return list(await asyncio.gather(*tasks))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")  # printed as "nan": nothing was answered
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=int, default=1100)
    parser.add_argument("--reopen", action="store_true", help="reopen what the listener closes")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--nofile", type=int, default=1024)
    parser.add_argument("--show-stderr", type=int, default=0, metavar="BYTES",
                        help="print the start of the listener's stderr")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, open(Path(tmp) / "stderr", "wb") as err:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, tmp],
            stdout=subprocess.PIPE,
            stderr=err,
            preexec_fn=lambda: limit_nofile(args.nofile),
        )
        try:
            assert child.stdout is not None
            url = child.stdout.readline().decode().strip()
            host, port = url.removeprefix("http://").rsplit(":", 1)
            context = multiprocessing.get_context("fork")
            started, stop = context.Event(), context.Event()
            report, report_in = context.Pipe()
            flood = context.Process(
                target=run_flood,
                args=(host, int(port), args.idle, args.reopen, started, stop, report_in),
            )
            flood.start()
            started.wait(30)
            time.sleep(0.5)
            cpu0, wall0 = cpu_seconds(child.pid), time.perf_counter()
            results = asyncio.run(send_hooks(host, int(port), args.seconds, args.rate))
            cpu = (cpu_seconds(child.pid) - cpu0) / (time.perf_counter() - wall0)
            stop.set()
            opened, closed, connect_errors = report.recv()
            flood.join(10)
        finally:
            child.terminate()
            child.wait(10)
        err.flush()
        stderr_bytes = (Path(tmp) / "stderr").stat().st_size
        if args.show_stderr:
            print((Path(tmp) / "stderr").read_text(errors="replace")[: args.show_stderr])
    answered = [r for r in results if r is not None]
    print(f"idle connections {args.idle:,}{' (reopened when closed)' if args.reopen else ''}, "
          f"listener RLIMIT_NOFILE {args.nofile}, {args.seconds:g} s of hooks at {args.rate:g}/s")  # fmt: skip
    print(f"hooks answered 200: {len(answered)} of {len(results)}")
    print(
        f"reply latency p50 {percentile(answered, 50):.1f} ms, p99 {percentile(answered, 99):.1f} ms"
    )
    print(f"listener process CPU during the run: {cpu * 100:.0f} %")
    print(f"idle sockets opened {opened:,}, closed by the listener {closed:,}, "
          f"connect errors {connect_errors:,}")  # fmt: skip
    print(f"listener stderr: {stderr_bytes:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
