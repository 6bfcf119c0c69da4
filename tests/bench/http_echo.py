"""Compare HTTP server libraries for the WCS hook endpoint: a JSON echo on loopback.

Each server runs in its own process pinned to one core; ``wrk`` (Debian package ``wrk``)
drives it from the other core with the body of a real ``CallStatusEvent`` hook.
Prints requests/s and latency percentiles per library and connection count.

    python tests/bench/http_echo.py [--seconds 10] [--connections 8,64]

This is a benchmark: it prints figures, it asserts nothing, and CI does not run it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BODY = {
    "nodeId": "Lc1Bj5hkT2x7Bw4KZIrvJnMVSaLl5f3H@192.168.1.10",
    "appKey": "defaultApp",
    "sessionId": "/192.168.1.20:53202/192.168.1.10:8443-7b9d4c2a",
    "callId": "b6f1c2d8-4e51-4a3a-9b6e-2f8a1d0c7e55",
    "mediaSessionId": "b6f1c2d8-4e51-4a3a-9b6e-2f8a1d0c7e55",
    "status": "FAILED",
    "info": "SIP 486 BUSY HERE",
    "caller": "1001",
    "callee": "2002",
    "incoming": False,
    "isMsrp": False,
    "hasAudio": True,
    "hasVideo": False,
    "sipMessageRaw": "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP 192.168.1.10:5060\r\n",
}

SERVERS = {
    "aiohttp": """
import json, sys
from aiohttp import web
async def echo(request):
    body = json.loads(await request.read())
    return web.Response(body=json.dumps(body).encode(), content_type="application/json")
app = web.Application()
app.router.add_post("/{tail:.*}", echo)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
""",
    "uvicorn+httptools": """
import json, sys, uvicorn
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    chunks = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    out = json.dumps(json.loads(b"".join(chunks))).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(out)).encode())]})
    await send({"type": "http.response.body", "body": out})
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), http="httptools", loop="asyncio",
            interface="asgi3", log_level="warning", access_log=False, lifespan="off")
""",
}
SERVERS["uvicorn+h11"] = SERVERS["uvicorn+httptools"].replace('http="httptools"', 'http="h11"')

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json;charset=UTF-8"
wrk.body = [==[%s]==]
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


def parse_wrk(text: str) -> dict[str, float]:
    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    return {
        "rps": float(rps.group(1)) if rps else float("nan"),
        "p50": latency("50"),
        "p99": latency("99"),
        "non2xx": float(errors.group(1)) if errors else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", default="8,64")
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the median is printed")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is needed: apt-get install wrk", file=sys.stderr)
        return 2
    cores = os.cpu_count() or 1
    pin = ["taskset", "-c", "1"] if shutil.which("taskset") and cores > 1 else []
    wrk_pin = ["taskset", "-c", "0"] if pin else []
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp, "post.lua")
        lua.write_text(LUA % json.dumps(BODY))
        print(f"{'server':<20}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
        for name, source in SERVERS.items():
            script = Path(tmp, f"server_{name.replace('+', '_')}.py")
            script.write_text(source)
            for conns in [int(c) for c in args.connections.split(",")]:
                results = []
                for _ in range(args.runs):
                    port = free_port()
                    proc = subprocess.Popen([*pin, sys.executable, str(script), str(port)])
                    try:
                        wait_listening(port)
                        out = subprocess.run(
                            [
                                *wrk_pin,
                                "wrk",
                                "-t1",
                                f"-c{conns}",
                                f"-d{args.seconds}s",
                                "--latency",
                                "-s",
                                str(lua),
                                f"http://127.0.0.1:{port}/apps/EchoApp/CallStatusEvent",
                            ],
                            capture_output=True,
                            text=True,
                            check=True,
                        ).stdout
                        results.append(parse_wrk(out))
                    finally:
                        proc.terminate()
                        proc.wait()
                results.sort(key=lambda r: r["rps"])
                mid = results[len(results) // 2]
                print(
                    f"{name:<20}{conns:>6}{mid['rps']:>10.0f}{mid['p50']:>9.2f}{mid['p99']:>9.2f}"
                    + (f"  non-2xx={mid['non2xx']:.0f}" if mid["non2xx"] else "")
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
