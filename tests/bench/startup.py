"""Time from launching `noc-console demo` to its first drawn frame, in a real pseudo-terminal.

    python tests/bench/startup.py [--runs 10] [--size 120x40] [--until frame|event]
    python tests/bench/startup.py --open JOURNAL --until event

With ``--open JOURNAL`` it launches ``noc-console open JOURNAL`` instead (a replay: the first
row drawn is a hook of the journal's, e.g. ``tests/bench/replay_open.py --keep DIR``'s).

The console runs in a pty of the given size with TERM=xterm-256color. With ``--until frame`` the
clock stops when the terminal has received both the header (" 3 Inspector ") and the footer
("Palette") of the first frame; with ``--until event``, when the first simulated hook is drawn as a
row of the feed. Prints the median, min and max. A benchmark: it prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

MARKERS = {
    "frame": (b" 3 Inspector ", b"Palette"),
    "event": (b"StatusEvent",),
}


def launch_once(
    command: list[str], width: int, height: int, markers: tuple[bytes, ...], timeout: float = 10.0
) -> float:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, TERM="xterm-256color", XDG_CONFIG_HOME=home, XDG_DATA_HOME=home)
        env.pop("NOC_CONFIG", None)
        start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.execvpe(command[0], command, env)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        seen = b""
        elapsed = float("nan")
        deadline = start + timeout
        try:
            while time.perf_counter() < deadline:
                ready, _, _ = select.select([fd], [], [], 0.05)
                if not ready:
                    continue
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                seen += chunk
                if all(marker in seen for marker in markers):
                    elapsed = time.perf_counter() - start
                    break
        finally:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
            os.close(fd)
        return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--until", choices=sorted(MARKERS), default="frame")
    parser.add_argument("--open", type=Path, metavar="JOURNAL", help="time `open JOURNAL`")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    exe = shutil.which("noc-console", path=str(Path(sys.executable).parent)) or "noc-console"
    command = [exe, "open", str(args.open.resolve())] if args.open else [exe, "demo"]
    markers = MARKERS[args.until]
    launch_once(command, width, height, markers)  # warm the file cache and bytecode
    times = [launch_once(command, width, height, markers) for _ in range(args.runs)]
    good = [t for t in times if t == t]
    if not good:
        print("no first frame seen within the timeout")
        return 1
    print(
        f"launch -> first {args.until} ({width}x{height}, {len(good)} runs): "
        f"median {statistics.median(good) * 1000:.0f} ms, "
        f"min {min(good) * 1000:.0f} ms, max {max(good) * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
