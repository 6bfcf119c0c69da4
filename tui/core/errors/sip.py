"""SIP statuses and raw SIP messages (WCS ``sipMessageRaw``), with Reason/Warning headers.

WCS reports a SIP failure as ``info: "SIP 403 FORBIDDEN"`` and puts the response that caused it
in ``sipMessageRaw``. From either we give the code, the standard reason, its class, what it
means and what usually causes it; from the raw message also the Reason header (often a Q.850
cause from a gateway), Warning codes, Retry-After and who answered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tui.core.errors.catalog import Catalogs
from tui.core.errors.context import Context
from tui.core.errors.result import KNOWN, PLAUSIBLE, SHAPE, Decoded, Item, Tone, branch
from tui.core.sanitize import clean_line

STATUS_LINE = re.compile(r"SIP/2\.0[ \t]+(\d{3})(?:[ \t]+([^\n]*))?")
REQUEST_LINE = re.compile(r"([A-Z]{3,16})[ \t]+(\S{1,500})[ \t]+SIP/2\.0")
INFO_FORM = re.compile(r"(?i)sip[ \t]*[:#]?[ \t]*(\d{3})(?:[ \t]+([^\n]{0,200}))?")
COMPACT = {
    "v": "Via",
    "f": "From",
    "t": "To",
    "i": "Call-ID",
    "m": "Contact",
    "l": "Content-Length",
    "c": "Content-Type",
    "k": "Supported",
    "s": "Subject",
    "o": "Event",
    "r": "Refer-To",
    "b": "Referred-By",
    "x": "Session-Expires",
}
SHOWN_HEADERS = ("From", "To", "Call-ID", "CSeq", "Server", "User-Agent", "Contact")
MAX_HEADERS = 200
BUSY_CODES = (486, 600)


@dataclass(frozen=True)
class SipMessage:
    """The parts of a raw SIP message an operator needs."""

    status: int | None
    reason: str
    method: str
    uri: str
    headers: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str) -> list[str]:
        low = name.casefold()
        return [value for key, value in self.headers if key.casefold() == low]

    @property
    def cseq_method(self) -> str:
        values = self.header("CSeq")
        parts = values[0].split() if values else []
        return parts[1] if len(parts) > 1 else ""


def parse_message(text: str) -> SipMessage | None:
    """A SIP response or request; None when the first line is neither."""
    lines = text.lstrip().split("\n")
    first = lines[0].strip()
    status: int | None = None
    reason = method = uri = ""
    match = STATUS_LINE.fullmatch(first)
    if match:
        status, reason = int(match.group(1)), (match.group(2) or "").strip()
    else:
        request = REQUEST_LINE.fullmatch(first)
        if not request:
            return None
        method, uri = request.group(1), request.group(2)
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if not line.strip():
            break  # the body (SDP) starts after the blank line
        if line[:1] in " \t" and headers:  # a folded continuation line
            key, value = headers[-1]
            headers[-1] = (key, f"{value} {line.strip()}")
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key = key.strip()
        headers.append((COMPACT.get(key, key) if len(key) == 1 else key, value.strip()))
        if len(headers) >= MAX_HEADERS:
            break
    return SipMessage(status, reason, method, uri, headers)


def _split_outside_quotes(value: str, sep: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in value:
        if char == '"':
            quoted = not quoted
        if char == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse_reason_header(value: str) -> list[dict[str, Any]]:
    """``Q.850;cause=17;text="User busy"`` → [{protocol, cause, text}] (RFC 3326)."""
    out: list[dict[str, Any]] = []
    for entry in _split_outside_quotes(value, ",")[:10]:
        parts = _split_outside_quotes(entry, ";")
        if not parts:  # ``;`` alone: no protocol, no reason
            continue
        protocol, *params = parts
        record: dict[str, Any] = {"protocol": protocol, "cause": None, "text": ""}
        for param in params:
            key, _, val = param.partition("=")
            key = key.strip().casefold()
            if key == "cause" and val.strip().isdigit() and len(val.strip()) < 6:
                record["cause"] = int(val.strip())
            elif key == "text":
                record["text"] = val.strip().strip('"')
        out.append(record)
    return out


def reason_items(ctx: Context, value: str) -> tuple[list[Item], list[dict[str, Any]]]:
    items, records = [], []
    for record in parse_reason_header(value):
        cause, protocol = record["cause"], record["protocol"]
        if protocol.upper() == "Q.850" and cause is not None:
            name = ctx.catalogs.q850.get(cause, "not a known Q.850 cause")
            shown = f"Q.850 cause {cause}: {name}"
            record["meaning"] = name
        elif protocol.upper() == "SIP" and cause is not None:
            entry = ctx.catalogs.sip.get(cause)
            shown = f"SIP {cause} {entry.reason if entry else ''}".rstrip()
        else:
            shown = f"{protocol} cause {cause}"
        if record["text"]:
            shown += f" (text: {clean_line(record['text'], 120, say_cut=True)})"
        items.append(Item("Reason", shown, tone="warn"))
        records.append(record)
    return items, records


def _warning_items(ctx: Context, values: list[str]) -> list[Item]:
    items = []
    for value in values[:10]:
        code_text = value.split(" ", 1)[0]
        code = int(code_text) if code_text.isdigit() and len(code_text) == 3 else None
        meaning = ctx.catalogs.sip_warnings.get(code, "") if code else ""
        shown = clean_line(value, 200, say_cut=True) + (f" — {meaning}" if meaning else "")
        items.append(Item("Warning", shown, tone="warn"))
    return items


def sip_tone(code: int) -> Tone:
    return "good" if code < 300 else "info" if code < 400 else "bad"


def status_reason(catalogs: Catalogs, code: int) -> str:
    """A SIP status's standard reason (``Service Unavailable``); "" for an unregistered one."""
    entry = catalogs.sip.get(code) if 100 <= code <= 699 else None
    return entry.reason if entry else ""


