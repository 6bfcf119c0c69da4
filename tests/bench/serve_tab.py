"""``noc-console serve --demo`` in headless chromium: how long a tab takes from page load to
its first feed row, and how much memory each tab costs.

    python tests/bench/serve_tab.py [--runs 5] [--tabs 3]

Time: ``--runs`` times, a fresh page loads the URL (token, cookie, page, websocket, a new
console process and its simulators) and the clock stops when the console has written a feed
row (read where it enters the terminal). Memory: with ``--tabs`` tabs open and their feeds
flowing, the resident memory (VmRSS) of each tab's console process and of the server. Prints
median, min and max; asserts nothing. Needs chromium (Debian's) and playwright.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.browser.driver import FEED_ROW, VIEWPORT, Tab, browser, missing, serve


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def spread(values: list[float], unit: str) -> str:
    return (
        f"median {statistics.median(values):.2f} {unit}  "
        f"(min {min(values):.2f}, max {max(values):.2f}, n={len(values)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tabs", type=int, default=3)
    args = parser.parse_args()
    why = missing()
    if why is not None:
        print(f"serve_tab: {why}", file=sys.stderr)
        return 1
    with serve("--demo", "--max-tabs", str(max(args.tabs, 1))) as served, browser() as chromium:
        firsts: list[float] = []
        for _ in range(args.runs):
            context = chromium.new_context(viewport=VIEWPORT)
            tab = Tab(context.new_page())
            started = time.monotonic()
            tab.open(served.url)
            tab.wait_for(FEED_ROW, timeout_s=60)
            firsts.append(time.monotonic() - started)
            context.close()
            time.sleep(1.0)  # the closed tab's console ends before the next one starts
        print(f"page load -> first feed row: {spread(firsts, 's')}")
        tabs = []
        for _ in range(args.tabs):
            tab = Tab(chromium.new_page(viewport=VIEWPORT))
            tab.open(served.url)
            tab.wait_for(FEED_ROW, timeout_s=60)
            tabs.append(tab)
        time.sleep(5.0)  # the feeds flow a while
        consoles = children(served.process.pid)
        per_tab = [rss_mb(pid) for pid in consoles]
        server = rss_mb(served.process.pid)
        print(f"{len(consoles)} tabs open: console RSS per tab {spread(per_tab, 'MB')}")
        print(f"server RSS {server:.1f} MB; total {server + sum(per_tab):.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
