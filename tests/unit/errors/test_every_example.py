"""Every error example in the seeds and the protocol sheets gives the right answer.

One line per example, with where it comes from; the decoders' own tests go deeper.
"""

from __future__ import annotations

import pytest

from tui.core.errors.examples import EXAMPLES

# (source, text, kind, a fragment of the summary)
SEED_AND_SHEET = [
    ("seed 000", "SIP 403 FORBIDDEN", "sip", "SIP 403 Forbidden"),
    ("seed 001", "31003 1|1", "sbc", "Cannot delete SIP to Q.850 mapping 1. It is in use by SG 1."),
    ("seed 002", "error.foo.bar", "icws", "[illustrative]"),
    ("seed 002", "error.foo", "icws", "[illustrative]"),
    ("seed 002", "licenseStatus 2", "enum", "Available"),
    ("seed 002", "Colors 5", "flags", "RED | BLUE [illustrative]"),
    ("seed 002", "icws 400", "http", "Invalid request"),
    ("seed 002", "icws 401", "http", "log in again"),
    ("seed 002", "icws 403", "http", "security rights"),
    ("seed 002", "icws 404", "http", "does not exist"),
    ("seed 002", "icws 410", "http", "deprecated and removed"),
    ("seed 003", '{"error":{"reason":"r","message":"m"}}', "mws", "MWS r: m"),
    ("seed 003", '{"errors":[{"reason":"r","property":"p","message":"m"}]}', "mws", "p: m"),
    ("seed 003", "mws 401", "http", "logged-in user"),
    ("seed 003", "mws 422", "http", "invalid"),
    ("seed 003", "mws 500", "http", "retry"),
    ("seed 004", "cue 201", "http", "location"),
    ("seed 004", "cue 302", "http", "HTTPS"),
    (
        "sheet icws 1.2",
        '{"errorId":"error.server.unavailable","message":"x","alternateHostList":["b"]}',
        "icws",
        "error.server.unavailable",
    ),
    ("sheet icws 1.4", "icws 1", "icws", "session ID"),
    ("sheet icws 1.4", "icws 4", "icws", "cookie"),
    ("sheet icws 1.4", "icws 7", "icws", "Access denied"),
    ("sheet icws 4.2", "-2147221496", "icws", "Station not found"),
    ("sheet icws 4.2", "-2147467259", "icws", "E_FAIL"),
    ("sheet icws 4.2", "error.request.accessDenied.httpMethodNotAllowed", "icws", "not allowed"),
    (
        "sheet icws 4.2",
        "error.request.invalidRepresentation.invalidProperty",
        "icws",
        "invalid value",
    ),
    ("sheet icws 4.2", "error.request.unsupported", "icws", "not supported"),
    (
        "sheet icws 4.3",
        "emailSignatureStatus 6",
        "flags",
        "CertificateNotTrusted | EmailHeaderMismatch",
    ),
    ("sheet icws 4.3", "subscriptionState 3", "enum", "Faulted"),
    ("sheet icws 4.3", "interactionState 11", "enum", "ExternalDisconnect"),
    ("sheet sbc A6", "20035", "sbc", "case-sensitive"),
    ("sheet sbc A6", "15008 server.pem", "sbc", "Unable to read the server.pem file"),
    ("sheet sbc A6", "15017", "sbc", "same serial"),
    ("sheet sbc A6", "15020", "sbc", "issuer was not found"),
    ("sheet sbc A6", "sbc 99999 a|b", "sbc", "Application error 99999 (a|b)"),
    ("sheet sbc A1", "sbc 401", "http", "10 minutes idle"),
    (
        "sheet mws C4",
        '{"error": "Authorization header is required"}',
        "mws",
        "Authorization header",
    ),
    ("sheet mws C4", '{"error": "Invalid json"}', "mws", "Invalid json"),
    ("sheet wcs 1.6", "POST /apps/EchoApp/OnCallEvent -> 403", "wcs", "backend answered 403"),
    ("sheet wcs 1.6", "POST /apps/EchoApp/connect -> 500", "wcs", "Return FAIL to the client"),
    ("sheet wcs 4.7", "Terminated by keep-alive", "wcs", "StreamKeepAliveEvent"),
    (
        "sheet wcs 4.2",
        '{"nodeId":"n@1.2.3.4","appKey":"defaultApp","sessionId":"s","status":"FAILED",'
        '"info":"Restricted access"}',
        "wcs",
        "Restricted access",
    ),
]

STREAM_INFO = [
    "Failed by ICE error",
    "Failed by ICE timeout",
    "Failed by ICE keep alive",
    "Failed by DTLS fingerprint error",
    "Failed by DTLS error",
    "Failed by RTP activity",
    "Failed by HLS writer error",
    "Failed by RTMP writer error",
    "Stopped by session disconnect",
    "Stopped by rest /terminate",
    "Stopped by publisher stop",
    "Stopped by user",
    "Failed by error",
    "Failed to add stream to proxy",
    "Publish stream is not ready",
    "Stream not found",
    "Stream name is already in use",
    "MediaSessionId is null",
    "MediaSessionId is already in use",
    "Session not ready",
    "Session does not exist",
    "Rtsp has wrong format",
    "Failed to connect to rtsp stream",
    "Rtsp stream not found",
    "No common codecs",
    "Bad URI",
    "File not found",
    "Failed to connect to origin stream",
    "CDN stream not found",
    "Terminated by keep-alive",
    "Transcoding required, but disabled",
    "Restricted access",
    "No available transcoders",
]
CALL_INFO = [
    "Normal call clearing",
    "Failed by session creation",
    "Failed by ICE error",
    "Failed by RTP activity",
    "Failed by RTMP writer error",
    "Failed by DTLS fingerprint error",
    "No common codecs",
    "Failed by DTLS error",
    "Failed by error",
    "Failed by request timeout",
    "Transcoding required, but disabled",
]


@pytest.mark.parametrize(
    ("source", "text", "kind", "fragment"),
    SEED_AND_SHEET,
    ids=[f"{s}: {t[:40]}" for s, t, _, _ in SEED_AND_SHEET],
)
def test_seed_and_sheet_examples(decoder, source, text, kind, fragment) -> None:
    result = decoder.inspect(text)
    assert result.recognised, (source, result.problem)
    assert result.kind == kind, (source, result.summary)
    best = result.readings[0]
    everything = (
        best.summary
        + " "
        + " ".join(f"{i.value} {' '.join(c.value for c in i.children)}" for i in best.items)
    )
    assert fragment in everything, (source, best.summary)


@pytest.mark.parametrize("info", sorted(set(STREAM_INFO + CALL_INFO)))
def test_every_wcs_info_text_is_in_the_catalog(decoder, info) -> None:
    doc = decoder.inspect(info).to_json()
    assert doc["kind"] == "wcs"
    assert doc["known"] is True


@pytest.mark.parametrize(("title", "text"), EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_the_built_in_examples_all_decode(decoder, title, text) -> None:
    result = decoder.inspect(text)
    assert result.recognised, title
