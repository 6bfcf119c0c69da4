"""``noc-console export`` on a big journal. A benchmark: it prints, asserts nothing.

    .venv/bin/python tests/bench/export_rate.py [--events 1000000] [--keep DIR] [--only jsonl]

Writes (or reuses, with ``--keep``) a journal of real-shaped WCS traffic the way
``calls_journal.py`` does (through the real Journal writer, a small JSON body per event), then
exports it, each run in a fresh process: JSON lines, JSON lines with ``--bodies``, CSV and HAR.
For each it prints the wall time, the rate, the CPU time (the figure that moves least when
the machine is shared), and the process's resident memory after the first
100,000 events and after the last (a stream's memory stays flat), and its peak. Last, the
command itself as an operator runs it (``noc-console export … --out FILE``), start-up included.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

CLI = [sys.executable, "-m", "tui"]

CHILD = """
import json, sys, time
from pathlib import Path
from tui.cli.export import exported, write_format
from tui.core.export import Utf8Out
from tui.core.journal_read import JournalReader

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0

journal, fmt, bodies, out = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
marks = {}

def sampled(items):
    for n, item in enumerate(items, start=1):
        if n == 100_000:
            marks["rss_100k"] = status("VmRSS")
        yield item
    marks["events"] = n

start, cpu = time.perf_counter(), time.process_time()
with JournalReader(Path(journal)) as reader, open(out, "wb") as binary:
    said, _ = write_format(fmt, sampled(exported(reader, None, bodies or fmt == "har")), Utf8Out(binary))
marks["seconds"] = time.perf_counter() - start
marks["cpu"] = time.process_time() - cpu
marks["rss_end"] = status("VmRSS")
marks["peak"] = status("VmHWM")
marks["said"] = said
print(json.dumps(marks))
"""


def build(path: Path, events: int) -> None:
    from calls_journal import write  # type: ignore[import-not-found]

    took, _ = write(path, events, max(1, events // 10), 20_000)
    size = path.stat().st_size / 1e6
    print(f"journal: {events:,} events, {size:.0f} MB, written in {took:.1f} s")


def child(journal: Path, fmt: str, bodies: bool, out: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(journal), fmt, "1" if bodies else "0", str(out)],
        capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    if done.returncode:
        print(done.stderr)
        return {}
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="write the journal here and keep it")
    parser.add_argument(
        "--only", choices=("jsonl", "jsonl-bodies", "csv", "har"), action="append",
        help="only these runs (repeatable; default: all four)",
    )  # fmt: skip
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="noc-bench-"))
    path = folder / f"bench-{args.events}.sqlite"
    if not path.exists():
        build(path, args.events)
    runs = [("jsonl", False), ("jsonl", True), ("csv", False), ("har", True)]
    if args.only:
        runs = [
            (f, b) for f, b in runs if (f"{f}-bodies" if b and f == "jsonl" else f) in args.only
        ]
    for fmt, bodies in runs:
        out = folder / f"export-{fmt}{'-bodies' if bodies else ''}.out"
        marks = child(path, fmt, bodies, out)
        if not marks:
            continue
        seconds = float(str(marks["seconds"]))
        events = int(str(marks["events"]))
        mb = 1024**2
        print(
            f"export --format {fmt}{' --bodies' if bodies else ''}: {events:,} events in "
            f"{seconds:.1f} s ({events / seconds:,.0f} events/s; {marks['cpu']:.1f} s of CPU), "
            f"{out.stat().st_size / 1e6:.0f} MB written ({marks['said']}); RSS "
            f"{int(str(marks['rss_100k'])) / mb:.0f} MiB at 100k, "
            f"{int(str(marks['rss_end'])) / mb:.0f} MiB at {events:,}, "
            f"peak {int(str(marks['peak'])) / mb:.0f} MiB"
        )
        out.unlink()
    out = folder / "export-cli.jsonl"
    start = time.perf_counter()
    done = subprocess.run(
        [*CLI, "export", str(path), "--out", str(out), "--force"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    took = time.perf_counter() - start
    print(f"noc-console export {path.name} --out FILE: {took:.1f} s wall; {done.stderr.strip()}")
    out.unlink(missing_ok=True)
    print(f"journal kept in {folder}" if args.keep else f"(journal in {folder}; delete it)")


if __name__ == "__main__":
    main()
