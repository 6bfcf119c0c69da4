"""Screenshots of ``noc-console serve --demo`` in headless chromium, for the docs:
``make browser-screenshots`` writes docs/screenshots/browser-{feed,browser,inspector,calls}.png.

A plain script (pytest does not collect it); the browser tests take the same pictures into a
temporary folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.browser.driver import FEED_ROW, ROOT, SCREENS, VIEWPORT, Tab, browser, missing, serve


def main() -> int:
    why = missing()
    if why is not None:
        print(f"no screenshots: {why}", file=sys.stderr)
        return 1
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with serve("--demo") as served, browser() as chromium:
        tab = Tab(chromium.new_page(viewport=VIEWPORT))
        tab.open(served.url)
        tab.wait_for(FEED_ROW)
        tab.page.wait_for_timeout(3000)  # a few seconds of traffic on the feed
        shots: list[Path] = [tab.screenshot(out / "browser-feed.png")]
        for key, name, shows in SCREENS:
            tab.press(key, shows)
            tab.page.wait_for_timeout(1000)
            shots.append(tab.screenshot(out / f"browser-{name}.png"))
    for shot in shots:
        print(shot.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
