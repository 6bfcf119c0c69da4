"""Hostile and broken bodies are refused with a message an operator can read; nothing raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.protocols.cue import parse_cue
from tui.core.protocols.mws import parse_mws
from tui.core.protocols.sbc import parse_sbc
from tui.core.protocols.xml import XmlRefused, parse_device_xml
from tui.core.resources.parse import parse_response
from tui.core.sanitize import clean_block

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<root><status><http_code>200</http_code></status>
<system href="/rest/system"><NodeName>&lol2;</NodeName></system></root>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE root [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<root><status><http_code>200</http_code></status><system><NodeName>&xxe;</NodeName></system></root>"""

NETWORK_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE root SYSTEM "http://127.0.0.1:9/evil.dtd">
<root/>"""


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, NETWORK_DTD])
def test_entity_and_dtd_tricks_are_refused(body: bytes) -> None:
    resource = parse_sbc(body)
    assert resource.shape == "unreadable"
    assert "DOCTYPE" in resource.problem
    assert "passwd" not in repr(resource)
    cue = parse_cue(body)
    assert cue.shape == "unreadable"


def test_a_50_mb_body_is_refused_before_parsing() -> None:
    body = b"<root>" + b"<a>x</a>" * (50 * 1024 * 1024 // 8) + b"</root>"
    assert len(body) > 50 * 1024 * 1024
    resource = parse_sbc(body)
    assert resource.shape == "unreadable"
    assert "50.0 MB" in resource.problem
    assert "32.0 MB limit" in resource.problem
    assert "max_body_mb" in resource.problem
    assert (
        parse_mws(b"[" + b"1," * (20 * 1024 * 1024) + b"1]", max_bytes=1024).shape == "unreadable"
    )


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"<root><status></root>", "broken XML at line 1"),
        (b"<root><a>unterminated", "broken XML"),
        (b"", "empty"),
        (b"   \n  ", "empty"),
        (b"HTTP/1.1 500 oops", "not XML: the body starts with 'HTTP/1.1 500 oops'"),
        (b"<" + b"<a>" * 300, "broken XML"),
    ],
)
def test_broken_markup_is_explained(body: bytes, fragment: str) -> None:
    resource = parse_sbc(body, transport_status=200)
    assert resource.shape == "unreadable"
    assert fragment in resource.problem


def test_excessive_depth_is_refused() -> None:
    body = b"<root>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</root>"
    with pytest.raises(XmlRefused, match="broken XML"):
        parse_device_xml(body)


def test_undefined_entity_is_shown_literally_not_resolved() -> None:
    root, notes = parse_device_xml(b"<root><a>x &nbsp; y &amp; z</a></root>")
    assert root[0].text == "x &nbsp; y & z"
    assert notes


def test_mws_bad_json_and_deep_nesting() -> None:
    assert parse_mws(b"{nope", transport_status=200).problem.startswith("not JSON")
    deep = b"[" * 100_000 + b"]" * 100_000
    assert parse_mws(deep).shape == "unreadable"
    # an error status with a non-JSON body is still an error, with the body's problem noted
    proxied = parse_mws(b"<html>502</html>", transport_status=502)
    assert proxied.http_code == 502
    assert proxied.notes


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2048))
def test_no_byte_string_makes_a_parser_raise(body: bytes) -> None:
    for kind in ("sbc", "cue", "mws"):
        resource = parse_response(kind, body, transport_status=200)
        assert resource.kind == kind


XML_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40
)


@settings(max_examples=200, deadline=None)
@given(
    tag=st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True),
    value=XML_TEXT,
    href=XML_TEXT,
    code=st.text(max_size=8),
    params=XML_TEXT,
)
def test_generated_envelopes_parse_or_are_explained(
    tag: str, value: str, href: str, code: str, params: str
) -> None:
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")

    body = (
        f'<root><status><http_code>200</http_code><app_status href="x">'
        f'<app_status_entry code="{esc(code)}" params="{esc(params)}"/></app_status></status>'
        f'<{tag} id="1" href="{esc(href)}"><A href="{esc(href)}">{esc(value)}</A></{tag}></root>'
    ).encode()
    resource = parse_sbc(body)
    if resource.shape == "unreadable":
        assert resource.problem  # e.g. control characters XML forbids
    else:
        # XML normalises line ends, then attribute whitespace to spaces; the model holds the
        # value otherwise as sent, with unsafe characters (DEL, C1, bidi…) replaced by policy
        expected = href.replace("\r\n", "\n").replace("\r", "\n")
        expected = expected.replace("\n", " ").replace("\t", " ")
        assert resource.attributes[0].href == clean_block(expected)
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        assert resource.attributes[0].value == clean_block(text)
        assert all(e.message for e in resource.errors)
