"""Hook throughput and reply latency with the UI running, against a bare echo server.

    python tests/bench/hooks_ui.py [--seconds 10] [--rate 3000] [--connections 8]

1. A bare uvicorn+httptools JSON echo (the same server library, none of our work) in its own
   process: the most that library gives on this machine.
2. The real console: NocApp headless (``run_test``, 200x50) with its hook listener, store,
   journal and feed screen redrawing on its clock.
Each is measured closed-loop (as fast as answered) and open-loop at ``--rate`` hooks/s (latency
counted from when each hook was due). The load generator (``tui.sim.load``) runs in another
process pinned to core 0; the servers on core 1. At the end every hook sent to the console is
counted in its journal. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ECHO = """
import json, sys, uvicorn
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        m = await receive()
        body += m.get("body", b"")
        if not m.get("more_body"):
            break
    out = json.dumps(json.loads(body)).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(out)).encode())]})
    await send({"type": "http.response.body", "body": out})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), http="httptools", interface="asgi3",
            log_level="warning", access_log=False, lifespan="off")
"""

CORES = os.cpu_count() or 1


def pinned(core: int) -> list[str]:
    return ["taskset", "-c", str(core)] if CORES > 1 else []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load(url: str, seconds: float, connections: int, rate: float) -> dict[str, float]:
    command = [*pinned(0), sys.executable, "-m", "tui.sim.load", url, "--seconds", str(seconds),
               "--connections", str(connections), "--rate", str(rate)]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out)  # type: ignore[no-any-return]


async def load_async(url: str, seconds: float, connections: int, rate: float) -> dict[str, float]:
    return await asyncio.to_thread(load, url, seconds, connections, rate)


def row(name: str, result: dict[str, float]) -> str:
    return (f"{name:<34}{result['rate']:>10,.0f}{result['p50_ms']:>9.2f}{result['p99_ms']:>9.2f}"
            f"{result['max_ms']:>9.1f}{result['errors']:>8.0f}")  # fmt: skip


def bare_echo(args: argparse.Namespace) -> tuple[dict[str, float], dict[str, float]]:
    port = free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(ECHO)
    server = subprocess.Popen([*pinned(1), sys.executable, script.name, str(port)])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        closed = load(url, args.seconds, args.connections, 0)
        opened = load(url, args.seconds, args.connections, args.rate)
    finally:
        server.terminate()
        server.wait()
        Path(script.name).unlink()
    return closed, opened


async def console(
    args: argparse.Namespace, data: Path
) -> tuple[dict[str, float], dict[str, float], int, int]:
    os.environ["XDG_DATA_HOME"] = str(data)
    os.environ["XDG_CONFIG_HOME"] = str(data / "config")
    from tui.config import AppConfig, LoadedConfig
    from tui.ui.app import create_app

    config = AppConfig.model_validate({"hooks": {"port": 0}, "feed": {"buffer_size": 200_000}})
    loaded = LoadedConfig(
        config=config, path=data / "config.toml", file_exists=False, watches_something=True
    )
    app = create_app(loaded, persist_theme=False)
    async with app.run_test(size=(200, 50)) as pilot:
        while app.services.hook_url is None:
            await pilot.pause(0.05)
        url = app.services.hook_url
        closed = await load_async(url, args.seconds, args.connections, 0)
        opened = await load_async(url, args.seconds, args.connections, args.rate)
        await pilot.pause(0.2)
        journal = app.services.journal
        assert journal is not None
        await asyncio.to_thread(journal.flush, 30)
        received = app.services.store.received
        in_journal = journal.count()
    return closed, opened, received, in_journal


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=3000.0)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if CORES > 1:
        os.sched_setaffinity(0, {1})
    print(f"{args.connections} connections, {args.seconds:g} s per run, open loop at {args.rate:,.0f}/s; "
          f"{CORES} cores (load on core 0, servers on core 1)")  # fmt: skip
    print(f"{'':<34}{'hooks/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}")
    echo_closed, echo_open = bare_echo(args)
    print(row("bare uvicorn echo, closed loop", echo_closed))
    print(row(f"bare uvicorn echo, {args.rate:,.0f}/s", echo_open))
    with tempfile.TemporaryDirectory() as tmp:
        closed, opened, received, in_journal = asyncio.run(console(args, Path(tmp)))
    print(row("console + UI, closed loop", closed))
    print(row(f"console + UI, {args.rate:,.0f}/s", opened))
    sent = closed["sent"] + opened["sent"]
    print(f"ratio console/bare (closed loop): {closed['rate'] / echo_closed['rate']:.2f}")
    print(
        f"hooks sent {sent:,.0f}; received by the store {received:,}; in the journal {in_journal:,}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
