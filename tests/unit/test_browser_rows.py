"""From resources to table rows: order, links, runtime split, changes, filters, hostile text."""

from __future__ import annotations

from tests.browser_tables import shown_on, table
from tui.core.errors.catalog import packaged_only
from tui.core.errors.explain import explain_errors
from tui.core.protocols.cue import parse_cue
from tui.core.protocols.mws import parse_mws
from tui.core.protocols.sbc import parse_sbc
from tui.ui.models.browser.rows import (
    DIVIDER,
    LINK,
    RUNTIME,
    fit_widths,
    mark_changes,
    row_filter,
)

SG = (
    b'<root><status><http_code>200</http_code></status><sipsg id="1" href="https://x/rest/sipsg/1">'
    b"<Description>Carrier [red]A[/red]</Description>"
    b'<rt_ActiveCalls>{calls}</rt_ActiveCalls><ServerClusterId href="https://x/rest/sipservertable/1">1'
    b'</ServerClusterId><Groups count="2"><entry href="/rest/sipsg/2">2</entry>'
    b'<entry href="/rest/sipsg/3">3</entry></Groups></sipsg></root>'
)


def sg(calls: int) -> bytes:
    return SG.replace(b"{calls}", str(calls).encode())


def test_resource_rows_put_runtime_after_a_divider_and_mark_links() -> None:
    model = table(parse_sbc(sg(3)))
    assert model.columns == ("", "attribute", "value", "category")
    keys = [r.key for r in model.rows]
    assert keys == [
        "Description",
        "ServerClusterId",
        "Groups",
        "Groups[1]",
        "Groups[2]",
        "--runtime--",
        "rt_ActiveCalls",
    ]
    rows = {r.key: r for r in model.rows}
    assert rows["ServerClusterId"].kind == LINK
    assert rows["ServerClusterId"].cells[0] == "→"
    assert rows["Groups[2]"].href == "/rest/sipsg/3"
    assert rows["--runtime--"].kind == DIVIDER
    assert rows["rt_ActiveCalls"].kind == RUNTIME
    assert rows["rt_ActiveCalls"].cells[3] == "runtime"


def test_hostile_values_show_escapes_inert_and_keep_markup_as_text() -> None:
    # XML 1.0 cannot carry ESC at all (the parser refuses it); JSON can. The ESC and BEL are
    # shown as pictures, so the operator sees the sequence and the terminal obeys none of it.
    body = b'{"id": "s1", "tags": ["\\u001b]0;owned\\u0007[bold]x[/bold]\\u001b[2J"]}'
    (tags,) = [r for r in table(parse_mws(body, path="/v1/sockets/s1")).rows if r.key == "tags"]
    assert tags.cells[2] == "␛]0;owned␇[bold]x[/bold]␛[2J"
    assert tags.value == tags.cells[2]
    (description,) = [r for r in table(parse_sbc(sg(3))).rows if r.key == "Description"]
    assert description.cells[2] == "Carrier [red]A[/red]"  # markup stays text; Segments draw it


def test_changes_are_marked_with_a_delta() -> None:
    before = table(parse_sbc(sg(3)))
    after, count = mark_changes(table(parse_sbc(sg(8))), before)
    assert count == 1
    (changed,) = [r for r in after.rows if r.changed]
    assert (changed.key, changed.changed, changed.delta) == ("rt_ActiveCalls", (2,), "+5")
    same, none = mark_changes(table(parse_sbc(sg(8))), after)
    assert none == 0
    assert not any(r.changed for r in same.rows)


def test_status_rows_list_errors_and_their_links() -> None:
    body = (
        b'<root><status><http_code>409</http_code><app_status href="/rest/sipq850map/3">'
        b'<app_status_entry code="31003" params="3|2"/></app_status></status></root>'
    )
    rows = table(explain_errors(parse_sbc(body), packaged_only())).rows
    assert rows[0].cells[:3] == (
        "✕",
        "31003",
        "Cannot delete SIP to Q.850 mapping 3. It is in use by SG 2.",
    )
    assert [r.href for r in rows[1:]] == ["/rest/sipq850map/3", "/rest/sipsg/2"]


