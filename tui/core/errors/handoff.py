"""What the feed hands the inspector for one event: text the auto-detection reads best."""

from __future__ import annotations

import json

from tui.core.feed import SOURCE_ICWS, SOURCE_WCS, FeedEvent

MAX_BODY_BYTES = 256 * 1024


def inspect_text_for(event: FeedEvent, raw: bytes = b"", path: str = "") -> str:
    """The text to pass to ``NocApp.inspect`` for a feed event (and its journalled raw body).

    WCS: ``POST /<app>/<method> → <reply status>`` then the hook body, so the inspector knows
    the method (hence its type and restOnError behaviour) and the backend's answer. ICWS: the
    message itself (its ``error`` object is found inside), else the errorId.
    """
    body = raw[:MAX_BODY_BYTES].decode("utf-8", "replace").strip() if raw else ""
    if event.source == SOURCE_WCS and event.method:
        if not path:
            app = event.app.strip("/")
            path = f"/{app}/{event.method}" if app else f"/{event.method}"
        line = f"POST {path}" + (f" → {event.reply_status}" if event.reply_status else "")
        if not body:
            fields = {
                "status": event.status,
                "info": event.info,
                "sipStatus": event.sip_status,
                "callId": event.call,
                "mediaSessionId": event.media,
                "name": event.stream,
                "nodeId": event.node,
            }
            body = json.dumps({k: v for k, v in fields.items() if v}, ensure_ascii=False)
        return f"{line}\n\n{body}"
    if event.source == SOURCE_ICWS and body and ("errorId" in body or '"error"' in body):
        return body
    return event.error_id or event.info or body
