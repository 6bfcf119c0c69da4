"""``noc-console calls`` and ``ladder`` on a big journal. A benchmark: it prints, asserts nothing.

    .venv/bin/python tests/bench/calls_journal.py [--events 1000000] [--calls 100000] [--keep DIR]

Writes a journal of real-shaped WCS traffic (the correlator benchmark's: calls with their
sessions, a tenth of them FAILED with a SIP 503) through the real Journal writer, with a small
JSON body per event and the live correlator's group checkpoints as a console writes them, and
prints the write rate. Then, each in a fresh process as an operator
would run it: ``calls --json`` over the whole journal (wall time, groups listed), and ``ladder``
for one call in the middle (wall time, and the time inside the process to find and draw it).
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

from correlate import traffic  # type: ignore[import-not-found]

from tui.core.correlate import Correlator, CorrelatorLimits
from tui.core.correlate.checkpoint import group_row
from tui.core.feed import as_row
from tui.core.journal import Journal, JournalLimits

CLI = [sys.executable, "-m", "tui.cli.parser"]


def write(path: Path, events: int, calls: int, every: int) -> tuple[float, str]:
    """The journal as a console writes it: every event, and every ``every`` events (the live
    console does it every 2 s) a checkpoint of the groups that changed, and one at the end."""
    made = traffic(events, calls)
    journal = Journal(path, limits=JournalLimits(max_file_bytes=0)).open()
    correlator = Correlator(CorrelatorLimits(max_groups=calls, keep_ended_s=300.0))
    correlator.track_changes = True
    start = time.perf_counter()
    for n, event in enumerate(made, start=1):
        correlator.add(event)
        if n % every == 0 or n == len(made):
            rows = [group_row(g) for g in correlator.take_changed()]
            journal.put_groups(rows, correlator.last_seq)
        body = json.dumps({"callId": event.call, "sessionId": event.session, "status": event.status,
                           "nodeId": event.node, "caller": event.caller, "callee": event.callee})  # fmt: skip
        raw = body.encode()
        if journal.pending_bytes > 16 * 1024**2:  # keep under the journal's bound: none is lost
            journal.flush()
        assert journal.append(as_row(event), raw, raw)
    journal.flush(600)
    took = time.perf_counter() - start
    journal.close()
    middle = made[len(made) // 2].call or made[len(made) // 2 + 1].call
    return took, middle


def timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(CLI + args, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if done.returncode:
        print(done.stderr)
    return took, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the journal here and keep it")
    parser.add_argument("--every", type=int, default=20_000, help="events between checkpoints")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="noc-bench-"))
    path = folder / f"bench-{args.events}.sqlite"
    if not path.exists():
        took, call = write(path, args.events, args.calls, args.every)
        size = path.stat().st_size / 1e6
        print(f"journal: {args.events:,} events, {size:.0f} MB, written in {took:.1f} s "
              f"({args.events / took:,.0f} events/s)")  # fmt: skip
    else:
        from tui.core.journal_read import JournalReader

        with JournalReader(path) as reader:
            call = next(e.call for e in reader.events() if e.seq > args.events // 2 and e.call)
    took, out = timed(["calls", "--journal", str(path), "--json"])
    rows = out.count("\n")
    print(f"calls --json: {took:.2f} s wall, {rows:,} groups listed")
    took, out = timed(["calls", "--journal", str(path), "--json", "--kind", "call"])
    print(f"calls --kind call --json: {took:.2f} s wall, {out.count(chr(10)):,} calls listed")
    took, out = timed(["calls", "--journal", str(path), "--json", "--kind", "call", "--full"])
    print(
        f"calls --kind call --json --full (every event folded again): {took:.2f} s wall, "
        f"{out.count(chr(10)):,} calls listed"
    )
    took, out = timed(["ladder", "--journal", str(path), call, "--width", "100"])
    print(f"ladder {call[:13]}…: {took * 1000:.0f} ms wall, {out.count(chr(10))} lines")
    took, _ = timed(["--version"])
    print(
        f"(a bare `noc-console --version` takes {took * 1000:.0f} ms: the start-up in the figures)"
    )
    from tui.core.correlate.ladder import build_ladder
    from tui.core.correlate.ladder_text import ladder_lines
    from tui.core.journal_read import JournalReader

    start = time.perf_counter()
    with JournalReader(path) as reader:
        events = reader.events_of(call=call)
        lines = ladder_lines(build_ladder(events), 100)
    inside = time.perf_counter() - start
    print(
        f"ladder inside the process: {inside * 1000:.1f} ms ({len(events)} events, {len(lines)} lines)"
    )
    print(f"journal kept in {folder}" if args.keep else f"(journal in {folder}; delete it)")


if __name__ == "__main__":
    main()
