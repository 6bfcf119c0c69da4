"""ICWS wire details shared by the normaliser, the state model, the client and the simulator.

Pure decoding, no I/O: message batches from the messaging channel, error bodies, compact
dates (``20210706T193229Z``), the ``Eic_State`` letters, statistic values, enum names.
Facts and how each is known: docs/protocols.md §2 (sections noted beside each table).
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tui.core.sanitize import clean_line, text_of

URN_PREFIX = "urn:inin.com:"
MAX_BATCH_BYTES = 16 * 1024 * 1024  # a messaging-channel answer larger than this is refused

# Message __type values the console decodes (docs/protocols.md §2.9).
T_QUEUE_CONTENTS = "urn:inin.com:queues:queueContentsMessage"
T_QUEUE_SUBSCRIPTION_STATE = "urn:inin.com:queues:queueSubscriptionStateMessage"
T_SUBSCRIPTION_STATE = "urn:inin.com:messaging:subscriptionStateMessage"
T_USER_STATUS = "urn:inin.com:status:userStatusMessage"
T_STATUS_MESSAGES = "urn:inin.com:status:statusMessagesMessage"
T_STATISTIC_VALUE = "urn:inin.com:statistics:statisticValueMessage"
T_ALERT_NOTIFICATION = "urn:inin.com:alerts:alertNotificationMessage"
T_CONNECTION_STATE = "urn:inin.com:connection:connectionStateChangeMessage"
T_ASYNC_COMPLETED = "urn:inin.com:messaging:asyncOperationCompletedMessage"
T_INTERACTION_CHANGED = "urn:inin.com:interactions:interactionChangedMessage"
T_ERROR = "urn:inin.com:common:error"

# Eic_State (docs/protocols.md §2.10): a letter, or on older servers the enum number.
EIC_STATE_NAMES: dict[str, str] = {
    "A": "Alerting",
    "C": "Connected",
    "H": "Held",
    "M": "Messaging",
    "O": "Offering",
    "P": "Parked",
    "R": "Proceeding",
    "X": "Suspended",
    "S": "System",
    "I": "Disconnected",  # internally
    "E": "Disconnected",  # externally
}
_EIC_STATE_NUMBERS = "ACHMOPRXSIE"
WAITING_STATES = frozenset("OAR")  # not yet answered: offering, alerting, proceeding

CONNECTION_STATES = ("none", "up", "down")  # connection:connectionState
SUBSCRIPTION_STATES = ("none", "normal", "suspended", "faulted")  # messaging:subscriptionState


def short_type(type_urn: str) -> str:
    """``urn:inin.com:queues:queueContentsMessage`` → ``queues:queueContentsMessage``."""
    return type_urn[len(URN_PREFIX) :] if type_urn.startswith(URN_PREFIX) else type_urn


def kind_of(type_urn: str) -> str:
    """The message class the feed filters on: ``queueContents``, ``userStatus``, …"""
    name = type_urn.rsplit(":", 1)[-1]
    return name[: -len("Message")] if name.endswith("Message") and len(name) > 7 else name


def decode_eic_state(value: object) -> tuple[str, str]:
    """(letter, name) for an ``Eic_State`` value: ``"A"`` → ``("A", "Alerting")``.

    Older servers send the enum number (``"0"`` is Alerting). An empty value is "not set";
    anything else is shown as unknown rather than guessed.
    """
    if not isinstance(value, str):
        return "", ""
    text = value.strip()
    if not text:
        return "", ""
    letter = text.upper()
    if letter in EIC_STATE_NAMES:
        return letter, EIC_STATE_NAMES[letter]
    if text.isdigit() and int(text) < len(_EIC_STATE_NUMBERS):
        letter = _EIC_STATE_NUMBERS[int(text)]
        return letter, EIC_STATE_NAMES[letter]
    return "?", f"unknown state {clean_line(text, 20)!r}"


_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,9}))?Z$")
_EXTENDED = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$"
)


def parse_icws_time(value: object) -> float | None:
    """A POSIX timestamp from an ICWS date, or None when it is not one.

    The wire uses ISO 8601 basic (``20210706T193229Z``, optional fraction); the SDK also
    accepts the extended form (``2021-07-06T19:32:29.5Z``, offsets allowed).
    """
    if not isinstance(value, str) or len(value) > 40:
        return None
    match = _COMPACT.match(value)
    offset = 0
    if match is None:
        match = _EXTENDED.match(value)
        if match is None:
            return None
        zone = match.group(8)
        if zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    fraction = match.group(7)
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59 and second <= 60):
        return None
    try:
        stamp = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    except (OverflowError, ValueError):  # pragma: no cover - ranges checked above
        return None
    if fraction:
        stamp += int(fraction) / 10 ** len(fraction)
    return float(stamp - offset)


def format_icws_time(stamp: float) -> str:
    """A POSIX time in the wire's compact form (``20210706T193229Z``)."""
    import time

    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(stamp))


@dataclass(frozen=True, slots=True)
class MessageBatch:
    """What one messaging-channel answer held: messages, or why it could not be read."""

    messages: list[Any] = field(default_factory=list)
    problem: str = ""


