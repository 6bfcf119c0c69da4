"""Drive ``noc-console serve`` in a real browser: Debian's chromium, headless, through
Playwright (never a browser Playwright downloads). Shared by the browser tests, the screenshot
script and the benchmark.

The page draws the terminal on a canvas, so the text is read where it enters the terminal: a
script added before the page's own wraps ``WebSocket`` and keeps what each tab's console sends,
decoded; :meth:`Tab.wait_for` looks for a pattern in it with the escape sequences taken out.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

ROOT = Path(__file__).resolve().parents[2]
FEED_ROW = re.compile(r"\n\d\d:\d\d:\d\d\.\d{3} ")  # a feed row starts with its time, to the ms
ESCAPES = re.compile(r"\x1b(\[[0-9;?<>=:]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9]|.)")
KEEP_TEXT = """
(() => {
  const Native = window.WebSocket;
  window.__nocText = "";
  const decoder = new TextDecoder();
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") {
          window.__nocText += decoder.decode(event.data, { stream: true });
        }
      });
    }
  };
})();
"""


def chromium_path() -> str | None:
    """The system's chromium, if there is one."""
    found = os.environ.get("NOC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).is_file() else None


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make .venv/.dev-installed)"
    if chromium_path() is None:
        return "no chromium here (.ci/run installs Debian's chromium when it can: apt-get install chromium)"
    return None


@dataclass
class Served:
    """A running ``noc-console serve``: its process and the URL it printed (token included)."""

    process: subprocess.Popen[str]
    url: str

    @property
    def base(self) -> str:
        return self.url.split("?", 1)[0]


@contextmanager
def serve(*args: str, timeout_s: float = 30.0) -> Iterator[Served]:
    """Start ``noc-console serve ARGS --port 0`` and yield once it has printed its URL."""
    command = [sys.executable, "-m", "tui", "serve", "--port", "0", *args]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert process.stdout is not None
        url = ""
        deadline = time.monotonic() + timeout_s
        while not url and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if line.strip().startswith("open "):
                url = line.split()[-1]
        if not url:
            raise RuntimeError("noc-console serve printed no URL to open")
        yield Served(process, url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            yield launched
        finally:
            launched.close()


class Tab:
    """One browser tab on the served console."""

    def __init__(self, page: Page) -> None:
        self.page = page
        page.add_init_script(KEEP_TEXT)

    def open(self, url: str) -> Any:
        return self.page.goto(url)

    def text(self) -> str:
        """What the console has written so far, without escape sequences."""
        return ESCAPES.sub("", str(self.page.evaluate("window.__nocText || ''")))

    def forget(self) -> None:
        """Start afresh: :meth:`wait_for` then looks only at what comes next."""
        self.page.evaluate("window.__nocText = ''")

    def wait_for(self, pattern: str | re.Pattern[str], *, timeout_s: float = 20.0) -> str:
        """Wait until the console has written ``pattern``; the text so far."""
        found = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout_s
        while True:
            text = self.text()
            if found.search(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the console never wrote {found.pattern!r}; last: {text[-400:]!r}"
                )
            self.page.wait_for_timeout(50)

    def press(self, key: str, then: str | re.Pattern[str]) -> str:
        """Press ``key`` and wait for the console to answer with ``then``."""
        self.forget()
        self.page.focus("textarea.xterm-helper-textarea")  # where xterm.js takes keys
        self.page.keyboard.press(key)
        return self.wait_for(then)

    def screenshot(self, path: Path) -> Path:
        self.page.wait_for_timeout(300)  # the last frame reaches the canvas
        self.page.screenshot(path=str(path))
        return path


# (key, name, what the screen writes when it opens): the demo's screens after the feed.
SCREENS: Sequence[tuple[str, str, str]] = (
    ("2", "browser", "sipsg"),
    ("3", "inspector", "Paste an error here"),
    ("4", "calls", "ICWS interactions"),
)
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
