"""The filter's ``time:`` and ``latency:`` values: times of day, ISO times, durations.

``time:`` takes a time of day in the clock the console shows (UTC unless told otherwise) —
``06:00``, ``06:00:30``, ``06:00:30.250`` — or a full ISO time (``2026-03-14T06:00``, with
``Z`` or ``+02:00`` when it is in another zone; a bare date is that whole day):

- ``time:06:00`` that minute (a value means the span its precision names: a minute, a
  second, a day);
- ``time:>06:00``, ``>=``, ``<``, ``<=`` after or before that moment (a time of day on every
  day the feed holds);
- ``time:06:00-06:30`` from 06:00 up to 06:30, and ``time:A..B`` the same for ISO times; a
  time-of-day range that ends before it starts runs through midnight (``23:50-00:10``).

``latency:`` (also ``took:``) compares how long the answer took, in milliseconds unless a
unit says otherwise: ``latency:>100``, ``latency:>=1.5s``, ``latency:<500us``,
``latency:100-500``. Events without a timed answer never match.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo

Test = Callable[[float], bool]
DAY = 86_400.0

_TIME_OF_DAY = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?")
_OPS = (">=", "<=", ">", "<")


class TimeValueError(ValueError):
    """A ``time:`` or ``latency:`` value that cannot be read; the message says what works."""


def _split_op(value: str) -> tuple[str, str]:
    for op in _OPS:
        if value.startswith(op):
            return op, value[len(op) :]
    return "", value


def _compare(op: str, bound: float) -> Test:
    if op == ">":
        return lambda v: v > bound
    if op == ">=":
        return lambda v: v >= bound
    if op == "<":
        return lambda v: v < bound
    return lambda v: v <= bound


# -- time of day -------------------------------------------------------------------------------


def time_of_day(text: str) -> tuple[float, float] | None:
    """Seconds after midnight and the span the text's precision names; None if not HH:MM…."""
    match = _TIME_OF_DAY.fullmatch(text)
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    seconds = int(match.group(3) or 0)
    fraction = match.group(4)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise TimeValueError(f"time:{text} — not a time of day (00:00 to 23:59:59)")
    at = hours * 3600 + minutes * 60 + seconds + (float(fraction) if fraction else 0.0)
    span = 10.0 ** -(len(fraction) - 1) if fraction else 1.0 if match.group(3) else 60.0
    return at, span


class _DayClock:
    """Seconds after midnight of a timestamp in ``zone`` (None: the machine's own zone)."""

    def __init__(self, zone: tzinfo | None) -> None:
        self.zone = zone
        self.fixed = zone.utcoffset(None) if zone is not None else None
        self._offsets: dict[int, float] = {}

    def __call__(self, ts: float) -> float:
        if self.fixed is not None:
            return (ts + self.fixed.total_seconds()) % DAY
        bucket = int(ts // 900)  # offsets change on quarter hours at most
        offset = self._offsets.get(bucket)
        if offset is None:
            moment = datetime.fromtimestamp(ts, UTC).astimezone(self.zone)
            delta = moment.utcoffset() or timedelta(0)
            offset = self._offsets[bucket] = delta.total_seconds()
            if len(self._offsets) > 10_000:
                self._offsets.clear()
        return (ts + offset) % DAY


def _day_test(clock: _DayClock, inside: Callable[[float], bool]) -> Test:
    return lambda ts: inside(clock(ts))


# -- ISO times ---------------------------------------------------------------------------------


def _iso(text: str, zone: tzinfo | None) -> tuple[float, float] | None:
    """A full ISO time (or date) as a timestamp and the span its precision names."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", text):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TimeValueError(f"time:{text} — not an ISO time (2026-03-14T06:00)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone) if zone is not None else moment.astimezone()
    parts = re.split(r"[T ]", text, maxsplit=1)
    clock = re.split(r"[Z+-]", parts[1], maxsplit=1)[0] if len(parts) == 2 else ""
    if not clock:
        span = DAY
    elif "." in clock:
        span = 10.0 ** -len(clock.partition(".")[2])
    else:
        span = 60.0 if clock.count(":") == 1 else 1.0
    return moment.timestamp(), span


# -- the tests ---------------------------------------------------------------------------------


def time_test(value: str, zone: tzinfo | None = UTC) -> Test:
    """The test of an event's timestamp for ``time:value`` (see the module's docstring)."""
    op, rest = _split_op(value)
    clock = _DayClock(zone)
    if not op and ".." in rest:
        first, _, last = rest.partition("..")
        return _range(first, last, zone, clock, value)
    if not op and "-" in rest and _TIME_OF_DAY.fullmatch(rest.partition("-")[0]):
        first, _, last = rest.partition("-")
        return _range(first, last, zone, clock, value)
    day = time_of_day(rest)
    if day is not None:
        at, span = day
        if op:
            inside = _compare(op, at)
            return _day_test(clock, inside)
        return _day_test(clock, lambda t: at <= t < at + span)
    moment = _iso(rest, zone)
    if moment is None:
        raise TimeValueError(
            f"time:{value} — give a time of day (06:00, >06:00, 06:00-06:30) or an ISO time "
            "(2026-03-14T06:00, A..B)"
        )
    at, span = moment
    if op:
        return _compare(op, at)
    return lambda ts: at <= ts < at + span


def _range(first: str, last: str, zone: tzinfo | None, clock: _DayClock, value: str) -> Test:
    start, end = time_of_day(first), time_of_day(last)
    if start is not None and end is not None:
        a, b = start[0], end[0]
        if a <= b:
            return _day_test(clock, lambda t: a <= t < b)
        return _day_test(clock, lambda t: t >= a or t < b)  # through midnight
    begin, finish = _iso(first, zone), _iso(last, zone)
    if begin is None or finish is None:
        raise TimeValueError(
            f"time:{value} — a range is two times of day (06:00-06:30) or two ISO times "
            "(2026-03-14T06:00..2026-03-14T06:30)"
        )
    low, high = begin[0], finish[0]
    return lambda ts: low <= ts < high


# -- durations ---------------------------------------------------------------------------------

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|us|µs)?", re.IGNORECASE)
_UNIT_MS = {"ms": 1.0, "s": 1000.0, "us": 0.001, "µs": 0.001}


def _milliseconds(text: str, value: str) -> float:
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise TimeValueError(
            f"latency:{value} — give a comparison in ms (latency:>100, latency:>=1.5s, "
            "latency:<500us) or a range (latency:100-500)"
        )
    return float(match.group(1)) * _UNIT_MS[(match.group(2) or "ms").lower()]


def latency_test(value: str) -> Test:
    """The test of an event's reply time for ``latency:value``; unknown (< 0) never matches."""
    op, rest = _split_op(value)
    if op:
        inside = _compare(op, _milliseconds(rest, value))
        return lambda v: v >= 0 and inside(v)
    low_text, dash, high_text = rest.partition("-")
    if not dash:
        raise TimeValueError(
            f"latency:{value} — say more or less than what: latency:>100 (ms), latency:<=5, "
            "latency:100-500"
        )
    low, high = _milliseconds(low_text, value), _milliseconds(high_text, value)
    return lambda v: v >= 0 and low <= v < high
