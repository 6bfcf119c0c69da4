"""Where an operator asks a replay to go: ``13:40``, ``13:40:02.250``, ``2026-11-30 13:40``,
``+30s``, ``-5m``, ``50%``, ``start`` or ``end``.

A time of day is taken on the date of the replay's current position (or the journal's start),
in UTC or local time as the console shows times; a time earlier than the journal's start on
that date is read as the next day, where a journal that crosses midnight has it.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, time, timedelta, tzinfo

from tui.core.problems import UsageError
from tui.core.query_time import TimeValueError, time_of_day

_OFFSET = re.compile(r"^([+-])\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}

HELP = "HH:MM[:SS[.mmm]], YYYY-MM-DD HH:MM[:SS], +30s, -5m, 50%, start or end"


class SeekError(UsageError):
    """A target the replay cannot read."""


def seek_target(text: str, *, current: float, start: float, end: float, utc: bool = True) -> float:
    """The event time ``text`` names (-inf: the start, inf: the end)."""
    wanted = text.strip().lower()
    if not wanted:
        raise SeekError(f"say where to go: {HELP}")
    if wanted in {"start", "begin", "beginning", "0%"}:
        return -math.inf
    if wanted in {"end", "live", "100%"}:
        return math.inf
    if wanted.endswith("%"):
        try:
            share = float(wanted[:-1])
        except ValueError:
            raise SeekError(f"{text!r}: a share is like 50%") from None
        if not 0 <= share <= 100:
            raise SeekError(f"{text!r}: a share is between 0% and 100%")
        return start + (end - start) * share / 100.0
    if offset := _OFFSET.match(wanted):
        sign, amount, unit = offset.groups()
        shift = float(amount) * _UNITS[unit or "s"]
        return current + (shift if sign == "+" else -shift)
    zone: tzinfo = UTC if utc else (datetime.now().astimezone().tzinfo or UTC)
    wanted = wanted.removesuffix("z")
    try:
        moment = datetime.fromisoformat(wanted.replace(" ", "T"))
    except ValueError:
        moment = None
    if moment is not None and ("-" in wanted[:10]):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone)
        return moment.timestamp()
    try:  # the feed's time: filter reads times of day the same way
        of_day = time_of_day(wanted.replace(",", "."))
    except TimeValueError:
        raise SeekError(f"{text!r}: not a time of day") from None
    if of_day is None:
        raise SeekError(f"{text!r}: not a time; try {HELP}")
    anchor = datetime.fromtimestamp(current if current > 0 else start, zone)
    midnight = datetime.combine(anchor.date(), time(0), zone)
    moment = midnight + timedelta(seconds=of_day[0])
    if moment.timestamp() < start and (moment + timedelta(days=1)).timestamp() <= end:
        moment += timedelta(days=1)  # past midnight in a journal that crosses it
    return moment.timestamp()
