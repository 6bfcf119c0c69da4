"""WCS events and info texts, SIP statuses and raw messages (docs/protocols.md §1.6, §6)."""

from __future__ import annotations

import json

import pytest

from tests.unit.errors.conftest import find

SIP_403 = (
    "SIP/2.0 403 Forbidden\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
    "From: <sip:1000@pbx>;tag=a\r\nTo: <sip:1001@pbx>;tag=b\r\nCall-ID: abc@10.0.0.1\r\n"
    'CSeq: 1 INVITE\r\nReason: Q.850;cause=21;text="Call rejected"\r\n'
    'Warning: 399 pbx "Callee barred"\r\nServer: Carrier-SBC\r\nContent-Length: 0\r\n\r\n'
)
# reconstructed from the call object's fields and the documented failure example
CALL_FAILED = {
    "nodeId": "d2hxbqNPE04vGeZ51NPhDuId6k3hUrBB@95.191.130.39",
    "appKey": "defaultApp",
    "sessionId": "/192.168.1.102:4388/192.168.1.101:8443",
    "callId": "e9516680-13af-11e7-af37-05c788b22e35",
    "incoming": False,
    "status": "FAILED",
    "sipStatus": 403,
    "info": "SIP 403 FORBIDDEN",
    "caller": "1000",
    "callee": "1001",
    "sipMessageRaw": SIP_403,
}
# as documented
ON_CALL = (
    '{"nodeId":"ah20GKYnbYKxjJmdh1zDs6cllWkn0Q0t@46.101.108.90","appKey":"defaultApp",'
    '"sessionId":"/8.8.8.8:56046/46.101.108.90:8443",'
    '"callId":"pbx-8BD6EE910B71BE609010-3434@h79n40.etc.tario.ru","incoming":true,'
    '"status":"PENDING","caller":"PPP009","callee":"PPP005","hasAudio":true,"hasVideo":false,'
    '"mediaProvider":"WebRTC","isMsrp":false,"holdForTransfer":false}'
)


@pytest.mark.parametrize(
    ("info", "code", "reason"),
    [
        ("SIP 403 FORBIDDEN", 403, "Forbidden"),
        ("SIP 486 BUSY HERE", 486, "Busy Here"),
        ("SIP 404 NOT FOUND", 404, "Not Found"),
        ("SIP 503 SERVICE UNAVAILABLE", 503, "Service Unavailable"),
        ("SIP 408 REQUEST TIMEOUT", 408, "Request Timeout"),
        ("sip 600", 600, "Busy Everywhere"),
    ],
)
def test_wcs_sip_info_form(decoder, info, code, reason) -> None:
    doc = decoder.inspect(info).to_json()
    assert (doc["kind"], doc["code"], doc["reason"]) == ("sip", code, reason)
    assert doc["class"] == f"{code // 100}xx"


def test_busy_codes_say_busy_and_others_failed(decoder) -> None:
    busy = find(decoder.inspect("SIP 486 BUSY HERE").primary.items, "in WCS").value
    failed = find(decoder.inspect("SIP 503").primary.items, "in WCS").value
    assert "BUSY" in busy
    assert "FAILED with info 'SIP 503 SERVICE UNAVAILABLE'" in failed


def test_causes_for_carrier_trouble(decoder) -> None:
    doc = decoder.inspect("SIP 503 SERVICE UNAVAILABLE").to_json()
    assert any("server table" in c for c in doc["causes"])


def test_raw_sip_message_with_reason_and_warning(decoder) -> None:
    result = decoder.inspect(SIP_403)
    doc = result.to_json()
    assert (doc["kind"], doc["code"], doc["cseq_method"]) == ("sip", 403, "INVITE")
    assert doc["q850"] == [
        {"protocol": "Q.850", "cause": 21, "text": "Call rejected", "meaning": "Call rejected"}
    ]
    assert "[Q.850 21: Call rejected]" in doc["summary"]
    items = result.primary.items
    assert "Miscellaneous warning" in find(items, "Warning").value
    assert find(items, "Server").value == "Carrier-SBC"


def test_sip_request_with_a_reason(decoder) -> None:
    bye = "BYE sip:1000@10.0.0.1 SIP/2.0\nCSeq: 2 BYE\nReason: Q.850;cause=16\n\n"
    result = decoder.inspect(bye)
    assert result.kind == "sip"
    assert (
        result.summary
        == "SIP BYE request (not a response) with Q.850 cause 16: Normal call clearing"
    )


