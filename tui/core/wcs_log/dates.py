"""Which day a log line belongs to: ``flashphoner.log`` prints times of day, not dates.

A file's first line gets a date from outside (``--date``, the file's name, or its last change),
and every later line is on the same day until the time goes back by more than
:data:`ROLLBACK_S`: then it is the next day. Smaller steps back are lines of different threads
written slightly out of order (or the hour a clock repeats when summer time ends), not a new day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final

ROLLBACK_S: Final = 3600.0
"""A time earlier than the one before it by more than this starts the next day."""

_DATE_IN_NAME: Final = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def date_in_name(name: str) -> date | None:
    """The date a rotated log's name carries (``flashphoner.log.2026-11-30``,
    ``flashphoner.log.2026-11-30-13.gz``), if it carries a real one."""
    for match in _DATE_IN_NAME.finditer(name):
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


class DayClock:
    """Turns a file's times of day into times (epoch seconds), counting midnights as it goes."""

    def __init__(self, start: date, tz: tzinfo | None) -> None:
        """``tz``: the zone the times are in (None: this machine's local time)."""
        self.day = start
        self.tz = tz
        self.last: float | None = None
        self.rollovers = 0

    def observe(self, seconds: float, on: date | None = None) -> None:
        """Move the clock to this line's time (``on``: the date the line itself prints)."""
        if on is not None:
            self.day = on
        elif self.last is not None and seconds < self.last - ROLLBACK_S:
            self.day += timedelta(days=1)
            self.rollovers += 1
        self.last = seconds

    def at(self, seconds: float) -> float:
        """The time (epoch seconds) of ``seconds`` after midnight on the clock's day."""
        whole = int(seconds)
        millis = round((seconds - whole) * 1000)
        local = datetime.combine(
            self.day,
            time(whole // 3600, whole // 60 % 60, whole % 60, millis * 1000),
            tzinfo=self.tz,
        )
        return local.timestamp()


def start_from_end(end: date, rollovers: int) -> date:
    """The first line's date of a file whose last line is on ``end`` and whose times pass
    midnight ``rollovers`` times (a file dated by when it was last written)."""
    return end - timedelta(days=rollovers)