def parse_message_batch(body: bytes) -> MessageBatch:
    """Decode a ``GET …/messaging/messages`` body (or one SSE ``data`` payload).

    An empty body counts as no messages (a known ICWS quirk: 200, JSON content type, nothing
    in it), as does ``{}``. A JSON array gives its items as they are (the normaliser explains
    the ones that are not messages); a single object with a ``__type`` is one message.
    """
    if len(body) > MAX_BATCH_BYTES:
        return MessageBatch(
            problem=f"answer of {len(body):,} bytes is over the {MAX_BATCH_BYTES:,} limit"
        )
    if not body.strip():
        return MessageBatch()
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return MessageBatch(problem=f"not JSON: {clean_line(str(exc), 120)}")
    except RecursionError:
        return MessageBatch(problem="not usable JSON: nested too deeply")
    if isinstance(data, list):
        return MessageBatch(messages=data)
    if isinstance(data, dict):
        if not data:
            return MessageBatch()
        return MessageBatch(messages=[data])
    return MessageBatch(problem=f"expected a JSON array of messages, got {type(data).__name__}")


@dataclass(frozen=True, slots=True)
class ErrorBody:
    """An ICWS error representation (``urn:inin.com:common:error`` and derived types)."""

    error_id: str = ""
    message: str = ""
    error_code: int | None = None
    alternate_hosts: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [p for p in (self.message, self.error_id) if p]
        if self.error_code is not None:
            parts.append(f"errorCode {self.error_code}")
        return " · ".join(parts)


def parse_error_body(body: bytes) -> ErrorBody:
    """Read ``errorId``, ``message``, ``errorCode`` and ``alternateHostList`` if they are there.

    Old servers omit ``errorId`` (docs/protocols.md §2.11); a body that is not JSON gives an
    empty ErrorBody and the caller falls back to the HTTP status.
    """
    if not body or len(body) > 1_048_576:
        return ErrorBody()
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return ErrorBody()
    if not isinstance(data, dict):
        return ErrorBody()
    code = data.get("errorCode")
    hosts = data.get("alternateHostList")
    return ErrorBody(
        error_id=text_of(data.get("errorId"), 160),
        message=text_of(data.get("message"), 300),
        error_code=code if isinstance(code, int) and not isinstance(code, bool) else None,
        alternate_hosts=tuple(clean_line(h, 255) for h in hosts if isinstance(h, str) and h.strip())
        if isinstance(hosts, list)
        else (),
    )


def casefolded(attributes: object) -> dict[str, str]:
    """Interaction attributes keyed by case-folded name (names are case-insensitive)."""
    if not isinstance(attributes, Mapping):
        return {}
    return {
        str(name).casefold(): value if isinstance(value, str) else text_of(value, 200)
        for name, value in attributes.items()
    }


def format_seconds(seconds: float) -> str:
    """``75`` → ``1m15s``; ``3725`` → ``1h02m``. Negative or absurd values show as ``-``."""
    if not 0 <= seconds < 10**9:
        return "-"
    whole = int(seconds)
    if whole < 60:
        return f"{seconds:.1f}s" if seconds < 10 and seconds != whole else f"{whole}s"
    minutes, sec = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{sec:02d}s"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h{minutes:02d}m"
    return f"{hours // 24}d{hours % 24:02d}h"


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def format_statistic_value(value: object) -> tuple[str, bool]:
    """(display text, is_error) for a ``statisticValue`` object (docs/protocols.md §2.9)."""
    if value is None:
        return "-", False
    if not isinstance(value, Mapping):
        return text_of(value, 60), True
    type_name = str(value.get("__type", ""))
    kind = type_name.rsplit(":", 1)[-1]
    raw = value.get("value")
    number = _number(raw)
    if kind == "statisticErrorValue" or value.get("statisticValueType") == 12:
        detail = value.get("errorValueType", value.get("value", ""))
        return f"error {text_of(detail, 40)}".strip(), True
    if kind == "statisticIntValue" and number is not None:
        return str(int(number)), False
    if kind == "statisticPercentValue" and number is not None:
        return f"{number:.1f}%", False
    if kind == "statisticDoubleValue" and number is not None:
        return f"{number:.2f}", False
    if kind in ("statisticDurationValue", "statisticTimeDurationValue") and number is not None:
        return format_seconds(number), False
    if kind == "statisticBoolValue" and isinstance(raw, bool):
        return ("true" if raw else "false"), False
    if kind == "statisticTimeStampValue":
        stamp = parse_icws_time(raw)
        return (text_of(raw, 40) if stamp is None else format_icws_time(stamp)), False
    if kind == "statisticFiniteDurationValue":
        stopped = _number(value.get("stoppedTimeSpan"))
        ticking = value.get("ticking") is True
        if ticking:
            return "ticking", False
        return (format_seconds(stopped) if stopped is not None else "-"), False
    if raw is None:
        return "-", False
    return text_of(raw, 60), False


def statistic_key_text(key: object) -> tuple[str, list[tuple[str, str]]]:
    """(statisticIdentifier, [(parameterTypeId, value)]) from a ``statisticKey``, cleaned."""
    if not isinstance(key, Mapping):
        return "", []
    identifier = text_of(key.get("statisticIdentifier"), 120)
    items = key.get("parameterValueItems")
    params: list[tuple[str, str]] = []
    if isinstance(items, list):
        for item in items:
            if isinstance(item, Mapping):
                params.append(
                    (text_of(item.get("parameterTypeId"), 80), text_of(item.get("value"), 80))
                )
    return identifier, params


def parameter_value(params: list[tuple[str, str]], suffix: str) -> str:
    """The value of the parameter whose type id ends with ``suffix`` (``:Workgroup``…)."""
    folded = suffix.casefold()
    for type_id, value in params:
        if type_id.casefold().endswith(folded):
            return value
    return ""
