"""inspect_text_for: what the feed hands the inspector for one event decodes with its context."""

from __future__ import annotations

import json

from tui.core.errors.handoff import inspect_text_for
from tui.core.feed import SEV_ERROR, SEV_WARNING, blank_event

BODY = {
    "callId": "c1",
    "status": "FAILED",
    "info": "SIP 486 BUSY HERE",
    "sipMessageRaw": "SIP/2.0 486 Busy Here\r\nCSeq: 1 INVITE\r\n\r\n",
}


def test_wcs_event_with_its_raw_body(decoder) -> None:
    event = blank_event(
        source="wcs",
        app="/apps/EchoApp",
        method="CallStatusEvent",
        status="FAILED",
        info="SIP 486 BUSY HERE",
        severity=SEV_ERROR,
    )
    text = inspect_text_for(event, json.dumps(BODY).encode())
    assert text.startswith("POST /apps/EchoApp/CallStatusEvent\n\n{")
    doc = decoder.inspect(text).to_json()
    assert (doc["kind"], doc["code"], doc["wcs"]["method"]) == ("sip", 486, "CallStatusEvent")
    assert doc["cseq_method"] == "INVITE"


def test_wcs_refused_hook_without_raw_body(decoder) -> None:
    event = blank_event(
        source="wcs",
        app="/apps/EchoApp",
        method="call",
        status="PENDING",
        call="c2",
        reply_status=403,
        severity=SEV_WARNING,
    )
    text = inspect_text_for(event)
    assert text.splitlines()[0] == "POST /apps/EchoApp/call → 403"
    doc = decoder.inspect(text).to_json()
    assert (doc["kind"], doc["method"], doc["reply_status"]) == ("wcs", "call", 403)


def test_icws_message_with_an_error_and_bare_error_id(decoder) -> None:
    raw = (
        b'{"__type":"urn:inin.com:messaging:asyncOperationCompletedMessage","requestId":"r1",'
        b'"error":{"errorId":"error.request.accessDenied.httpMethodNotAllowed","message":"no"}}'
    )
    event = blank_event(source="icws", error_id="error.request.accessDenied.httpMethodNotAllowed")
    doc = decoder.inspect(inspect_text_for(event, raw)).to_json()
    assert doc["error_id"] == "error.request.accessDenied.httpMethodNotAllowed"
    assert inspect_text_for(event) == "error.request.accessDenied.httpMethodNotAllowed"


def test_stream_info_only(decoder) -> None:
    event = blank_event(source="console", info="Failed by ICE timeout")
    assert decoder.inspect(inspect_text_for(event)).kind == "wcs"
