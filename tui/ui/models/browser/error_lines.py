"""The lines of the browser's error panel: what failed, where, and what to try."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

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
