from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.feed import SEV_ERROR, SEV_NOTICE, SEV_OK, SEV_WARNING
from tui.core.protocols import wcs

# Bodies of the documented shapes (docs/protocols.md §1.5), as WCS sends them.
CONNECT = {
    "nodeId": "H4gfHeULtX6ddGGUWwZxhUNyqZHUFH8j@192.168.1.59", "appKey": "defaultApp",
    "sessionId": "/192.168.1.38:64604/192.168.1.59:8443", "useWsTunnel": False,
    "mediaProviders": ["WebRTC", "WSPlayer"], "clientVersion": "0.5.16",
}  # fmt: skip
STREAM_STATUS = {
    "nodeId": "d2hxbqNPE04vGeZ51NPhDuId6k3hUrBB@95.191.130.39", "appKey": "defaultApp",
    "sessionId": "04cfeb85-cf9c-49aa-8144-022dfc0cdd0b",
    "mediaSessionId": "c43a28b7-9a4d-45f8-a010-57b959a22755",
    "name": "e6dcaedd-f084-49df-8262-7ce906e42eb2", "published": True, "status": "PUBLISHING",
    "audioCodec": "PCMA", "videoCodec": "VP8", "createDate": 1664260776957, "mediaType": "publish",
    "audioState": {"muted": False}, "mediaProvider": "WebRTC",
}  # fmt: skip
CALL_FAILED = {
    "nodeId": "n1@10.0.0.1", "appKey": "defaultApp", "sessionId": "s1",
    "callId": "e9516680-13af-11e7-af37-05c788b22e35", "incoming": False, "status": "FAILED",
    "sipStatus": 403, "info": "SIP 403 FORBIDDEN", "caller": "1000", "callee": "1001",
    "sipMessageRaw": "SIP/2.0 403 Forbidden\r\nVia: SIP/2.0/UDP 10.0.0.1\r\n",
}  # fmt: skip
ON_CALL = {
    "nodeId": "ah20GKYnbYKxjJmdh1zDs6cllWkn0Q0t@46.101.108.90", "appKey": "defaultApp",
    "sessionId": "/8.8.8.8:56046/46.101.108.90:8443",
    "callId": "pbx-8BD6EE910B71BE609010-3434@h79n40.etc.tario.ru", "incoming": True,
    "status": "PENDING", "caller": "PPP009", "callee": "PPP005",
}  # fmt: skip


@pytest.mark.parametrize(
    ("method", "kind"),
    [
        ("connect", "connect"), ("call", "direct"), ("publishStream", "direct"),
        ("hangup", "direct"), ("OnDataEvent", "direct"), ("StreamStatusEvent", "event"),
        ("ErrorStatusEvent", "event"), ("StreamKeepAliveEvent", "event"),
        ("OnCallEvent", "incoming"), ("OnTransferEvent", "incoming"), ("Connect", "unknown"),
        ("SomethingNewEvent", "unknown"),
    ],
)  # fmt: skip
def test_method_types(method: str, kind: str) -> None:
    assert wcs.method_type(method) == kind


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/apps/EchoApp/StreamStatusEvent", ("/apps/EchoApp", "StreamStatusEvent")),
        ("/connect", ("/", "connect")),
        ("/EchoApp/call/", ("/EchoApp", "call")),
        ("/", ("/", "")),
    ],
)
def test_split_path(path: str, expected: tuple[str, str]) -> None:
    assert wcs.split_path(path) == expected


def test_connect_event() -> None:
    event = wcs.normalise("/apps/EchoApp", "connect", CONNECT, ts=1.0, reply_status=200)
    assert event.kind == "connect"
    assert event.app == "defaultApp"
    assert event.node.endswith("@192.168.1.59")
    assert event.session == "/192.168.1.38:64604/192.168.1.59:8443"
    assert event.severity == SEV_OK


def test_stream_status_with_2022_fields() -> None:
    event = wcs.normalise("/", "StreamStatusEvent", STREAM_STATUS, ts=1.0)
    assert event.stream == "e6dcaedd-f084-49df-8262-7ce906e42eb2"
    assert event.media == "c43a28b7-9a4d-45f8-a010-57b959a22755"
    assert event.status == "PUBLISHING"


def test_failed_call_reads_sip_status() -> None:
    event = wcs.normalise("/", "CallStatusEvent", CALL_FAILED, ts=1.0, reply_status=200)
    assert (event.call, event.status, event.sip_status) == (CALL_FAILED["callId"], "FAILED", 403)
    assert (event.caller, event.callee) == ("1000", "1001")
    assert event.severity == SEV_ERROR


@pytest.mark.parametrize(
    ("body", "sip"),
    [
        ({"info": "SIP 486 BUSY HERE"}, 486),
        ({"sipStatus": "404"}, 404),
        ({"sipStatus": True, "info": "x"}, 0),
        ({"sipMessageRaw": "SIP/2.0 503 Service Unavailable\r\n"}, 503),
        ({"sipStatus": None, "info": None}, 0),
        ({"sipStatus": 99999}, 0),
    ],
)
def test_sip_status_from_any_field(body: dict, sip: int) -> None:
    assert wcs.sip_status_of(body) == sip


@pytest.mark.parametrize(
    ("method", "body", "reply", "severity"),
    [
        ("CallStatusEvent", {"status": "BUSY", "info": "SIP 486 BUSY HERE"}, 200, SEV_WARNING),
        ("StreamStatusEvent", {"status": "FAILED", "info": "Failed by ICE timeout"}, 200, SEV_ERROR),
        ("StreamStatusEvent", {"status": "STOPPED", "info": "Stopped by publisher stop"}, 200, SEV_NOTICE),
        ("call", {"status": "PENDING"}, 403, SEV_WARNING),
        ("ErrorStatusEvent", {"info": "x"}, 200, SEV_ERROR),
        ("NewThing", {}, 200, SEV_NOTICE),
        ("CallStatusEvent", {"status": "ESTABLISHED", "sipStatus": 200}, 200, SEV_OK),
    ],
)  # fmt: skip
def test_severity(method: str, body: dict, reply: int, severity: int) -> None:
    assert wcs.normalise("/", method, body, ts=0.0, reply_status=reply).severity == severity


def test_incoming_call_and_app_path_fallback() -> None:
    event = wcs.normalise("/apps/Pbx", "OnCallEvent", {**ON_CALL, "appKey": None}, ts=0.0)
    assert event.kind == "incoming"
    assert event.app == "/apps/Pbx"
    assert event.call.startswith("pbx-8BD6EE910B71BE609010")


def test_hostile_strings_are_made_visible_and_short() -> None:
    body = {"status": "FAILED\x1b[31m", "info": "[red]x[/red]\x07" + "A" * 500, "callId": 5}
    event = wcs.normalise("/", "CallStatusEvent", body, ts=0.0)
    assert "\x1b" not in event.status and "␛" in event.status
    assert event.info.startswith("[red]x[/red]␇")
    assert len(event.info) == 200
    assert event.call == "5"


@given(
    st.dictionaries(
        st.sampled_from(
            ["status", "info", "sipStatus", "callId", "name", "nodeId", "appKey", "sipMessageRaw",
             "caller", "callee", "mediaSessionId", "sessionId", "x"]
        ),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
            max_leaves=5,
        ),
    ),
    st.text(max_size=40),
)  # fmt: skip
def test_any_json_object_normalises(body: dict, method: str) -> None:
    json.dumps(body, default=str)
    event = wcs.normalise("/app", method, body, ts=0.0)
    for value in event:
        assert isinstance(value, (str, int, float))
    for text in (event.status, event.info, event.call, event.method):
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text)
