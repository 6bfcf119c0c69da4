"""Every error example of the vendors' documentation (docs/protocols.md) gives the right answer.

One line per example, with where it comes from; the decoders' own tests go deeper.
"""

from __future__ import annotations

import pytest

from tui.core.errors.examples import EXAMPLES

# (source, text, kind, a fragment of the summary)
DOCUMENTED = [
    ("wcs docs", "SIP 403 FORBIDDEN", "sip", "SIP 403 Forbidden"),
    ("sbc docs", "31003 1|1", "sbc", "Cannot delete SIP to Q.850 mapping 1. It is in use by SG 1."),
    ("icws docs", "error.foo.bar", "icws", "[illustrative]"),
    ("icws docs", "error.foo", "icws", "[illustrative]"),
    ("icws docs", "licenseStatus 2", "enum", "Available"),
    ("icws docs", "Colors 5", "flags", "RED | BLUE [illustrative]"),
    ("icws docs", "icws 400", "http", "Invalid request"),
    ("icws docs", "icws 401", "http", "log in again"),
    ("icws docs", "icws 403", "http", "security rights"),
    ("icws docs", "icws 404", "http", "does not exist"),
    ("icws docs", "icws 410", "http", "deprecated and removed"),
    ("mws docs", '{"error":{"reason":"r","message":"m"}}', "mws", "MWS r: m"),
    ("mws docs", '{"errors":[{"reason":"r","property":"p","message":"m"}]}', "mws", "p: m"),
    ("mws docs", "mws 401", "http", "logged-in user"),
    ("mws docs", "mws 422", "http", "invalid"),
    ("mws docs", "mws 500", "http", "retry"),
    ("cue docs", "cue 201", "http", "location"),
    ("cue docs", "cue 302", "http", "HTTPS"),
    (
        "protocols §2.2",
        '{"errorId":"error.server.unavailable","message":"x","alternateHostList":["b"]}',
        "icws",
        "error.server.unavailable",
    ),
    ("protocols §2.4", "icws 1", "icws", "session ID"),
    ("protocols §2.4", "icws 4", "icws", "cookie"),
    ("protocols §2.4", "icws 7", "icws", "Access denied"),
    ("protocols §2.11", "-2147221496", "icws", "Station not found"),
    ("protocols §2.11", "-2147467259", "icws", "E_FAIL"),
    ("protocols §2.11", "error.request.accessDenied.httpMethodNotAllowed", "icws", "not allowed"),
    (
        "protocols §2.11",
        "error.request.invalidRepresentation.invalidProperty",
        "icws",
        "invalid value",
    ),
    ("protocols §2.11", "error.request.unsupported", "icws", "not supported"),
    (
        "protocols §2.12",
        "emailSignatureStatus 6",
        "flags",
        "CertificateNotTrusted | EmailHeaderMismatch",
    ),
    ("protocols §2.12", "subscriptionState 3", "enum", "Faulted"),
    ("protocols §2.12", "interactionState 11", "enum", "ExternalDisconnect"),
    ("protocols §3.5", "20035", "sbc", "case-sensitive"),
    ("protocols §3.5", "15008 server.pem", "sbc", "Unable to read the server.pem file"),
    ("protocols §3.5", "15017", "sbc", "same serial"),
    ("protocols §3.5", "15020", "sbc", "issuer was not found"),
    ("protocols §3.5", "sbc 99999 a|b", "sbc", "Application error 99999 (a|b)"),
    ("protocols §3.1", "sbc 401", "http", "10 minutes idle"),
    (
        "protocols §5.3",
        '{"error": "Authorization header is required"}',
        "mws",
        "Authorization header",
    ),
    ("protocols §5.3", '{"error": "Invalid json"}', "mws", "Invalid json"),
    ("protocols §1.4", "POST /apps/EchoApp/OnCallEvent -> 403", "wcs", "backend answered 403"),
    ("protocols §1.4", "POST /apps/EchoApp/connect -> 500", "wcs", "Return FAIL to the client"),
    ("protocols §1.7", "Terminated by keep-alive", "wcs", "StreamKeepAliveEvent"),
    (
        "protocols §1.5",
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
    DOCUMENTED,
    ids=[f"{s}: {t[:40]}" for s, t, _, _ in DOCUMENTED],
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
