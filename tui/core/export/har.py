"""HAR 1.2 for WCS's REST hooks: each hook a request and its answer, as a browser's devtools or
a HAR viewer opens them.

A hook is a WCS event the console answered over HTTP (it has a reply status). Its entry:

- ``startedDateTime`` the event's time, ``time`` (and ``timings.wait``) how long the answer took;
- the request: ``POST`` to the path the hook came to, on the host ``wcs-hooks`` (the journal does
  not keep the listener's address; the WCS node that sent it is in ``_node`` and the sender's
  address in ``_peer``), the headers the listener kept (credentials already hidden), and the
  body as ``postData``;
- the response: the status with its reason phrase, and the body as ``content``.

The console's own fields go in underscore names, which HAR leaves to tools: ``_seq``,
``_node``, ``_app``, ``_method``, ``_rule``, and in tap mode ``_upstream`` (where it forwarded,
what came back). Other events (ICWS messages, the console's own) have no HTTP exchange: they are
left out and counted. The document is written entry by entry, never held whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from tui.core.export.fast_line import iso_ms
from tui.core.export.item import ExportedEvent, TextOut, redacted_body, redacted_meta
from tui.core.feed import SOURCE_WCS, FeedEvent

HAR_HOST = "wcs-hooks"
"""The host in each request's URL: the listener's own address is not in the journal."""

_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_UPSTREAM_KEYS = ("upstream_url", "upstream_status", "upstream_ms", "upstream_error")
_dumps = json.JSONEncoder(ensure_ascii=False).encode


@dataclass
class HarCounts:
    """What a HAR export wrote: the hooks, and the events it left out (not HTTP hooks)."""

    written: int = 0
    skipped: int = 0


def is_hook(event: FeedEvent) -> bool:
    """A WCS hook the console answered over HTTP: what a HAR entry can show."""
    return event.source == SOURCE_WCS and event.reply_status > 0


def write_har(
    items: Iterable[ExportedEvent], out: TextOut, *, creator_version: str = ""
) -> HarCounts:
    """Write one HAR 1.2 document, its entries one by one as the items come."""
    counts = HarCounts()
    creator = {"name": "noc-console", "version": creator_version or "unknown"}
    head = {"version": "1.2", "creator": creator, "pages": []}
    out.write('{"log": ' + _dumps(head)[:-1] + ', "entries": [\n')
    for item in items:
        if not is_hook(item.event):
            counts.skipped += 1
            continue
        out.write((",\n" if counts.written else "") + _dumps(har_entry(item)))
        counts.written += 1
    out.write("\n]}}\n")
    return counts


def har_entry(item: ExportedEvent) -> dict[str, Any]:
    """One hook as a HAR entry (bodies and headers redacted)."""
    event = item.event
    meta = redacted_meta(item.meta or {})
    took = round(event.latency_ms, 3) if event.latency_ms >= 0 else 0
    request_text, request_type = _content(item.raw or b"")
    if item.reply is item.raw:  # a backend's echo: the same body, redacted once
        reply_text, reply_type = request_text, request_type
    else:
        reply_text, reply_type = _content(item.reply or b"")
    kept = meta.get("headers")
    headers: dict[str, Any] = kept if isinstance(kept, dict) else {}
    request_type = str(headers.get("content-type") or request_type)
    entry: dict[str, Any] = {
        "startedDateTime": iso_ms(event.ts).replace("+00:00", "Z"),
        "time": took,
        "request": {
            "method": str(meta.get("http_method") or "POST"),
            "url": _url(event, meta),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": str(k), "value": str(v)} for k, v in headers.items()],
            "queryString": [],
            "postData": {"mimeType": request_type, "params": [], "text": request_text},
            "headersSize": -1,
            "bodySize": len(request_text.encode("utf-8", "backslashreplace")),
        },
        "response": {
            "status": event.reply_status,
            "statusText": _reason(event.reply_status),
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": "content-type", "value": reply_type}],
            "content": {
                "size": len(reply_text.encode("utf-8", "backslashreplace")),
                "mimeType": reply_type,
                "text": reply_text,
            },
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
        },
        "cache": {},
        "timings": {"send": 0, "wait": took, "receive": 0},
        "_seq": event.seq,
        "_node": event.node,
        "_app": event.app,
        "_method": event.method,
    }
    if meta.get("peer"):
        entry["_peer"] = str(meta["peer"])
    if event.rule:
        entry["_rule"] = event.rule
    upstream = {key: meta[key] for key in _UPSTREAM_KEYS if key in meta}
    if upstream:
        entry["_upstream"] = upstream
    return entry


def _content(blob: bytes) -> tuple[str, str]:
    """A body as HAR text and its MIME type (JSON re-encoded once its secrets are hidden)."""
    if not blob:
        return "", "application/json"
    value, is_json = redacted_body(blob)
    if is_json:
        return json.dumps(value, ensure_ascii=False), "application/json"
    return str(value), "text/plain"


def _url(event: FeedEvent, meta: dict[str, Any]) -> str:
    path = meta.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        # No path kept (an event written by another tool): WCS posts <app URL>/<method>, and
        # the app is that URL's path (or WCS's appKey, which names the app under /apps).
        app = event.app if event.app.startswith("/") else f"/apps/{event.app}"
        path = f"{app.rstrip('/')}/{event.method}"
    return f"http://{HAR_HOST}{quote(path, safe=_PATH_SAFE)}"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Client Closed Request" if status == 499 else ""