def test_failed_call_event_is_decoded_with_rest_on_error(decoder) -> None:
    text = "POST /apps/EchoApp/CallStatusEvent\n\n" + json.dumps(CALL_FAILED)
    result = decoder.inspect(text)
    doc = result.to_json()
    assert doc["kind"] == "sip"
    assert doc["code"] == 403
    assert doc["wcs"] == {
        "method": "CallStatusEvent",
        "status": "FAILED",
        "info": "SIP 403 FORBIDDEN",
        "reply_status": None,
    }
    assert doc["summary"].startswith("CallStatusEvent FAILED: SIP 403 Forbidden")
    backend = find(result.primary.items, "if the backend fails this hook")
    assert "ErrorEvent" in find(backend.children, "restOnError FAIL").value
    assert "Continue execution" in find(backend.children, "restOnError LOG (default)").value


def test_event_body_alone_guesses_the_method(decoder) -> None:
    body = dict(CALL_FAILED)
    del body["sipMessageRaw"]
    result = decoder.inspect(json.dumps(body))
    assert "CallStatusEvent (guessed from the fields)" in find(result.primary.items, "method").value


@pytest.mark.parametrize(
    ("method", "fail_words"),
    [
        ("connect", "Return FAIL to the client"),
        ("call", "Break execution"),
        ("StreamStatusEvent", "ErrorEvent"),
        ("OnCallEvent", "403 FORBIDDEN"),
    ],
)
def test_rest_on_error_per_method_type(decoder, method, fail_words) -> None:
    result = decoder.inspect(f"POST /apps/EchoApp/{method} → 500")
    doc = result.to_json()
    assert doc["kind"] == "wcs"
    assert doc["reply_status"] == 500
    branch = find(result.primary.items, "backend answered 500: what WCS does")
    assert fail_words in find(branch.children, "restOnError FAIL").value


def test_incoming_call_refused_by_the_backend(decoder) -> None:
    result = decoder.inspect(f"POST http://console:8081/apps/EchoApp/OnCallEvent -> 403\n{ON_CALL}")
    doc = result.to_json()
    assert doc["method"] == "OnCallEvent"
    assert doc["reply_status"] == 403
    assert doc["summary"] == "WCS OnCallEvent: backend answered 403"
    answer = find(result.primary.items, "answer").value
    assert answer.startswith("403 Forbidden — The backend refuses the hook")


def test_wcs_log_lines(decoder) -> None:
    log = (
        "RestClient - SEND REST OBJECT ==>\nURL:http://localhost:8081/apps/EchoApp/"
        'StreamStatusEvent\nOBJECT: {"mediaSessionId":"c43a","name":"s1","status":"FAILED",'
        '"info":"Failed by ICE timeout","published":true}'
    )
    doc = decoder.inspect(log).to_json()
    assert doc["kind"] == "wcs"
    assert doc["method"] == "StreamStatusEvent"
    assert doc["info"] == "Failed by ICE timeout"
    assert doc["known"] is True


@pytest.mark.parametrize(
    "info",
    [
        "Failed by ICE timeout",
        "Failed by DTLS error",
        "Stopped by publisher stop",
        "No common codecs",
    ],
)
def test_stream_info_texts(decoder, info) -> None:
    result = decoder.inspect(info)
    assert result.kind == "wcs"
    assert result.to_json()["known"] is True
    assert info in result.summary


def test_unknown_failed_by_text_is_plausible(decoder) -> None:
    result = decoder.inspect("Failed by cosmic rays")
    assert result.kind == "wcs"
    assert result.to_json()["known"] is False


def test_q850_forms(decoder) -> None:
    assert decoder.inspect("q850 17").summary == "Q.850 cause 17: User busy"
    assert decoder.inspect("cause=34").summary == "Q.850 cause 34: No circuit/channel available"
    assert decoder.inspect('Q.850;cause=16;text="x"').kind == "q850"


@pytest.mark.parametrize("reason", [";", " ; ", ",;", "Q.850;cause=17, ;"])
def test_a_reason_header_with_an_empty_entry_is_skipped(decoder, reason) -> None:
    """``Reason: ;`` has an entry with no protocol at all: it is no reason, not a crash."""
    result = decoder.inspect(f"SIP/2.0 486 Busy Here\r\nReason: {reason}\r\n")
    assert result.recognised
    assert (result.primary.kind, result.primary.summary[:12]) == ("sip", "SIP 486 Busy")
