"""Making remote text safe to put on a terminal: no escape sequences, no control characters.

A device may return an attribute value holding ``ESC [2J`` or an OSC sequence; written to the
terminal as is, it would clear the screen or retitle the window. Values pass through
:func:`clean_text` before they are drawn or copied. (Rich markup is the UI's concern: it renders
remote text as ``Text``, never as markup.)
"""

from __future__ import annotations

import re

# ESC-introduced sequences (CSI, OSC up to BEL/ST, two-byte escapes), then any remaining C0/C1
# control except tab and newline, and DEL.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS / SOS / PM / APC ... ST
    r"|\x1b[@-Z\\-_]?"  # other two-byte escapes, or a lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """``value`` without terminal escape sequences or control characters (tab, newline kept)."""
    if not _SUSPECT.search(value):
        return value
    return _ESCAPES.sub("", value)


def one_line(value: str, limit: int = 0) -> str:
    """Cleaned, with line breaks shown as ``⏎`` so a table row stays one row; cut at ``limit``."""
    text = clean_text(value)
    if "\n" in text or "\r" in text or "\t" in text:
        text = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎").replace("\t", " ")
    if limit and len(text) > limit:
        text = text[: max(0, limit - 1)] + "…"
    return text
