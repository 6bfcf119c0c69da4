"""Making pasted or remote text safe to decode and to show.

Error text comes from remote systems (a SIP header, an XML attribute, a JSON message) or from an
operator's clipboard. Before anything reads it, terminal control sequences and other control
characters are removed (so nothing can move the cursor or retitle the terminal), line ends are
normalised, and the size is capped.
"""

from __future__ import annotations

import re

MAX_INPUT_CHARS = 512 * 1024
"""Longer input is refused with a message: paste the error itself, not a whole log."""

MAX_SHOWN_CHARS = 2_000
"""A single value shown on one line is cut here (with a note of how much was cut)."""

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), other two-byte
# escapes; then C1 controls and the remaining C0 controls except TAB and LF.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)"  # OSC (a title, a hyperlink…)
    r"|\x1b[PX^_][^\x1b\n]{0,512}\x1b\\"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # other Fe escapes
    r"|\x1b"  # a lone ESC (an unterminated string keeps its text, harmless without the ESC)
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters; keep TAB and newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    return _CONTROLS.sub("", text)


def one_line(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """A value for a single line of the tree: controls removed, newlines shown as ``⏎``."""
    text = strip_controls(text).replace("\n", " ⏎ ").replace("\t", " ")
    if len(text) > limit:
        return f"{text[:limit]}… ({len(text) - limit:,} more characters)"
    return text


def shorten(text: str, limit: int = 80) -> str:
    """A short preview (history lists, summaries)."""
    text = " ".join(strip_controls(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
