"""The SBC envelope into the resource model: the documented shapes (docs/protocols.md §3.2-3.3) and the quirks of real boxes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.unit.lxml_probe import counting_parsers
from tests.unit.peak_memory import parse_peak
from tui.core.errors.catalog import packaged_only
from tui.core.errors.explain import explain_errors
from tui.core.protocols.sbc import parse_sbc
from tui.core.resources import (
    CONFIGURATION,
    RUNTIME,
    STATISTICS,
    Link,
    Resource,
    limits,
    resource_to_json,
)

CATALOGS = packaged_only()


def explained(body: bytes) -> Resource:
    """What the browser shows: the parse, with its app codes read in the packaged catalogs."""
    return explain_errors(parse_sbc(body), CATALOGS)


PK_LIST = b"""<?xml version="1.0"?>
<root>
 <status>
  <http_code>200</http_code>
 </status>
 <historicalstatistics_list count="3">
  <historicalstatistics_pk id="1" href="https://134.56.227.163/rest/license/historicalstatistics/1"/>
  <historicalstatistics_pk id="2" href="https://134.56.227.163/rest/license/historicalstatistics/2"/>
  <historicalstatistics_pk id="3" href="https://134.56.227.163/rest/license/historicalstatistics/3"/>
 </historicalstatistics_list>
</root>"""

ISDNSG = b"""<?xml version="1.0"?>
<root><status><http_code>200</http_code></status>
<isdnsg id="10001" href="https://134.56.72.218/rest/isdnsg/10001">
  <ActionsetTableNumber>0</ActionsetTableNumber>
  <ApplyToChannelList></ApplyToChannelList>
  <!-- a comment the box left in -->
  <ApplyToPortName href="https://134.56.72.218/linecard/1/telcods1port/1">1.1</ApplyToPortName>
  <rt_PeakChannelUsage>7</rt_PeakChannelUsage>
</isdnsg></root>"""


def test_pk_list_gives_links_with_ids_and_count() -> None:
    resource = parse_sbc(PK_LIST)
    assert resource.shape == "list"
    assert resource.name == "historicalstatistics"
    assert resource.http_code == 200
    assert resource.ok
    assert resource.count == 3
    assert [i.id for i in resource.items] == ["1", "2", "3"]
    assert resource.items[0].href.endswith("/rest/license/historicalstatistics/1")
    assert resource.items[0].name == "historicalstatistics"
    assert not resource.details
    assert resource.notes == ()  # the blank lines before <?xml are routine: no note


def test_single_resource_keeps_attribute_order_links_and_categories() -> None:
    resource = parse_sbc(ISDNSG)
    assert resource.shape == "resource"
    assert (resource.name, resource.id) == ("isdnsg", "10001")
    names = [a.name for a in resource.attributes]
    assert names == [
        "ActionsetTableNumber",
        "ApplyToChannelList",
        "ApplyToPortName",
        "rt_PeakChannelUsage",
    ]
    port = resource.attributes[2]
    assert port.value == "1.1"
    assert port.href == "https://134.56.72.218/linecard/1/telcods1port/1"  # no /rest/: kept raw
    assert resource.attributes[1].value == ""
    assert resource.attributes[0].category == CONFIGURATION
    assert resource.attributes[3].category == RUNTIME
    assert resource.attributes[3].is_runtime
    assert resource.has_runtime


def test_filter_category_is_the_category_of_every_attribute() -> None:
    resource = parse_sbc(ISDNSG, filter_category=STATISTICS)
    assert {a.category for a in resource.attributes} == {STATISTICS}


def test_error_status_with_every_app_status_entry_and_substituted_message() -> None:
    body = b"""<?xml version="1.0"?><root><status><http_code>409</http_code>
      <app_status href="https://10.0.0.5/rest/sipq850map/3">
        <app_status_entry code="31003" params="3|2"/>
        <app_status_entry code="99999" params="a|b"/>
        <app_status_entry code="0"/>
      </app_status></status></root>"""
    raw = parse_sbc(body)  # the parser keeps what the box sent; the catalog gives the text
    assert [(e.code, e.message, e.links) for e in raw.errors] == [
        ("31003", "Application error 31003 (3|2)", ()),
        ("99999", "Application error 99999 (a|b)", ()),
    ]
    resource = explain_errors(raw, CATALOGS)
    assert resource.shape == "status"
    assert resource.http_code == 409
    assert resource.transport_status == 200
    assert resource.status_href == "https://10.0.0.5/rest/sipq850map/3"
    assert not resource.ok
    first, second = resource.errors
    assert first.code == "31003"
    assert first.params == ("3", "2")
    assert first.message == "Cannot delete SIP to Q.850 mapping 3. It is in use by SG 2."
    assert Link("signaling group 2", "/rest/sipsg/2") in first.links
    assert second.message == "Application error 99999 (a|b)"
    assert second.links == ()


def test_real_error_capture_from_a_certificate_upload() -> None:
    body = b"""<?xml version="1.0"?>
