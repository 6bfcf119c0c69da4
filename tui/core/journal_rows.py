"""Events read back from a journal file, made safe to show.

A journal may come from anywhere: a colleague's ticket, an import, a file edited by hand. Its
columns carry no declared types, so a field may hold text with terminal controls or a value
of the wrong type. What this console wrote is already clean, and the check costs one C-level
pass per row. Only a row that fails it is repaired, field by field: text cleaned as one line
(:func:`tui.core.sanitize.clean_line`), numbers converted or left blank.
"""

from __future__ import annotations

import math
from operator import itemgetter
from typing import Any

from tui.core.feed import BLANK_FIELDS, FeedEvent
from tui.core.sanitize import clean_line

_FIELDS = FeedEvent._fields
_TYPES = tuple(type(BLANK_FIELDS[name]) for name in _FIELDS)
_TEXT_AT = tuple(i for i, kind in enumerate(_TYPES) if kind is str)
_texts = itemgetter(*_TEXT_AT)
_FLOAT_AT = tuple(i for i, kind in enumerate(_TYPES) if kind is float)
_floats = itemgetter(*_FLOAT_AT)
_make = FeedEvent._make


def stored_event(row: tuple[Any, ...]) -> FeedEvent:
    """The event of a stored row (its first columns), repaired where it must be."""
    if (
        tuple(map(type, row)) == _TYPES
        and "".join(_texts(row)).isprintable()
        and math.isfinite(sum(_floats(row)))  # (one NaN or infinity makes the sum one)
    ):
        return _make(row)
    return _make(_repaired(row))


def _repaired(row: tuple[Any, ...]) -> tuple[Any, ...]:
    out: list[Any] = []
    for name, kind, value in zip(_FIELDS, _TYPES, row, strict=True):
        blank = BLANK_FIELDS[name]
        if kind is str:
            if isinstance(value, bytes):
                value = value.decode("utf-8", "replace")
            out.append(clean_line(value) if isinstance(value, str) else blank
                       if value is None else clean_line(str(value)))  # fmt: skip
        elif kind is float:
            try:
                number = float(value)
            except (TypeError, ValueError):
                number = blank
            out.append(number if math.isfinite(number) else blank)
        else:
            try:
                out.append(int(value))
            except (TypeError, ValueError, OverflowError):
                out.append(blank)
    return tuple(out)
