"""Managed WebSocket (MWS) error bodies: three documented and observed shapes.

- ``{"error": {"reason": …, "message": …}}``: the documented error (docs/protocols.md §5.3);
- ``{"errors": [{"reason", "property", "message"}, …]}``: documented validation errors;
- ``{"error": "<text>"}``: what the open-source server really sends (``Access denied``,
  ``Invalid json``…), and its validation hash ``{"errors": {"<field>": "<message>"}}``.
"""

from __future__ import annotations

from typing import Any

from tui.core.errors.context import Context
from tui.core.errors.http import http_line
from tui.core.errors.result import SHAPE, Decoded, Item, branch
from tui.core.sanitize import clean_line

MAX_ERRORS = 100


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return clean_line(repr(value), 200, say_cut=True)


def _validation(errors: Any) -> list[dict[str, str]] | None:
    if isinstance(errors, list):
        out = []
        for error in errors[:MAX_ERRORS]:
            if isinstance(error, dict):
                out.append(
                    {
                        "reason": _text(error.get("reason")),
                        "property": _text(error.get("property")),
                        "message": _text(error.get("message")),
                    }
                )
            else:
                out.append({"reason": "", "property": "", "message": _text(error)})
        return out
    if isinstance(errors, dict):  # the open-source server's field -> message hash
        return [
            {"reason": "", "property": str(key), "message": _text(value)}
            for key, value in list(errors.items())[:MAX_ERRORS]
        ]
    return None


def matches(obj: Any) -> bool:
    """True for a JSON value of one of the MWS error shapes."""
    if not isinstance(obj, dict) or "errorId" in obj or "__type" in obj:
        return False
    error = obj.get("error")
    if isinstance(error, str):
        return True
    if isinstance(error, dict):
        return ("reason" in error or "message" in error) and "errorId" not in error
    return _validation(obj.get("errors")) is not None and "errors" in obj


def decode(ctx: Context, obj: dict[str, Any], http_status: int | None = None) -> Decoded:
    items: list[Item] = []
    reason = message = ""
    errors: list[dict[str, str]] = []
    shape = ""
    error = obj.get("error")
    if isinstance(error, dict):
        reason, message = _text(error.get("reason")), _text(error.get("message"))
        shape = "error object (documented)"
    elif isinstance(error, str):
        message = error
        shape = "error string (what the open-source server sends)"
    validation = _validation(obj.get("errors"))
    if validation is not None:
        errors = validation
        if not shape:
            documented = isinstance(obj.get("errors"), list)
            shape = "validation errors" + (" (documented)" if documented else " (field hash)")
    items.append(Item("shape", shape, tone="muted"))
    if http_status:
        items.append(Item("HTTP status", http_line(ctx, http_status, "mws")))
    if reason:
        items.append(Item("reason", reason, tone="code"))
    if message:
        items.append(Item("message", message))
    if errors:
        rows = [
            Item(
                e["property"] or "(no property)",
                clean_line(e["message"] or "(no message)", 300, say_cut=True),
                children=(Item("reason", e["reason"], tone="code"),) if e["reason"] else (),
            )
            for e in errors
        ]
        items.append(branch(f"invalid properties ({len(errors)})", rows))
    if errors and not (reason or message):
        first = errors[0]
        what = f"{first['property'] or '?'}: {first['message'] or first['reason']}"
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        summary = f"MWS validation failed — {clean_line(what, 160, say_cut=True)}{more}"
    else:
        head = f"MWS {clean_line(reason, 60, say_cut=True)}" if reason else "MWS error"
        summary = f"{head}: {clean_line(message, 160, say_cut=True) or '(no message)'}"
    if http_status:
        summary += f" (HTTP {http_status})"
    fields = {
        "reason": reason or None,
        "message": message or None,
        "errors": errors,
        "http_status": http_status,
    }
    return Decoded("mws", summary, tuple(items), fields, SHAPE)
