"""One set of XML rules: the error decoder, the resource browser's parsers and the catalog
import refuse the same hostile documents with the same words, and tolerate the same quirks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.unit.errors.conftest import PACKAGED
from tui.core.errors.context import Context
from tui.core.errors.detect import MAX_XML_BYTES, ErrorDecoder
from tui.core.errors.importer import ImportProblem, parse_xml_list
from tui.core.protocols.cue import parse_cue
from tui.core.protocols.sbc import parse_sbc
from tui.core.protocols.xml import (
    DEVICE_LIMIT_HINT,
    XmlRefused,
    parse_device_xml,
    parse_xml_text,
)

DECODER = ErrorDecoder(Context(PACKAGED, ()))

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<root><status><http_code>500</http_code></status><a>&lol2;</a></root>"""
STATUS = "<status><app_status_entry code='20035' params='x'/></status>"
DTD_REFUSED = "refused: the document carries a DOCTYPE or ENTITY declaration"

HOSTILE = {
    "billion laughs": (BILLION_LAUGHS, DTD_REFUSED),
    "external entity": (
        f'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><root>{STATUS}&x;</root>',
        DTD_REFUSED,
    ),
    "network DTD": ('<!DOCTYPE root SYSTEM "http://127.0.0.1:9/evil.dtd"><root/>', DTD_REFUSED),
    "DOCTYPE after a comment": ("<!-- hi --><!DOCTYPE root><root/>", DTD_REFUSED),
    "doctype in odd case": ('<!DocType r [<!Entity x "y">]><root>&x;</root>', DTD_REFUSED),
    "ENTITY inside the root": (f'<root>{STATUS}<!-- <!ENTITY x "y"> --></root>', DTD_REFUSED),
    "oversized": (
        f"<root>{STATUS}<a>{'€' * (MAX_XML_BYTES // 3 + 10)}</a></root>",  # 3 bytes each
        "refused: the body is 1.0 MB, over the 1.0 MB limit",
    ),
    "broken": ("<root><status></root>", "broken XML at line 1, column 22: Opening and ending"),
    "unterminated": ("<root><status>", "broken XML at line 1, column 15: Premature end of data"),
    "nested 5000 deep": ("<a>" * 5000 + "</a>" * 5000, "broken XML at line 1"),
}


def decoder_problem(text: str) -> str:
    result = DECODER.inspect(text)
    assert not result.readings
    return result.problem


def importer_problem(text: str) -> str:
    with pytest.raises(ImportProblem) as info:
        parse_xml_list(text)
    return str(info.value)


@pytest.mark.parametrize(("text", "fragment"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_documents_are_refused_alike(text: str, fragment: str) -> None:
    body = text.encode()
    sbc = parse_sbc(body, max_bytes=MAX_XML_BYTES)
    cue = parse_cue(body, max_bytes=MAX_XML_BYTES)
    assert sbc.shape == cue.shape == "unreadable"
    assert sbc.problem == cue.problem
    problem = decoder_problem(text)
    assert problem.startswith(fragment), problem
    if fragment.startswith("refused: the body is"):
        # the same words, and the device path says which setting raises its limit
        assert sbc.problem == f"{problem} ({DEVICE_LIMIT_HINT})"
    else:
        assert sbc.problem == problem
        assert importer_problem(text) == problem
    assert "passwd" not in repr(sbc) + problem


QUIRKS = {
    "Ribbon's documented sample": (
        f'<?xml version="1.0">\n<root>\n{STATUS}\n</root>\n</xml>',
        (
            "an XML declaration closed by '>' instead of '?>' read as one",
            "a stray '</xml>' after the root element left out",
        ),
    ),
    "raw & in an href": (
        f'<root>{STATUS}<sipsg href="/rest/sipsg?details=true&filter=inventory"/></root>',
        ("1 raw '&' (as in an unescaped href) read as '&amp;'",),
    ),
    "blank lines first": (f"\n\n  <root>{STATUS}</root>", ()),
    "an undefined entity is text": (
        f"<root>{STATUS}<a>x &nbsp; y</a></root>",
        ("1 raw '&' (as in an unescaped href) read as '&amp;'",),
    ),
}


@pytest.mark.parametrize(("text", "notes"), QUIRKS.values(), ids=QUIRKS.keys())
def test_quirks_are_read_alike(text: str, notes: tuple[str, ...]) -> None:
    device_root, device_notes = parse_device_xml(text.encode())
    text_root, text_notes = parse_xml_text(text, max_bytes=MAX_XML_BYTES)
    assert device_notes == text_notes == notes
    assert device_root.tag == text_root.tag == "root"
    assert parse_sbc(text.encode()).shape != "unreadable"
    reading = DECODER.inspect(text)
    assert reading.recognised, reading.problem
    assert reading.readings[0].kind == "sbc"
    assert "20035" in repr(reading.readings[0])


def test_a_repair_that_does_not_help_reports_the_breakage() -> None:
    with pytest.raises(XmlRefused, match="broken XML"):
        parse_xml_text('<?xml version="1.0">\n<root><a></root>\n</xml>', max_bytes=1024)
    with pytest.raises(XmlRefused, match="broken XML"):
        parse_device_xml(b"<root>&</a></root>")


def test_a_byte_order_mark_is_skipped_on_both_paths() -> None:
    assert parse_device_xml(b"\xef\xbb\xbf<root/>")[1] == ()
    assert parse_xml_text("\ufeff<root/>", max_bytes=99)[1] == ()


def test_a_root_named_xml_keeps_its_end_tag() -> None:
    root, notes = parse_xml_text("<xml><a/></xml>", max_bytes=1024)
    assert root.tag == "xml" and notes == ()


def test_a_declared_encoding_does_not_override_text_that_is_already_decoded() -> None:
    root, _ = parse_xml_text('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>', max_bytes=99)
    assert root.text == "é"


def test_lxml_is_imported_only_when_a_document_is_parsed() -> None:
    script = (
        "import sys, tui.core.errors.detect, tui.core.protocols.sbc, tui.core.protocols.cue; "
        "print('lxml' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "False", result.stderr
