"""Where a console reading a stream starts: ``--since 15m``, ``2h``, ``13:40``,
``2026-11-30 13:40``, ``start`` or ``now``.

A bare duration means that long ago. A time of day is today's in the console's clock (UTC or
local), or yesterday's when today's is still to come: an operator who types ``23:50`` just
after midnight means the evening before.
"""

from __future__ import annotations

import math
import re

from tui.core.problems import UsageError
from tui.core.query_time import TimeValueError, time_of_day
from tui.core.replay.target import SeekError, seek_target

HELP = "a duration ago (15m, 2h, 1d), HH:MM[:SS], YYYY-MM-DD HH:MM, start or now"
_AGO = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h|d)$")
_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86_400.0}
DAY_S = 86_400.0


def since_time(text: str, *, now: float, utc: bool = True) -> float:
    """The epoch time ``text`` names; ``-inf`` for the stream's start, ``inf`` for now on."""
    wanted = text.strip().lower()
    if wanted in {"start", "all", "beginning"}:
        return -math.inf
    if wanted in {"now", "live", "new"}:
        return math.inf
    if ago := _AGO.match(wanted):
        return now - float(ago.group(1)) * _UNITS[ago.group(2)]
    try:
        moment = seek_target(wanted, current=now, start=now - DAY_S, end=now, utc=utc)
    except SeekError as exc:
        raise UsageError(f"--since {text}: {exc}; use {HELP}") from None
    if not math.isfinite(moment):
        return moment
    try:
        plain_time = time_of_day(wanted) is not None
    except TimeValueError:
        plain_time = False
    if plain_time and moment > now:
        moment -= DAY_S
    return moment
