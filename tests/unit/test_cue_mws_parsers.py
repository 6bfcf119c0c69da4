"""CUE XML documents and MWS JSON bodies into the same resource model as the SBC."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.peak_memory import parse_peak
from tui.core.protocols.cue import parse_cue
from tui.core.protocols.mws import parse_mws
from tui.core.resources import limits, resource_to_json

USER = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<user xmlns="http://user.model.rest.aesop.cisco.com">
  <uri>/voicemail/users/johndoe</uri>
  <userId>johndoe</userId>
  <firstName>John</firstName>
  <displayName>John Doe</displayName>
  <futureField>a newer CUE sends this</futureField>
  <mailboxUri>/voicemail/mailboxes/johndoe</mailboxUri>
</user>"""

MEMBERS = b"""<?xml version="1.0"?>
<baseElementList count="2">
  <user xmlns="http://user.model.rest.aesop.cisco.com"><uri>/voicemail/users/ann</uri><userId>ann</userId><displayName>Ann</displayName></user>
  <user xmlns="http://user.model.rest.aesop.cisco.com"><uri>/voicemail/users/bob</uri><userId>bob</userId></user>
</baseElementList>"""

PRIVILEGE = b"""<privilege xmlns="http://privilege.model.rest.aesop.cisco.com">
  <uri>/privileges/ManagePrompts</uri><name>ManagePrompts</name><description>Prompts</description>
  <operations>
    <operation><name>prompt.read</name><description>read</description></operation>
    <operation><name>prompt.write</name></operation>
  </operations>
</privilege>"""

ERROR_DOC = b"""<?xml version="1.0"?>
<error><code>4090</code><message>A mailbox already exists for owner ann</message>
<field>ownerId</field><ownerId>ann</ownerId></error>"""


def test_user_document_keeps_fields_in_order_and_ignores_nothing_it_can_show() -> None:
    resource = parse_cue(USER, meta=(("PI-Version", "8.6.0"),))
    assert resource.shape == "resource"
    assert (resource.name, resource.id, resource.href) == (
        "user",
        "johndoe",
        "/voicemail/users/johndoe",
    )
    names = [a.name for a in resource.attributes]
    assert names == ["userId", "firstName", "displayName", "futureField", "mailboxUri"]
    assert resource.attributes[-1].href == "/voicemail/mailboxes/johndoe"
    assert resource.attributes[0].href == ""
    assert dict(resource.meta) == {"PI-Version": "8.6.0"}


def test_member_list_links_each_user() -> None:
    resource = parse_cue(MEMBERS)
    assert resource.shape == "list"
    assert resource.count == 2
    assert [(i.id, i.href, i.label) for i in resource.items] == [
        ("ann", "/voicemail/users/ann", "Ann"),
        ("bob", "/voicemail/users/bob", "bob"),
    ]


def test_uri_only_list_from_an_empty_fields_selection() -> None:
    body = (
        b"<users><user><uri>/voicemail/users/a</uri></user>"
        b"<user><uri>/voicemail/users/b</uri></user></users>"
    )
    resource = parse_cue(body)
    assert resource.shape == "list"
    assert [i.id for i in resource.items] == ["a", "b"]
    assert not resource.details


def test_complex_child_becomes_an_attribute_with_entries() -> None:
    resource = parse_cue(PRIVILEGE)
    operations = resource.attributes[-1]
    assert operations.name == "operations"
    assert [e.label for e in operations.entries] == ["prompt.read", "prompt.write"]
    assert operations.value == "prompt.read, prompt.write"


def test_error_document_becomes_an_error_with_its_details() -> None:
    resource = parse_cue(ERROR_DOC, transport_status=409)
    assert resource.shape == "status"
    assert resource.http_code == 409
    (error,) = resource.errors
    assert error.code == "4090"
    assert error.message == "A mailbox already exists for owner ann"
    assert error.field == "ownerId"
    assert error.params == ("ownerId=ann",)
    other = parse_cue(
        b"<Error><ErrorCode>E1</ErrorCode><ErrorMessage>m</ErrorMessage></Error>",
        transport_status=400,
    )
    assert (other.errors[0].code, other.errors[0].message) == ("E1", "m")


