"""ICWS errors: an ``errorId`` hierarchy, its catalog entries and the operator's rules.

Input: a bare errorId, an error body (``errorId``, ``message``, ``errorCode``, ``__type``,
``propertyName``, ``alternateHostList``), or a message carrying an ``error`` object
(``subscriptionStateMessage``, ``asyncOperationCompletedMessage``). Servers older than CIC 4.0.6
send no errorId: then the errorCode and the HTTP status say what they can.
"""

from __future__ import annotations

import re
from typing import Any

from tui.core.errors.context import Context, hresult, parse_int
from tui.core.errors.entries import IcwsErrorId
from tui.core.errors.http import http_line
from tui.core.errors.result import KNOWN, PLAUSIBLE, SHAPE, Decoded, Item, Tone, branch
from tui.core.errors.rules import HandlingRule, hierarchy, matching_rules
from tui.core.sanitize import clean_line

ERROR_ID = re.compile(r"error(?:\.[A-Za-z0-9_-]{1,80}){0,16}")
CLIENT_SIDE_PREFIX = "com.inin.icws.error."
ICWS_URN = "urn:inin.com:"

STATUS_TEXT = {
    "verified": "verified — seen in real ICWS server answers",
    "level": "a level of verified errorIds (meaning read from its name)",
    "inferred": "inferred — fits the naming, never seen from a server",
    "illustrative": "ILLUSTRATIVE — an example from the ICWS docs, not a real server error",
    "client-side": "client-side placeholder — ICWS servers do not send it",
    "operator": "from the operator's own catalog",
}
STATUS_TONE: dict[str, Tone] = {"illustrative": "warn", "client-side": "warn", "inferred": "info"}
RULE_TONE: dict[str, Tone] = {
    "info": "info",
    "notice": "info",
    "warning": "warn",
    "error": "bad",
    "critical": "bad",
}


def is_error_id(text: str) -> bool:
    return ERROR_ID.fullmatch(text) is not None


def _level_item(level: str, entry: IcwsErrorId | None, is_leaf: bool) -> Item:
    if entry is None:
        return Item(level, "not in the catalog", tone="muted" if not is_leaf else "warn")
    children = [Item("status", STATUS_TEXT.get(entry.status, entry.status))]
    if entry.action:
        children.append(Item("what to do", entry.action, tone="info"))
    if entry.http:
        children.append(Item("seen with HTTP", ", ".join(map(str, entry.http))))
    if entry.source:
        children.append(Item("source", entry.source, tone="muted"))
    if entry.origin != "packaged":
        children.append(Item("catalog", entry.origin, tone="muted"))
    tone = STATUS_TONE.get(entry.status, "plain")
    return Item(level, entry.meaning, tone=tone, children=tuple(children), expanded=is_leaf)


def _rule_items(error_id: str, rules: list[HandlingRule], all_rules: int) -> Item:
    if not rules:
        hint = (
            "no rule matches" if all_rules else "no handling rules configured: add [[errors.rules]]"
        )
        return Item("handling rules", hint, tone="muted")
    children = []
    for rule in rules:
        sub = (Item("runbook", rule.runbook, tone="code"),) if rule.runbook else ()
        exact = " (exact)" if rule.prefix == error_id else ""
        children.append(
            Item(
                f"{rule.prefix}{exact}",
                f"{rule.severity}: {rule.label}" if rule.label else rule.severity,
                tone=RULE_TONE.get(rule.severity, "plain"),
                children=sub,
            )
        )
    return branch("handling rules (most specific first)", children)


