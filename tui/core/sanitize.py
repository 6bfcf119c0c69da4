"""Cleaning remote text: the one policy for every string the console shows or writes out.

Hook bodies, SIP headers, ICWS messages, XML attributes and pasted errors come from systems the
console does not control. Each protocol cleans its text with this module where it builds its
model (the WCS and ICWS normalisers, the SBC/CUE/MWS resource parsers, the error decoders), so
widgets, commands and exports downstream only ever see clean text. Rendering stays plain Rich
``Text``, never markup; that is the UI's concern, not this module's.

What is never let through, and why:

- C0 controls U+0000–U+001F and DEL U+007F: BEL, BS, CR and ESC drive the terminal. A multi-line
  view (:func:`clean_block`) keeps LF and TAB; a table cell (:func:`clean_line`) keeps neither.
- C1 controls U+0080–U+009F: U+009B is an 8-bit CSI, U+009D an OSC, U+0090 a DCS; terminals
  that honour them act on them like the ESC forms.
- Escape sequences (CSI, OSC, DCS, APC, PM, SOS, their 8-bit forms): each begins with ESC or a
  C1 introducer and ends with BEL, ST (``ESC \\``) or a final byte. Replacing the introducer and
  the terminator leaves only plain printable characters, which no terminal acts on, so a whole
  sequence is defused without being cut out: the operator sees ``␛[2J`` where a header tried to
  clear the screen.
- Bidi embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069 and the marks U+200E,
  U+200F, U+061C: they make text display in an order different from its characters (a call id
  that reads differently from what it is, a value that seems to belong to another column).
- BOM / zero-width no-break space U+FEFF: invisible, and it makes equal-looking ids differ.
- Lone surrogates U+D800–U+DFFF: a JSON ``"\\ud800"`` escape decodes to one. It is not a
  character: writing it to a terminal, a UTF-8 file or SQLite raises ``UnicodeEncodeError``.
- Line and paragraph separators U+2028, U+2029 and CR (alone or in CR LF) are line breaks: LF in
  a block, ``⏎`` in a line.

The rule: **replace, never remove**. Each unsafe character becomes exactly one visible
character: a C0 control its Unicode control picture (``␛`` for ESC, ``␇`` for BEL, ``␀``…), DEL
``␡``, and every other one (C1, bidi, BOM, surrogate) U+FFFD ``�``. Removal would hide what an
operator debugging a hostile or broken peer needs to see (an id with a hidden U+202E looks like
the plain id but does not match it), could join tokens into something that was never sent, and
changes lengths; one-for-one replacement keeps lengths and positions, and cleaning twice gives
the same text. In a line, a line break shows as ``⏎`` and a tab as a space.

JSON written out (exports, ``browse --json``, the raw JSON views) keeps the data exact instead:
:func:`escape_json` writes each unsafe character as a ``\\uXXXX`` escape, which reads back as
the same string and is itself plain printable text.

Clean text is the common case and costs one C-level check (``str.isprintable``, or
``str.isascii`` for JSON text): the WCS normaliser runs this on every field of every hook.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Final

LINE_BREAK: Final = "⏎"
"""How :func:`clean_line` shows a line break, so a table row stays one row."""

REPLACEMENT: Final = "\ufffd"
"""What an unsafe character without a control picture becomes (C1, bidi, BOM, surrogates)."""

MAX_DEPTH: Final = 200
""":func:`clean_value` refuses JSON values nested deeper than this (:class:`NestedTooDeeply`)."""

# Everything the policy replaces, as a regex character class. C0, DEL and C1; the Arabic letter
# mark; LRM, RLM; line and paragraph separators with the bidi embeddings and overrides that
# follow them (U+2028-U+202E); the bidi isolates; BOM; surrogates.
_UNSAFE = "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
_LINE = re.compile(f"\r\n|[{_UNSAFE}]")
_BLOCK = re.compile(  # as _UNSAFE, less TAB (U+0009) and LF (U+000A)
    "\r\n|[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]"
)
# json.dumps escapes every C0 control inside strings itself; LF outside them is indentation
_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")

# The ASCII characters that may stay: for a bytes.translate that deletes them, leaving only the
# ones to replace (four times faster than str.isprintable on long ASCII text, 25 times the regex)
_ASCII_SAFE_LINE = bytes(range(0x20, 0x7F))
_ASCII_SAFE_BLOCK = _ASCII_SAFE_LINE + b"\t\n"

_PICTURES = {chr(code): chr(0x2400 + code) for code in range(0x20)} | {"\x7f": "\u2421"}
_LINE_BREAKS = ("\r\n", "\r", "\n", "\u2028", "\u2029")
_IN_A_LINE = _PICTURES | dict.fromkeys(_LINE_BREAKS, LINE_BREAK) | {"\t": " "}
_IN_A_BLOCK = _PICTURES | dict.fromkeys(_LINE_BREAKS, "\n")


def _line_stand_in(match: re.Match[str]) -> str:
    return _IN_A_LINE.get(match.group(), REPLACEMENT)


def _block_stand_in(match: re.Match[str]) -> str:
    return _IN_A_BLOCK.get(match.group(), REPLACEMENT)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def clean_line(value: str, limit: int = 0, *, squeeze: bool = False, say_cut: bool = False) -> str:
    """``value`` as one clean line: unsafe characters replaced, line breaks shown as ``⏎``.

    ``limit`` (0: none) cuts it to that many characters, the last one ``…``; with ``say_cut``
    it keeps ``limit`` characters and says how many more there were (``abc… (3 more
    characters)``). ``squeeze`` first makes every run of whitespace (line breaks included) one
    space, for short previews.
    """
    if squeeze:
        value = " ".join(value.split())
    if value.isprintable():
        if not limit or len(value) <= limit:
            return value  # the common case: nothing to do
    elif limit and not say_cut and len(value) > 2 * limit:
        # cleaning never lengthens text and shortens it at most by half (CR LF → ⏎), so the
        # first 2 × limit characters decide the result: a megabyte is not cleaned for a cell
        return _LINE.sub(_line_stand_in, value[: 2 * limit])[: max(0, limit - 1)] + "…"
    else:
        value = _LINE.sub(_line_stand_in, value)
        if not limit or len(value) <= limit:
            return value
    if say_cut:
        return f"{value[:limit]}… ({len(value) - limit:,} more characters)"
    return value[: max(0, limit - 1)] + "…"


def clean_block(value: str) -> str:
    """``value`` as clean multi-line text: keeps LF and TAB, other line breaks become LF."""
    if value.isprintable() or is_clean(value):
        return value
    return _BLOCK.sub(_block_stand_in, value)


def is_clean(value: str, *, line: bool = False) -> bool:
    """True when cleaning would not change ``value`` (as a line: no LF or TAB either)."""
    if value.isascii():  # O(1) in CPython: the string knows
        safe = _ASCII_SAFE_LINE if line else _ASCII_SAFE_BLOCK
        return not value.encode("ascii").translate(None, safe)
    if value.isprintable():
        return True
    return (_LINE if line else _BLOCK).search(value) is None


def text_of(value: object, limit: int = 300) -> str:
    """A JSON value as one clean line: strings as they are, others in a compact form."""
    if isinstance(value, str):
        return clean_line(value, limit)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return clean_line(repr(value), limit)


class NestedTooDeeply(ValueError):
    """A value given to :func:`clean_value` is nested deeper than its ``max_depth``."""


def clean_value(value: Any, *, line: bool = False, max_depth: int = MAX_DEPTH) -> Any:
    """A JSON value with every string in it cleaned, dictionary keys too.

    Strings are cleaned as blocks (as lines with ``line``); lists, tuples and dictionaries are
    rebuilt; other values are returned as they are. Two keys that differ only in unsafe
    characters become one (the later value wins). Deeper than ``max_depth`` containers:
    :class:`NestedTooDeeply` (no recursion limit is ever reached).
    """
    clean = clean_line if line else clean_block
    return _clean_value(value, clean, max_depth)


def _clean_value(value: Any, clean: Callable[[str], str], depth: int) -> Any:
    if isinstance(value, str):
        return clean(value)
    if not isinstance(value, dict | list | tuple):
        return value
    if depth <= 0:
        raise NestedTooDeeply("nested too deeply")
    if isinstance(value, dict):
        return {
            clean(k) if isinstance(k, str) else k: _clean_value(v, clean, depth - 1)
            for k, v in value.items()
        }
    items = [_clean_value(v, clean, depth - 1) for v in value]
    return items if isinstance(value, list) else tuple(items)


def escape_json(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with every unsafe character
    written as a ``\\uXXXX`` escape: the same data, printable, valid UTF-8.

    Outside its strings JSON text holds only ASCII punctuation, digits, letters and the
    indentation's LF, so the escapes always land inside strings.
    """
    if text.isascii() and "\x7f" not in text:
        return text
    return _JSON.sub(_json_escape, text)


def json_text(
    value: Any,
    *,
    indent: int | None = None,
    separators: tuple[str, str] | None = None,
    default: Callable[[Any], Any] | None = None,
) -> str:
    """``json.dumps`` for output people or scripts read: non-ASCII kept, unsafe characters
    escaped (:func:`escape_json`)."""
    text = json.dumps(
        value, indent=indent, separators=separators, default=default, ensure_ascii=False
    )
    return escape_json(text)
