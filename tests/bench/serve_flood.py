"""``noc-console serve --demo`` under a flood of connections that never finish a request head.

    python tests/bench/serve_flood.py [--sockets 800] [--watch 15]

Starts the server on a free loopback port, opens ``--sockets`` connections that each send
``GET / HTTP/1.1`` and one header and then nothing, and watches them for ``--watch`` seconds:
how many the server closed at once (over its connection cap), how many it closed later (the
request-head deadline) and when, and how many were still open at the end. Meanwhile it times a
fresh request (401 without the cookie). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HALF_HEAD = b"GET / HTTP/1.1\r\nHost: x\r\n"


async def start_server() -> tuple[subprocess.Popen[str], int]:
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--demo", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    for line in server.stdout:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if found:
            return server, int(found.group(1))
    raise SystemExit("serve_flood: the server said no address")


async def hold(port: int, began: float, closed: list[float]) -> None:
    """One half-sent request; records when the server closed it."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        closed.append(time.monotonic() - began)
        return
    writer.write(HALF_HEAD)
    with contextlib.suppress(OSError):
        await reader.read()  # until the server closes (or resets) the connection
    closed.append(time.monotonic() - began)
    writer.close()


async def fresh_request_ms(port: int) -> float:
    began = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    status = (await reader.readline()).decode().strip()
    writer.close()
    print(
        f"  a fresh request during the flood: {status!r} in {1000 * (time.monotonic() - began):.1f} ms"
    )
    return time.monotonic() - began


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sockets", type=int, default=800)
    parser.add_argument("--watch", type=float, default=15.0)
    args = parser.parse_args()
    server, port = await start_server()
    try:
        closed: list[float] = []
        began = time.monotonic()
        tasks = [asyncio.create_task(hold(port, began, closed)) for _ in range(args.sockets)]
        await asyncio.sleep(1.0)
        at_once = len(closed)
        await fresh_request_ms(port)
        await asyncio.wait(tasks, timeout=max(0.0, args.watch - (time.monotonic() - began)))
        later = sorted(closed[at_once:])
        print(f"serve_flood: {args.sockets} half-sent requests, watched {args.watch:g} s")
        print(f"  closed within 1 s (over the cap): {at_once}")
        if later:
            print(
                f"  closed later: {len(later)}, median at {statistics.median(later):.2f} s "
                f"(min {later[0]:.2f}, max {later[-1]:.2f})"
            )
        print(f"  still open at the end: {args.sockets - len(closed)}")
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
