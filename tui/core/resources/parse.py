"""One entry point from a response body to a Resource, whichever system answered.

The network layer calls :func:`parse_response` in a worker thread (a 10,000-resource list takes
a few hundred milliseconds, too long for the UI loop), or for a big body in a worker process,
which is why the result is a plain picklable model; and :func:`pretty_body` for the raw view.
Both give clean text (:mod:`tui.core.sanitize`): the parsers clean their Resource, and the raw
view shows XML and plain text with unsafe characters replaced, JSON with them escaped.
"""

from __future__ import annotations

import json

from tui.core.protocols.xml import DEFAULT_MAX_BYTES, pretty_xml
from tui.core.resources.model import Resource, unreadable
from tui.core.sanitize import clean_block, clean_line, json_text
from tui.core.targets import KINDS, kind_of

PRETTY_LIMIT = 512 * 1024  # the raw view pretty-prints this much, then shows the rest as is


def parse_response(
    kind: str,
    body: bytes,
    *,
    transport_status: int,
    location: str = "/",
    filter_category: str = "",
    meta: tuple[tuple[str, str], ...] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Resource:
    """The body of a response from a ``kind`` target as a Resource (never raises for the
    body; an unknown kind is a ValueError)."""
    spec = kind_of(kind)
    try:
        return spec.parse(
            body,
            transport_status=transport_status,
            location=location,
            filter_category=filter_category,
            meta=meta,
            max_bytes=max_bytes,
        )
    except Exception as exc:  # a parser bug must not take the console down: show it instead
        return unreadable(
            spec.name,
            clean_line(f"could not read the body ({type(exc).__name__}: {exc})", 300),
            transport_status=transport_status,
        )


def pretty_body(kind: str, body: bytes, content_type: str = "") -> tuple[str, str]:
    """The body re-indented for reading, and the lexer name for highlighting (xml/json/text)."""
    head, rest = body[:PRETTY_LIMIT], body[PRETTY_LIMIT:]
    spec = KINDS.get(kind)
    declared_json = spec is not None and spec.body_format == "json"
    looks_json = declared_json or "json" in content_type or head.lstrip()[:1] in (b"{", b"[")
    if looks_json:
        try:
            text = json_text(json.loads(body), indent=2) if not rest else ""
        except (ValueError, RecursionError):
            text = ""
        if text:
            return text, "json"
        return clean_block(body.decode("utf-8", "replace")), "text"
    if head.lstrip().startswith(b"<"):
        text = pretty_xml(body) if not rest else body.decode("utf-8", "replace")
        return clean_block(text), "xml"
    return clean_block(body.decode("utf-8", "replace")), "text"
