"""CUE XML error documents and the three MWS error shapes (docs/protocols.md §4.3, §5.3)."""

from __future__ import annotations

from tests.unit.errors.conftest import find


def test_cue_error_document_with_http_status(decoder) -> None:
    text = (
        "HTTP/1.1 409 Conflict\nPI-Version: 8.0\nContent-Type: application/xml\n\n"
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<Error><Code>1001</Code><Message>User johndoe already has a mailbox</Message>"
        "<Details>ownerId=johndoe</Details></Error>"
    )
    result = decoder.inspect(text)
    doc = result.to_json()
    assert doc["kind"] == "cue"
    assert doc["code"] == "1001"
    assert doc["message"] == "User johndoe already has a mailbox"
    assert doc["details"] == {"Details": "ownerId=johndoe"}
    assert doc["http_status"] == 409
    assert "409 Conflict" in find(result.primary.items, "HTTP status").value


def test_cue_namespaced_lowercase_and_a_list(decoder) -> None:
    xml = (
        '<errors xmlns="http://error.model.rest.aesop.cisco.com">'
        "<error><errorCode>E100</errorCode><errorMessage>bad userId</errorMessage>"
        "<field>userId</field></error>"
        "<error><errorCode>E101</errorCode><errorMessage>bad pin</errorMessage></error></errors>"
    )
    doc = decoder.inspect(xml).to_json()
    assert doc["kind"] == "cue"
    assert doc["code"] == "E100"
    assert len(doc["errors"]) == 2
    assert doc["details"] == {"field": "userId"}
    assert "(+1 more)" in doc["summary"]


def test_other_xml_is_not_recognised_with_the_reason(decoder) -> None:
    result = decoder.inspect("<user><userId>johndoe</userId></user>")
    assert not result.recognised
    assert "neither an SBC status block nor a CUE error document (<user>)" in result.problem


def test_mws_documented_error(decoder) -> None:
    doc = decoder.inspect(
        'HTTP/1.1 404 Not Found\n\n{"error":{"reason":"notFound","message":"Socket not found"}}'
    ).to_json()
    assert doc["kind"] == "mws"
    assert (doc["reason"], doc["message"], doc["errors"]) == ("notFound", "Socket not found", [])
    assert doc["http_status"] == 404


def test_mws_validation_errors(decoder) -> None:
    body = (
        '{"errors":[{"reason":"required","property":"receivers","message":"is required"},'
        '{"reason":"invalid","property":"data","message":"must be a string"}]}'
    )
    result = decoder.inspect(body)
    doc = result.to_json()
    assert doc["errors"][1] == {
        "reason": "invalid",
        "property": "data",
        "message": "must be a string",
    }
    assert doc["summary"] == "MWS validation failed — receivers: is required (+1 more)"
    assert find(result.primary.items, "invalid properties (2)") is not None


def test_mws_string_error_the_server_really_sends(decoder) -> None:
    doc = decoder.inspect('HTTP/1.1 422\n\n{"error": "Invalid json"}').to_json()
    assert doc["kind"] == "mws"
    assert doc["message"] == "Invalid json"
    assert doc["reason"] is None
    assert doc["http_status"] == 422


def test_mws_field_hash_from_the_mutations_gem(decoder) -> None:
    doc = decoder.inspect('{"errors": {"tags": "is not an array"}}').to_json()
    assert doc["errors"] == [{"reason": "", "property": "tags", "message": "is not an array"}]


def test_mws_status_meanings(decoder) -> None:
    doc = decoder.inspect("mws 422").to_json()
    assert doc["kind"] == "http"
    assert doc["system"] == "mws"
    assert "invalid" in doc["meaning"]
