"""FeedEvent: one row of the live feed, whatever system it came from.

A FeedEvent is a named tuple of atomic values (str, int, float). Stores keep it as a *plain*
tuple (:func:`as_row`): CPython stops tracking exact tuples of atomic values in the garbage
collector, but never a tuple subclass, and a million tracked rows would make every full
collection walk them all. Repeated strings (method, status, node…) are shared through
:class:`StringPool`. The raw body never lives here; it goes to the journal, keyed by ``seq``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

# Where an event came from.
SOURCE_WCS = "wcs"
SOURCE_ICWS = "icws"
SOURCE_CONSOLE = "console"  # the console's own errors: bad hooks, upstream down, lost sessions

# Severity, for colour and for the errors-seen counts.
SEV_OK = 0
SEV_NOTICE = 1
SEV_WARNING = 2
SEV_ERROR = 3
SEVERITY_NAMES = ("ok", "notice", "warning", "error")

# Flag bits.
FLAG_DUPLICATE = 1  # the same hook again (a WCS retry)
FLAG_DELTA = 2  # ICWS: isDelta was true
FLAG_TAP = 4  # answered by the upstream backend (tap mode)
FLAG_FALLBACK = 8  # tap mode: upstream failed, the configured fallback answered
FLAG_AUTH_FAILED = 16  # hook signature did not match


class FeedEvent(NamedTuple):
    """One event in the feed. Empty string / 0 mean "not present"; ``latency_ms`` < 0 unknown."""

    seq: int
    ts: float
    source: str
    kind: str  # WCS method type (connect|direct|event|incoming|unknown); ICWS message class
    node: str  # WCS nodeId; ICWS server name
    app: str  # WCS app (path or appKey); ICWS subscription id
    method: str  # WCS method; ICWS __type without its urn prefix
    session: str  # WCS sessionId; ICWS: the interaction's link key (icws link_attribute)
    call: str  # WCS callId; ICWS interaction id
    stream: str  # WCS stream name
    media: str  # WCS mediaSessionId
    status: str
    info: str
    sip_status: int
    caller: str
    callee: str
    queue: str  # ICWS queue
    user: str  # ICWS user id
    error_id: str  # ICWS errorId (or another system's error code)
    reply_status: int  # the HTTP status we (or the upstream) answered; 0 when not an HTTP hook
    latency_ms: float
    rule: str  # which policy rule decided, or why the console answered as it did
    severity: int
    flags: int = 0
    parent: str = ""  # WCS parentCallId: the A-leg of a B-leg (a transfer, a forked call)

    @property
    def is_error(self) -> bool:
        return self.severity >= SEV_ERROR

    def to_json(self) -> dict[str, Any]:
        """The headless (``noc-console tail``) form of this event."""
        return event_to_json(self)


Row = tuple[Any, ...]


def as_row(event: FeedEvent) -> Row:
    """The plain-tuple form a store keeps (untracked by the GC once it has been seen young)."""
    return tuple(event)


def from_row(row: Row) -> FeedEvent:
    return FeedEvent._make(row)


def blank_event(**fields: Any) -> FeedEvent:
    """A FeedEvent with every field empty except those given (for normalisers and tests)."""
    return FeedEvent(**{**BLANK_FIELDS, **fields})


BLANK_FIELDS: dict[str, Any] = {
    "seq": 0,
    "ts": 0.0,
    "source": "",
    "kind": "",
    "node": "",
    "app": "",
    "method": "",
    "session": "",
    "call": "",
    "stream": "",
    "media": "",
    "status": "",
    "info": "",
    "sip_status": 0,
    "caller": "",
    "callee": "",
    "queue": "",
    "user": "",
    "error_id": "",
    "reply_status": 0,
    "latency_ms": -1.0,
    "rule": "",
    "severity": SEV_OK,
    "flags": 0,
    "parent": "",
}


def iso_time(ts: float) -> str:
    """An event time as ISO 8601 in UTC with milliseconds (what the headless forms print)."""
    return _fromtimestamp(ts, UTC).isoformat(timespec="milliseconds")


_fromtimestamp = datetime.fromtimestamp  # looked up once: exports call this per event


# The JSON name of each field, per source. ``always`` names are printed as null when empty (a
# script can rely on the key); ``when_set`` names only when they have a value. Every FeedEvent
# field but ``severity`` and ``flags`` (printed by name, below) is in one of the two: a test
# keeps it so, so nothing the feed shows is missing from ``tail --jsonl``.
_WCS_ALWAYS = (
    ("node", "node"),
    ("app", "app"),
    ("method", "method"),
    ("type", "kind"),
    ("session", "session"),  # WCS sessionId
    ("call", "call"),  # WCS callId
    ("stream", "stream"),  # WCS stream name
    ("media_session", "media"),  # WCS mediaSessionId: what WCS's REST API acts on a stream by
    ("status", "status"),
    ("info", "info"),
    ("sip_status", "sip_status"),
    ("reply_status", "reply_status"),
    ("latency_ms", "latency_ms"),
)
_WCS_WHEN_SET = (
    ("parent_call", "parent"),  # WCS parentCallId
    ("rule", "rule"),
    ("caller", "caller"),
    ("callee", "callee"),
    ("queue", "queue"),
    ("user", "user"),
    ("error_id", "error_id"),
)
_ICWS_ALWAYS = (
    ("server", "node"),
    ("type", "method"),
    ("class", "kind"),
    ("subscription", "app"),
    ("interaction", "call"),
    ("queue", "queue"),
    ("user", "user"),
    ("status", "status"),
    ("info", "info"),
    ("error_id", "error_id"),
)
_ICWS_WHEN_SET = (
    ("link_key", "session"),
    ("parent_call", "parent"),
    ("caller", "caller"),
    ("callee", "callee"),
    ("stream", "stream"),
    ("media_session", "media"),
    ("sip_status", "sip_status"),
    ("reply_status", "reply_status"),
    ("latency_ms", "latency_ms"),
    ("rule", "rule"),
)


_INDEX = {name: index for index, name in enumerate(FeedEvent._fields)}
_LATENCY = _INDEX["latency_ms"]


def _plan(names: tuple[tuple[str, str], ...]) -> tuple[tuple[str, int], ...]:
    """(JSON name, index in the event) of each field: an export reads a million events by
    index rather than by attribute name."""
    return tuple((name, _INDEX[attr]) for name, attr in names)


_WCS_PLAN = (_plan(_WCS_ALWAYS), _plan(_WCS_WHEN_SET))
_ICWS_PLAN = (_plan(_ICWS_ALWAYS), _plan(_ICWS_WHEN_SET))


def event_to_json(event: FeedEvent) -> dict[str, Any]:
    """The headless (``noc-console tail``) form: WCS and ICWS each have their own field names.

    Empty text and zero numbers are null; the latency is rounded to the microsecond, and null
    when unknown (below zero)."""
    icws = event.source == SOURCE_ICWS
    always, when_set = _ICWS_PLAN if icws else _WCS_PLAN
    out: dict[str, Any] = {"seq": event.seq, "time": iso_time(event.ts), "source": event.source}
    for name, index in always:
        value: Any = event[index]
        if index == _LATENCY:
            out[name] = round(value, 3) if value >= 0 else None
        else:
            out[name] = value or None
    if icws:
        out["is_delta"] = bool(event.flags & FLAG_DELTA)
    for name, index in when_set:
        value = event[index]
        if index == _LATENCY:
            if value >= 0:
                out[name] = round(value, 3)
        elif value:
            out[name] = value
    out["severity"] = SEVERITY_NAMES[event.severity]
    if event.flags:
        out["flags"] = [name for bit, name in _FLAG_NAMES if event.flags & bit]
    return out


_FLAG_NAMES = (
    (FLAG_DUPLICATE, "duplicate"),
    (FLAG_DELTA, "delta"),
    (FLAG_TAP, "tap"),
    (FLAG_FALLBACK, "fallback"),
    (FLAG_AUTH_FAILED, "auth-failed"),
)


def json_names(source: str) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """(JSON name, FeedEvent field) of the fields :func:`event_to_json` prints for an event of
    ``source``: those printed always (null when empty), and those only when set (seq, time,
    source, severity, flags and ICWS's is_delta aside)."""
    if source == SOURCE_ICWS:
        return _ICWS_ALWAYS, _ICWS_WHEN_SET
    return _WCS_ALWAYS, _WCS_WHEN_SET


def flag_names() -> tuple[tuple[int, str], ...]:
    """(bit, name) of each flag, as :func:`event_to_json` names them."""
    return _FLAG_NAMES


class StringPool:
    """Shares equal strings between events (method names, statuses, node ids, session ids).

    Bounded: when full it starts afresh, so unique values (call ids) cannot grow it forever.
    """

    def __init__(self, limit: int = 50_000) -> None:
        self._pool: dict[str, str] = {}
        self._limit = limit

    def __call__(self, value: str) -> str:
        found = self._pool.get(value)
        if found is not None:
            return found
        if len(self._pool) >= self._limit:
            self._pool.clear()
        self._pool[value] = value
        return value


class EventSink(Protocol):
    """Where sources hand their events: the store assigns ``seq`` and journals the raw body."""

    def publish(self, event: FeedEvent, raw: bytes = b"", reply: bytes = b"") -> FeedEvent: ...


Publish = Callable[[FeedEvent, bytes, bytes], FeedEvent]
