"""Making remote strings safe to show: no terminal control sequences, bounded length.

Remote systems send text the console did not write (queue names, user notes, error messages).
Rendered as-is, an ESC sequence could move the cursor or retitle the terminal. These helpers
keep printable characters, turn line breaks and tabs into spaces, and drop everything else
(C0/C1 controls, ESC/CSI/OSC sequences, bidi overrides, lone surrogates). Pure Python.
"""

from __future__ import annotations

import re

# A whole escape sequence (CSI ... final byte, OSC ... BEL/ST, or ESC + one char), or any
# other control / format character that would change what the terminal draws.
_SEQUENCES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, ended by BEL or ST (or cut short)
    r"|\x1b[@-Z\\-_]"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_WHITESPACE = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
# Controls, bidi overrides/isolates, BOM, and lone surrogates (JSON "\ud800" escapes decode
# to them, and writing one to the terminal raises UnicodeEncodeError).
_CONTROLS = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)


def clean_text(value: str, limit: int = 300) -> str:
    """Printable, single-line, at most ``limit`` characters (cut with an ellipsis)."""
    if not value.isprintable():
        value = _SEQUENCES.sub("", value)
        value = _WHITESPACE.sub(" ", value)
        value = _CONTROLS.sub("", value)
    if len(value) > limit:
        value = value[: max(limit - 1, 0)] + "…"
    return value


def as_text(value: object, limit: int = 300) -> str:
    """Any JSON value as cleaned text: strings as they are, others in a compact form."""
    if isinstance(value, str):
        return clean_text(value, limit)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return clean_text(repr(value), limit)
