"""What tap mode adds to a hook's round trip, against calling the backend directly.

    python tests/bench/tap_overhead.py [--requests 5000] [--connections 1]

A bare uvicorn JSON echo plays the real backend. The console runs as ``noc-console tail
--mode tap`` (listener, forwarding, store and journal, no UI) in front of it. The load generator
(``tui.sim.load``, closed loop, one connection by default so that latency is not queueing) posts
the same hooks to the backend directly, then through the console. Servers on core 1, generator on
core 0. Prints the medians and the difference; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from hooks_ui import ECHO, free_port, pinned  # type: ignore[import-not-found]


def wait_port(port: int) -> None:
    import socket

    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listening on {port}")


def load(url: str, seconds: float, connections: int) -> dict[str, float]:
    command = [*pinned(0), sys.executable, "-m", "tui.sim.load", url, "--seconds", str(seconds),
               "--connections", str(connections)]  # fmt: skip
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=1)
    args = parser.parse_args()
    backend_port, tap_port = free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "echo.py")
        script.write_text(ECHO)
        env = {**os.environ, "XDG_DATA_HOME": tmp, "XDG_CONFIG_HOME": tmp}
        backend = subprocess.Popen([*pinned(1), sys.executable, str(script), str(backend_port)])
        tap = subprocess.Popen(
            [*pinned(1), sys.executable, "-m", "tui", "tail", "--mode", "tap", "--listen",
             f"127.0.0.1:{tap_port}", "--upstream", f"http://127.0.0.1:{backend_port}/apps/EchoApp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        try:
            wait_port(backend_port)
            wait_port(tap_port)
            load(f"http://127.0.0.1:{backend_port}", 1, args.connections)  # warm up both
            load(f"http://127.0.0.1:{tap_port}", 1, args.connections)
            direct = load(f"http://127.0.0.1:{backend_port}", args.seconds, args.connections)
            tapped = load(f"http://127.0.0.1:{tap_port}", args.seconds, args.connections)
        finally:
            tap.terminate()
            backend.terminate()
            tap.wait()
            backend.wait()
        errors = tap.stderr.read() if tap.stderr else ""
    print(f"{args.connections} connection(s), closed loop, {args.seconds:g} s each")
    print(f"{'':<26}{'hooks/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for name, result in (("backend directly", direct), ("through the console (tap)", tapped)):
        print(f"{name:<26}{result['rate']:>9,.0f}{result['p50_ms']:>9.3f}{result['p99_ms']:>9.3f}")
    print(f"tap adds {tapped['p50_ms'] - direct['p50_ms']:.3f} ms at the median, "
          f"{tapped['p99_ms'] - direct['p99_ms']:.3f} ms at p99")  # fmt: skip
    problems = [line for line in errors.splitlines() if re.search(r"error|Traceback", line, re.I)]
    if problems:
        print("console stderr:", *problems, sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
