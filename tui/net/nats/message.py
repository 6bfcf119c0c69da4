"""One event as a JetStream message: its subject, its JSON body and its message id.

The body is the object ``noc-console tail --jsonl`` prints, with the redacted bodies and
transport details an export with bodies carries. The id, ``<run>-<seq>``, is stable for an event
of a collector's run however often it is sent, so JetStream stores a retried event once.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from tui.core.export.item import ExportedEvent
from tui.core.export.jsonl import export_line
from tui.core.feed import FeedEvent, Row, from_row
from tui.core.redact import redact_meta
from tui.net.nats.subjects import event_subject

BODY_FIELDS = ("raw", "raw_text", "reply", "reply_text")
MSG_ID_HEADER = "Nats-Msg-Id"
RUN_HEADER = "Noc-Run"


class Outgoing(NamedTuple):
    """An event ready to publish."""

    seq: int
    subject: str
    payload: bytes
    msg_id: str
    run: str
    """The collector run the event is of (its ``seq`` counts within that run)."""


def message_id(run: str, seq: int) -> str:
    return f"{run}-{seq}"


_MEMO_SIZE = 1024
"""Entries each memo below keeps before it starts again (hooks of one deployment share a few
nodes, methods and senders, so nearly every event finds its subject and details there)."""
_subjects: dict[tuple[str, str, str, str], str] = {}
_details: dict[str, dict[str, Any] | None] = {}


def _subject(prefix: str, event: FeedEvent) -> str:
    key = (prefix, event.source, event.node, event.method)
    subject = _subjects.get(key)
    if subject is None:
        if len(_subjects) >= _MEMO_SIZE:
            _subjects.clear()
        subject = _subjects[key] = event_subject(prefix, event)
    return subject


def _parsed_details(meta_json: str) -> dict[str, Any] | None:
    """The store's transport details (JSON text, already redacted) as the export redacts
    them; the same text gives the same (read-only) dict."""
    details = _details.get(meta_json, _details)
    if details is _details:
        parsed = json.loads(meta_json)
        details = redact_meta(parsed) if isinstance(parsed, dict) else None
        if len(_details) >= _MEMO_SIZE:
            _details.clear()
        _details[meta_json] = details
    return details if details is not _details else None


def outgoing(
    prefix: str, run: str, row: Row, raw: bytes, reply: bytes, meta: dict[str, Any] | str | None
) -> Outgoing:
    """The message of one submitted event (``meta`` as a dict or as the store's JSON text)."""
    event = from_row(row)
    kept = _parsed_details(meta) if isinstance(meta, str) and meta else None
    if isinstance(meta, dict) and meta:
        kept = meta
    line = export_line(ExportedEvent(event, raw, reply, kept))
    return Outgoing(
        seq=event.seq,
        subject=_subject(prefix, event),
        payload=line.encode("utf-8", "backslashreplace"),
        msg_id=message_id(run, event.seq),
        run=run,
    )


def without_bodies(item: Outgoing) -> Outgoing:
    """The message with what was received and answered left out, and ``bodies_omitted``
    saying how many bytes that was: for an event too big for the server (its bodies stay in
    the collector's journal)."""
    doc = json.loads(item.payload)
    omitted = 0
    for key in BODY_FIELDS:
        if key in doc:
            omitted += len(json.dumps(doc.pop(key), ensure_ascii=False).encode("utf-8"))
    doc["bodies_omitted"] = omitted
    payload = json.dumps(doc, ensure_ascii=False).encode("utf-8", "backslashreplace")
    return item._replace(payload=payload)
