"""What "clean" means, written out independently of ``tui.core.sanitize``, and hostile text.

The model tests check every string a model builder produces with :func:`is_clean`; it is
defined from the code points here, not with the module under test, so a gap in the module's
regular expressions cannot hide itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from itertools import chain
from typing import Any

from hypothesis import strategies as st

UNSAFE = frozenset(
    chain(
        range(0x00, 0x20),  # C0
        (0x7F,),  # DEL
        range(0x80, 0xA0),  # C1 (U+009B is the 8-bit CSI)
        range(0x202A, 0x202F),  # bidi embeddings and overrides (U+202E RLO)
        range(0x2066, 0x206A),  # bidi isolates
        (0x200E, 0x200F, 0x061C),  # bidi marks
        (0x2028, 0x2029),  # line and paragraph separators
        (0xFEFF,),  # BOM / zero-width no-break space
        range(0xD800, 0xE000),  # surrogates: alone in a str they are not characters
    )
)
MULTI_LINE = frozenset((0x09, 0x0A))  # what a multi-line view may keep


def is_clean(text: str, *, line: bool = False) -> bool:
    """No unsafe character (TAB and LF allowed unless ``line``)."""
    allowed = frozenset() if line else MULTI_LINE
    return all(ord(c) not in UNSAFE or ord(c) in allowed for c in text)


def strings_in(value: Any, depth: int = 0) -> Iterator[str]:
    """Every string in a model: named tuples, dataclasses, tuples, lists and dicts (keys too)."""
    assert depth < 100, "model nested suspiciously deep"
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key, depth + 1)
            yield from strings_in(item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from strings_in(item, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from strings_in(getattr(value, f.name), depth + 1)


def unclean_strings(value: Any, *, line: bool = False) -> list[str]:
    """The strings of ``value`` that are not clean (empty when the model is clean)."""
    return [s for s in strings_in(value) if not is_clean(s, line=line)]


# The characters a hostile or broken peer sends, drawn often; then anything at all (lone
# surrogates included, which st.text leaves out by default), and ordinary id characters.
HOSTILE_CHARS = (
    "\x1b", "\x9b", "\x9c", "\x9d", "\x90", "\x85", "\x07", "\x00", "\x7f", "\r", "\n", "\t",
    "\u202e", "\u202a", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c", "\ufeff", "\u2028",
    "\u2029", "\ud800", "\udfff", "\udc80",
)  # fmt: skip
hostile_chars = st.sampled_from(HOSTILE_CHARS)
any_char = st.characters(exclude_categories=())  # every code point, surrogates too
id_chars = st.sampled_from("abcXYZ019:/.-_@ [];")
remote_char = st.one_of(hostile_chars, id_chars, any_char)


def remote_text(max_size: int = 30) -> st.SearchStrategy[str]:
    """Text as a remote system might send it: mostly id characters, often hostile ones."""
    return st.text(alphabet=remote_char, max_size=max_size)


def json_values(keys: list[str], max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """JSON-like values whose object keys are drawn from ``keys`` or are hostile text."""
    key = st.one_of(st.sampled_from(keys), remote_text(10))
    return st.recursive(
        st.none() | st.booleans() | st.integers() | remote_text(),
        lambda children: (
            st.lists(children, max_size=4) | st.dictionaries(key, children, max_size=5)
        ),
        max_leaves=max_leaves,
    )
