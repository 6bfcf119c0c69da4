"""The ``tail --jsonl`` line of an event, written directly: the same text as
``json.dumps(event_to_json(event), ensure_ascii=False)``, several times faster.

An export of a million events spends most of its time building each event's dict and then
encoding it. Here each source's line is one generated expression over the event's fields by
index (the way :mod:`tui.core.query` compiles filters), with strings escaped by the JSON
module's own C escaper and times formatted once per second. Anything unusual (a value of
another type than the console writes, an infinite latency) takes the ordinary path, so the text
is always exactly the ordinary one; a property test holds the two equal.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any

from tui.core.feed import (
    BLANK_FIELDS,
    FLAG_DELTA,
    SEVERITY_NAMES,
    SOURCE_ICWS,
    FeedEvent,
    event_to_json,
    flag_names,
    iso_time,
    json_names,
)

_INDEX = {name: index for index, name in enumerate(FeedEvent._fields)}
_LATENCY = _INDEX["latency_ms"]
_TEXT = frozenset(_INDEX[name] for name, blank in BLANK_FIELDS.items() if isinstance(blank, str))
_LAST_SECOND = 253_402_300_800  # 10000-01-01: past it datetime has no year to print

_seconds: dict[int, str] = {}


def iso_ms(ts: float) -> str:
    """:func:`tui.core.feed.iso_time`, with the date and time of each second worked out once.

    The microseconds are rounded half to even, as ``datetime.fromtimestamp`` rounds them,
    then cut to milliseconds, as ``isoformat`` cuts them."""
    if not 0 <= ts < _LAST_SECOND:  # before 1970, too far ahead, or not a number
        return iso_time(ts)
    fraction, whole = math.modf(ts)
    micros = round(fraction * 1e6)
    second = int(whole)
    if micros >= 1_000_000:
        second += 1
        micros -= 1_000_000
    head = _seconds.get(second)
    if head is None:
        if len(_seconds) >= 4096:
            _seconds.clear()
        head = _seconds[second] = datetime.fromtimestamp(second, UTC).isoformat()[:19]
    return f"{head}.{micros // 1000:03d}+00:00"


_flag_text: dict[int, str] = {}


def _flags(flags: int) -> str:
    text = _flag_text.get(flags)
    if text is None:
        names = [name for bit, name in flag_names() if flags & bit]
        text = _flag_text[flags] = json.dumps(names)
    return text


def _piece(name: str, index: int, *, always: bool) -> str:
    """The expression of one field's part of the line (with its leading comma)."""
    key = json.dumps(name)
    absent = f"', {key}: null'" if always else "''"
    if index == _LATENCY:
        return f"(', {key}: ' + F(R(e[{index}], 3)) if e[{index}] >= 0 else {absent})"
    value = f"S(e[{index}])" if index in _TEXT else f"I(e[{index}])"
    return f"(', {key}: ' + {value} if e[{index}] else {absent})"


def _compile(source: str) -> Callable[[FeedEvent], str]:
    always, when_set = json_names(source)
    pieces = [
        '\'{"seq": \' + I(e[0]) + \', "time": "\' + T(e[1]) + \'", "source": \' + S(e[2])',
        *(_piece(name, _INDEX[attr], always=True) for name, attr in always),
    ]
    if source == SOURCE_ICWS:
        pieces.append(f"(', \"is_delta\": true' if e[{_INDEX['flags']}] & {FLAG_DELTA} "
                      "else ', \"is_delta\": false')")  # fmt: skip
    pieces += [_piece(name, _INDEX[attr], always=False) for name, attr in when_set]
    pieces.append(f"', \"severity\": \"' + V[e[{_INDEX['severity']}]] + '\"'")
    flags = _INDEX["flags"]
    pieces.append(f"(', \"flags\": ' + G(e[{flags}]) if e[{flags}] else '') + '}}'")
    code = "def line(e):\n    return (\n        " + "\n        + ".join(pieces) + "\n    )\n"
    scope: dict[str, Any] = {
        "S": encode_basestring, "I": int.__repr__, "F": float.__repr__, "R": round,
        "T": iso_ms, "V": SEVERITY_NAMES, "G": _flags,
    }  # fmt: skip
    exec(compile(code, f"<jsonl line: {source}>", "exec"), scope)
    line: Callable[[FeedEvent], str] = scope["line"]
    return line


_WCS_LINE = _compile("wcs")
_ICWS_LINE = _compile(SOURCE_ICWS)


def event_line(event: FeedEvent) -> str:
    """``json.dumps(event_to_json(event), ensure_ascii=False)``, the same text, faster."""
    latency = event[_LATENCY]
    if type(latency) is float and latency < math.inf:
        try:
            return (_ICWS_LINE if event[2] == SOURCE_ICWS else _WCS_LINE)(event)
        except (TypeError, IndexError):  # a value of a type the console does not write
            pass
    return json.dumps(event_to_json(event), ensure_ascii=False)