def decode_error_id(
    ctx: Context,
    error_id: str,
    *,
    message: str = "",
    error_code: int | None = None,
    http_status: int | None = None,
    body_type: str = "",
    property_name: str = "",
    alternate_hosts: list[str] | None = None,
    extra: tuple[Item, ...] = (),
    confidence: int = SHAPE,
    inferred_from_code: bool = False,
    code_meaning: str = "",
) -> Decoded:
    """Everything known about one errorId, plus the body fields that came with it."""
    ids = ctx.catalogs.icws_ids
    levels = hierarchy(error_id)
    entry = ids.get(error_id)
    rules = matching_rules(error_id, ctx.rules)
    items: list[Item] = [Item("errorId", error_id, tone="code")]
    if inferred_from_code:
        items.append(Item("note", "errorId inferred from errorCode (old server)", tone="muted"))
    if message:
        items.append(Item("message", message))
    if http_status:
        items.append(Item("HTTP status", http_line(ctx, http_status, "icws")))
    if error_code is not None:
        items.append(_code_item(ctx, error_code))
    if body_type:
        items.append(Item("__type", body_type, tone="code"))
    if property_name:
        items.append(Item("propertyName", property_name, tone="warn"))
    if alternate_hosts:
        hosts = ", ".join(clean_line(h, 100, say_cut=True) for h in alternate_hosts[:20])
        items.append(
            Item("alternateHostList", hosts, tone="info", children=(_retry_item(),)),
        )
    items.append(
        branch(
            "hierarchy",
            [_level_item(level, ids.get(level), level == error_id) for level in levels],
        )
    )
    items.append(_rule_items(error_id, rules, len(ctx.rules)))
    items.extend(extra)

    known = entry.title if entry else ""
    nearest = next((lvl for lvl in reversed(levels) if lvl in ids), "")
    if message:
        what = clean_line(message, 160, say_cut=True)
    elif code_meaning:
        what = code_meaning
    elif known:
        what = known
    elif nearest:
        what = f"not in the catalog; nearest known level {nearest}: {ids[nearest].title}"
    else:
        what = "not in the catalog"
    summary = f"ICWS {error_id}: {what}"
    if entry and entry.status in ("illustrative", "client-side"):
        summary += f" [{entry.status}]"
    if rules:
        summary += f" → {rules[0].severity}" + (f": {rules[0].label}" if rules[0].label else "")
    fields: dict[str, Any] = {
        "error_id": error_id,
        "hierarchy": levels,
        "rules": [rule.to_json() for rule in rules],
        "levels": [
            {
                "prefix": level,
                "status": ids[level].status if level in ids else None,
                "meaning": ids[level].meaning if level in ids else None,
            }
            for level in levels
        ],
        "message": message or None,
        "error_code": error_code,
        "http_status": http_status,
    }
    if inferred_from_code:
        fields["error_id_inferred"] = True
    tone = RULE_TONE.get(rules[0].severity, "bad") if rules else "bad"
    return Decoded("icws", summary, tuple(items), fields, confidence, tone)


def _retry_item() -> Item:
    return Item(
        "what to do",
        "retry POST /icws/connection on each host listed (same scheme and port)",
        tone="info",
    )


def _code_item(ctx: Context, code: int) -> Item:
    entry = ctx.catalogs.icws_codes.get(code)
    shown = f"{code} ({hresult(code)})" if code < 0 else str(code)
    if entry is None:
        return Item("errorCode", f"{shown} — not in the catalog", tone="muted")
    extra = f" [sources disagree: {entry.status}]" if entry.status == "conflict" else ""
    children = (Item("source", entry.source, tone="muted"),) if entry.source else ()
    return Item("errorCode", f"{shown} — {entry.meaning}{extra}", children=children)


def decode_error_code(
    ctx: Context,
    code: int,
    *,
    message: str = "",
    http_status: int | None = None,
    confidence: int = SHAPE,
    body_type: str = "",
) -> Decoded:
    """An old server's error (no errorId): errorCode and HTTP status are what there is."""
    entry = ctx.catalogs.icws_codes.get(code)
    if entry and entry.error_id and (not entry.http or http_status in (None, *entry.http)):
        return decode_error_id(
            ctx,
            entry.error_id,
            message=message,
            error_code=code,
            http_status=http_status,
            body_type=body_type,
            confidence=confidence,
            inferred_from_code=True,
            code_meaning=entry.meaning,
        )
    items = [_code_item(ctx, code)]
    if message:
        items.insert(0, Item("message", message))
    if http_status:
        items.append(Item("HTTP status", http_line(ctx, http_status, "icws")))
    if entry and entry.http and http_status and http_status not in entry.http:
        seen = ", ".join(map(str, entry.http))
        items.append(Item("note", f"this code was seen with HTTP {seen}", tone="warn"))
    items.append(
        Item("note", "no errorId: servers before CIC 4.0.6 send only errorCode", tone="muted")
    )
    shown = f"{code} ({hresult(code)})" if code < 0 else str(code)
    what = (
        clean_line(message, 160, say_cut=True)
        if message
        else entry.meaning
        if entry
        else "not in the catalog"
    )
    summary = f"ICWS errorCode {shown}: {what}"
    fields: dict[str, Any] = {
        "error_id": None,
        "hierarchy": [],
        "rules": [],
        "error_code": code,
        "message": message or None,
        "http_status": http_status,
    }
    conf = confidence if entry or confidence == SHAPE else PLAUSIBLE
    return Decoded("icws", summary, tuple(items), fields, conf)