def test_non_xml_error_page_still_reports_the_status() -> None:
    resource = parse_cue(b"Unauthorized", transport_status=401)
    assert resource.shape == "status"
    assert resource.http_code == 401
    assert "not an XML document" in resource.notes[0]
    assert parse_cue(b"", transport_status=204).shape == "status"


def test_mws_socket_list_links_each_socket_by_id() -> None:
    body = b"""{"results": [
        {"id": "0UMTve5f", "connectedAt": "2014-03-23T11:04:25Z", "tags": ["players", "eu"]},
        {"id": "a1b2", "createdAt": "2014-03-23T11:05:00Z", "tags": []}
    ]}"""
    resource = parse_mws(body, path="/v1/sockets")
    assert resource.shape == "list"
    assert resource.name == "sockets"
    assert [(i.id, i.href, i.label) for i in resource.items] == [
        ("0UMTve5f", "/v1/sockets/0UMTve5f", "players, eu"),
        ("a1b2", "/v1/sockets/a1b2", ""),
    ]


def test_mws_object_and_websocket_uri() -> None:
    body = (
        b'{"uri": "wss://mws.example/?token=abc", "expiresAt": "2014-03-14T06:33:51Z", '
        b'"tags": [], "n": 3, "ok": true, "nested": {"a": 1}}'
    )
    resource = parse_mws(body, path="/v1/websocket_uri")
    assert resource.shape == "resource"
    assert resource.name == "websocket_uri"
    values = {a.name: a.value for a in resource.attributes}
    assert values == {
        "uri": "wss://mws.example/?token=abc",
        "expiresAt": "2014-03-14T06:33:51Z",
        "tags": "",
        "n": "3",
        "ok": "true",
        "nested": '{"a":1}',
    }
    assert all(a.href == "" for a in resource.attributes)  # wss:// is not a page to follow


def test_mws_error_bodies_documented_and_real() -> None:
    documented = parse_mws(
        b'{"error": {"reason": "socket_not_found", "message": "No socket abc"}}',
        transport_status=404,
    )
    assert (documented.errors[0].code, documented.errors[0].message) == (
        "socket_not_found",
        "No socket abc",
    )
    plain = parse_mws(b'{"error": "Access denied"}', transport_status=403)
    assert (plain.errors[0].code, plain.errors[0].message) == ("403", "Access denied")
    validation = parse_mws(
        b'{"errors": [{"reason": "required", "property": "receivers", "message": "is required"}]}',
        transport_status=422,
    )
    assert validation.errors[0].field == "receivers"
    hashed = parse_mws(b'{"errors": {"data": "is required"}}', transport_status=422)
    assert hashed.errors[0].message == "data: is required"
    empty = parse_mws(b"{}", transport_status=404)
    assert empty.shape == "status"
    assert not empty.ok
    as_json = resource_to_json(documented)
    assert as_json["errors"] == [
        {"code": "socket_not_found", "params": [], "message": "No socket abc"}
    ]


# -- big answers ----------------------------------------------------------------------------


def _cue_users(count: int, root: str = "baseElementList") -> bytes:
    rows = "".join(
        f"<user><uri>/voicemail/users/u{i}</uri><userId>u{i}</userId>"
        f"<firstName>First{i}</firstName><extension>{2000 + i}</extension></user>\n"
        for i in range(count)
    )
    return f"<{root}>{rows}</{root}>".encode()


def test_a_huge_cue_list_keeps_every_link_and_the_fields_of_its_first_entries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_DETAILED_ITEMS", 5)
    monkeypatch.setattr(limits, "MAX_ITEMS", 8)
    for root in ("baseElementList", "users"):  # a list by its name, or by what it holds
        resource = parse_cue(_cue_users(12, root))
        assert resource.shape == "list"
        assert [i.id for i in resource.items] == [f"u{i}" for i in range(8)]
        assert resource.items[4].value_of("extension") == "2004"
        assert resource.items[5].names == ()
        assert resource.items[5].href == "/voicemail/users/u5"
        notes = "\n".join(resource.notes)
        assert "4 more entries not shown" in notes
        assert "first 5 entries" in notes