def decode_status(
    ctx: Context,
    code: int,
    *,
    reason_text: str = "",
    message: SipMessage | None = None,
    confidence: int | None = None,
    source: str = "",
) -> Decoded | None:
    """One SIP status (and, when given, the raw message it came in)."""
    if not 100 <= code <= 699:
        return None
    entry = ctx.catalogs.sip.get(code)
    reason = status_reason(ctx.catalogs, code) or "(not a registered status)"
    items = [Item("status", f"{code} {reason}", tone=sip_tone(code))]
    if reason_text and reason_text.casefold() != reason.casefold():
        items.append(Item("reason as received", clean_line(reason_text, 200, say_cut=True)))
    klass = ctx.catalogs.sip_classes.get(code // 100, "")
    items.append(Item("class", f"{code // 100}xx {klass}"))
    if entry and entry.meaning:
        items.append(Item("meaning", entry.meaning))
    if entry and entry.causes:
        items.append(branch("common causes", [Item("•", c) for c in entry.causes]))
    if entry and entry.rfc:
        items.append(Item("defined in", entry.rfc, tone="muted"))
    if code >= 300:
        if code in BUSY_CODES:
            wcs = "WCS ends the call as BUSY"
        else:
            wcs = f"WCS ends the call as FAILED with info 'SIP {code} {reason.upper()}'"
        items.append(Item("in WCS", wcs, tone="muted"))
    fields: dict[str, Any] = {
        "code": code,
        "reason": reason,
        "reason_text": reason_text or None,
        "class": f"{code // 100}xx",
        "causes": list(entry.causes) if entry else [],
    }
    if source:
        items.append(Item("from", source, tone="muted"))
    if message is not None:
        items.extend(_message_items(ctx, message, fields))
    if confidence is None:
        confidence = KNOWN if entry else PLAUSIBLE
    meaning = f": {entry.meaning}" if entry and entry.meaning else ""
    summary = f"SIP {code} {reason}{meaning}"
    q850 = fields.get("q850") or []
    if q850 and q850[0].get("meaning"):
        summary += f" [Q.850 {q850[0]['cause']}: {q850[0]['meaning']}]"
    return Decoded("sip", summary, tuple(items), fields, confidence, sip_tone(code))


def _message_items(ctx: Context, message: SipMessage, fields: dict[str, Any]) -> list[Item]:
    items: list[Item] = []
    method = message.cseq_method
    if method:
        items.append(Item("in answer to", method, tone="code"))
        fields["cseq_method"] = method
        if fields.get("code") in (401, 407):
            items.append(
                Item(
                    "note",
                    "a first 401/407 is a normal digest challenge; only a repeated one after "
                    "credentials were sent means they are wrong",
                    tone="info",
                )
            )
    reasons: list[dict[str, Any]] = []
    for value in message.header("Reason"):
        more, records = reason_items(ctx, value)
        items.extend(more)
        reasons.extend(records)
    if reasons:
        fields["q850"] = [r for r in reasons if r["protocol"].upper() == "Q.850"]
        fields["reason_header"] = reasons
    items.extend(_warning_items(ctx, message.header("Warning")))
    for value in message.header("Retry-After")[:1]:
        items.append(Item("Retry-After", clean_line(value, 100, say_cut=True), tone="info"))
    shown = [
        Item(name, clean_line(value, 300, say_cut=True))
        for name, value in message.headers
        if name in SHOWN_HEADERS
    ]
    if shown:
        items.append(branch("message headers", shown, expanded=False))
    return items


def decode_message(ctx: Context, text: str, *, source: str = "") -> Decoded | None:
    """A raw SIP message (``SIP/2.0 503 …`` or a request such as a BYE with a Reason)."""
    message = parse_message(text)
    if message is None:
        return None
    if message.status is not None:
        return decode_status(
            ctx,
            message.status,
            reason_text=message.reason,
            message=message,
            confidence=SHAPE,
            source=source,
        )
    fields: dict[str, Any] = {"code": None, "reason": None, "method": message.method}
    items = [
        Item(
            "request", f"{message.method} {clean_line(message.uri, 200, say_cut=True)}", tone="code"
        )
    ]
    items.extend(_message_items(ctx, message, fields))
    summary = f"SIP {message.method} request (not a response)"
    q850 = fields.get("q850") or []
    if q850 and q850[0].get("meaning"):
        summary += f" with Q.850 cause {q850[0]['cause']}: {q850[0]['meaning']}"
    return Decoded("sip", summary, tuple(items), fields, SHAPE, "info")


def decode_info_form(ctx: Context, text: str) -> Decoded | None:
    """``SIP 486 BUSY HERE`` (WCS ``info``), ``sip 404``."""
    match = INFO_FORM.fullmatch(text.strip())
    if not match:
        return None
    return decode_status(
        ctx, int(match.group(1)), reason_text=(match.group(2) or "").strip(), confidence=SHAPE
    )


def decode_q850(ctx: Context, cause: int, text: str = "") -> Decoded | None:
    name = ctx.catalogs.q850.get(cause)
    if name is None and not 0 <= cause <= 127:
        return None
    shown = name or "not a known Q.850 cause (0-127)"
    items = [Item("cause", f"{cause}: {shown}", tone="bad" if cause not in (16, 31) else "good")]
    if text:
        items.append(Item("text", clean_line(text, 200, say_cut=True)))
    summary = f"Q.850 cause {cause}: {shown}"
    fields = {"cause": cause, "meaning": name}
    return Decoded("q850", summary, tuple(items), fields, SHAPE if name else PLAUSIBLE)