def decode_client_side(text: str) -> Decoded:
    summary = (
        f"ICWS client-side error name {text}: made up by a client library, not sent by a server"
    )
    items = (
        Item("name", text, tone="code"),
        Item(
            "note",
            "com.inin.icws.error.* names come from a JavaScript client (gildas/icwsjs); look for "
            "the server's errorId in the HTTP response instead",
            tone="warn",
        ),
    )
    return Decoded("icws", summary, items, {"error_id": None, "client_name": text}, KNOWN, "warn")


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def looks_like_error_body(obj: dict[str, Any]) -> bool:
    type_ = _str(obj.get("__type"))
    if isinstance(obj.get("errorId"), str):
        return True
    if type_.startswith(ICWS_URN) and (type_.endswith(("Error", ":error", ":alternateHosts"))):
        return True
    code = obj.get("errorCode")
    return isinstance(code, int) and not isinstance(code, bool) and "message" in obj


def find_error_body(obj: Any) -> tuple[dict[str, Any], str] | None:
    """The ICWS error object in a pasted JSON value, and the message type that carried it."""
    if not isinstance(obj, dict):
        return None
    if looks_like_error_body(obj):
        return obj, ""
    nested = obj.get("error")
    if isinstance(nested, dict) and looks_like_error_body(nested):
        return nested, _str(obj.get("__type"))
    return None


def decode_error_body(
    ctx: Context, body: dict[str, Any], *, carrier: str = "", http_status: int | None = None
) -> Decoded:
    message = _str(body.get("message"))
    code = body.get("errorCode")
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    hosts = body.get("alternateHostList")
    hosts = [h for h in hosts if isinstance(h, str)] if isinstance(hosts, list) else None
    extra: tuple[Item, ...] = ()
    if carrier:
        extra = (Item("carried by", carrier, tone="code"),)
    raw_id = _str(body.get("errorId")).strip()
    numeric = parse_int(raw_id) if raw_id else None
    if numeric is not None and code is None:  # older servers put the code in errorId
        code, raw_id = numeric, ""
    if raw_id:
        return decode_error_id(
            ctx,
            raw_id,
            message=message,
            error_code=code,
            http_status=http_status,
            body_type=_str(body.get("__type")),
            property_name=_str(body.get("propertyName")),
            alternate_hosts=hosts,
            extra=extra,
        )
    if code is not None:
        return decode_error_code(
            ctx, code, message=message, http_status=http_status, body_type=_str(body.get("__type"))
        )
    items = [Item("message", message)] if message else []
    if http_status:
        items.append(Item("HTTP status", http_line(ctx, http_status, "icws")))
    shown = clean_line(message, 160, say_cut=True) or "(no message)"
    summary = f"ICWS error without errorId or errorCode: {shown}"
    fields: dict[str, Any] = {
        "error_id": None,
        "hierarchy": [],
        "rules": [],
        "message": message or None,
    }
    return Decoded("icws", summary, (*items, *extra), fields, SHAPE)


def decode_bare(ctx: Context, text: str) -> Decoded | None:
    """A bare errorId or client-side error name."""
    if text.startswith(CLIENT_SIDE_PREFIX) and " " not in text:
        return decode_client_side(text)
    if not is_error_id(text):
        return None
    conf = SHAPE if "." in text else KNOWN
    return decode_error_id(ctx, text, confidence=conf)


def find_error_id(text: str) -> str | None:
    """An errorId somewhere in free text (a log line), for a last-resort reading."""
    for match in re.finditer(r"(?<![\w.])error(?:\.[A-Za-z0-9_-]{1,80}){1,16}", text[:20_000]):
        return match.group(0)
    return None
