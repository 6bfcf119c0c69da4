"""Flashphoner WCS REST hooks: method catalogue and the body → FeedEvent normaliser.

WCS POSTs ``<app URL>/<method>`` with a JSON object. Every field is optional and builds differ
(``sessionId`` changed format; 2022 builds added codec fields), so the normaliser reads what is
there, coerces types, and never raises on a well-formed JSON object. Every text field of the
event is one clean line: a printable string is taken as it is (the fast path, nearly every
field of every hook), anything else goes through :func:`tui.core.sanitize.clean_line`.
"""

from __future__ import annotations

import re
from typing import Any, Final

from tui.core.feed import (
    SEV_ERROR,
    SEV_NOTICE,
    SEV_OK,
    SEV_WARNING,
    SOURCE_WCS,
    FeedEvent,
    StringPool,
)
from tui.core.sanitize import clean_line

CONNECT: Final = "connect"
DIRECT: Final = "direct"
EVENT: Final = "event"
INCOMING: Final = "incoming"
UNKNOWN: Final = "unknown"

# Direct invocations the backend may usefully refuse with 403 (docs/protocols.md §1.2).
REFUSABLE_DIRECT = frozenset(
    {
        "call", "answer", "hold", "unhold", "transfer", "sendDTMF", "sendDtmf", "sendMessage",
        "sendIMDN", "subscribe", "sendXcapRequest", "publishStream", "playStream", "playHLS",
        "playRTSP", "OnDataEvent", "sendBugReport", "submitBugReport",
    }
)  # fmt: skip
# Refusable, "but not useful".
OTHER_DIRECT = frozenset(
    {"hangup", "unPublishStream", "stopStream", "pauseStream", "snapshot", "pushLogs",
     "sessionDebug", "availableStream", "sendStreamEvent"}
)  # fmt: skip
EVENTS = frozenset(
    {
        "ConnectionStatusEvent", "RegistrationStatusEvent", "CallStatusEvent",
        "TransferStatusEvent", "MessageStatusEvent", "SubscriptionStatusEvent", "XcapStatusEvent",
        "StreamStatusEvent", "DataStatusEvent", "BugReportStatusEvent", "StreamKeepAliveEvent",
        "StreamEvent", "ErrorStatusEvent", "SessionDebugStatusEvent", "RecordingStatusEvent",
        "StreamsStatEvent", "StreamTranscodingGroupEvent",
    }
)  # fmt: skip
INCOMING_METHODS = frozenset({"OnCallEvent", "OnMessageEvent", "OnTransferEvent"})


def method_type(method: str) -> str:
    """connect | direct | event | incoming | unknown (method names are case-sensitive)."""
    if method == CONNECT:
        return CONNECT
    if method in INCOMING_METHODS:
        return INCOMING
    if method in REFUSABLE_DIRECT or method in OTHER_DIRECT:
        return DIRECT
    if method in EVENTS:
        return EVENT
    return UNKNOWN


def split_path(path: str) -> tuple[str, str]:
    """``/apps/EchoApp/StreamStatusEvent`` → (``/apps/EchoApp``, ``StreamStatusEvent``).

    The last segment is the method; what precedes it names the app (``/`` for a bare URL).
    """
    trimmed = path.rstrip("/")
    app, _, method = trimmed.rpartition("/")
    return (app or "/"), method


_SIP_IN_INFO = re.compile(r"\bSIP\s+([1-6]\d\d)\b")
_SIP_STATUS_LINE = re.compile(r"^SIP/2\.0\s+([1-6]\d\d)\b")
_FAILING = frozenset({"FAILED", "AUTHENTICATION_FAIL", "IMDN_FAILED", "IMDN_ERROR"})
_WARNING = frozenset({"BUSY", "IMDN_FORBIDDEN", "UNREGISTERED"})
_NOTICE = frozenset({"DISCONNECTED", "STOPPED", "UNPUBLISHED", "FINISH", "PLAYBACK_PROBLEM"})


def _text(payload: dict[str, Any], key: str, pool: StringPool | None = None) -> str:
    value = payload.get(key)
    if value.__class__ is str:  # the common case, kept fast: a short, printable string
        if len(value) <= 200 and value.isprintable():
            return pool(value) if pool is not None else value
        text = value
    elif value is None or isinstance(value, (dict, list)):
        return ""
    else:
        text = str(value)
    text = clean_line(text, 200)  # any unsafe character replaced (tui.core.sanitize)
    return pool(text) if pool is not None else text


def sip_status_of(payload: dict[str, Any]) -> int:
    """The SIP code: ``sipStatus``, else ``SIP nnn`` in ``info``, else the SIP status line."""
    value = payload.get("sipStatus")
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 699:
        return value
    if isinstance(value, str) and value.isdigit() and 100 <= int(value) <= 699:
        return int(value)
    info = payload.get("info")
    if isinstance(info, str) and (match := _SIP_IN_INFO.search(info)):
        return int(match.group(1))
    raw = payload.get("sipMessageRaw")
    if isinstance(raw, str) and (match := _SIP_STATUS_LINE.match(raw.lstrip())):
        return int(match.group(1))
    return 0


def severity_of(method: str, kind: str, status: str, info: str, sip: int, reply: int) -> int:
    """How loudly the feed shows an event (colours come from the theme)."""
    if method == "ErrorStatusEvent" or status in _FAILING or reply >= 500:
        return SEV_ERROR
    if sip >= 400 and status != "BUSY" and sip not in (486, 600):
        return SEV_ERROR
    if status in _WARNING or reply >= 400 or sip in (486, 600):
        return SEV_WARNING
    if info.startswith("Failed"):
        return SEV_ERROR
    if status in _NOTICE or kind == UNKNOWN or (reply and reply != 200):
        return SEV_NOTICE
    return SEV_OK


def normalise(
    app_path: str,
    method: str,
    payload: dict[str, Any],
    *,
    ts: float,
    reply_status: int = 0,
    latency_ms: float = -1.0,
    rule: str = "",
    flags: int = 0,
    pool: StringPool | None = None,
) -> FeedEvent:
    """A hook body (already parsed to a dict) as a FeedEvent with ``seq`` 0."""
    share = pool if pool is not None else _SHARED
    kind = method_type(method)
    status = _text(payload, "status", share)
    info = _text(payload, "info", share)
    sip = sip_status_of(payload)
    app = _text(payload, "appKey", share) or share(clean_line(app_path))
    stream = _text(payload, "name", share) if "Stream" in method or "stream" in method else ""
    return FeedEvent(
        seq=0,
        ts=ts,
        source=SOURCE_WCS,
        kind=kind,
        node=_text(payload, "nodeId", share),
        app=app,
        method=share(clean_line(method)),
        session=_text(payload, "sessionId", share),
        call=_text(payload, "callId"),
        stream=stream,
        media=_text(payload, "mediaSessionId", share),
        status=status,
        info=info,
        sip_status=sip,
        caller=_text(payload, "caller", share),
        callee=_text(payload, "callee", share),
        queue="",
        user="",
        error_id="",
        reply_status=reply_status,
        latency_ms=latency_ms,
        rule=share(rule) if rule else "",
        severity=severity_of(method, kind, status, info, sip, reply_status),
        flags=flags,
        parent=_text(payload, "parentCallId"),  # a B-leg names its A-leg
    )


_SHARED = StringPool()
