"""SBC app codes: the documented substitution, captured and reconstructed responses (docs/protocols.md §3.5)."""

from __future__ import annotations

import pytest

from tests.unit.errors.conftest import find
from tui.core.errors.sbc import substitute

# the vendor documentation's own XML samples open with a broken declaration and end with </xml>
SEED_STATUS = """<?xml version="1.0">
<root>
\t<status>
\t\t<http_code>500</http_code>
\t\t<app_status href="https://sbc/rest/sipq850map/1">
\t\t\t<app_status_entry code="31003" params="1|1"/>
\t\t</app_status>
\t</status>
</root>
</xml>"""

# captured from a real box by a user (docs/protocols.md §3.2)
CERT_TOO_LARGE = """

<?xml version="1.0"?>
<root>
<status>
<http_code>500</http_code>
<app_status href="https://10.167.8.7/rest/certificate/1">
<app_status_entry code="15026" params="15000"/>
</app_status>
</status>
</root>
"""

# delete of an in-use mapping (story 6, docs/architecture.md §11.5)
IN_USE = """<?xml version="1.0"?>
<root>
 <status>
  <http_code>409</http_code>
  <app_status href="https://10.0.0.5/rest/sipq850map/3">
   <app_status_entry code="31003" params="3|2"/>
  </app_status>
 </status>
</root>"""


def test_seed_substitution_drops_the_token_parentheses() -> None:
    template = "Cannot delete SIP to Q.850 mapping (%1%). It is in use by SG (%2%)."
    sub = substitute(template, ["1", "1"])
    assert sub.message == "Cannot delete SIP to Q.850 mapping 1. It is in use by SG 1."
    assert sub.missing == ()
    assert sub.unused == ()


def test_bare_tokens_out_of_order_and_repeated() -> None:
    sub = substitute("%2% then %1% then %2%", ["a", "b"])
    assert sub.message == "b then a then b"


def test_missing_and_extra_params_are_shown() -> None:
    sub = substitute("x %1% y %3%", ["a", "b", "c", "d"])
    assert sub.message == "x a y c"
    assert sub.unused == (2, 4)
    short = substitute("x %1% y %2%", ["a"])
    assert short.message == "x a y ‹%2% missing›"
    assert short.missing == (2,)


def test_seed_example_with_its_broken_xml(decoder) -> None:
    doc = decoder.inspect(SEED_STATUS).to_json()
    assert doc["kind"] == "sbc"
    assert doc["entries"] == [
        {
            "code": 31003,
            "params": ["1", "1"],
            "message": "Cannot delete SIP to Q.850 mapping 1. It is in use by SG 1.",
            "known": True,
        }
    ]
    assert doc["http_code"] == 500


def test_real_capture_with_leading_blank_lines(decoder) -> None:
    result = decoder.inspect(CERT_TOO_LARGE)
    assert result.summary == (
        "SBC 15026: Certificate file data content cannot be empty or exceed the maximum size "
        "limit 15000."
    )
    assert "500 Internal Server Error" in find(result.primary.items, "http_code").value


def test_scenario_6_message(decoder) -> None:
    result = decoder.inspect(IN_USE)
    assert (
        result.summary == "SBC 31003: Cannot delete SIP to Q.850 mapping 3. It is in use by SG 2."
    )
    assert find(result.primary.items, "request").value == "https://10.0.0.5/rest/sipq850map/3"


@pytest.mark.parametrize(
    "text",
    [
        "31003 3|2",
        "sbc 31003 3|2",
        'code="31003" params="3|2"',
        "code=31003 params=3|2",
        '<app_status_entry code="31003" params="3|2"/>',
    ],
)
def test_text_forms(decoder, text) -> None:
    doc = decoder.inspect(text).to_json()
    assert doc["kind"] == "sbc", text
    assert doc["entries"][0]["message"] == (
        "Cannot delete SIP to Q.850 mapping 3. It is in use by SG 2."
    )


def test_category_attributes_on_resources_in_a_detailed_list(decoder) -> None:
    xml = (
        '<root><status><http_code>200</http_code></status><sipsg_list count="2">'
        '<sipsg id="1" href="https://sbc/rest/sipsg/1?a=1&b=2" app_code_runtime="20035" '
        'app_params_runtime="inventory"><Description>To carrier</Description></sipsg>'
        '<sipsg id="2" href="https://sbc/rest/sipsg/2" app_code_statistics="15008" '
        'app_params_statistics="server.pem"/></sipsg_list></root>'
    )
    result = decoder.inspect(xml)  # note the bare & in the first href: tolerated
    doc = result.to_json()
    assert [e["category"] for e in doc["entries"]] == ["runtime", "statistics"]
    assert doc["entries"][0]["href"] == "https://sbc/rest/sipsg/1?a=1&b=2"
    assert doc["entries"][1]["message"] == (
        "Unable to read the server.pem file from the certificate store"
    )
    assert doc["summary"].startswith("SBC: 2 application errors")
    assert find(result.primary.items, "resource").value == "sipsg 1"


def test_known_code_without_template_gives_its_meaning_and_params(decoder) -> None:
    doc = decoder.inspect("20035 details=True").to_json()
    assert "case-sensitive" in doc["entries"][0]["message"]
    assert "details=True" in doc["entries"][0]["message"]


def test_unknown_code_said_plainly_with_params(decoder) -> None:
    result = decoder.inspect("sbc 12345 a|b")
    doc = result.to_json()
    assert doc["entries"][0]["message"] == "Application error 12345 (a|b)"
    assert doc["entries"][0]["known"] is False
    assert "catalog import sbc" in find(result.primary.items, "catalog").value


def test_extra_params_in_summary_and_json(decoder) -> None:
    doc = decoder.inspect("31003 3|2|7").to_json()
    assert doc["summary"].endswith("[1 extra param]")
    assert doc["entries"][0]["extra_params"] == ["7"]
    doc = decoder.inspect("31003 3").to_json()
    assert doc["entries"][0]["missing_tokens"] == ["%2%"]


def test_success_status_block(decoder) -> None:
    result = decoder.inspect("<root><status><http_code>200</http_code></status></root>")
    assert result.kind == "sbc"
    assert "no application error" in result.summary


def test_not_an_sbc_error(decoder) -> None:
    assert decoder.inspect("486 Busy Here").kind == "sip"


def test_a_huge_list_is_counted_in_full_but_decoded_in_part(decoder) -> None:
    rows = "".join(
        f'<sipsg id="{i}" app_code_runtime="20035" app_params_runtime="x"/>' for i in range(450)
    )
    doc = decoder.inspect(
        f"<root><status><http_code>200</http_code></status>{rows}</root>"
    ).to_json()
    assert doc["total_entries"] == 450
    assert len(doc["entries"]) == 200
    assert doc["summary"].startswith("SBC: 450 application errors")
    assert "(+447 more)" in doc["summary"]
