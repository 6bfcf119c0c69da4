"""Hostile input: any text in, a result or a clear "not recognised" out, never an exception.

Every output string is also one clean line (no control, bidi or surrogate character), so
nothing pasted or received can drive the terminal, or mislead the eye, through the inspector.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.cleanliness import is_clean
from tests.unit.errors.conftest import PACKAGED
from tui.core.errors.context import Context
from tui.core.errors.detect import ErrorDecoder
from tui.core.errors.render import inspection_lines
from tui.core.errors.result import Inspection, Item
from tui.core.errors.rules import HandlingRule

DECODER = ErrorDecoder(Context(PACKAGED, (HandlingRule("error", "error", "any"),)))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _strings(item: Item):
    yield item.label
    yield item.value
    for child in item.children:
        yield from _strings(child)


def check(text: str) -> Inspection:
    result = DECODER.inspect(text)
    assert isinstance(result, Inspection)
    assert not result.problem.startswith("internal decoder error"), result.problem
    assert result.recognised or result.problem
    json.dumps(result.to_json())  # always serialisable
    lines = inspection_lines(result)
    for reading in result.readings:
        for item in reading.items:
            for text_out in _strings(item):
                assert is_clean(text_out, line=True), repr(text_out)
    for line in [result.summary, *lines]:
        assert is_clean(line, line=True), repr(line)
    return result


@FAST
@given(st.text(max_size=400))
def test_any_text(text) -> None:
    check(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "errorId",
                    "errorCode",
                    "message",
                    "__type",
                    "error",
                    "errors",
                    "reason",
                    "property",
                    "status",
                    "info",
                    "sipMessageRaw",
                    "sipStatus",
                    "callId",
                    "licenseStatus",
                    "state",
                    "alternateHostList",
                    "propertyName",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@FAST
@given(json_values, st.sampled_from(["", "HTTP/1.1 400 Bad Request\n\n", "POST /a/call -> 403\n"]))
@example({"errorId": "0\n0"}, "")  # found by this test on unseeded runs: a line break in the tree
@example({"errorId": "error.x\u202e", "message": "\ud800\x9b"}, "")
def test_any_json_error_like_body(value, head) -> None:
    check(head + json.dumps(value))


xml_names = st.sampled_from(
    [
        "root",
        "status",
        "http_code",
        "app_status",
        "app_status_entry",
        "Error",
        "Code",
        "Message",
        "errors",
        "error",
        "sipsg",
        "x",
    ]
)
attr_names = st.sampled_from(
    ["code", "params", "href", "id", "app_code_config", "app_params_config", "app_code_runtime"]
)


@st.composite
def xml_docs(draw, depth: int = 0) -> str:
    name = draw(xml_names)
    attrs = draw(st.dictionaries(attr_names, st.text(max_size=12), max_size=3))
    attr_text = "".join(
        f' {k}="{v.replace("&", "&amp;").replace(chr(34), "&quot;").replace("<", "&lt;")}"'
        for k, v in attrs.items()
    )
    children = draw(st.lists(xml_docs(depth + 1), max_size=3)) if depth < 3 else []
    text = draw(st.text(alphabet="abc123|%<&> ", max_size=10))
    return f"<{name}{attr_text}>{text}{''.join(children)}</{name}>"


@FAST
@given(xml_docs())
def test_any_xml_like_document(doc) -> None:
    check(doc)


@FAST
@given(st.integers(min_value=-(2**70), max_value=2**70), st.text(max_size=40))
def test_numbers_with_anything_after(number, rest) -> None:
    check(f"{number} {rest}")
    check(f"sbc {number} {rest}")
    check(f"emailSignatureStatus {number}")


@FAST
@given(st.lists(st.text(alphabet="ab|%12() ", max_size=8), max_size=6))
def test_sbc_params_any_shape(params) -> None:
    check(f'<app_status_entry code="31003" params="{"|".join(params)}"/>'.replace("&", ""))
    check("31003 " + "|".join(params))


def test_billion_laughs_and_external_entities_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<root><status><http_code>&lol2;</http_code></status></root>"
    )
    result = check(bomb)
    assert not result.recognised
    assert "DOCTYPE" in result.problem
    xxe = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Error><Code>&x;</Code></Error>'
    assert "DOCTYPE" in check(xxe).problem


def test_deep_nesting_is_refused_politely() -> None:
    result = check("[" * 100_000 + "]" * 100_000)
    assert not result.recognised
    assert "nested too deeply" in result.problem
    deep_xml = "<a>" * 5000 + "</a>" * 5000
    result = check(deep_xml)
    assert not result.recognised


def test_big_numbers_and_big_bodies() -> None:
    check('{"errorCode": ' + "9" * 5000 + ', "message": "x"}')
    check("<root>" + "<x/>" * 200_000 + "</root>")  # within the input cap, above the XML cap


def test_terminal_escapes_and_markup_never_come_out() -> None:
    nasty = "\x1b]0;pwned\x07\x1b[2J[bold red]boom[/] \x9b31m"
    result = check(f'{{"error":{{"reason":"{nasty[:4]}x","message":"[red]hi[/red]"}}}}')
    assert result.kind == "mws"
    result = check("error.server.unavailable\x1b[31m")
    assert result.primary is not None
    assert result.primary.fields["error_id"] == "error.server.unavailable"
    sip = f'SIP/2.0 486 Busy{nasty}\nReason: Q.850;cause=17;text="{nasty}"\n\n'
    result = check(sip)
    assert result.kind == "sip"
    assert result.primary is not None
    assert "[bold red]boom[/]" in result.summary or any(
        "[bold red]boom[/]" in s for i in result.primary.items for s in _strings(i)
    )
