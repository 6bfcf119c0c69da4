"""SBC enumerations read as the browser shows them: ``2 (Down)``, SIP and Q.850 causes read in
the inspector's catalogs, the number kept for copying."""

from __future__ import annotations

from tests.browser_tables import CATALOGS, table
from tui.core.errors.context import Context
from tui.core.errors.sbc_values import ValueReader
from tui.core.errors.sip import decode_q850, decode_status
from tui.core.protocols.sbc import parse_sbc

SG = (
    b'<root><status><http_code>200</http_code></status><sipsg id="1" href="/rest/sipsg/1">'
    b"<Description>Carrier A</Description><customAdminState>1</customAdminState>"
    b"<ServerSelection>9</ServerSelection><Channels>2</Channels>"
    b"<rt_OperationalState>2</rt_OperationalState>"
    b"<rt_LastFailureCause>503</rt_LastFailureCause></sipsg></root>"
)


def test_signaling_group_values_show_their_meaning_and_copy_the_number() -> None:
    rows = {r.key: r for r in table(parse_sbc(SG)).rows}
    assert rows["customAdminState"].cells[2] == "1 (Enabled)"
    assert rows["rt_OperationalState"].cells[2] == "2 (Down, inferred)"
    assert rows["rt_LastFailureCause"].cells[2] == "503 (SIP Service Unavailable)"
    assert rows["ServerSelection"].cells[2] == "9"  # not a documented value: as sent
    assert rows["Channels"].cells[2] == "2"  # not an enumeration, though it is 2
    assert rows["rt_OperationalState"].value == "2"
    assert rows["rt_LastFailureCause"].value == "503"


def test_causes_read_as_the_inspector_reads_them() -> None:
    reader = ValueReader(CATALOGS)
    ctx = Context(CATALOGS)
    for code in (486, 503, 603):
        status = decode_status(ctx, code)
        assert status is not None
        assert reader.meaning("sipsg", "rt_LastFailureCause", str(code)) == (
            f"SIP {status.fields['reason']}"
        )
    cause = decode_q850(ctx, 16)
    assert cause is not None
    assert reader.shown("routingentry", "DenyCauseCode", "16") == (
        f"16 (Q.850 {cause.fields['meaning']})"
    )
    assert reader.meaning("sipsg", "rt_LastFailureCause", "0") == ""


def test_scoped_enumerations_and_other_kinds() -> None:
    reader = ValueReader(CATALOGS)
    assert reader.shown("siptrunkgroup", "Type", "1") == "1 (TGRP)"
    assert not reader.reads("sbc", "sipsg", "Type")  # "Type" means that on trunk groups only
    assert reader.shown("activealarm", "aSeverity", "4") == "4 (Critical)"
    assert not reader.reads("cue", "user", "customAdminState")


def test_a_details_list_decodes_its_enumerated_columns() -> None:
    body = (
        b'<root><status><http_code>200</http_code></status><sipsg_list count="2">'
        + SG.split(b"</status>")[1].removesuffix(b"</root>")
        + b'<sipsg id="2" href="/rest/sipsg/2"><Description>B</Description>'
        b"<customAdminState>2</customAdminState><rt_OperationalState>1</rt_OperationalState>"
        b"</sipsg></sipsg_list></root>"
    )
    model = table(parse_sbc(body))
    at = {name: i for i, name in enumerate(model.columns)}
    first, second = (r.cells for r in model.rows)
    assert first[at["rt_OperationalState"]] == "2 (Down, inferred)"
    assert second[at["customAdminState"]] == "2 (Drain)"
    assert first[at["Channels"]] == "2"
