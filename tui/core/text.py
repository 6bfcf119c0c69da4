"""Making remote text safe to put on a terminal.

Hook bodies, SIP headers and XML attributes come from systems we do not control. Rendering is
always as plain Text (never markup); on top of that, control characters are replaced by visible
stand-ins so that an escape sequence in a SIP header cannot move the cursor or recolour the screen.
"""

from __future__ import annotations

import re

# C0 controls (except the ones a multi-line view keeps), DEL, C1 controls, and the bidi overrides
# that can make text display in an order different from its bytes.
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures" block: ␛ for ESC
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def clean_line(value: str) -> str:
    """One line for a table cell: every control character shown as a visible symbol."""
    if value.isprintable():
        return value
    return _UNSAFE_LINE.sub(_picture, value)


def clean_block(value: str) -> str:
    """Multi-line text (a SIP message, pretty JSON): keeps newlines and tabs, shows the rest."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _UNSAFE_BLOCK.sub(_picture, value)