<root>
<status>
<http_code>500</http_code>
<app_status href="https://10.167.8.7/rest/certificate/1">
<app_status_entry code="15026" params="15000"/>
</app_status>
</status>
</root>"""
    (error,) = explained(body).errors
    assert error.message == (
        "Certificate file data content cannot be empty or exceed the maximum size limit 15000."
    )


def test_per_category_errors_on_a_resource_and_on_list_items() -> None:
    body = b"""<root><status><http_code>200</http_code></status>
      <sipserver id="1:2" href="https://x/rest/sipservertable/1/sipserver/2"
        app_code_runtime="99103" app_params_runtime="1|2|45" app_code_config="0">
        <Host>10.9.9.9</Host>
      </sipserver></root>"""
    resource = explained(body)
    (error,) = resource.errors
    assert error.category == RUNTIME
    assert error.message.startswith("[simulator code] Runtime data for SIP server 2 of table 1")
    assert "has not answered OPTIONS for 45 s" in error.message
    assert error.links[0].href == "/rest/sipservertable/1/sipserver/2"
    listed = b"""<root><status><http_code>200</http_code></status><sipserver_list count="1">
      <sipserver id="1:2" href="/rest/sipservertable/1/sipserver/2" app_code_statistics="99103"
        app_params_statistics="1|2|9"><Host>h</Host></sipserver></sipserver_list></root>"""
    item = parse_sbc(listed).items[0]
    assert item.errors[0].category == STATISTICS
    assert item.id == "1:2"  # composite child ids are kept whole


def test_details_list_holds_full_items_with_shared_names() -> None:
    body = b"""<root><status><http_code>200</http_code></status><sipsg_list count="2">
      <sipsg id="1" href="https://x/rest/sipsg/1"><Description>Carrier A</Description>
        <ServerClusterId href="https://x/rest/sipservertable/1">1</ServerClusterId>
        <rt_ActiveCalls>3</rt_ActiveCalls></sipsg>
      <sipsg id="2" href="https://x/rest/sipsg/2"><Description>Teams</Description>
        <ServerClusterId href="https://x/rest/sipservertable/2">2</ServerClusterId>
        <rt_ActiveCalls>0</rt_ActiveCalls></sipsg>
    </sipsg_list></root>"""
    resource = parse_sbc(body)
    assert resource.details
    first, second = resource.items
    assert first.names is second.names  # one tuple of names for the whole list
    assert first.label == "Carrier A"
    assert first.value_of("rt_ActiveCalls") == "3"
    attributes = second.attributes()
    assert attributes[1].href == "https://x/rest/sipservertable/2"
    assert attributes[2].category == RUNTIME


def test_resource_attr_list_entries_become_links() -> None:
    body = b"""<root><status><http_code>200</http_code></status>
      <siptrunkgroup id="4" href="/rest/siptrunkgroup/4">
        <SignalingGroups count="2">
          <entry href="https://x/rest/sipsg/1">1</entry>
          <entry href="https://x/rest/sipsg/2">2</entry>
        </SignalingGroups>
      </siptrunkgroup></root>"""
    (attribute,) = parse_sbc(body).attributes
    assert attribute.value == "1, 2"
    assert [e.href for e in attribute.entries] == [
        "https://x/rest/sipsg/1",
        "https://x/rest/sipsg/2",
    ]


def test_quirks_blank_lines_raw_ampersand_unknown_elements() -> None:
    body = (
        b'\r\n\r\n   \n<?xml version="1.0"?>\n<root><status><http_code>200</http_code>'
        b"<server_hint>x</server_hint></status>"
        b'<system href="https://x/rest/system?a=1&b=2"><NodeName>edge1</NodeName></system>'
        b"<trailer/></root>\n\n"
    )
    resource = parse_sbc(body)
    assert resource.shape == "resource"
    assert resource.href == "https://x/rest/system?a=1&b=2"
    assert resource.id == ""  # singletons have href but no id
    assert any("raw '&'" in n for n in resource.notes)
    assert any("<trailer>" in n for n in resource.notes)


def test_count_mismatch_is_noted() -> None:
    body = (
        b'<root><status><http_code>200</http_code></status><x_list count="5">'
        b'<x_pk id="1" href="/rest/x/1"/></x_list></root>'
    )
    assert parse_sbc(body).notes == ("the list says count=5 but holds 1 entries",)


UNNAMED_LIST = (
    b'<root><status><http_code>200</http_code>{status}</status><_list count="2">'
    b'<_pk id="1:1" href="https://10.0.0.5/rest/sipservertable/1/sipserver/1"/>'
    b'<_pk id="1:2" href="https://10.0.0.5/rest/sipservertable/1/sipserver/2"/></_list></root>'
)


@pytest.mark.parametrize(
    ("status", "path"),
    [
        (b"", "/rest/sipservertable/1/sipserver/"),
        (b'<app_status href="https://10.0.0.5/rest/sipservertable/1/sipserver/"/>', ""),
    ],
)
def test_a_list_answered_unnamed_for_a_trailing_slash_takes_the_name_it_was_asked_by(
    status: bytes, path: str
) -> None:
    from tui.core.targets import kind_of

    body = UNNAMED_LIST.replace(b"{status}", status)
    resource = kind_of("sbc").parse(
        body, transport_status=200, location=path, filter_category="", meta=(), max_bytes=1 << 20
    )
    assert resource.shape == "list"
    assert resource.name == "sipserver"  # was "": browse printed ": 2 items"
    assert {item.name for item in resource.items} == {"sipserver"}


def test_delete_answer_is_a_bare_status() -> None:
    resource = parse_sbc(b"<root><status><http_code>200</http_code></status></root>")
    assert resource.shape == "status"
    assert resource.ok


def test_unauthorized_transport_status_is_the_outcome_when_no_status_block() -> None:
    resource = parse_sbc(b"<html><body>Unauthorized</body></html>", transport_status=401)
    assert resource.http_code == 401
    assert not resource.ok


def test_json_shape_for_a_list_and_a_resource() -> None:
    listed = resource_to_json(parse_sbc(PK_LIST), url="https://x/rest/license/historicalstatistics")
    assert listed["kind"] == "sbc"
    assert listed["http_code"] == 200
    assert listed["errors"] == []
    assert listed["items"][0] == {
        "id": "1",
        "href": "https://134.56.227.163/rest/license/historicalstatistics/1",
        "label": "",
    }
    single = resource_to_json(parse_sbc(ISDNSG))
    assert single["attributes"][2] == {
        "name": "ApplyToPortName",
        "value": "1.1",
        "href": "https://134.56.72.218/linecard/1/telcods1port/1",
        "category": "configuration",
    }
    failed = resource_to_json(
        parse_sbc(
            b'<root><status><http_code>400</http_code><app_status href="/rest/sipsg">'
            b'<app_status_entry code="20035" params="details=True"/></app_status></status></root>'
        )
    )
    assert failed["errors"][0]["code"] == 20035
    assert failed["errors"][0]["params"] == ["details=True"]
    assert "details=True" in failed["errors"][0]["message"]


# -- big answers ----------------------------------------------------------------------------


def _wide_element(count: int) -> bytes:
    """One resource whose start tag carries ``count`` attributes, the app codes among the last."""
    filler = " ".join(f'x{i}="{i}"' for i in range(count))
    codes = 'app_code_runtime="99103" app_params_runtime="1|2|45" app_code_config="0"'
    return (
        f"<root><status><http_code>200</http_code></status>"
        f'<sipserver id="1:2" href="/rest/sipservertable/1/sipserver/2" {filler} {codes}>'
        f"<Host>10.9.9.9</Host></sipserver></root>"
    ).encode()


def test_an_elements_attributes_are_read_with_a_bounded_number_of_lookups(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # lxml's items() looks each attribute up by name again: n² steps for n attributes (200,000
    # attributes took minutes). The parser must read them with keys() and a bounded number of
    # get() calls, whatever their number.
    reset = counting_parsers(monkeypatch)
    seen = []
    for count in (2_000, 20_000):
        counts = reset()
        resource = parse_sbc(_wide_element(count))
        seen.append(dict(counts))
        (error,) = resource.errors
        assert error.category == RUNTIME
        assert error.params == ("1", "2", "45")
    small, big = seen
    assert big.get("items", 0) == 0
    assert big.get("values", 0) == 0
    assert big.get("attrib.iter", 0) == 0
    assert big["get"] == small["get"]


def test_200k_attributes_keep_what_the_browser_shows() -> None:
    resource = parse_sbc(_wide_element(200_000))
    assert resource.shape == "resource"
    assert (resource.id, resource.href) == ("1:2", "/rest/sipservertable/1/sipserver/2")
    assert [a.name for a in resource.attributes] == ["Host"]
    assert [e.code for e in resource.errors] == ["99103"]
    assert any("200,005 attributes; 10,005 were read" in note for note in resource.notes)


@pytest.mark.slow
def test_200k_attributes_take_memory_in_proportion_to_the_document(tmp_path: Path) -> None:
    # libxml2 builds every attribute of a start tag before anything can look at them: this one
    # took 22 times the document until such tags were trimmed before parsing.
    body = _wide_element(200_000)
    peak = parse_peak("sbc", body, "resource", tmp_path)
    assert peak <= 10 * len(body), f"{peak / len(body):.1f} times the document"


def test_a_long_start_tag_keeps_its_identity_and_codes_and_the_rest_reads_as_before() -> None:
    wide = _wide_element(30_000).replace(b"<Host>", b"<Port>5060</Port><Host>")
    resource = parse_sbc(wide)
    assert [a.name for a in resource.attributes] == ["Port", "Host"]
    assert resource.id == "1:2" and [e.code for e in resource.errors] == ["99103"]
    narrow = parse_sbc(_wide_element(100))
    assert not any("attributes;" in note for note in narrow.notes)


def test_many_app_codes_on_one_element_are_read_up_to_a_limit() -> None:
    codes = " ".join(f'app_code_c{i}="99101" app_params_c{i}="r{i}"' for i in range(5_000))
    body = f'<root><x id="1" href="/rest/x/1" {codes}><A>1</A></x></root>'.encode()
    resource = parse_sbc(body)
    assert len(resource.errors) == limits.MAX_CATEGORY_CODES
    assert resource.errors[0].params == ("r0",)
    assert any(f"{5_000 - limits.MAX_CATEGORY_CODES:,} more app_code_" in n for n in resource.notes)


def _sipsg_list(count: int, *, fields: int = 3) -> bytes:
    rows = "".join(
        f'<sipsg id="{i}" href="/rest/sipsg/{i}">'
        + "".join(f"<F{f}>{i}-{f}</F{f}>" for f in range(fields))
        + "</sipsg>\n"
        for i in range(1, count + 1)
    )
    return (
        f'<root><status><http_code>200</http_code></status><sipsg_list count="{count}">'
        f"{rows}</sipsg_list></root>"
    ).encode()


def test_a_huge_list_keeps_every_link_and_the_fields_of_its_first_entries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_DETAILED_ITEMS", 5)
    monkeypatch.setattr(limits, "MAX_ITEMS", 8)
    resource = parse_sbc(_sipsg_list(12))
    assert resource.details
    assert [i.id for i in resource.items] == [str(i) for i in range(1, 9)]
    assert resource.items[4].value_of("F1") == "5-1"
    assert resource.items[5].names == ()  # a link only
    assert resource.items[5].href == "/rest/sipsg/6"
    assert resource.count == 12
    notes = "\n".join(resource.notes)
    assert "count=" not in notes  # the box said 12 and sent 12
    assert "4 more entries not shown" in notes
    assert "first 5 entries" in notes


def test_a_resource_keeps_its_first_attributes_and_says_how_many_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_ATTRIBUTES", 3)
    monkeypatch.setattr(limits, "MAX_ENTRIES", 2)
    fields = "".join(f"<F{i}>{i}</F{i}>" for i in range(7))
    entries = "".join(f'<entry href="/rest/sipsg/{i}">{i}</entry>' for i in range(5))
    body = f'<root><system href="/rest/system"><L>{entries}</L>{fields}</system></root>'.encode()
    resource = parse_sbc(body)
    assert [a.name for a in resource.attributes] == ["L", "F0", "F1"]
    assert [e.label for e in resource.attributes[0].entries] == ["0", "1"]
    notes = "\n".join(resource.notes)
    assert "5 more attributes not shown" in notes
    assert "3 more attribute-list entries not shown" in notes


def _profiled_calls(work: Callable[[], object]) -> int:
    """How many Python and builtin calls ``work`` makes: a deterministic measure of its work."""
    calls = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return calls


def test_the_work_of_reading_a_details_list_grows_linearly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small, big = _sipsg_list(500, fields=20), _sipsg_list(5_000, fields=20)
    ratio = _profiled_calls(lambda: parse_sbc(big)) / _profiled_calls(lambda: parse_sbc(small))
    assert ratio < 10.5  # 10 times the entries: at most 10 times the calls, plus a little
    reset = counting_parsers(monkeypatch)
    counts = reset()
    parse_sbc(small)
    small_reads = sum(counts.values())
    counts = reset()
    parse_sbc(big)
    assert sum(counts.values()) <= 10 * small_reads + 10


def _single_resource_body(size: int) -> bytes:
    count = size // 18
    fields = "".join(f"<F{i % 50}>v{i}</F{i % 50}>" for i in range(count))
    return f'<root><system href="/rest/system">{fields}</system></root>'.encode()


def _pk_list_body(size: int) -> bytes:
    count = size // 60
    rows = "".join(
        f'<sipsg_pk id="{i}" href="https://10.0.0.5/rest/sipsg/{i}"/>' for i in range(count)
    )
    return f'<root><sipsg_list count="{count}">{rows}</sipsg_list></root>'.encode()


@pytest.mark.parametrize(
    ("make", "shape"), [(_single_resource_body, "resource"), (_pk_list_body, "list")]
)
def test_parsing_takes_memory_in_proportion_to_the_document(
    make: Callable[[int], bytes], shape: str, tmp_path: Path
) -> None:
    # The whole lxml tree was kept beside the model: 16-30 times the document (8 MB here; a
    # 30 MB answer took about 1 GB).
    body = make(8 * 1024 * 1024)
    peak = parse_peak("sbc", body, shape, tmp_path)
    assert peak <= 10 * len(body), f"{peak / len(body):.1f} times the document"
