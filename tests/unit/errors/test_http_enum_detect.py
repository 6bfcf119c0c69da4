"""HTTP statuses per system, enumerations and bit flags, and auto-detection's ambiguity."""

from __future__ import annotations

import pytest

from tests.unit.errors.conftest import find

LICENSE_EXAMPLE = """{
    "licenseOperationResultList": [
        {
            "licenseName": "<License 1>",
            "isAvailable": true,
            "licenseStatus": 2,
            "errorDetails": ""
        }
    ]
}"""


@pytest.mark.parametrize(
    ("text", "system", "fragment"),
    [
        ("icws 401", "icws", "log in again"),
        ("icws 410", "icws", "deprecated and removed"),
        ("sbc 401", "sbc", "10 minutes idle"),
        ("cue 302", "cue", "HTTPS"),
        ("cue 201", "cue", "location"),
        ("mws 500", "mws", "retry"),
        ("wcs 403", "wcs", "forbid the action"),
    ],
)
def test_http_status_per_system(decoder, text, system, fragment) -> None:
    doc = decoder.inspect(text).to_json()
    assert (doc["kind"], doc["system"]) == ("http", system)
    assert fragment in doc["meaning"]


def test_bare_http_status_lists_every_system(decoder) -> None:
    result = decoder.inspect("HTTP 401")
    assert result.kind == "http"
    per_system = find(result.primary.items, "per system")
    assert {c.label for c in per_system.children} == {"ICWS", "SBC", "MWS", "CUE"}


def test_http_response_with_unknown_body(decoder) -> None:
    result = decoder.inspect("HTTP/1.1 500 Internal Server Error\nServer: x\n\n<html>oops</html>")
    assert result.kind == "http"
    assert "not recognised" in find(result.primary.items, "body").value


def test_icws_content_type_marks_the_system(decoder) -> None:
    text = (
        "HTTP/1.1 410 Gone\nContent-Type: application/vnd.inin.icws+JSON; charset=utf-8\n\n"
        '{"message":"gone"}'
    )
    result = decoder.inspect(text)
    # an ICWS error body without errorId/errorCode is not recognised as such; the status is
    assert result.kind == "http"
    assert result.to_json()["system"] == "icws"


def test_license_status_example_from_the_seed(decoder) -> None:
    doc = decoder.inspect(LICENSE_EXAMPLE).to_json()
    assert doc["kind"] == "enum"
    assert doc["values"] == [
        {
            "path": "licenseOperationResultList[0].licenseStatus",
            "enum": "licenses:licenseStatus",
            "value": 2,
            "name": "Available",
        }
    ]


@pytest.mark.parametrize(
    "text",
    ["licenseStatus 2", "licenses:licenseStatus=2", "urn:inin.com:licenses:licenseStatus: 2"],
)
def test_enum_text_forms(decoder, text) -> None:
    doc = decoder.inspect(text).to_json()
    assert (doc["kind"], doc["name"], doc["value"]) == ("enum", "Available", 2)


def test_enum_value_out_of_range(decoder) -> None:
    doc = decoder.inspect("queueType 9").to_json()
    assert doc["name"] is None
    assert "not a value of queues:queueType" in doc["summary"]


def test_enum_name_alone_lists_values(decoder) -> None:
    doc = decoder.inspect("connectionState").to_json()
    assert doc["values"] == {"0": "None", "1": "Up", "2": "Down"}


@pytest.mark.parametrize(
    ("value", "flags", "unknown"),
    [
        (0, ["OK"], 0),
        (6, ["CertificateNotTrusted", "EmailHeaderMismatch"], 0),
        (0x86, ["CertificateNotTrusted", "EmailHeaderMismatch", "Unknown"], 0),
        (22, ["CertificateNotTrusted", "EmailHeaderMismatch"], 16),
        (1 | 64, ["MessageModified"], 64),
    ],
)
def test_bit_flags_with_unknown_leftover_bits(decoder, value, flags, unknown) -> None:
    doc = decoder.inspect(f"emailSignatureStatus {value}").to_json()
    assert doc["kind"] == "flags"
    assert doc["flags"] == flags
    assert doc["unknown_bits"] == unknown
    if unknown:
        assert f"unknown bits 0x{unknown:X}" in doc["summary"]


def test_flags_in_hex(decoder) -> None:
    assert decoder.inspect("emailSignatureStatus 0x6").to_json()["value"] == 6


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("503", {"sip", "http"}),
        ("404 Not Found", {"sip", "http"}),
        ("200", {"sip", "http"}),
    ],
)
def test_ambiguous_input_lists_its_readings(decoder, text, kinds) -> None:
    result = decoder.inspect(text)
    assert result.ambiguous
    doc = result.to_json()
    assert doc["ambiguous"] is True
    assert {r["kind"] for r in doc["readings"]} == kinds
    assert doc["summary"].startswith("ambiguous: 2 readings")


def test_reason_phrase_breaks_the_tie(decoder) -> None:
    result = decoder.inspect("486 Busy Here")
    assert result.kind == "sip"
    assert not result.ambiguous
    result = decoder.inspect("422 Unprocessable Content")
    assert result.kind == "http"


def test_less_likely_readings_are_still_listed(decoder) -> None:
    result = decoder.inspect("486")
    assert result.kind == "sip"
    assert not result.ambiguous
    assert [r.kind for r in result.readings] == ["sip", "http"]


def test_not_recognised_says_what_would_be(decoder) -> None:
    result = decoder.inspect("the printer is on fire")
    assert not result.recognised
    doc = result.to_json()
    assert doc["kind"] == "unknown"
    assert "ICWS errorId" in doc["summary"]


def test_empty_and_oversized_input(decoder) -> None:
    assert decoder.inspect("   \n").problem.startswith("nothing to decode")
    huge = decoder.inspect("x" * 600_000)
    assert not huge.recognised
    assert "limit" in huge.problem


def test_error_id_inside_a_log_line_is_a_plausible_reading(decoder) -> None:
    result = decoder.inspect("12:00:01 ICWS said errorId=error.server.unavailable, retrying")
    assert result.kind == "icws"
    assert result.primary.fields["error_id"] == "error.server.unavailable"
