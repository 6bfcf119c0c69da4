"""Redaction: one function for journal, screen and export, working on decoded bodies."""

from __future__ import annotations

import json
import threading

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui.core.pretty import export_document, pretty_json
from tui.core.redact import (
    REDACTED,
    _redacted,
    is_sensitive_key,
    may_hold_secrets,
    redact_headers,
    redact_json_bytes,
    redact_text,
    redact_value,
)

SIP_WITH_CREDENTIALS = (
    "INVITE sip:+4930123@carrier.example SIP/2.0\r\n"
    'Authorization: Digest username="1000", realm="wcs", nonce="abc", response="6629fae4"\r\n'
    "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
    "Via: SIP/2.0/UDP 10.0.0.1\r\n"
)


def test_utf16_bodies_are_redacted() -> None:
    raw = json.dumps({"sipLogin": "1000", "sipPassword": "hunter2"}).encode("utf-16")
    kept = redact_json_bytes(raw)
    assert "hunter2" not in kept.decode("utf-8", "replace")
    assert json.loads(kept) == {"sipLogin": "1000", "sipPassword": REDACTED}


def test_key_names_spelled_with_json_escapes_are_redacted() -> None:
    raw = b'{"sipP\\u0061ssword":"hunter2","callId":"c1"}'
    assert json.loads(redact_json_bytes(raw)) == {"sipPassword": REDACTED, "callId": "c1"}


@pytest.mark.parametrize("key", ["apiKey", "api_key", "key", "pwd", "pin", "PIN", "otp",
                                 "authToken", "clientSecret", "X-Api-Key", "credentials"])  # fmt: skip
def test_more_secret_names(key: str) -> None:
    assert is_sensitive_key(key)
    assert json.loads(redact_json_bytes(json.dumps({key: "s3cret"}).encode())) == {key: REDACTED}


@pytest.mark.parametrize("key", ["appKey", "callId", "mapping", "nodeId", "status", "pinned"])
def test_ordinary_names_stay(key: str) -> None:
    assert not is_sensitive_key(key)


def test_credentials_inside_a_sip_message_are_hidden_keeping_the_scheme() -> None:
    raw = json.dumps({"status": "FAILED", "sipMessageRaw": SIP_WITH_CREDENTIALS}).encode()
    kept = json.loads(redact_json_bytes(raw))["sipMessageRaw"]
    assert "6629fae4" not in kept and "QWxhZGRp" not in kept and 'username="1000"' not in kept
    assert "Authorization: Digest ***" in kept and "Proxy-Authorization: Basic ***" in kept
    assert "Via: SIP/2.0/UDP 10.0.0.1" in kept


def test_bodies_that_are_not_json_are_redacted_as_text() -> None:
    cut_short = b'{"callId":"c1","sipPassword":"hunter2","sdp":"v=0 o=- 1 1 IN IP4 10.'
    assert b"hunter2" not in redact_json_bytes(cut_short)
    assert b'"callId":"c1"' in redact_json_bytes(cut_short)
    form = b"user=bob&password=hunter2&pin=1234"
    assert redact_json_bytes(form) == b"user=bob&password=***&pin=***"
    assert redact_text("Authorization: WCS 0a1b2c") == "Authorization: WCS ***"
    assert redact_text("authorization=abcdef") == "authorization=***"


def test_binary_non_json_keeps_its_bytes_except_the_secret() -> None:
    raw = b"\xff\xfe\x00garbage password=hunter2 \x80\x81"
    kept = redact_json_bytes(raw)
    assert b"hunter2" not in kept
    assert kept.startswith(b"\xff\xfe\x00garbage password=") and kept.endswith(b" \x80\x81")


def test_deep_nesting_does_not_exhaust_a_threads_stack() -> None:
    deep = b'{"a":' * 600 + b'{"password":"hunter2"}' + b"}" * 600
    results: list[bytes] = []
    errors: list[BaseException] = []

    def redact() -> None:
        try:
            results.append(redact_json_bytes(deep))
        except BaseException as exc:  # the point: nothing escapes
            errors.append(exc)

    worker = threading.Thread(target=redact)
    worker.start()
    worker.join()
    assert not errors
    assert b"hunter2" not in results[0] and b'"password":"***"' in results[0]


