from __future__ import annotations

import json

from tui.core.dedupe import DuplicateWindow
from tui.core.policy import PolicyEngine, Rule
from tui.core.protocols.wcs_auth import AuthResult, sign, verify
from tui.core.redact import redact_headers, redact_json_bytes


def test_policy_first_enabled_match_decides_and_toggles() -> None:
    engine = PolicyEngine(
        [
            Rule("premium", ("call",), "callee", "900*"),
            Rule("no-test-streams", ("publishStream", "playStream"), "name", "re:^test-\\d+$"),
        ]
    )
    assert engine.decide("call", {"callee": "900123"}).rule == "premium"
    assert engine.decide("call", {"callee": "800123"}).allowed
    assert engine.decide("CallStatusEvent", {"callee": "900123"}).allowed
    assert engine.decide("publishStream", {"name": "test-42"}).status == 403
    assert engine.decide("publishStream", {"name": "test-x"}).allowed
    assert engine.decide("call", {"callee": {"nested": 1}}).allowed
    assert engine.toggle("premium") is False
    assert engine.decide("call", {"callee": "900123"}).allowed
    assert engine.get("premium").hits == 1


def test_hmac_md5_signature_over_raw_bytes() -> None:
    body = b'{"a": 1}'
    header = sign(b"k3y", body)
    assert header.startswith("WCS ") and len(header) == 4 + 32
    assert verify(b"k3y", body, header) is AuthResult.OK
    assert verify(b"k3y", body, header.upper().replace("WCS", "wcs")) is AuthResult.OK
    assert verify(b"k3y", b'{"a":1}', header) is AuthResult.MISMATCH  # re-serialised: breaks
    assert verify(b"k3y", body, None) is AuthResult.MISSING
    assert verify(b"k3y", body, "Basic abc") is AuthResult.MISSING


def test_duplicate_window() -> None:
    window = DuplicateWindow(window_s=5)
    assert not window.seen("CallStatusEvent", b"x", 100.0)
    assert window.seen("CallStatusEvent", b"x", 101.0)
    assert not window.seen("CallStatusEvent", b"y", 101.0)
    assert not window.seen("OtherEvent", b"x", 101.0)
    assert not window.seen("CallStatusEvent", b"x", 107.0)  # a keep-alive 10 s later is not a retry
    assert not DuplicateWindow(window_s=0).seen("m", b"x", 0.0)


def test_redaction() -> None:
    raw = json.dumps(
        {"sipLogin": "1000", "sipPassword": "s", "nested": [{"authToken": "t"}]}
    ).encode()
    cleaned = json.loads(redact_json_bytes(raw))
    assert cleaned == {"sipLogin": "1000", "sipPassword": "***", "nested": [{"authToken": "***"}]}
    plain = b'{"status":"PLAYING"}'
    assert redact_json_bytes(plain) is plain
    assert redact_json_bytes(b"not json password") == b"not json password"
    assert redact_headers({"Authorization": "WCS abcdef", "User-Agent": "Java"}) == {
        "Authorization": "WCS ***", "User-Agent": "Java",
    }  # fmt: skip
