"""Pretty-printing hook bodies for people: bounded, redacted, and clean (:mod:`tui.core.sanitize`).

JSON is written with unsafe characters as ``\\uXXXX`` escapes (the data stays exact, the text is
printable); a body that is not JSON, and the SIP message, have them replaced by visible stand-ins.
"""

from __future__ import annotations

from typing import Any

from tui.core.redact import decode_body, redact_text, redact_value
from tui.core.sanitize import clean_block, json_text

LONG_STRING = 240  # sdp, sipMessageRaw and other blobs are cut to this in the JSON view
MAX_LINES = 400


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > LONG_STRING:
        return value[:LONG_STRING] + f"… ({len(value) - LONG_STRING:,} more characters)"
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v) for v in value]
    return value


def pretty_json(raw: bytes) -> tuple[str, bool]:
    """(text, is_json): indented JSON with long strings cut, or the raw text when it is not JSON."""
    if not raw:
        return "", False
    parsed, is_json = decode_body(raw)
    if not is_json:
        text = redact_text(parsed)[:16_384].encode("utf-8", "replace").decode("utf-8", "replace")
        return clean_block(text), False
    try:
        text = json_text(_shorten(redact_value(parsed)), indent=2)
    except RecursionError:  # a hostile body nested too deep to indent: show it as text
        text = raw[:16_384].decode("utf-8", "replace")
        return clean_block(redact_text(text)), False
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        text = "\n".join(lines[:MAX_LINES]) + f"\n… ({len(lines) - MAX_LINES:,} more lines)"
    return text, True


def sip_message(raw: bytes) -> str:
    """The ``sipMessageRaw`` of a body, as text with its line ends normalised, or ''."""
    parsed, is_json = decode_body(raw)
    value = parsed.get("sipMessageRaw") if is_json and isinstance(parsed, dict) else None
    if not isinstance(value, str):
        return ""
    return clean_block(redact_value(value)[:8192]).rstrip("\n")


def export_document(event: dict[str, Any], raw: bytes, reply: bytes, meta: dict[str, Any]) -> str:
    """One event as a JSON document for a ticket: redacted, nothing cut, unsafe characters
    escaped (the file is valid UTF-8 even when a body held a lone surrogate)."""

    def parsed(blob: bytes) -> Any:
        value, is_json = decode_body(blob)
        return redact_value(value) if is_json else redact_text(value)

    document = {"event": event, "request": parsed(raw), "reply": parsed(reply), "transport": meta}
    return json_text(document, indent=2)
