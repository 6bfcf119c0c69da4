"""The layout of WCS's ``flashphoner.log``, both ways: reading a line's header, and writing
the records a simulator (or a benchmark) puts in such a log.

Every log line starts with its time, level, logger and a ``-``::

    13:39:39,893 INFO            RestClient - API-ASYNC-pool-13-thread-3 SEND REST OBJECT ==>
    URL:http://localhost:8081/apps/EchoApp/StreamStatusEvent
    OBJECT:
    {
      "nodeId" : "...",
      ...
    }

Lines that do not start that way continue the line before them (a URL, a pretty-printed JSON
object, a Java stack trace). The REST client's lines are what the import reads: a ``SEND`` (a
hook WCS posts), a ``RECEIVED`` (the answer it got) and ``Got exception in REST`` (a hook that
got no usable answer). Their message starts with the name of the thread that sent the hook.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any, Final

HEADER: Final = re.compile(
    r"(?:(?P<date>\d{4}-\d{2}-\d{2})[ T])?"
    r"(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})[,.](?P<ms>\d{3})\s+"
    r"(?P<level>[A-Z]+)\s+(?P<logger>\S+)\s+-\s?(?P<message>.*)"
)
"""A log line's header: an optional date (some layouts print one), the time with comma
milliseconds, the level, the logger (right-aligned in 20 columns), then the message."""

REST_MESSAGE: Final = re.compile(r"(?P<thread>\S+) (?P<direction>SEND|RECEIVED) REST OBJECT\b")
REST_FAILURE: Final = re.compile(r"(?P<thread>\S+) Got exception in REST\b\s*(?P<text>.*)")
HTTP_STATUS_IN_FAILURE: Final = re.compile(r"(?:Http\w*Exception|HTTP)\W+([1-5]\d\d)\b")
"""An exception that names the HTTP status it carries (``HttpClientErrorException: 403
Forbidden``): the status the backend answered."""

SEND: Final = "SEND"
RECEIVED: Final = "RECEIVED"
REST_LOGGER: Final = "RestClient"
URL_PREFIX: Final = "URL:"
OBJECT_PREFIX: Final = "OBJECT:"


def seconds_of_day(match: re.Match[str]) -> float:
    """The header's time as seconds since midnight, to the millisecond."""
    return (
        int(match["h"]) * 3600 + int(match["m"]) * 60 + int(match["s"]) + int(match["ms"]) / 1000.0
    )


def explicit_date(match: re.Match[str]) -> date | None:
    """The date the header prints, if its layout prints one (and it is a real date)."""
    text = match["date"]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def pretty_json(value: Any) -> str:
    """An object as WCS's REST client prints it: two-space indents, ``" : "`` between a key and
    its value."""
    return json.dumps(value, indent=2, separators=(",", " : "), ensure_ascii=False)


def header(when: datetime, level: str, logger: str, message: str) -> str:
    """One log line's header and message (no newline)."""
    stamp = f"{when:%H:%M:%S},{when.microsecond // 1000:03d}"
    return f"{stamp} {level:<5} {logger:>20} - {message}"


def rest_record(when: datetime, thread: str, direction: str, url: str, body: str) -> str:
    """A SEND or RECEIVED record with its URL and object (lines ending in newlines)."""
    arrow = "==>" if direction == SEND else "<=="
    first = header(when, "INFO", REST_LOGGER, f"{thread} {direction} REST OBJECT {arrow}")
    return f"{first}\n{URL_PREFIX}{url}\n{OBJECT_PREFIX}\n{body}\n"


def rest_failure(when: datetime, thread: str, text: str) -> str:
    """A ``Got exception in REST`` line (ending in a newline)."""
    return header(when, "ERROR", REST_LOGGER, f"{thread} Got exception in REST {text}") + "\n"
