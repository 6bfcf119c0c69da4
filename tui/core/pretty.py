"""Pretty-printing hook bodies for people: bounded, redacted, control characters made visible."""

from __future__ import annotations

import json
from typing import Any

from tui.core.redact import decode_body, redact_text, redact_value
from tui.core.text import clean_block

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
    text = json.dumps(_shorten(redact_value(parsed)), indent=2, ensure_ascii=False)
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        text = "\n".join(lines[:MAX_LINES]) + f"\n… ({len(lines) - MAX_LINES:,} more lines)"
    return clean_block(text), True


def sip_message(raw: bytes) -> str:
    """The ``sipMessageRaw`` of a body, as text with its line ends normalised, or ''."""
    parsed, is_json = decode_body(raw)
    value = parsed.get("sipMessageRaw") if is_json and isinstance(parsed, dict) else None
    if not isinstance(value, str):
        return ""
    return clean_block(redact_value(value)[:8192]).rstrip("\n")


def export_document(event: dict[str, Any], raw: bytes, reply: bytes, meta: dict[str, Any]) -> str:
    """One event as a JSON document for a ticket: redacted, nothing cut."""

    def parsed(blob: bytes) -> Any:
        value, is_json = decode_body(blob)
        return redact_value(value) if is_json else redact_text(value)

    document = {"event": event, "request": parsed(raw), "reply": parsed(reply), "transport": meta}
    return json.dumps(document, indent=2, ensure_ascii=False)