def test_deeper_than_the_parser_allows_is_redacted_as_text() -> None:
    deep = b"[" * 100_000 + b'{"token":"abc123"}' + b"]" * 100_000
    assert b"abc123" not in redact_json_bytes(deep)


def test_nothing_sensitive_returns_the_same_object_quickly() -> None:
    plain = b'{"nodeId":"n1","appKey":"defaultApp","status":"ESTABLISHED","callId":"c1"}'
    assert not may_hold_secrets(plain)
    assert redact_json_bytes(plain) is plain
    assert may_hold_secrets(b'{"a":"\\u0070"}')  # any escape might spell a key


def test_lone_surrogates_survive_redaction_as_escapes() -> None:
    raw = b'{"callId":"sur\\ud800x","password":"p"}'
    kept = redact_json_bytes(raw)
    assert json.loads(kept) == {"callId": "sur\ud800x", "password": REDACTED}


def test_screen_journal_and_export_hide_the_same_things() -> None:
    bodies = [
        b'{"sipP\\u0061ssword":"hunter2"}',
        json.dumps({"apiKey": "hunter2"}).encode("utf-16"),
        b"password=hunter2&x=1",
        json.dumps({"sipMessageRaw": SIP_WITH_CREDENTIALS.replace("6629fae4", "hunter2")}).encode(),
    ]
    for raw in bodies:
        assert b"hunter2" not in redact_json_bytes(raw), raw
        assert "hunter2" not in pretty_json(raw)[0], raw
        assert "hunter2" not in export_document({}, raw, raw, {}), raw


def test_headers() -> None:
    assert redact_headers({"Authorization": "WCS abcdef", "User-Agent": "Java"}) == {
        "Authorization": "WCS ***",
        "User-Agent": "Java",
    }
    assert redact_headers({"proxy-authorization": "Digest x"}) == {
        "proxy-authorization": "Digest ***"
    }


def test_redact_value_keeps_structure_and_order() -> None:
    value = {"a": [1, {"token": "t", "b": None}], "password": "", "c": {"pin": None}}
    assert redact_value(value) == {"a": [1, {"token": REDACTED, "b": None}], "password": "",
                                   "c": {"pin": None}}  # fmt: skip
    assert list(redact_value(value)) == ["a", "password", "c"]


def test_a_body_nested_too_deep_to_indent_is_shown_as_text() -> None:
    deep = b'{"a":' * 900 + b'{"password":"hunter2"}' + b"}" * 900
    text, is_json = pretty_json(deep)
    assert not is_json and "hunter2" not in text and '"password":"***"' in text


_PLAIN = ["nodeId", "appKey", "callId", "status", "mapping", "x", "é", "ESTABLISHED"]
_PROBES = ["Password", "sipPwd", "authToken", "pin", "Cookie", "otp", "key", "KEY", "Secret",
           "credentials", "apiKey", "Authorization: Digest a=b", "pass=1", "k%65y", "p\\u0061ss",
           "\\u0050ass", "plain", "mapping"]  # fmt: skip


@given(
    st.dictionaries(st.sampled_from(_PLAIN), st.sampled_from(_PLAIN), max_size=3),
    st.sampled_from(_PROBES),
    st.booleans(),
    st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-32"]),
    st.booleans(),
)
@example({}, "p\\u0061ss", True, "utf-8", True)  # the hidden spellings, each for certain
@example({}, "k%65y", True, "utf-8", False)
@example({}, "Password", True, "utf-16-le", True)
def test_a_body_said_to_hold_nothing_to_hide_holds_nothing_to_hide(
    plain: dict[str, str], probe: str, probe_is_key: bool, encoding: str, as_json: bool
) -> None:
    """The prefilter answers "nothing to hide" only when redaction, run in full, would change
    nothing: for JSON bodies (any encoding, escapes in keys) and for text bodies alike."""
    value = {**plain, probe: "v"} if probe_is_key else {**plain, "k": probe}
    text = (
        json.dumps(value, ensure_ascii=False)
        if as_json
        else " ".join(f"{k}={v}" for k, v in value.items())
    )
    if as_json and "\\" in probe:  # the probe's escape stays an escape inside the JSON text
        text = text.replace(json.dumps(probe)[1:-1], probe)
    raw = text.encode(encoding)
    if may_hold_secrets(raw):
        return
    if as_json:
        _, changed = _redacted(json.loads(raw))
        assert not changed
    assert redact_text(raw.decode(encoding)) == raw.decode(encoding)