def test_a_cue_root_is_a_resource_once_a_child_is_not_one() -> None:
    # the first children look like list entries; the last shows the root is one resource
    body = _cue_users(3, "group")[: -len(b"</group>")] + b"<name>sales</name></group>"
    resource = parse_cue(body)
    assert resource.shape == "resource"
    assert [a.name for a in resource.attributes] == ["user", "user", "user", "name"]
    assert resource.attributes[0].entries[0].label == "/voicemail/users/u0"
    assert resource.id == "sales"


def test_a_cue_error_list_keeps_its_first_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_APP_ERRORS", 2)
    errors = "".join(f"<error><code>{i}</code><message>m{i}</message></error>" for i in range(5))
    resource = parse_cue(f"<errors>{errors}</errors>".encode(), transport_status=400)
    assert [e.code for e in resource.errors] == ["0", "1"]
    assert any("3 more application errors" in n for n in resource.notes)


def test_a_huge_mws_list_keeps_every_link_and_the_fields_of_its_first_entries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_DETAILED_ITEMS", 5)
    monkeypatch.setattr(limits, "MAX_ITEMS", 8)
    rows = ",".join(f'{{"id": "s{i}", "tags": ["t{i}"]}}' for i in range(12))
    resource = parse_mws(f'{{"results": [{rows}]}}'.encode(), path="/v1/sockets")
    assert [i.id for i in resource.items] == [f"s{i}" for i in range(8)]
    assert resource.items[4].value_of("tags") == "t4"
    assert (resource.items[5].names, resource.items[5].href) == ((), "/v1/sockets/s5")
    assert resource.count == 12
    notes = "\n".join(resource.notes)
    assert "4 more entries not shown" in notes
    assert "first 5 entries" in notes


@pytest.mark.parametrize("root", ["baseElementList", "users"])
def test_cue_parsing_takes_memory_in_proportion_to_the_document(root: str, tmp_path: Path) -> None:
    # The whole tree was kept beside the model: about 16 times the document.
    body = _cue_users(8 * 1024 * 1024 // 130, root)
    peak = parse_peak("cue", body, "list", tmp_path)
    assert peak <= 10 * len(body), f"{peak / len(body):.1f} times the document"


@pytest.mark.parametrize(
    "body",
    [
        # a root with a total attribute: a list, even of one entry without its uri
        b'<users total="2"><user><userId>ann</userId><URI>/voicemail/users/ann</URI></user>'
        b"<user><userId>bob</userId><displayName>Bob</displayName></user></users>",
        # entries with an upper-case URI and no total: a list found by its entries
        b"<users><user><userId>ann</userId><URI>/voicemail/users/ann</URI></user>"
        b"<user><userId>bob</userId><URI>/voicemail/users/bob</URI></user></users>",
    ],
)
def test_total_and_upper_case_uri_make_a_list(body: bytes) -> None:
    resource = parse_cue(body)
    assert resource.shape == "list"
    assert [i.id for i in resource.items] == ["ann", "bob"]
    assert resource.items[0].href == "/voicemail/users/ann"
    assert "URI" not in resource.items[0].names  # its own link, not an attribute


def test_mws_created_socket_lives_at_its_own_path() -> None:
    body = b'{"id": "k9", "uri": "wss://mws.example/?token=k9", "tags": ["kiosk"]}'
    created = parse_mws(body, transport_status=201, path="/v1/sockets")
    assert (created.shape, created.id) == ("resource", "k9")
    assert created.href == "/v1/sockets/k9"  # was the collection, /v1/sockets
    assert parse_mws(body, path="/v1/sockets/k9").href == "/v1/sockets/k9"
    reservation = parse_mws(body, path="/v1/websocket_uri")  # a GET, not a collection
    assert reservation.href == "/v1/websocket_uri"
