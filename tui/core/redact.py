"""Keeping secrets out of the journal, the screen and exports.

Hook bodies can carry end users' secrets (``sipPassword`` in ``connect``, ``authToken``); request
headers carry the WCS HMAC. Values of sensitive keys become ``"***"`` wherever the body is kept or
shown. Forwarding in tap mode always uses the original bytes.
"""

from __future__ import annotations

import json
import re
from typing import Any

REDACTED = "***"
_SENSITIVE_KEY = re.compile(r"pass(word)?|secret|token|credential|authoriz", re.IGNORECASE)


def _may_hold_secrets(raw: bytes) -> bool:
    """A quick look before parsing: one lower-casing pass and plain substring tests (3 µs for a
    hook body here; a case-insensitive regex took 15 µs, on every hook, in the journal thread)."""
    lowered = raw.lower()
    return (
        b"pass" in lowered
        or b"secret" in lowered
        or b"token" in lowered
        or b"credential" in lowered
        or b"authoriz" in lowered
    )


_SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "x-api-key"})


def is_sensitive_key(key: str) -> bool:
    return bool(_SENSITIVE_KEY.search(key))


def redact_value(value: Any) -> Any:
    """A copy of a parsed JSON value with every sensitive key's value replaced."""
    if isinstance(value, dict):
        return {
            k: (REDACTED if is_sensitive_key(k) and v not in (None, "") else redact_value(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact_value(v) for v in value]
    return value


def redact_json_bytes(raw: bytes) -> bytes:
    """The body with sensitive values replaced; unchanged (same object) when nothing is sensitive.

    Bodies that are not JSON are returned as they are: the journal keeps what was received.
    """
    if not _may_hold_secrets(raw):
        return raw
    try:
        parsed = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return raw
    cleaned = redact_value(parsed)
    if cleaned == parsed:
        return raw
    return json.dumps(cleaned, ensure_ascii=False, separators=(",", ":")).encode()


def redact_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Transport details as journalled: request headers with credentials hidden."""
    headers = meta.get("headers")
    if isinstance(headers, dict) and any(k.lower() in _SENSITIVE_HEADERS for k in headers):
        return {**meta, "headers": redact_headers(headers)}
    return meta


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    """Header name → value, with credentials shown only by their scheme (``WCS ***``)."""
    out = {}
    for name, value in headers.items():
        if name.lower() in _SENSITIVE_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            out[name] = f"{scheme} {REDACTED}".strip()
        else:
            out[name] = value
    return out
