"""WCS events and ``info`` texts, and what WCS does when the backend fails a hook.

WCS's REST hook documentation (docs/protocols.md §1.4): a SIP 4xx/5xx/6xx or another non-REST error
raises the matching event with ``status: FAILED`` and the description in ``info`` (``SIP 403
FORBIDDEN`` plus ``sipMessageRaw`` for SIP). A backend error — any answer other than 200, or no
answer — is handled per the method's type and the session's ``restOnError`` (FAIL or LOG); both
outcomes are shown.
"""

from __future__ import annotations

from typing import Any

from tui.core.errors import sip
from tui.core.errors.context import Context
from tui.core.errors.entries import WcsMethodType
from tui.core.errors.http import http_line
from tui.core.errors.result import PLAUSIBLE, SHAPE, Decoded, Item, Tone, branch
from tui.core.sanitize import clean_line

EVENT_KEYS = ("info", "sipMessageRaw", "callId", "mediaSessionId", "nodeId", "appKey", "sipStatus")
FAILING = ("FAILED", "BUSY", "AUTHENTICATION_FAIL")
INFO_PREFIXES = ("failed by ", "failed to ", "stopped by ", "terminated by ")


def rest_on_error_items(ctx: Context, kind: WcsMethodType, *, refused: bool) -> list[Item]:
    items = [
        Item("method type", f"{kind.title} — {kind.about}"),
        Item("restOnError FAIL", kind.fail, tone="warn"),
        Item("restOnError LOG (default)", kind.log),
    ]
    if refused and kind.key in ("direct", "incoming"):
        items.append(Item("note", ctx.catalogs.wcs_notes.get("rest_api", ""), tone="muted"))
    return items


def _backend_branch(ctx: Context, method: str, reply_status: int | None) -> Item | None:
    kind = ctx.catalogs.wcs_type_of(method) if method else None
    if kind is None:
        return None
    refused = reply_status is not None and reply_status != 200
    label = (
        f"backend answered {reply_status}: what WCS does"
        if refused
        else "if the backend fails this hook"
    )
    children = rest_on_error_items(ctx, kind, refused=refused)
    if refused and reply_status:
        children.insert(0, Item("answer", http_line(ctx, reply_status, "wcs")))
    return branch(label, children, expanded=refused)


