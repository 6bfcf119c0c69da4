"""Errors inline, above the table: what failed, where, and what to try.

Shows the HTTP outcome (with the transport status when an SBC says 200 and puts 500 in the
body), how many application errors the table lists, the hint for 401/403/404/timeouts, and the
quirks met while reading the body. Hidden when the last answer was fine and had nothing odd.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich.text import Text
from textual.widgets import Static

from tui.core.sanitize import clean_line

if TYPE_CHECKING:
    from tui.net.rest.base import Fetched


MAX_SHOWN = 2  # errors spelled out here; the table lists them all


def error_lines(fetched: Fetched, inspector: bool) -> list[tuple[str, str]]:
    """(text, kind) lines; kind is error, hint or note."""
    resource = fetched.resource
    lines: list[tuple[str, str]] = []
    if fetched.failure or resource.shape == "unreadable":
        lines.append((f"✕ {fetched.method} {fetched.url}: {resource.problem}", "error"))
    elif resource.http_code >= 400 or (not resource.ok and not resource.errors):
        status = f"HTTP {resource.http_code}"
        if resource.transport_status and resource.transport_status != resource.http_code:
            status += f" (transport {resource.transport_status})"
        path = urlsplit(fetched.url)
        where = path.path + (f"?{path.query}" if path.query else "")
        lines.append((f"✕ {status} on {fetched.method} {where}", "error"))
    for error in resource.errors[:MAX_SHOWN]:
        about = f" [{error.category or error.field}]" if error.category or error.field else ""
        lines.append((f"✕ {error.code}{about}: {error.message}", "error"))
    if len(resource.errors) > MAX_SHOWN:
        lines.append((f"  … {len(resource.errors) - MAX_SHOWN} more in the table", "error"))
    if resource.errors and inspector:
        lines.append(
            ("  e opens the error in the inspector; the table lists what it names", "note")
        )
    if fetched.hint:
        lines.append((f"hint: {fetched.hint}", "hint"))
    for note in (*fetched.notes, *resource.notes):
        lines.append((f"note: {note}", "note"))
    return lines


class ErrorPanel(Static):
    """The last answer's problems; empty and hidden when there are none."""

    DEFAULT_CSS = """
    ErrorPanel {
        height: auto;
        max-height: 6;
        padding: 0 1;
        background: $error 15%;
        display: none;
    }
    ErrorPanel.-quiet { background: $surface; }
    ErrorPanel.-shown { display: block; }
    ErrorPanel > .error-panel--error { color: $error; text-style: bold; }
    ErrorPanel > .error-panel--hint { color: $warning; }
    ErrorPanel > .error-panel--note { color: $foreground-muted; }
    """

    COMPONENT_CLASSES = {"error-panel--error", "error-panel--hint", "error-panel--note"}

    def show_fetched(self, fetched: Fetched | None, *, inspector: bool) -> None:
        lines = error_lines(fetched, inspector) if fetched is not None else []
        self.set_class(bool(lines), "-shown")
        self.set_class(all(kind == "note" for _, kind in lines), "-quiet")
        text = Text(no_wrap=False)
        for index, (content, kind) in enumerate(lines):
            if index:
                text.append("\n")
            text.append(
                clean_line(content), style=self.get_component_rich_style(f"error-panel--{kind}")
            )
        self.update(text)
