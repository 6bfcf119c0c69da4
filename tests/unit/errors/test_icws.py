"""ICWS errorIds, error bodies and prefix matching: the documented examples (docs/protocols.md §2.11)."""

from __future__ import annotations

import pytest

from tests.unit.errors.conftest import find
from tui.core.errors.rules import HandlingRule, hierarchy, is_prefix_match, matching_rules

AUTH_FAILURE_400 = (
    '{"errorId":"error.request.connection.authenticationFailure","errorCode":-2147221503,'
    '"message":"The authentication process failed."}'
)
NOT_ACCEPTING_503 = (
    '{"alternateHostList":["otherserver"],"errorId":"error.server.notAcceptingConnections",'
    '"message":"This Session Manager is not currently accepting connections."}'
)


@pytest.mark.parametrize(
    ("prefix", "error_id", "expected"),
    [
        ("error.foo", "error.foo.bar", True),  # the documentation's own example
        ("error.f", "error.foo.bar", False),  # whole segments only
        ("error.f", "error.foo", False),
        ("error.foo", "error.foo", True),  # exact
        ("error.foo.bar", "error.foo", False),  # longer prefix never matches
        ("error", "error.request.connection.authenticationFailure", True),
        ("error.request", "error.requests", False),
        ("", "error", False),
    ],
)
def test_prefix_matching_is_the_seed_function(prefix, error_id, expected) -> None:
    assert is_prefix_match(prefix, error_id) is expected


def test_hierarchy_is_shortest_first() -> None:
    assert hierarchy("error.request.accessDenied.httpMethodNotAllowed") == [
        "error",
        "error.request",
        "error.request.accessDenied",
        "error.request.accessDenied.httpMethodNotAllowed",
    ]


def test_matching_rules_most_specific_first_and_stable() -> None:
    rules = [
        HandlingRule("error", "notice", "a"),
        HandlingRule("error.request.connection", "warning", "b"),
        HandlingRule("error.request", "error", "c"),
        HandlingRule("error.req", "critical", "never"),
        HandlingRule("error.server", "critical", "other branch"),
    ]
    found = matching_rules("error.request.connection.authenticationFailure", rules)
    assert [r.prefix for r in found] == ["error.request.connection", "error.request", "error"]


def test_real_400_body(ruled) -> None:
    result = ruled.inspect(AUTH_FAILURE_400)
    assert result.kind == "icws"
    assert not result.ambiguous
    doc = result.to_json()
    assert doc["error_id"] == "error.request.connection.authenticationFailure"
    assert doc["hierarchy"] == [
        "error",
        "error.request",
        "error.request.connection",
        "error.request.connection.authenticationFailure",
    ]
    assert [r["prefix"] for r in doc["rules"]] == ["error.request.connection", "error"]
    assert doc["rules"][0]["runbook"] == "https://wiki/s"
    assert doc["error_code"] == -2147221503
    assert "The authentication process failed." in doc["summary"]
    items = result.readings[0].items
    assert "0x80040001" in find(items, "errorCode").value
    leaf = find(items, "error.request.connection.authenticationFailure")
    assert "verified" in find(leaf.children, "status").value


def test_real_503_body_says_to_try_alternate_hosts(decoder) -> None:
    result = decoder.inspect("HTTP/1.1 503 Service Unavailable\n\n" + NOT_ACCEPTING_503)
    reading = result.primary
    assert reading is not None
    assert reading.kind == "icws"
    assert reading.fields["http_status"] == 503
    hosts = find(reading.items, "alternateHostList")
    assert hosts.value == "otherserver"
    assert "retry POST /icws/connection" in hosts.children[0].value
    assert "not accepting connections" in find(reading.items, "HTTP status").value


def test_bare_error_ids_and_the_seeds_illustrative_ones(decoder) -> None:
    real = decoder.inspect("error.server.unavailable").primary
    assert real.fields["levels"][-1]["status"] == "verified"
    made_up = decoder.inspect("error.foo.bar")
    assert "[illustrative]" in made_up.summary
    assert made_up.primary.fields["levels"][1] == {
        "prefix": "error.foo",
        "status": "illustrative",
        "meaning": made_up.primary.fields["levels"][1]["meaning"],
    }


