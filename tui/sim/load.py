"""A hook load generator: many WCS-like POSTs over keep-alive connections, with latencies.

Two ways to drive it:
- closed loop (``rate=0``): each connection sends its next hook as soon as the answer arrives —
  the most the server can take;
- open loop (``rate>0``): hooks are due at a fixed rate whatever the server does, and latency
  is counted from when each was due, so a stalled server shows up in the tail (no coordinated
  omission).

Each hook is a new call unless ``--events-per-call N`` makes calls of N hooks each (a call's
NEW, RING, ESTABLISHED…, FINISH or FAILED), closer to WCS's traffic: a console folds a new call
into a group of its own, which costs more than another event of a known one.

Written on raw asyncio streams so the generator costs little CPU next to the server it measures.
Run as ``python -m tui.sim.load URL [--rate N] [--connections 8] [--seconds 10]
[--events-per-call 1]``; prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

BODY = (
    '{"nodeId":"Lc1Bj5hkT2x7Bw4KZIrvJnMVSaLl5f3H@10.20.0.11","appKey":"defaultApp",'
    '"sessionId":"/10.1.2.3:53202/10.20.0.11:8443-7b9d4c2a","callId":"%s",'
    '"status":"%s","info":%s,"sipStatus":%s,"caller":"1001","callee":"2002",'
    '"incoming":false,"hasAudio":true,"hasVideo":false,"mediaProvider":"WebRTC"}'
)


_MIDDLE = ("RING", "ESTABLISHED", "HOLD", "ESTABLISHED")


def hook_body(n: int, per_call: int = 1) -> bytes:
    """Hook ``n``: with ``per_call`` 1 a call of its own (every tenth FAILED, the others
    ESTABLISHED); otherwise step ``n % per_call`` of call ``n // per_call`` (NEW, then RING,
    ESTABLISHED…, and FINISH, or FAILED for every tenth call)."""
    call, step = divmod(n, per_call)
    failed = call % 10 == 0
    if per_call == 1:
        status = "FAILED" if failed else "ESTABLISHED"
    elif step == 0:
        status = "NEW"
    elif step == per_call - 1:
        status = "FAILED" if failed else "FINISH"
    else:
        status = _MIDDLE[(step - 1) % len(_MIDDLE)]
    ends_failed = status == "FAILED"
    return (
        BODY
        % (
            f"call-{call:010d}",
            status,
            '"SIP 486 BUSY HERE"' if ends_failed else "null",
            "486" if ends_failed else "200",
        )
    ).encode()


@dataclass
class LoadResult:
    """What a run achieved; latencies in milliseconds."""

    sent: int
    ok: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        data = sorted(self.latencies_ms)
        return data[min(len(data) - 1, int(p / 100 * len(data)))]

    def summary(self) -> dict[str, float]:
        return {
            "sent": self.sent,
            "ok": self.ok,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "rate": round(self.rate, 1),
            "p50_ms": round(self.percentile(50), 3),
            "p99_ms": round(self.percentile(99), 3),
            "max_ms": round(max(self.latencies_ms, default=float("nan")), 3),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 3)
            if self.latencies_ms
            else float("nan"),
        }


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """The answer's status, and whether the server ends the connection after it."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    closes = False
    for line in head.split(b"\r\n"):
        name = line[:15].lower()
        if name == b"content-length:":
            length = int(line[15:])
        elif name.startswith(b"connection:"):
            closes = b"close" in line.lower()
    if length:
        await reader.readexactly(length)
    return status, closes


async def _connect_again(
    host: str, port: int, until: float
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A new connection, tried again every 50 ms while refused (a server being restarted),
    until the loop time ``until``; then the refusal is raised."""
    loop = asyncio.get_running_loop()
    while True:
        try:
            return await asyncio.open_connection(host, port)
        except OSError:
            if loop.time() >= until:
                raise
            await asyncio.sleep(0.05)


async def run_load(
    url: str,
    *,
    seconds: float,
    connections: int = 8,
    rate: float = 0.0,
    path: str = "/apps/EchoApp/CallStatusEvent",
    events_per_call: int = 1,
    due_times: dict[int, float] | None = None,
) -> LoadResult:
    """Load ``url``'s hook endpoint; ``due_times``, when given, gets each hook's number (see
    :func:`hook_body`: with one event per call its ``callId`` is ``call-<number>``) and when
    it was due, on the running loop's clock."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    full_path = (parts.path.rstrip("/") + path) if parts.path not in ("", "/") else path
    latencies: list[float] = []
    counters = {"sent": 0, "ok": 0, "errors": 0, "n": 0}
    loop = asyncio.get_running_loop()
    start = loop.time()
    end = start + seconds
    due: asyncio.Queue[float] = asyncio.Queue()

    def request(n: int) -> bytes:
        body = hook_body(n, events_per_call)
        return (
            f"POST {full_path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/json;charset=UTF-8\r\nUser-Agent: Java/1.8.0_111\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body

    async def schedule() -> None:
        interval = 1.0 / rate
        n = 0
        while True:
            at = start + n * interval
            if at >= end:
                break
            delay = at - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            due.put_nowait(at)
            n += 1
        for _ in range(connections):
            due.put_nowait(-1.0)

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while True:
                if rate:
                    at = await due.get()
                    if at < 0:
                        return
                else:
                    at = loop.time()
                    if at >= end:
                        return
                counters["n"] += 1
                if due_times is not None:
                    due_times[counters["n"]] = at
                writer.write(request(counters["n"]))
                counters["sent"] += 1
                try:
                    status, closes = await _read_response(reader)
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    status, closes = 0, True  # the server died or broke off: an error
                latencies.append((loop.time() - at) * 1000.0)
                if closes:  # the server ends the connection (as WCS does, connect again)
                    writer.close()
                    reader, writer = await _connect_again(host, port, end)
                if status == 200:
                    counters["ok"] += 1
                else:
                    counters["errors"] += 1
        finally:
            writer.close()

    tasks = [asyncio.create_task(worker()) for _ in range(connections)]
    if rate:
        tasks.append(asyncio.create_task(schedule()))
    await asyncio.gather(*tasks)
    return LoadResult(
        counters["sent"], counters["ok"], counters["errors"], loop.time() - start, latencies
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Send WCS-like hooks and report latencies as JSON")
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rate", type=float, default=0.0, help="hooks/s; 0 = as fast as answered")
    parser.add_argument("--events-per-call", type=int, default=1, help="hooks of each call")
    args = parser.parse_args(argv)
    if args.events_per_call < 1:
        parser.error("--events-per-call is at least 1")
    started = time.perf_counter()
    load = run_load(
        args.url, seconds=args.seconds, connections=args.connections, rate=args.rate,
        events_per_call=args.events_per_call,
    )  # fmt: skip
    result = asyncio.run(load)
    print(json.dumps({**result.summary(), "wall": round(time.perf_counter() - started, 3)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
