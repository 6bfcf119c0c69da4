"""WCS hook signatures: ``Authorization: WCS <hex HMAC-MD5 of the raw body>``.

With ``rest_hook_send_hash=true`` and ``rest_hook_secret_key`` set, WCS signs every hook; the
backend must answer 403 when the signature does not match. The hash covers the raw bytes as sent:
re-serialising the JSON first would break it.
"""

from __future__ import annotations

import hashlib
import hmac
from enum import StrEnum


class AuthResult(StrEnum):
    OK = "ok"
    MISSING = "missing"  # no Authorization header, or another scheme
    MISMATCH = "mismatch"


def sign(key: bytes, body: bytes) -> str:
    """The header value WCS would send for this body."""
    return "WCS " + hmac.new(key, body, hashlib.md5).hexdigest()


def verify(key: bytes, body: bytes, header: str | None) -> AuthResult:
    if not header:
        return AuthResult.MISSING
    scheme, _, value = header.strip().partition(" ")
    if scheme.upper() != "WCS" or not value:
        return AuthResult.MISSING
    expected = hmac.new(key, body, hashlib.md5).hexdigest()
    if hmac.compare_digest(expected, value.strip().lower()):
        return AuthResult.OK
    return AuthResult.MISMATCH
