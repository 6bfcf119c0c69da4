"""Catalog files: packaged, the operator's own, bad ones reported; the SBC list import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.errors.catalog import PACKAGED_DIR, load_catalogs, packaged_only
from tui.core.errors.context import Context
from tui.core.errors.detect import ErrorDecoder
from tui.core.errors.importer import (
    IMPORTED_FILE,
    ImportProblem,
    read_sbc_list,
    write_imported,
)


def test_packaged_catalogs_load_cleanly() -> None:
    catalogs = packaged_only()
    assert catalogs.problems == []
    kinds = {f.kind for f in catalogs.files}
    assert kinds == {
        "icws-error-ids",
        "icws-error-codes",
        "icws-enums",
        "sbc-app-codes",
        "sip-statuses",
        "q850-causes",
        "http-statuses",
        "wcs",
    }
    assert len(catalogs.sip) >= 70
    assert 486 in catalogs.sip
    assert 608 in catalogs.sip
    assert catalogs.sbc_codes[31003].template.startswith("Cannot delete SIP to Q.850 mapping")


def test_only_verified_ids_are_marked_verified() -> None:
    ids = packaged_only().icws_ids
    verified = sorted(k for k, v in ids.items() if v.status == "verified")
    assert verified == [
        "error.request.accessDenied.httpMethodNotAllowed",
        "error.request.connection.authenticationFailure",
        "error.request.invalidRepresentation.invalidProperty",
        "error.request.unsupported",
        "error.server.notAcceptingConnections",
        "error.server.unavailable",
    ]
    assert all(ids[k].source for k in verified)
    assert {k for k, v in ids.items() if v.status == "illustrative"} == {
        "error.foo",
        "error.foo.bar",
    }


def test_user_catalog_extends_and_overrides(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(
        'catalog = "sbc-app-codes"\n'
        '[[codes]]\ncode = 31003\ntemplate = "Mapping %1% is used by SG %2% (local wording)"\n'
        '[[codes]]\ncode = 42424\ntemplate = "Trunk %1% down"\n',
        encoding="utf-8",
    )
    (tmp_path / "ids.toml").write_text(
        'catalog = "icws-error-ids"\n[[ids]]\nid = "error.request.interactions.notFound"\n'
        'meaning = "Our simulator\'s synthetic leaf"\n',
        encoding="utf-8",
    )
    catalogs = load_catalogs(tmp_path)
    assert catalogs.problems == []
    decoder = ErrorDecoder(Context(catalogs))
    assert (
        decoder.inspect("31003 3|2").summary
        == "SBC 31003: Mapping 3 is used by SG 2 (local wording)"
    )
    assert decoder.inspect("42424 t1").summary == "SBC 42424: Trunk t1 down"
    reading = decoder.inspect("error.request.interactions.notFound").primary
    assert reading is not None
    levels = reading.fields["levels"]
    assert levels[-1]["status"] == "operator"


def test_bad_user_files_are_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("catalog = [", encoding="utf-8")
    (tmp_path / "b.toml").write_text('name = "x"\n', encoding="utf-8")
    (tmp_path / "c.toml").write_text(
        'catalog = "sbc-app-codes"\n[[codes]]\ncode = "abc"\ntemplate = "x"\n'
        '[[codes]]\ncode = 1\n[[codes]]\ncode = 2\ntemplate = "ok %1%"\n',
        encoding="utf-8",
    )
    catalogs = load_catalogs(tmp_path, [tmp_path / "missing"])
    text = "\n".join(catalogs.problems)
    assert "a.toml: not valid TOML" in text
    assert 'b.toml: needs catalog = "<kind>"' in text
    assert "entry 1: 'code' must be an integer" in text
    assert "entry 2: needs a 'template' or a 'meaning'" in text
    assert "missing: catalog folder not found" in text
    assert catalogs.sbc_codes[2].template == "ok %1%"


def test_packaged_folder_is_beside_the_code() -> None:
    assert PACKAGED_DIR.name == "catalogs"
    assert PACKAGED_DIR.parent.name == "errors"


CSV_WITH_HEADER = """code,template
31003,"Cannot delete SIP to Q.850 mapping (%1%). It is in use by SG (%2%)."
15026,Certificate file data content cannot be empty or exceed the maximum size limit %1%.
abc,not a code
55001,
55002,Route %1%, table %2% has no entry
"""


def test_import_csv_with_header_and_problems(tmp_path: Path) -> None:
    source = tmp_path / "codes.csv"
    source.write_text(CSV_WITH_HEADER, encoding="utf-8")
    result = read_sbc_list(source)
    assert result.fmt == "csv"
    assert set(result.codes) == {31003, 15026, 55002}
    assert result.codes[55002] == "Route %1%, table %2% has no entry"  # unquoted comma kept
    assert any("row 4" in s and "not a number" in s for s in result.skipped)
    assert any("55001 has no template" in s for s in result.skipped)


def test_import_csv_without_header_semicolons(tmp_path: Path) -> None:
    source = tmp_path / "codes.csv"
    source.write_text(
        "# vendor list\n60001;Link %1% down\n60002;Port %1% on %2%\n", encoding="utf-8"
    )
    assert read_sbc_list(source).codes == {60001: "Link %1% down", 60002: "Port %1% on %2%"}


def test_import_xml_shapes(tmp_path: Path) -> None:
    source = tmp_path / "codes.xml"
    source.write_text(
        '<?xml version="1.0"?><errors>'
        '<error code="70001" message="Card %1% failed"/>'
        "<entry><code>70002</code><template>Fan %1% stopped</template></entry>"
        '<error code="70003">Disk %1% full</error>'
        '<error code="70004"/></errors>',
        encoding="utf-8",
    )
    result = read_sbc_list(source)
    assert result.codes == {
        70001: "Card %1% failed",
        70002: "Fan %1% stopped",
        70003: "Disk %1% full",
    }
    assert any("70004 has no template" in s for s in result.skipped)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("", "empty"),
        ("name,comment\nx,y\n", "must name a code column"),
        ("<a><b/></a>", "no code with a template"),
        ('<!DOCTYPE x [<!ENTITY e "e">]><a code="1">&e;</a>', "DOCTYPE"),
        ("abc,def\n", "must name a code column"),
    ],
)
def test_import_refuses_files_with_nothing_to_import(tmp_path: Path, content, fragment) -> None:
    source = tmp_path / "f.txt"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(ImportProblem, match=fragment):
        read_sbc_list(source)


def test_import_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match="file not found"):
        read_sbc_list(tmp_path / "nope.csv")


def test_imported_list_is_used_from_then_on_and_operator_files_win(tmp_path: Path) -> None:
    source = tmp_path / "codes.csv"
    source.write_text(
        'code,template\n31003,"Vendor: mapping %1% in use by %2%"\n'
        '80001,"Quoted ""%1%"" \\\\ ok"\n',
        encoding="utf-8",
    )
    folder = tmp_path / "catalogs"
    stored = write_imported(read_sbc_list(source), folder, source.name)
    assert stored.name == IMPORTED_FILE
    catalogs = load_catalogs(folder)
    assert catalogs.problems == []
    decoder = ErrorDecoder(Context(catalogs))
    assert decoder.inspect("31003 3|2").summary == "SBC 31003: Vendor: mapping 3 in use by 2"
    assert decoder.inspect("80001 x").summary == 'SBC 80001: Quoted "x" \\\\ ok'
    assert catalogs.sbc_codes[80001].origin == f"imported: {IMPORTED_FILE}"
    (folder / "fixes.toml").write_text(
        'catalog = "sbc-app-codes"\n[[codes]]\ncode = 31003\ntemplate = "Fixed %1%"\n',
        encoding="utf-8",
    )
    decoder = ErrorDecoder(Context(load_catalogs(folder)))
    assert decoder.inspect("31003 3|2").to_json()["entries"][0]["message"] == "Fixed 3"
