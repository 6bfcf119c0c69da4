"""ICWS messages → FeedEvents, the wire helpers, and hostile input."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.feed import FLAG_DELTA, SEV_ERROR, SEV_NOTICE, SEV_OK, SEV_WARNING, FeedEvent
from tui.core.protocols.icws import IcwsNormaliser
from tui.core.protocols.icws_wire import (
    decode_eic_state,
    format_seconds,
    format_statistic_value,
    kind_of,
    parse_error_body,
    parse_icws_time,
    parse_message_batch,
    short_type,
)

QUEUE = "urn:inin.com:queues:queueContentsMessage"


def normalise(message: Any, labels: dict[str, str] | None = None) -> list[tuple[FeedEvent, bytes]]:
    normaliser = IcwsNormaliser("cic1", clock=lambda: 1000.0)
    normaliser.queue_labels.update(labels or {})
    return normaliser.normalise(message)


def test_type_names() -> None:
    assert short_type(QUEUE) == "queues:queueContentsMessage"
    assert kind_of(QUEUE) == "queueContents"
    assert kind_of("urn:inin.com:foo:Message") == "Message"
    assert short_type("custom:thing") == "custom:thing"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A", ("A", "Alerting")),
        ("c", ("C", "Connected")),
        ("H", ("H", "Held")),
        ("O", ("O", "Offering")),
        ("R", ("R", "Proceeding")),
        ("E", ("E", "Disconnected")),
        ("0", ("A", "Alerting")),  # older servers: the enum number
        ("6", ("R", "Proceeding")),
        ("", ("", "")),
        (None, ("", "")),
        ("Z", ("?", "unknown state 'Z'")),
        ("\x1b[2JQ", ("?", "unknown state '␛[2JQ'")),
    ],
)
def test_eic_state_decoding(value: object, expected: tuple[str, str]) -> None:
    assert decode_eic_state(value) == expected


@pytest.mark.parametrize(
    ("text", "stamp"),
    [
        ("20210706T193229Z", 1625599949.0),
        ("20210706T193229.250Z", 1625599949.25),
        ("2021-07-06T19:32:29Z", 1625599949.0),
        ("2021-07-06T19:32Z", 1625599920.0),
        ("2021-07-06T21:32:29+02:00", 1625599949.0),
        ("2021-07-06T19:32:29.5Z", 1625599949.5),
    ],
)
def test_compact_and_extended_dates(text: str, stamp: float) -> None:
    assert parse_icws_time(text) == stamp


@pytest.mark.parametrize(
    "text", ["", "2021", "20211306T193229Z", "20210706T253229Z", "yesterday", None, 5]
)
def test_bad_dates_are_none(text: object) -> None:
    assert parse_icws_time(text) is None


def test_batches() -> None:
    assert parse_message_batch(b"").messages == []
    assert parse_message_batch(b"  \n").problem == ""
    assert parse_message_batch(b"{}").messages == []
    assert parse_message_batch(b"[]").messages == []
    one = parse_message_batch(b'{"__type":"x","isDelta":false}')
    assert one.messages == [{"__type": "x", "isDelta": False}]
    assert "not JSON" in parse_message_batch(b"[{").problem
    assert "expected a JSON array" in parse_message_batch(b"42").problem
    assert "not JSON" in parse_message_batch(b"\xff\xfe").problem
    assert "nested too deeply" in parse_message_batch(b"[" * 100_000 + b"]" * 100_000).problem


def test_error_bodies() -> None:
    body = json.dumps(
        {
            "errorId": "error.server.notAcceptingConnections",
            "message": "This Session Manager is not currently accepting connections.",
            "alternateHostList": ["backup1", "", 7],
            "errorCode": -2147221503,
        }
    ).encode()
    error = parse_error_body(body)
    assert error.error_id == "error.server.notAcceptingConnections"
    assert error.alternate_hosts == ("backup1",)
    assert error.error_code == -2147221503
    assert "errorCode -2147221503" in error.describe()
    assert parse_error_body(b"<html>") == parse_error_body(b"")
    assert parse_error_body(b'["x"]').error_id == ""


def test_statistic_values() -> None:
    def value(kind: str, v: Any, t: int) -> dict[str, Any]:
        return {"__type": f"urn:inin.com:statistics:{kind}", "value": v, "statisticValueType": t}

    assert format_statistic_value(value("statisticIntValue", 12, 0)) == ("12", False)
    assert format_statistic_value(value("statisticPercentValue", 42.25, 9)) == ("42.2%", False)
    assert format_statistic_value(value("statisticDurationValue", 75, 6)) == ("1m15s", False)
    assert format_statistic_value(value("statisticBoolValue", True, 3)) == ("true", False)
    assert format_statistic_value({"__type": "x:statisticErrorValue", "statisticValueType": 12})[1]
    assert format_statistic_value(None) == ("-", False)
    assert format_statistic_value("junk") == ("junk", True)
    assert format_seconds(3725) == "1h02m"
    assert format_seconds(-1) == "-"


def test_queue_snapshot_gives_summary_and_one_event_per_interaction() -> None:
    message = {
        "__type": QUEUE,
        "isDelta": False,
        "subscriptionId": "noc-q1",
        "interactionsAdded": [
            {
                "interactionId": "1001",
                "attributes": {
                    "EIC_STATE": "A",
                    "Eic_RemoteName": "ACME Corp",
                    "eic_remotetn": "+1 555 0100",
                    "Eic_ObjectType": "Call",
                    "Eic_CallDirection": "I",
                },
            },
            {"interactionId": "1002", "attributes": {"Eic_State": "C", "Eic_UserName": "j.chen"}},
        ],
    }
    out = normalise(message, {"noc-q1": "Support"})
    events = [e for e, _ in out]
    assert [e.status for e in events] == ["snapshot", "Alerting", "Connected"]
    summary, first, second = events
    assert summary.info.startswith("2 interactions")
    assert not summary.flags & FLAG_DELTA
    assert first.source == "icws"
    assert first.node == "cic1"
    assert first.method == "queues:queueContentsMessage"
    assert first.kind == "queueContents"
    assert first.app == "noc-q1"
    assert first.queue == "Support"
    assert first.call == "1001"
    assert first.info == "added · Alerting · ACME Corp <+1 555 0100> · Call in"
    assert second.user == "j.chen"
    assert first.ts == 1000.0
    raw = json.loads(out[1][1])
    assert raw["interactionsAdded"][0]["interactionId"] == "1001"
    assert raw["subscriptionId"] == "noc-q1"
    assert "interactionsAdded" not in json.loads(out[0][1])


def test_queue_delta_changes_and_removals() -> None:
    message = {
        "__type": QUEUE,
        "isDelta": True,
        "subscriptionId": "noc-q1",
        "interactionsChanged": [
            {"interactionId": "1001", "attributes": {"Eic_State": "H"}},
            {"interactionId": "1002", "attributes": {"Eic_RemoteName": "New name"}},
        ],
        "interactionsRemoved": ["1003"],
        "queueResultLimitExceeded": True,
    }
    events = [e for e, _ in normalise(message)]
    assert [e.status for e in events] == ["limit exceeded", "Held", "", "Removed"]
    assert all(e.flags & FLAG_DELTA for e in events)
    assert events[0].severity == SEV_WARNING
    assert "attributes: eic_remotename" in events[2].info
    assert events[3].call == "1003"


def test_workgroup_attribute_names_the_queue() -> None:
    message = {
        "__type": QUEUE,
        "isDelta": True,
        "subscriptionId": "s",
        "interactionsAdded": [{"interactionId": "9", "attributes": {"Eic_WorkgroupName": "Sales"}}],
    }
    ((event, _),) = normalise(message, {"s": "Support"})
    assert event.queue == "Sales"


def test_user_statuses_one_event_each() -> None:
    message = {
        "__type": "urn:inin.com:status:userStatusMessage",
        "isDelta": True,
        "userStatusList": [
            {
                "userId": "Administrator",
                "statusId": "Do Not disturb",
                "statusChanged": "20210706T193229Z",
                "loggedIn": True,
                "onPhone": False,
            },
            {"userId": "j.chen", "statusId": "Available", "loggedIn": True, "onPhone": True},
        ],
    }
    events = [e for e, _ in normalise(message)]
    assert [(e.user, e.status, e.severity) for e in events] == [
        ("Administrator", "Do Not disturb", SEV_NOTICE),
        ("j.chen", "Available", SEV_OK),
    ]
    assert events[0].info == "logged in · since 19:32:29Z"
    assert events[0].app == "user-statuses"
    assert events[1].info == "logged in · on phone"


def test_statistics_and_alerts() -> None:
    key = {
        "statisticIdentifier": "inin.workgroup:InteractionsWaiting",
        "parameterValueItems": [
            {"parameterTypeId": "ININ.People.WorkgroupStats:Workgroup", "value": "Support"},
            {"parameterTypeId": "ININ.Queue:Interval", "value": "CurrentShift"},
        ],
    }
    int_value = {"__type": "urn:inin.com:statistics:statisticIntValue", "value": 14}
    stats = {
        "__type": "urn:inin.com:statistics:statisticValueMessage",
        "isDelta": True,
        "statisticValueChanges": [{"statisticKey": key, "statisticValue": int_value}],
    }
    ((event, _),) = normalise(stats)
    assert (event.queue, event.status, event.kind) == ("Support", "14", "statisticValue")
    assert event.info == "inin.workgroup:InteractionsWaiting [Support, CurrentShift] = 14"
    alert = {
        "__type": "urn:inin.com:alerts:alertNotificationMessage",
        "isDelta": True,
        "alertNotificationList": [
            {
                "alertDefinitionId": "wg-waiting",
                "alertRuleId": "over-10",
                "cleared": False,
                "timeStamp": "20260314T092653Z",
                "statisticKey": key,
                "statisticValue": int_value,
            }
        ],
    }
    ((event, _),) = normalise(alert)
    assert (event.status, event.severity, event.queue) == ("raised", SEV_WARNING, "Support")


def test_connection_subscription_async_and_error_messages() -> None:
    down = {
        "__type": "urn:inin.com:connection:connectionStateChangeMessage",
        "isDelta": True,
        "previousConnectionState": 1,
        "newConnectionState": 2,
        "reason": "The server is shutting down.",
        "shouldReconnect": True,
    }
    ((event, _),) = normalise(down)
    assert (event.status, event.severity) == ("down", SEV_ERROR)
    assert event.info == "up → down: The server is shutting down. (server says: reconnect)"
    faulted = {
        "__type": "urn:inin.com:queues:queueSubscriptionStateMessage",
        "isDelta": False,
        "subscriptionId": "noc-q1",
        "state": 3,
        "error": {"errorId": "error.request.accessDenied", "message": "No rights."},
    }
    ((event, _),) = normalise(faulted)
    assert (event.status, event.error_id, event.severity) == (
        "faulted",
        "error.request.accessDenied",
        SEV_ERROR,
    )
    done = {
        "__type": "urn:inin.com:messaging:asyncOperationCompletedMessage",
        "isDelta": False,
        "requestId": "r1",
        "error": None,
    }
    assert normalise(done)[0][0].status == "completed"


def test_item_less_messages_still_say_what_they_are() -> None:
    alerts = {"__type": "urn:inin.com:alerts:alertNotificationMessage", "isDelta": False}
    ((event, _),) = normalise({**alerts, "alertNotificationList": []})
    assert (event.app, event.status, event.info) == (
        "alert-notifications",
        "snapshot",
        "no alerts raised at present",
    )
    ((event, _),) = normalise({"__type": QUEUE, "isDelta": True, "subscriptionId": "q"})
    assert (event.app, event.status) == ("q", "empty")


def test_unknown_types_are_kept_with_their_raw() -> None:
    message = {"__type": "urn:inin.com:licenses:licenseMessage", "isDelta": False, "x": 1}
    ((event, raw),) = normalise(message)
    assert (event.kind, event.method, event.status) == (
        "license",
        "licenses:licenseMessage",
        "undecoded",
    )
    assert event.severity == SEV_NOTICE
    assert json.loads(raw) == message


@pytest.mark.parametrize(
    ("message", "fragment"),
    [
        ([1, 2], "not a message object: list"),
        ("text", "not a message object: str"),
        ({"isDelta": True}, "without a __type"),
        ({"__type": QUEUE, "isDelta": True, "interactionsAdded": ["x"]}, "not an object"),
        (
            {"__type": QUEUE, "isDelta": True, "interactionsAdded": [{"attributes": {}}]},
            "without an interactionId",
        ),
    ],
)
def test_invalid_messages_are_explained(message: Any, fragment: str) -> None:
    events = [e for e, _ in normalise(message)]
    assert events
    assert any(fragment in e.info for e in events)
    assert any(e.severity == SEV_WARNING for e in events)


def test_remote_text_is_cleaned_in_events() -> None:
    message = {
        "__type": QUEUE,
        "isDelta": True,
        "subscriptionId": "s\x1b[31m",
        "interactionsAdded": [
            {"interactionId": "1", "attributes": {"Eic_RemoteName": "[red]x\x1b]0;pwn\x07\ny"}}
        ],
    }
    ((event, raw),) = normalise(message)
    assert event.app == "s␛[31m"  # the escape is shown, not obeyed, not hidden
    assert "\x1b" not in event.info
    assert "\n" not in event.info
    assert "[red]x␛]0;pwn␇⏎y" in event.info  # markup stays literal text; the UI renders it as Text
    assert json.loads(raw)["subscriptionId"] == "s\x1b[31m"  # the raw slice stays exact


def safe_to_show(text: str) -> bool:
    """No control characters, no lone surrogates: the terminal can be given it as it is."""
    text.encode("utf-8")  # raises on a lone surrogate
    return not any(unicodedata.category(c) in ("Cc", "Cs") for c in text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)
KNOWN_TYPES = [
    QUEUE,
    "urn:inin.com:status:userStatusMessage",
    "urn:inin.com:status:statusMessagesMessage",
    "urn:inin.com:statistics:statisticValueMessage",
    "urn:inin.com:alerts:alertNotificationMessage",
    "urn:inin.com:connection:connectionStateChangeMessage",
    "urn:inin.com:queues:queueSubscriptionStateMessage",
    "urn:inin.com:messaging:asyncOperationCompletedMessage",
    "urn:inin.com:interactions:interactionChangedMessage",
    "urn:inin.com:common:error",
]
FIELDS = [
    "isDelta",
    "subscriptionId",
    "interactionsAdded",
    "interactionsChanged",
    "interactionsRemoved",
    "userStatusList",
    "statisticValueChanges",
    "alertNotificationList",
    "state",
    "error",
    "newConnectionState",
    "reason",
    "attributes",
    "interactionID",
    "statusMessagesAdded",
]
hostile_messages = st.builds(
    lambda t, extra: {"__type": t, **extra},
    st.sampled_from(KNOWN_TYPES) | st.text(max_size=30),
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6),
)


@settings(max_examples=400, deadline=None)
@given(hostile_messages | json_values)
def test_hostile_messages_never_crash_and_always_explain(message: Any) -> None:
    from tui.core.icws_state import IcwsState

    out = normalise(message)
    assert out, "every message gives at least one event"
    for event, raw in out:
        assert isinstance(raw, bytes)
        for text in (event.info, event.status, event.queue, event.user, event.app, event.call):
            assert safe_to_show(text), repr(text)
    state = IcwsState(clock=lambda: 0.0)
    state.apply("cic1", message)
    state.queues(), state.agents(), state.statistics(), state.alerts()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_hostile_batches_never_crash(body: bytes) -> None:
    batch = parse_message_batch(body)
    assert isinstance(batch.messages, list)
    for message in batch.messages:
        normalise(message)


def test_headless_json_of_icws_events() -> None:
    message = {
        "__type": QUEUE,
        "isDelta": True,
        "subscriptionId": "noc-1-workgroup-support",
        "interactionsChanged": [{"interactionId": "1001", "attributes": {"Eic_State": "C"}}],
    }
    ((event, _),) = normalise(message, {"noc-1-workgroup-support": "Support"})
    out = event._replace(seq=9).to_json()
    assert {k: out[k] for k in ("source", "server", "type", "subscription", "is_delta")} == {
        "source": "icws",
        "server": "cic1",
        "type": "queues:queueContentsMessage",
        "subscription": "noc-1-workgroup-support",
        "is_delta": True,
    }
    assert (out["interaction"], out["queue"], out["status"]) == ("1001", "Support", "Connected")
    assert out["flags"] == ["delta"]
    json.dumps(out)


def test_an_interaction_carries_its_number_and_the_configured_link_key() -> None:
    message = {
        "__type": QUEUE,
        "isDelta": True,
        "subscriptionId": "noc-q1",
        "interactionsChanged": [
            {
                "interactionId": "1001",
                "attributes": {
                    "Eic_State": "A",
                    "Eic_RemoteTn": "+1 555 0100",
                    "Eic_CallDirection": "I",
                    "EIC_CALLIDKEY": "sipcall-42@10.0.0.9\x1b[2J",
                },
            }
        ],
    }
    plain = normalise(message)[0][0]
    assert (plain.caller, plain.callee, plain.session) == ("+1 555 0100", "", "")
    keyed = IcwsNormaliser("cic1", clock=lambda: 1.0, link_attribute="Eic_CallIdKey")
    event = keyed.normalise(message)[0][0]
    assert event.session.startswith("sipcall-42@10.0.0.9") and "\x1b" not in event.session
    assert event.to_json()["link_key"] == event.session