def _str(obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def guess_method(obj: dict[str, Any]) -> str:
    """The hook a WCS body most likely came from, when the URL is not known."""
    status = _str(obj, "status")
    if "callId" in obj:
        if status == "PENDING":
            return "OnCallEvent" if obj.get("incoming") is True else "call"
        return "CallStatusEvent"
    if "mediaSessionId" in obj:
        if status == "PENDING":
            return "publishStream" if obj.get("published") is True else "playStream"
        return "StreamStatusEvent"
    if "operationId" in obj:
        return "DataStatusEvent"
    if status in ("REGISTERED", "UNREGISTERED", "AUTHENTICATION_FAIL"):
        return "RegistrationStatusEvent"
    if status in ("ESTABLISHED", "DISCONNECTED", "FAILED"):
        return "ConnectionStatusEvent"
    return ""


def matches_event(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and isinstance(obj.get("status"), str)
        and any(key in obj for key in EVENT_KEYS)
    )


def info_entry_items(ctx: Context, info: str) -> tuple[list[Item], Tone, bool]:
    entry = ctx.catalogs.wcs_info.get(info.strip().casefold())
    if entry is None:
        return [Item("info", info, tone="warn")], "bad", False
    items = [Item("info", entry.text, tone="bad" if entry.severity != "ok" else "good")]
    if entry.meaning:
        items.append(Item("meaning", entry.meaning))
    if entry.causes:
        items.append(branch("common causes", [Item("•", c) for c in entry.causes]))
    items.append(
        Item("applies to", {"both": "calls and streams"}.get(entry.kind, entry.kind + "s"))
    )
    return items, "good" if entry.severity == "ok" else "bad", True


def decode_info(ctx: Context, info: str) -> Decoded | None:
    """A bare WCS ``info`` text such as ``Failed by ICE timeout``."""
    text = info.strip()
    sip_reading = sip.decode_info_form(ctx, text)
    if sip_reading is not None:
        return sip_reading
    items, tone, known = info_entry_items(ctx, text)
    if not known and not text.casefold().startswith(INFO_PREFIXES):
        return None
    meaning = ctx.catalogs.wcs_info[text.casefold()].meaning if known else "not in the catalog"
    summary = f"WCS info '{clean_line(text, 100, say_cut=True)}': {meaning}"
    fields = {"info": text, "known": known}
    return Decoded("wcs", summary, tuple(items), fields, SHAPE if known else PLAUSIBLE, tone)


def decode_event(
    ctx: Context,
    obj: dict[str, Any],
    *,
    method: str = "",
    reply_status: int | None = None,
) -> Decoded:
    """A WCS hook body: status, info, sipStatus, sipMessageRaw, and the restOnError outcome."""
    status, info, raw = _str(obj, "status"), _str(obj, "info"), _str(obj, "sipMessageRaw")
    sip_status = obj.get("sipStatus")
    sip_status = (
        sip_status if isinstance(sip_status, int) and not isinstance(sip_status, bool) else 0
    )
    guessed = "" if method else guess_method(obj)
    shown_method = method or guessed
    context: list[Item] = []
    if shown_method:
        how = " (guessed from the fields)" if guessed else ""
        context.append(Item("method", f"{shown_method}{how}", tone="code"))
    if status:
        context.append(Item("status", status, tone="bad" if status in FAILING else "plain"))
    for key in ("callId", "mediaSessionId", "name", "caller", "callee", "nodeId", "appKey"):
        value = obj.get(key)
        if isinstance(value, str) and value:
            context.append(Item(key, clean_line(value, 200, say_cut=True), tone="muted"))
    reading: Decoded | None = None
    if raw.strip():
        reading = sip.decode_message(ctx, raw, source="sipMessageRaw")
    if reading is None and info:
        reading = sip.decode_info_form(ctx, info)
    if reading is None and sip_status >= 300:
        reading = sip.decode_status(ctx, sip_status, source="sipStatus", confidence=SHAPE)
    backend = _backend_branch(ctx, shown_method, reply_status)
    if reading is not None and reading.kind == "sip":
        items = [_event_branch(shown_method, status, obj, context), *reading.items]
        if info:
            items.insert(1, Item("info", info, tone="bad"))
        if backend:
            items.append(backend)
        fields = {**reading.fields, "wcs": _wcs_fields(shown_method, status, info, reply_status)}
        summary = reading.summary
        if shown_method:
            summary = f"{shown_method} {status or ''}: {summary}".replace("  ", " ")
        return Decoded("sip", summary, tuple(items), fields, SHAPE, reading.tone)
    info_items, tone, known = info_entry_items(ctx, info) if info else ([], "plain", False)
    items = [*context, *info_items]
    if backend:
        items.append(backend)
    fields = _wcs_fields(shown_method, status, info, reply_status)
    fields["known"] = known
    if info:
        meaning = ctx.catalogs.wcs_info[info.strip().casefold()].meaning if known else ""
        summary = f"WCS {shown_method or 'event'} {status}: {clean_line(info, 120, say_cut=True)}"
        summary += f" — {meaning}" if meaning else ""
    elif reply_status is not None and reply_status != 200:
        summary = f"WCS {shown_method or 'hook'}: backend answered {reply_status}"
        tone = "bad"
    else:
        summary = f"WCS {shown_method or 'event'} {status or '(no status)'}: no error information"
        tone = "bad" if status in FAILING else "info"
    if status in FAILING and not info:
        tone = "bad"
    return Decoded("wcs", summary.replace("  ", " "), tuple(items), fields, SHAPE, tone)


def _event_branch(method: str, status: str, obj: dict[str, Any], context: list[Item]) -> Item:
    """The event's own fields, folded: its method and status are in the line itself."""
    who = ""
    caller, callee = _str(obj, "caller"), _str(obj, "callee")
    if caller or callee:
        caller, callee = (clean_line(c, 40, say_cut=True) or "?" for c in (caller, callee))
        who = f" ({caller} → {callee})"
    elif _str(obj, "name"):
        who = f" (stream {clean_line(_str(obj, 'name'), 60, say_cut=True)})"
    value = f"{method or 'event'} {status}{who}".strip()
    return Item("WCS event", value, children=tuple(context), expanded=False)


def _wcs_fields(method: str, status: str, info: str, reply_status: int | None) -> dict[str, Any]:
    return {
        "method": method or None,
        "status": status or None,
        "info": info or None,
        "reply_status": reply_status,
    }


def decode_hook_answer(ctx: Context, method: str, reply_status: int) -> Decoded | None:
    """Only a hook's URL and the backend's answer are known (``POST …/call → 403``)."""
    kind = ctx.catalogs.wcs_type_of(method)
    if kind is None:
        return None
    backend = _backend_branch(ctx, method, reply_status)
    items = (Item("method", method, tone="code"), *((backend,) if backend else ()))
    ok = reply_status == 200
    summary = f"WCS {method} ({kind.title}): backend answered {reply_status}"
    if not ok:
        summary += f" — FAIL: {kind.fail.split('  ')[-1]}; LOG: {kind.log.split('  ')[-1]}"
    fields = _wcs_fields(method, "", "", reply_status)
    return Decoded("wcs", summary, items, fields, SHAPE, "good" if ok else "bad")