def test_lists_pk_and_details_and_cue_without_categories() -> None:
    listed = parse_sbc(
        b'<root><status><http_code>200</http_code></status><x_list count="1">'
        b'<x_pk id="7" href="https://10.0.0.5/rest/x/7?a=1"/></x_list></root>'
    )
    model = table(listed)
    assert model.columns == ("id", "link")
    assert model.rows[0].cells == ("7", "/rest/x/7?a=1")  # the box's own address left out
    assert model.rows[0].href == "https://10.0.0.5/rest/x/7?a=1"
    user = parse_cue(b"<user><uri>/voicemail/users/a</uri><userId>a</userId></user>")
    cue = table(user)
    assert cue.columns[3] == ""
    assert cue.rows[0].cells == ("", "userId", "a", "")


def test_row_filter_and_its_inverse() -> None:
    rows = table(parse_sbc(sg(3))).rows
    keep = row_filter("cluster")
    assert keep is not None
    assert [r.key for r in rows if keep(r)] == ["ServerClusterId"]
    drop = row_filter("!cluster")
    assert drop is not None
    assert "ServerClusterId" not in [r.key for r in rows if drop(r)]
    assert "--runtime--" not in [r.key for r in rows if drop(r)]
    assert row_filter("") is None
    assert row_filter("!") is None


def test_fit_widths_narrows_the_widest_first_and_stops_at_the_floor() -> None:
    # 48-cell socket ids, a 20-cell date, 30-cell tags, in 80 columns less the gaps.
    assert fit_widths((48, 20, 30), 74) == (27, 20, 27)
    assert sum(fit_widths((48, 20, 30), 74)) == 74
    assert fit_widths((48, 20, 30), 200) == (48, 20, 30)
    assert fit_widths((48, 20, 30), 10) == (16, 16, 16)
    assert fit_widths((), 10) == ()


def test_a_list_whose_entries_all_differ_keeps_a_bounded_number_of_columns() -> None:
    # Each entry its own field names: every row used to get a column for every name of every
    # entry (10,000 entries x 30,000 columns), each cell found by searching the entry's names.
    rows = "".join(
        f'<x id="{i}" href="/rest/x/{i}"><a{i}>1</a{i}><b{i}>2</b{i}><c{i}>3</c{i}></x>'
        for i in range(10_000)
    )
    listed = parse_sbc(
        f'<root><status><http_code>200</http_code></status><x_list count="10000">{rows}'
        "</x_list></root>".encode()
    )
    from tui.ui.models.browser.rows import MAX_COLUMNS

    model = table(listed)
    assert len(model.columns) <= MAX_COLUMNS + 1
    assert len(model.rows) == 10_000
    assert model.rows[0].cells[1:4] == ("1", "2", "3")
    assert all(len(row.cells) == len(model.columns) for row in model.rows)


def test_rows_and_browse_rebase_hrefs_with_one_function() -> None:
    # The box's own address in every href, /rest left out of one, a broken address in one.
    listed = parse_sbc(
        b'<root><status><http_code>200</http_code></status><x_list count="3">'
        b'<x_pk id="1" href="https://10.0.0.5/rest/x/1"/>'
        b'<x_pk id="2" href="https://10.0.0.5/linecard/1/x/2"/>'
        b'<x_pk id="3" href="https://[fe80::1/rest/x/3"/></x_list></root>'
    )
    shown = shown_on("sbc", "/rest/x")
    model = table(listed, "/rest/x")
    assert [r.cells[1] for r in model.rows] == ["/rest/x/1", "/rest/linecard/1/x/2", "/rest/x/3"]
    printed = shown.links.resource(listed, as_url=True)  # what browse --json prints
    assert [r.value for r in model.rows] == [i.href for i in printed.items]
    assert printed.items[1].href == "https://127.0.0.1:8443/rest/linecard/1/x/2"
    as_paths = shown.links.resource(listed, as_url=False)  # what browse prints as text
    assert [i.href for i in as_paths.items] == [r.cells[1] for r in model.rows]
