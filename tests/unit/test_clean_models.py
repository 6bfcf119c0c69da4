"""Every model builder gives clean text, whatever the remote side sends.

For each place remote text enters a model (the WCS normaliser, the ICWS normaliser, state and
error bodies, the SBC/CUE/MWS parsers, every error decoder) any input — lone surrogates, U+202E,
U+009B, ESC sequences included — gives a model whose every string passes
:func:`tests.cleanliness.is_clean`: one line where the model's text is a line (feed events, a
decoded tree), clean multi-line text where it may hold line breaks (resource values, a pasted
text). The raw and exported forms are checked too: exact JSON, valid UTF-8, no unsafe character.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.cleanliness import (
    is_clean,
    json_values,
    remote_char,
    remote_text,
    strings_in,
    unclean_strings,
)
from tests.unit.errors.conftest import PACKAGED
from tui.core.errors import cue as cue_errors
from tui.core.errors import http, icws, mws, sbc, sip, wcs
from tui.core.errors.context import Context
from tui.core.errors.detect import ErrorDecoder
from tui.core.errors.render import inspection_lines
from tui.core.errors.result import Decoded, Inspection, Item
from tui.core.errors.rules import HandlingRule
from tui.core.feed import StringPool
from tui.core.icws_state import IcwsState
from tui.core.pretty import export_document, pretty_json, sip_message
from tui.core.protocols import wcs as wcs_protocol
from tui.core.protocols.cue import parse_cue
from tui.core.protocols.icws import IcwsNormaliser
from tui.core.protocols.icws_wire import parse_error_body
from tui.core.protocols.mws import parse_mws
from tui.core.protocols.sbc import parse_sbc
from tui.core.protocols.xml import XmlRefused, parse_xml_text
from tui.core.redact import redact_value
from tui.core.resources import Resource
from tui.core.resources.parse import parse_response, pretty_body

MODELS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CTX = Context(PACKAGED, (HandlingRule("error", "error", "any"),))


# -- WCS ---------------------------------------------------------------------------------------

WCS_KEYS = [
    "nodeId", "appKey", "sessionId", "mediaSessionId", "name", "status", "info", "callId",
    "caller", "callee", "sipStatus", "sipMessageRaw", "published",
]  # fmt: skip
WCS_METHODS = ["connect", "CallStatusEvent", "StreamStatusEvent", "OnCallEvent", "call"]
wcs_values = st.one_of(
    remote_text(250), st.integers(), st.none(), st.booleans(), st.lists(remote_text(5), max_size=2)
)


@MODELS
@given(
    app=remote_text(),
    method=st.sampled_from(WCS_METHODS) | remote_text(20),
    payload=st.dictionaries(st.sampled_from(WCS_KEYS) | remote_text(8), wcs_values, max_size=8),
)
@example(app="/apps/x", method="CallStatusEvent", payload={"callId": "sur\ud800x", "status": "X"})
@example(app="/\u202e", method="\x9b2J", payload={"info": "\x1b]0;t\x07", "nodeId": "\ufeffn"})
def test_wcs_events_hold_only_clean_lines(app: str, method: str, payload: dict[str, Any]) -> None:
    event = wcs_protocol.normalise(app, method, payload, ts=1.0, pool=StringPool())
    assert unclean_strings(event, line=True) == []


@MODELS
@given(json_values(WCS_KEYS), st.binary(max_size=60))
@example({"sipMessageRaw": "SIP/2.0 486 Busy\r\nX: \x1b[2J\u202e\ud800\r\n"}, b"\xff\xfe\x9b")
@example({"info": "\x9b31m\x9d0;t\x9c", "callId": "sur\ud800x"}, "\x9b\u202e".encode())
@example({"SECRET": False}, b"")  # a hostile key that names a secret: its value is hidden
def test_hook_body_views_and_the_ticket_export_are_clean(value: Any, reply: bytes) -> None:
    raw = json.dumps(value).encode()  # \ud800 travels as an escape, as WCS would send it
    for blob in (raw, reply, raw[:-1]):
        text, _ = pretty_json(blob)
        assert is_clean(text), repr(text)
        assert is_clean(sip_message(blob)), repr(sip_message(blob))
    document = export_document({"seq": 1}, raw, reply, {"path": "/x"})
    document.encode("utf-8")  # writable as UTF-8: no lone surrogate left
    assert is_clean(document), repr(document)
    # Escaped, and secrets hidden as the journal hides them; nothing else altered.
    assert json.loads(document)["request"] == redact_value(value)


# -- ICWS --------------------------------------------------------------------------------------

ATTRIBUTES = [
    "Eic_State", "Eic_RemoteName", "Eic_RemoteTn", "Eic_RemoteAddress", "Eic_WorkgroupName",
    "Eic_UserName", "Eic_CallDirection", "Eic_ObjectType", "Eic_InitiationTime",
]  # fmt: skip
text = remote_text()
interactions = st.lists(
    st.fixed_dictionaries(
        {"interactionId": text},
        optional={"attributes": st.dictionaries(st.sampled_from(ATTRIBUTES) | text, text)},
    ),
    max_size=3,
)
statistic_keys = st.fixed_dictionaries(
    {"statisticIdentifier": text},
    optional={
        "parameterValueItems": st.lists(
            st.fixed_dictionaries({"parameterTypeId": text, "value": text}), max_size=2
        )
    },
)
statistic_values = st.fixed_dictionaries(
    {"__type": st.sampled_from(["urn:inin.com:statistics:statisticIntValue", "x"]) | text},
    optional={"value": text | st.integers(), "errorValueType": text},
)
errors = st.fixed_dictionaries({}, optional={"errorId": text, "message": text})
common = {"subscriptionId": text, "isDelta": st.booleans()}
U = "urn:inin.com:"
icws_messages = st.one_of(
    st.fixed_dictionaries(
        {"__type": st.just(U + "queues:queueContentsMessage")},
        optional={
            **common,
            "interactionsAdded": interactions,
            "interactionsChanged": interactions,
            "interactionsRemoved": st.lists(text, max_size=2),
        },
    ),
    st.fixed_dictionaries(
        {"__type": st.just(U + "status:userStatusMessage")},
        optional={
            **common,
            "userStatusList": st.lists(
                st.fixed_dictionaries(
                    {"userId": text},
                    optional={"statusId": text, "notes": text, "loggedIn": st.booleans()},
                ),
                max_size=3,
            ),
        },
    ),
    st.fixed_dictionaries(
        {"__type": st.just(U + "status:statusMessagesMessage")},
        optional={
            **common,
            "statusMessagesAdded": st.lists(
                st.fixed_dictionaries({"statusId": text}, optional={"messageText": text}),
                max_size=2,
            ),
        },
    ),
    st.fixed_dictionaries(
        {"__type": st.just(U + "statistics:statisticValueMessage")},
        optional={
            **common,
            "statisticValueChanges": st.lists(
                st.fixed_dictionaries(
                    {"statisticKey": statistic_keys, "statisticValue": statistic_values}
                ),
                max_size=2,
            ),
        },
    ),
    st.fixed_dictionaries(
        {"__type": st.just(U + "alerts:alertNotificationMessage")},
        optional={
            **common,
            "alertNotificationList": st.lists(
                st.fixed_dictionaries(
                    {"alertDefinitionId": text, "alertRuleId": text},
                    optional={"statisticKey": statistic_keys, "cleared": st.booleans()},
                ),
                max_size=2,
            ),
        },
    ),
    st.fixed_dictionaries(
        {"__type": st.sampled_from([U + "messaging:subscriptionStateMessage", U + "common:error"])},
        optional={**common, "error": errors, "errorId": text, "message": text, "state": text},
    ),
    st.fixed_dictionaries(
        {"__type": st.just(U + "connection:connectionStateChangeMessage")},
        optional={"reason": text, "newConnectionState": st.integers(-1, 3) | text},
    ),
    st.fixed_dictionaries(
        {"__type": st.just(U + "interactions:interactionChangedMessage")},
        optional={
            "interactionID": text,
            "attributes": st.dictionaries(st.sampled_from(ATTRIBUTES) | text, text),
        },
    ),
    st.fixed_dictionaries({"__type": text}, optional=common),  # unknown types
    json_values(["__type", "subscriptionId", "error", "errorId"]),  # not messages at all
)


@MODELS
@given(icws_messages)
@example({"__type": U + "common:error", "errorId": "0\n0", "message": "sur\ud800x\u202e"})
@example({"__type": []})  # found by the CI profile: IcwsState.apply raised on it
def test_icws_events_raw_slices_and_state_hold_only_clean_text(message: Any) -> None:
    events = IcwsNormaliser("cic1", clock=lambda: 1000.0).normalise(message)
    assert events
    for event, raw in events:
        assert unclean_strings(event, line=True) == []
        decoded = raw.decode("utf-8")  # strictly: a lone surrogate is an escape in the slice
        assert is_clean(decoded), repr(decoded)
    state = IcwsState(clock=lambda: 0.0)
    state.set_note("cic1", "note \x1b[2J\ud800")
    state.apply("cic1", message)
    views = (state.queues(), state.agents(), state.statistics(), state.alerts(), state.note("cic1"))
    assert unclean_strings(views, line=True) == []


@MODELS
@given(json_values(["errorId", "message", "errorCode", "alternateHostList"]))
@example({"errorId": "0\n0", "alternateHostList": ["\u202ehost", "\ud800"]})
def test_icws_error_bodies_are_clean(value: Any) -> None:
    body = parse_error_body(json.dumps(value).encode())
    assert unclean_strings(body, line=True) == []
    assert is_clean(body.describe(), line=True)


# -- SBC, CUE, MWS -----------------------------------------------------------------------------


def _xml_char(c: str) -> str:
    """A character as XML 1.0 can carry it: a character reference, or nothing if it cannot."""
    code = ord(c)
    if code in (0x9, 0xA, 0xD) or 0x20 <= code < 0xD800 or 0xE000 <= code <= 0xFFFD:
        return c if c.isalnum() and code < 0x80 else f"&#x{code:x};"
    if code >= 0x10000:
        return f"&#x{code:x};"
    return ""  # other C0 controls, surrogates, U+FFFE/U+FFFF: not XML characters


def x(text: str) -> str:
    return "".join(_xml_char(c) for c in text)


# XML names may hold U+061C (Arabic letter mark) and U+FEFF (BOM) after their first letter
xml_names = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(["a", "sipsg", "Description", "rt_x", "user", "errorCode", "message"]),
    st.lists(st.sampled_from(["\u061c", "\ufeff", "b", "Uri", "_"]), max_size=3).map("".join),
)
codes = st.sampled_from(["31003", "20035", "20101", "0", ""]) | remote_text(6)


@st.composite
def sbc_bodies(draw: st.DrawFn) -> bytes:
    def t(size: int = 20) -> str:
        return x(draw(remote_text(size)))

    def field() -> str:
        name = draw(xml_names)
        if draw(st.booleans()):
            entries = "".join(f'<entry href="{t()}">{t()}</entry>' for _ in range(2))
            return f"<{name}>{entries}</{name}>"
        href = f' href="{t()}"' if draw(st.booleans()) else ""
        return f"<{name}{href}>{t()}</{name}>"

    def resource(name: str) -> str:
        fields = "".join(field() for _ in range(draw(st.integers(0, 3))))
        errs = f' app_code_runtime="{x(draw(codes))}" app_params_runtime="{t()}"'
        return f'<{name} id="{t(6)}" href="{t()}"{errs}>{fields}</{name}>'

    name = draw(xml_names)
    status = (
        f'<status><http_code>{t(4)}</http_code><app_status href="{t()}">'
        f'<app_status_entry code="{x(draw(codes))}" params="{t()}"/></app_status></status>'
    )
    block = draw(
        st.sampled_from(
            [
                resource(name),
                f'<{name}_list count="{t(3)}">{resource(name)}{resource(name)}</{name}_list>',
                f'<{name}_list count="2"><{name}_pk id="{t(4)}" href="{t()}"/></{name}_list>',
                "",
            ]
        )
    )
    return f"<root>{status}{block}</root>".encode()


@st.composite
def cue_bodies(draw: st.DrawFn) -> bytes:
    def t(size: int = 20) -> str:
        return x(draw(remote_text(size)))

    def user() -> str:
        name = draw(xml_names)
        ops = f"<operations><operation><name>{t()}</name><uri>{t()}</uri></operation></operations>"
        return f"<user><uri>{t()}</uri><userId>{t(8)}</userId><{name}>{t()}</{name}>{ops}</user>"

    return draw(
        st.sampled_from(
            [
                user().encode(),
                f"<baseElementList>{user()}{user()}</baseElementList>".encode(),
                f"<error><code>{t(6)}</code><message>{t()}</message><detail>{t()}</detail>"
                f"<field>{t(6)}</field></error>".encode(),
            ]
        )
    )


MWS_KEYS = ["id", "results", "error", "errors", "reason", "message", "property", "tags", "name"]


@MODELS
@given(sbc_bodies(), st.sampled_from(["", "runtime", "\u202e"]))
@example(
    b'<root><sipsg id="1"><Description>Carrier &#x202e;A&#x9b;</Description></sipsg></root>', ""
)
def test_sbc_resources_hold_only_clean_text(body: bytes, category: str) -> None:
    resource = parse_sbc(body, filter_category=category)
    assert unclean_strings(resource) == []
    assert unclean_strings([item.attributes() for item in resource.items]) == []
    assert unclean_strings([item.label for item in resource.items]) == []
    meta = (("Server", "x\x1b[2J"), ("X\u202e", "\ud800"))
    assert unclean_strings(parse_response("sbc", body, transport_status=200, meta=meta)) == []
    shown, _ = pretty_body("sbc", body)
    assert is_clean(shown), repr(shown)


@MODELS
@given(cue_bodies(), remote_text(10))
def test_cue_resources_hold_only_clean_text(body: bytes, version: str) -> None:
    resource = parse_cue(body, meta=(("PI-Version", version),))
    assert unclean_strings(resource) == []
    assert unclean_strings([item.attributes() for item in resource.items]) == []
    shown, _ = pretty_body("cue", body)
    assert is_clean(shown), repr(shown)


@MODELS
@given(json_values(MWS_KEYS), remote_text(), st.sampled_from([200, 404, 422]))
@example({"id": "s\ud800", "tags": ["\u202e", "\x9b31m"]}, "/v1/sockets/\x9b", 200)
def test_mws_resources_hold_only_clean_text(value: Any, path: str, status: int) -> None:
    body = json.dumps(value).encode()
    resource = parse_mws(body, transport_status=status, path=path)
    assert unclean_strings(resource) == []
    assert unclean_strings([item.attributes() for item in resource.items]) == []
    shown, lexer = pretty_body("mws", body)
    assert is_clean(shown), repr(shown)
    if lexer == "json":
        assert json.loads(shown) == value  # the raw view escapes, it does not alter


def test_every_resource_field_is_known_to_the_cleaner() -> None:
    """A new text field on Resource must be cleaned too: this fails until it is listed here
    (and in tui.core.resources.clean)."""
    import dataclasses

    assert [f.name for f in dataclasses.fields(Resource)] == [
        "kind", "shape", "name", "id", "href", "http_code", "transport_status", "errors",
        "attributes", "items", "count", "filter_category", "status_href", "meta", "notes",
        "problem", "details", "children",
    ]  # fmt: skip


# -- error decoders ----------------------------------------------------------------------------


def assert_clean_inspection(result: Inspection) -> None:
    assert is_clean(result.text), repr(result.text)
    assert is_clean(result.problem, line=True), repr(result.problem)
    assert is_clean(result.summary, line=True), repr(result.summary)
    for reading in result.readings:
        assert_clean_reading(reading)
    for line in inspection_lines(result):
        assert is_clean(line, line=True), repr(line)
    assert unclean_strings(result.to_json()) == []


def xml_root(text: str) -> Any:
    """The root of a pasted XML document, or None when it is refused."""
    try:
        return parse_xml_text(text, max_bytes=1 << 20)[0]
    except XmlRefused:
        return None


def assert_clean_reading(reading: Decoded | None) -> None:
    if reading is None:
        return
    assert is_clean(reading.summary, line=True), repr(reading.summary)
    assert unclean_strings(reading.items, line=True) == []
    assert unclean_strings(reading.fields) == []


DECODER = ErrorDecoder(CTX)
ERROR_KEYS = [
    "errorId", "errorCode", "message", "__type", "error", "errors", "reason", "property",
    "status", "info", "sipMessageRaw", "sipStatus", "callId", "alternateHostList",
    "propertyName", "licenseStatus",
]  # fmt: skip


@MODELS
@given(remote_text(200))
@example("error.server.unavailable\u202e\x9b")
@example('SIP/2.0 486 Busy\u202e\r\nReason: Q.850;cause=17;text="\x1b[2J\ud800"\r\n\r\n')
def test_the_inspector_front_door_gives_clean_results_for_any_text(pasted: str) -> None:
    assert_clean_inspection(DECODER.inspect(pasted))


@MODELS
@given(
    json_values(ERROR_KEYS),
    st.sampled_from(["", "HTTP/1.1 400 Bad Request\n\n", "POST /a/CallStatusEvent -> 403\n\n"]),
)
@example({"errorId": "0\n0"}, "")
@example({"error": {"errorId": "error.\u202ex", "message": "\ud800"}}, "")
def test_the_inspector_front_door_gives_clean_results_for_any_json(value: Any, head: str) -> None:
    assert_clean_inspection(DECODER.inspect(head + json.dumps(value)))


@MODELS
@given(sbc_bodies() | cue_bodies())
def test_the_inspector_front_door_gives_clean_results_for_any_xml(body: bytes) -> None:
    assert_clean_inspection(DECODER.inspect(body.decode()))


@MODELS
@given(json_values(ERROR_KEYS), remote_text(80), st.integers(-(2**40), 2**40))
@example({"errorId": "0\n0"}, "0\n0", 400)
def test_each_decoder_called_directly_gives_a_clean_reading(
    obj: Any, text: str, number: int
) -> None:
    """Without the front door's input cleaning: the model itself guarantees clean text."""
    as_dict = obj if isinstance(obj, dict) else {"value": obj}
    assert_clean_reading(icws.decode_error_id(CTX, text, message=text, property_name=text))
    assert_clean_reading(icws.decode_error_body(CTX, as_dict, http_status=400))
    assert_clean_reading(icws.decode_bare(CTX, text))
    assert_clean_reading(icws.decode_error_code(CTX, number, message=text))
    assert_clean_reading(icws.decode_client_side(text))
    assert_clean_reading(mws.decode(CTX, as_dict, 422))
    assert_clean_reading(wcs.decode_event(CTX, as_dict, method=text, reply_status=403))
    assert_clean_reading(wcs.decode_info(CTX, text))
    assert_clean_reading(sip.decode_message(CTX, f"SIP/2.0 486 {text}\r\nReason: {text}\r\n"))
    assert_clean_reading(sip.decode_status(CTX, 486, reason_text=text))
    assert_clean_reading(sip.decode_q850(CTX, 17, text))
    assert_clean_reading(http.decode_http_status(CTX, 503, reason_text=text))
    assert_clean_reading(sbc.decode_text(CTX, f"31003 {text}"))
    root = xml_root(
        f'<root><status><app_status_entry code="31003" params="{x(text)}"/></status></root>'
        f"<error><code>{x(text)}</code><message>{x(text)}</message></error>"
    )
    if root is not None:
        assert_clean_reading(sbc.decode_xml(CTX, root))
    root = xml_root(f"<error><code>{x(text)}</code><message>{x(text)}</message></error>")
    if root is not None:
        assert_clean_reading(cue_errors.decode_xml(CTX, root, 409))


@given(st.text(remote_char, max_size=30), st.text(remote_char, max_size=30))
def test_an_item_is_one_clean_line_however_it_is_made(label: str, value: str) -> None:
    item = Item(label, value, children=(Item(value, label),))
    assert unclean_strings(item, line=True) == []
    assert [*strings_in(item)][:2] == [item.label, item.value]
