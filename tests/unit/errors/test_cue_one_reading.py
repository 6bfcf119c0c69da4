"""A CUE error document reads one way in the browser and in the inspector (``e``, ``decode``):
the first code/message pair is the error, every later pair and other child a detail."""

from __future__ import annotations

import pytest

from tui.core.protocols.cue import parse_cue

TWO_PAIRS = (
    "<error><code>4090</code><message>Could not create the mailbox</message>"
    "<code>-17</code><message>LDAP: entry already exists</message>"
    "<ownerId>ann</ownerId></error>"
)
NAMESPACED = (
    '<errorResponse xmlns="http://error.model.rest.aesop.cisco.com" errorCode="E7">'
    "<errorMessage>Rejected</errorMessage><errorCode>E7.1</errorCode>"
    "<errorMessage>pin too short</errorMessage><property>pin</property></errorResponse>"
)


@pytest.mark.parametrize(
    ("body", "code", "message", "details"),
    [
        (
            TWO_PAIRS,
            "4090",
            "Could not create the mailbox",
            {"code 2": "-17", "message 2": "LDAP: entry already exists", "ownerId": "ann"},
        ),
        (
            NAMESPACED,
            "E7",
            "Rejected",
            {"field": "pin", "errorCode 2": "E7.1", "errorMessage 2": "pin too short"},
        ),
    ],
)
def test_browser_and_inspector_keep_the_primary_pair(
    decoder, body: str, code: str, message: str, details: dict[str, str]
) -> None:
    (error,) = parse_cue(body.encode(), transport_status=409).errors
    assert (error.code, error.message) == (code, message)
    browser_details = dict(p.split("=", 1) for p in error.params)
    if error.field:
        browser_details = {"field": error.field} | browser_details
    doc = decoder.inspect(f"HTTP/1.1 409 Conflict\nContent-Type: application/xml\n\n{body}")
    read = doc.to_json()
    assert read["kind"] == "cue"
    assert (read["code"], read["message"]) == (code, message)
    assert read["details"] == details == browser_details


def test_a_root_with_error_children_and_its_own_code_is_one_error(decoder) -> None:
    # an inner error is a detail of the outer one, not a list of errors of its own
    body = "<error><code>1</code><message>outer</message><innerError>inner</innerError></error>"
    (error,) = parse_cue(body.encode(), transport_status=500).errors
    read = decoder.inspect(body).to_json()
    assert (error.code, error.message) == (read["code"], read["message"]) == ("1", "outer")
    assert len(read["errors"]) == 1
