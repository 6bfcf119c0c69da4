"""``noc-console import wcs-log`` on a big log. A benchmark: it prints, asserts nothing.

    .venv/bin/python tests/bench/import_log.py [--hooks 1000000] [--threads 8] [--keep DIR]

Writes a ``flashphoner.log`` of ``--hooks`` hooks as the simulated WCS writes them (a SEND
and its RECEIVED each, pretty-printed, on interleaved pool threads, a non-REST line every
fifty hooks), then prints: the rate of reading and pairing it alone (lines/s and hooks/s, no
journal), and the rate of the whole command in a fresh process (reading, pairing, and writing
the journal), with its peak memory.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.core.wcs_log import LogStats, import_logs
from tui.sim.wcs.rest_log import RestLog

APP = "http://127.0.0.1:8081/apps/EchoApp"
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC).timestamp()
METHODS = ("CallStatusEvent", "StreamStatusEvent", "ConnectionStatusEvent", "call")


def write_log(path: Path, hooks: int, threads: int) -> int:
    """The log: ``threads`` hooks in flight at a time, answered in turn. Returns its lines."""
    now = [START]

    def clock() -> float:
        now[0] += 0.0005
        return now[0]

    with path.open("w", encoding="utf-8") as out:
        buffer = io.StringIO()
        log = RestLog(buffer, clock=clock, tz=UTC)
        for first in range(0, hooks, threads):
            batch = []
            for n in range(first, min(first + threads, hooks)):
                thread = log.take_thread()
                method = METHODS[n % len(METHODS)]
                body = json.dumps({
                    "nodeId": "C3J27XDCG2LmlZGEONYlgCtjfIZ4SOcM@10.20.0.11", "appKey": "defaultApp",
                    "sessionId": f"/192.0.2.{n % 250}:52574/10.20.0.11:8443-{n:012d}",
                    "callId": f"call-{n // 6:08d}", "status": "RING", "sipStatus": 180,
                    "caller": "1027", "callee": f"{5550000 + n % 9999}", "hasAudio": True,
                })  # fmt: skip
                log.send(thread, f"{APP}/{method}", body.encode())
                batch.append((thread, method, body))
            for thread, method, body in batch:
                log.answer(thread, f"{APP}/{method}", 200, body.encode())
                log.free_thread(thread)
            if first % 50 < threads:
                log.session_opened(f"session-{first}")
            out.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hooks", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--keep", type=Path, help="write the log and journal here and keep them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "flashphoner.log"
        started = time.perf_counter()
        lines = write_log(log, args.hooks, args.threads)
        size = log.stat().st_size
        print(f"log: {args.hooks:,} hooks, {lines:,} lines, {size / 1024**2:,.0f} MiB "
              f"(written in {time.perf_counter() - started:.1f} s)")  # fmt: skip

        stats = LogStats()
        started = time.perf_counter()
        events = sum(1 for _ in import_logs([log], stats, start_date=date(2026, 11, 30), tz=UTC))
        took = time.perf_counter() - started
        print(f"read and pair: {took:.1f} s, {stats.lines / took:,.0f} lines/s, "
              f"{events / took:,.0f} hooks/s ({events:,} events, {stats.problem_count} problems)")  # fmt: skip

        out = folder / "imported.sqlite"
        out.unlink(missing_ok=True)
        command = [
            sys.executable, "-m", "tui.cli.parser", "import", "wcs-log", str(log),
            "--date", "2026-11-30", "--tz", "UTC", "--journal", str(out),
        ]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        took = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        first = done.stdout.splitlines()[0] if done.stdout else done.stderr.strip()
        print(f"import wcs-log (fresh process, journal written): {took:.1f} s, "
              f"{lines / took:,.0f} lines/s, {args.hooks / took:,.0f} hooks/s, "
              f"peak RSS {peak:,.0f} MiB, exit {done.returncode}")  # fmt: skip
        print(f"  {first}")
        print(f"  journal: {out.stat().st_size / 1024**2:,.0f} MiB" if out.exists() else "")


if __name__ == "__main__":
    main()
