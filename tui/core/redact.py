"""Keeping secrets out of the journal, the screen and exports: one redaction for all three.

Hook bodies can carry end users' secrets (``sipPassword`` in ``connect``, ``authToken``, an
``apiKey``), SIP messages inside them carry ``Authorization: Digest …`` credentials, and request
headers carry the WCS HMAC. Values of sensitive keys become ``"***"`` wherever a body is kept,
shown or exported; forwarding in tap mode always uses the original bytes.

Redaction works on the *decoded* body, never on a byte pattern: a key spelled with JSON escapes
(``"sipP\\u0061ssword"``) or a body in UTF-16 reads the same to a JSON parser as to us. A body
that is not JSON (a rejected request: truncated, nested too deeply, form-encoded) is redacted as
text: ``"key": value`` pairs, ``key=value`` pairs and authorization headers.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any
from urllib.parse import unquote

REDACTED = "***"

# Key names whose values are secrets. Substrings for the families (sipPassword, authToken,
# clientSecret, X-Api-Key…), whole names for the short ones that are common inside other words
# (``key`` in ``appKey`` is WCS's application name, not a secret; ``pin`` in ``mapping``).
_SENSITIVE_KEY = re.compile(
    r"pass(?:word|wd|phrase|code)?|pwd|secret|token|credential|authoriz|cookie"
    r"|(?:api|access|private|signing|client|auth|hook|secret)[-_]?key"
    r"|^(?:key|pin|pin[-_]?code|otp)$",
    re.IGNORECASE,
)
_SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token"}
)
# An authorization header anywhere in text (a SIP message inside a hook body, a pasted request):
# the scheme stays readable, the credentials go.
_AUTH_HEADER = re.compile(
    r"(?P<head>\b(?:proxy-)?authorization\s*[:=]\s*)(?P<scheme>[A-Za-z][\w.-]*[ \t]+)?"
    r"(?P<cred>[^\r\n]+)",
    re.IGNORECASE,
)
# Words a body must contain (case-insensitively) before it can hold a secret. Sound for JSON
# (a key can only be spelled with these letters or with \u escapes, checked separately) and for
# the text forms below.
_NEEDLES = (b"pass", b"pwd", b"secret", b"token", b"credential", b"authoriz", b"cookie", b"key",
            b"pin", b"otp")  # fmt: skip
_APP_KEY = b'"appkey"'  # in nearly every WCS body; never a secret

# Text forms: "key": value (JSON-like, possibly cut short), and key=value (forms, query strings).
_JSON_PAIR = re.compile(
    r'"(?P<key>(?:[^"\\\r\n]|\\.){1,128})"\s*:\s*'
    r'(?P<value>"(?:[^"\\]|\\.)*(?:"|$)|[^,{}\[\]\s"]+)'
)
_FORM_PAIR = re.compile(r"(?<![\w%.-])(?P<key>[A-Za-z][\w.%-]{0,127})=(?P<value>[^&\s;,\"']+)")


def is_sensitive_key(key: str) -> bool:
    return bool(_SENSITIVE_KEY.search(key))


def redact_text(text: str) -> str:
    """Free text with credentials hidden: authorization headers, ``"key": value`` and
    ``key=value`` pairs whose key is sensitive."""
    text = _AUTH_HEADER.sub(_hide_credentials, text)
    text = _JSON_PAIR.sub(_hide_json_pair, text)
    return _FORM_PAIR.sub(_hide_form_pair, text)


def _hide_credentials(match: re.Match[str]) -> str:
    return f"{match['head']}{match['scheme'] or ''}{REDACTED}"


def _hide_json_pair(match: re.Match[str]) -> str:
    key = match["key"]
    if "\\" in key:
        with contextlib.suppress(ValueError):
            key = json.loads(f'"{key}"')
    if not is_sensitive_key(key):
        return match.group()
    head = match.group()[: match.start("value") - match.start()]
    return f'{head}"{REDACTED}"'


def _hide_form_pair(match: re.Match[str]) -> str:
    key = unquote(match["key"]) if "%" in match["key"] else match["key"]
    if not is_sensitive_key(key):
        return match.group()
    return f"{match['key']}={REDACTED}"


def _redact_string(value: str) -> str:
    if len(value) > 16 and "uthoriz" in value.lower():
        return _AUTH_HEADER.sub(_hide_credentials, value)
    return value


def redact_value(value: Any) -> Any:
    """A copy of a parsed JSON value with every sensitive key's value replaced, and the
    credentials of authorization headers inside strings hidden."""
    return _redacted(value)[0]


def _redacted(value: Any) -> tuple[Any, bool]:
    """(the redacted copy, whether anything was hidden).

    Iterative, so a body nested thousands of levels deep cannot exhaust the stack of the thread
    that redacts it (the journal writer must never stop); nothing compares the trees afterwards
    for the same reason.
    """
    if isinstance(value, str):
        cleaned = _redact_string(value)
        return cleaned, cleaned is not value
    if not isinstance(value, (dict, list)):
        return value, False
    changed = False
    root: Any = {} if isinstance(value, dict) else []
    stack: list[tuple[Any, Any]] = [(value, root)]
    while stack:
        source, target = stack.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, item in items:
            if isinstance(key, str) and item is not None and item != "" and is_sensitive_key(key):
                child: Any = REDACTED
                changed = True
            elif isinstance(item, dict):
                child = {}
                stack.append((item, child))
            elif isinstance(item, list):
                child = []
                stack.append((item, child))
            elif isinstance(item, str):
                child = _redact_string(item)
                changed = changed or child is not item
            else:
                child = item
            if isinstance(target, dict):
                target[key] = child
            else:
                target.append(child)
    return root, changed


def may_hold_secrets(raw: bytes) -> bool:
    """False only when ``raw`` certainly holds nothing to redact (the fast path for most hooks).

    Anything that could spell a key another way (JSON ``\\u`` escapes, percent-encoding, UTF-16
    or UTF-32 text) counts as "may hold"; so does any of the needle words.
    """
    if b"\\u" in raw or b"%" in raw or b"\x00" in raw or raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    lowered = raw.lower()
    if _APP_KEY in lowered:
        lowered = lowered.replace(_APP_KEY, b"")
    return any(needle in lowered for needle in _NEEDLES)


def decode_body(raw: bytes) -> tuple[Any, bool]:
    """(parsed JSON, True), or (the body as text, False) when it is not JSON.

    JSON may arrive as UTF-8, UTF-16 or UTF-32 (the parser detects which). Text that is not
    JSON is read as UTF-16/32 when it has the NUL bytes of such text and decodes as it, else as
    UTF-8 with its other bytes kept as surrogate escapes (so :func:`encode_text` gives them back).
    """
    try:
        return json.loads(raw), True
    except (ValueError, UnicodeDecodeError, RecursionError):
        pass
    return _wide_text(raw) or raw.decode("utf-8", "surrogateescape"), False


def _wide_text(raw: bytes) -> str:
    """``raw`` as UTF-16/32 text if it plausibly is such text, else ''."""
    if b"\x00" not in raw:
        return ""
    encoding = json.detect_encoding(raw)
    if encoding.startswith("utf-8"):
        return ""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return ""


def encode_text(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def encode_json(value: Any) -> bytes:
    """Compact JSON as UTF-8; a lone surrogate (from a ``\\ud800`` escape) stays an escape."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "backslashreplace")


def redact_json_bytes(raw: bytes) -> bytes:
    """The body with secrets hidden; the same object when nothing needed hiding.

    JSON bodies are parsed and re-encoded (as UTF-8) only when something changed; other bodies
    are redacted as text and keep their bytes otherwise.
    """
    if not raw or not may_hold_secrets(raw):
        return raw
    parsed, is_json = decode_body(raw)
    if is_json:
        cleaned, changed = _redacted(parsed)
        return encode_json(cleaned) if changed else raw
    wide = _wide_text(raw)
    if wide and (redacted := redact_text(wide)) != wide:
        return redacted.encode("utf-8", "backslashreplace")
    as_bytes = raw.decode("utf-8", "surrogateescape")
    redacted = redact_text(as_bytes)
    return raw if redacted == as_bytes else encode_text(redacted)


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
