"""Cisco Unity Express REST PI error documents.

The CUE REST PI (docs/protocols.md §4.2): on failure the service picks an HTTP status and, in most
cases, adds an XML error document with a CUE-defined error code, an error message and additional
information. The document's exact schema was not public; the nearest verified Cisco shape (Unity
Connection's ``<Error><Code/><Message/>…</Error>``, ``ErrorDetails``) is what we expect, read
loosely: element names are matched case-insensitively and without namespace, everything else becomes
details.
"""

from __future__ import annotations

from typing import Any

from tui.core.errors.context import Context
from tui.core.errors.http import http_line
from tui.core.errors.result import SHAPE, Decoded, Item, branch
from tui.core.protocols.cue_error import MAX_DETAILS, ErrorRecord, error_children, is_error_name
from tui.core.protocols.xml import Element, local
from tui.core.sanitize import clean_line


def _record(element: Element) -> dict[str, Any]:
    record = ErrorRecord.of(element)
    details = ({"field": record.field} if record.field else {}) | dict(record.details)
    return {"code": record.code, "message": record.message, "details": details}


def find_errors(root: Element) -> list[dict[str, Any]]:
    """The error records in a CUE error document ([] when it is not one), read as the browser
    reads them (:mod:`tui.core.protocols.cue_error`): the first code/message pair is the error,
    later pairs are details."""
    if not is_error_name(local(root)):
        return []
    children = error_children(root)
    if children:  # a list of errors
        return [_record(c) for c in children[:MAX_DETAILS]]
    record = _record(root)
    return [record] if record["code"] or record["message"] or record["details"] else []


def decode_xml(ctx: Context, root: Element, http_status: int | None = None) -> Decoded | None:
    errors = find_errors(root)
    if not errors:
        return None
    items: list[Item] = []
    if http_status:
        items.append(Item("HTTP status", http_line(ctx, http_status, "cue")))
    for index, error in enumerate(errors, 1):
        children = [Item("code", error["code"] or "(none)", tone="code")]
        children.append(Item("message", error["message"] or "(none)"))
        if error["details"]:
            children.append(
                branch(
                    "details",
                    [
                        Item(k, clean_line(v, 400, say_cut=True))
                        for k, v in error["details"].items()
                    ],
                )
            )
        label = "error" if len(errors) == 1 else f"error {index}"
        items.append(branch(label, children))
    items.append(
        Item(
            "note",
            "CUE error codes are defined by the CUE PI service; no public list exists",
            tone="muted",
        )
    )
    first = errors[0]
    code = clean_line(first["code"], 40, say_cut=True)
    message = clean_line(first["message"], 160, say_cut=True) or "(no message)"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    status = f" (HTTP {http_status})" if http_status else ""
    summary = f"CUE error{' ' + code if code else ''}: {message}{more}{status}"
    fields = {
        "code": first["code"] or None,
        "message": first["message"] or None,
        "details": first["details"],
        "errors": errors,
        "http_status": http_status,
    }
    return Decoded("cue", summary, tuple(items), fields, SHAPE)