def test_unknown_leaf_names_the_nearest_known_level(decoder) -> None:
    result = decoder.inspect("error.request.interactions.notFound")
    assert result.kind == "icws"
    assert "nearest known level error.request" in result.summary
    assert result.primary.fields["levels"][-1]["status"] is None


def test_rules_change_the_match_shown(decoder, ruled) -> None:
    assert decoder.inspect("error.foo.bar").primary.fields["rules"] == []
    ruled_doc = ruled.inspect("error.foo.bar").to_json()
    assert [r["prefix"] for r in ruled_doc["rules"]] == ["error.foo", "error"]
    assert ruled_doc["summary"].endswith("→ error: Foo class")
    # error.f is not a prefix of error.foo: a rule for error.f would not show
    assert "error.f" not in [r["prefix"] for r in ruled.inspect("error.foo").to_json()["rules"]]


def test_missing_property_type(decoder) -> None:
    body = (
        '{"__type":"urn:inin.com:common:missingPropertyError","message":"userID is required",'
        '"propertyName":"userID","errorId":"error.request.invalidRepresentation.missingProperty"}'
    )
    reading = decoder.inspect(body).primary
    assert find(reading.items, "propertyName").value == "userID"
    assert find(reading.items, "__type").value == "urn:inin.com:common:missingPropertyError"
    assert reading.fields["levels"][-1]["status"] == "inferred"


def test_old_server_without_error_id_falls_back_to_code_and_status(decoder) -> None:
    result = decoder.inspect('HTTP/1.1 401 Unauthorized\n\n{"errorCode":4,"message":"no cookie"}')
    doc = result.to_json()
    assert doc["kind"] == "icws"
    assert doc["error_id"] is None
    assert doc["error_code"] == 4
    assert doc["http_status"] == 401
    text = " ".join(i.value for i in result.primary.items)
    assert "cookie" in text
    assert "CIC 4.0.6" in text


def test_old_server_code_maps_to_its_error_id_when_the_status_fits(decoder) -> None:
    doc = decoder.inspect(
        'HTTP/1.1 401 Unauthorized\n\n{"errorCode":-2147221499,"message":"bad session"}'
    ).to_json()
    assert doc["error_id"] == "error.request.connection.authenticationFailure"
    assert doc["error_id_inferred"] is True


def test_code_in_error_id_field_from_older_servers(decoder) -> None:
    doc = decoder.inspect('{"errorId":"-2147221496","message":"Station not found"}').to_json()
    assert doc["error_code"] == -2147221496
    assert doc["error_id"] is None


def test_conflicting_code_2_says_sources_disagree(decoder) -> None:
    result = decoder.inspect("icws 2")
    assert "sources disagree" in find(result.primary.items, "errorCode").value


def test_error_inside_a_subscription_state_message_with_its_state(decoder) -> None:
    message = (
        '{"__type":"urn:inin.com:messaging:subscriptionStateMessage","isDelta":false,"state":3,'
        '"error":{"errorId":"error.server.unavailable","message":"gone"}}'
    )
    reading = decoder.inspect(message).primary
    assert reading.fields["error_id"] == "error.server.unavailable"
    assert find(reading.items, "carried by").value.endswith("subscriptionStateMessage")
    assert "Faulted" in find(reading.items, "state = 3").value


def test_client_side_names_are_not_server_error_ids(decoder) -> None:
    result = decoder.inspect("com.inin.icws.error.connect.invalid_credentials")
    assert result.kind == "icws"
    assert "client-side" in result.summary


def test_hresult_forms(decoder) -> None:
    for text in ("-2147221503", "0x80040001"):
        doc = decoder.inspect(text).to_json()
        assert doc["error_id"] == "error.request.connection.authenticationFailure", text
        assert doc["error_code"] == -2147221503
