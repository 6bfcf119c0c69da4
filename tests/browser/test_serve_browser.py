"""``noc-console serve --demo`` in headless chromium: the feed fills, the keys switch screens,
a request without the token gets 401 and a write is refused in the read-only console.

Where no chromium (or no playwright) can be had, these tests say so and skip; the rest of
the suite runs. ``.ci/run`` installs Debian's chromium when it can.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.driver import FEED_ROW, SCREENS, VIEWPORT, Served, Tab, browser, missing, serve

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(missing() is not None, reason=f"browser tests: {missing()}"),
]


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with serve("--demo", "--max-tabs", "2") as running:
        yield running


@pytest.fixture(scope="module")
def chromium():
    with browser() as launched:
        yield launched


@pytest.fixture(scope="module")
def tab(served: Served, chromium) -> Iterator[Tab]:
    """One tab on the served console, shared by the tests (each new tab is a new console)."""
    opened = Tab(chromium.new_page(viewport=VIEWPORT))
    answer = opened.open(served.url)
    assert answer.status == 200 and "token" not in opened.page.url  # traded for the cookie
    yield opened
    opened.page.close()


def test_the_feed_fills_and_2_3_4_switch_screens(tab: Tab, tmp_path: Path) -> None:
    text = tab.wait_for(FEED_ROW)
    assert "READ-ONLY" in text
    shots = [tab.screenshot(tmp_path / "browser-feed.png")]
    for key, name, shows in SCREENS:
        tab.press(key, shows)
        shots.append(tab.screenshot(tmp_path / f"browser-{name}.png"))
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_no_token_401_and_a_write_refused_read_only(served: Served, chromium, tab: Tab) -> None:
    stranger = chromium.new_context()  # no cookie
    refused = stranger.new_page().goto(served.base)
    assert refused is not None and refused.status == 401
    stranger.close()
    tab.press("2", "sipsg")  # the demo's SBC, which allows writes in the demo's own config
    tab.press("D", "This console is read-only")
