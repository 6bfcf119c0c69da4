"""Find on the feed: next and previous match with wrapping, "match N of M", and what is marked."""

from __future__ import annotations

from rich.style import Style

from tui.core.feed import as_row, blank_event
from tui.core.query import compile_query
from tui.ui.models.feed.columns import Column, layout
from tui.ui.models.feed.find import find_match
from tui.ui.models.feed.marks import Marks

ROWS = [as_row(blank_event(seq=n, status="FAILED" if n in (2, 5, 7) else "OK")) for n in range(9)]
FAILED = compile_query("status:FAILED")


def test_next_and_previous_wrap_and_say_where_they_are() -> None:
    found = find_match(ROWS, FAILED, cursor=0, direction=1)
    assert found is not None and (found.index, found.label) == (2, "match 1 of 3")
    found = find_match(ROWS, FAILED, cursor=2, direction=1)
    assert found is not None and (found.index, found.number) == (5, 2)
    found = find_match(ROWS, FAILED, cursor=7, direction=1)
    assert found is not None and (found.index, found.number) == (2, 1)  # round again
    found = find_match(ROWS, FAILED, cursor=2, direction=-1)
    assert found is not None and (found.index, found.number) == (7, 3)
    found = find_match(ROWS, FAILED, cursor=6, direction=-1)
    assert found is not None and found.index == 5
    assert find_match(ROWS, compile_query("status:BUSY"), 0, 1) is None


def test_the_only_match_is_found_from_itself() -> None:
    only = [as_row(blank_event(seq=1, status="FAILED"))]
    found = find_match(only, FAILED, 0, 1)
    assert found is not None and found.label == "match 1 of 1"


MARK = Style(reverse=True)
PLAIN = Style()


def _columns() -> dict[str, Column]:
    return {c.key: c for c in layout(119).columns}


def test_a_matched_field_marks_its_cell_without_the_padding() -> None:
    columns = _columns()
    row = as_row(blank_event(status="FAILED", info="Failed by ICE timeout"))
    query = compile_query("status:FAILED")
    marks = Marks(query.matched_fields(row), query.words, MARK)
    runs = marks.cell(columns["status"], "FAILED      ", PLAIN)
    assert runs == [("FAILED", PLAIN + MARK), ("      ", PLAIN)]
    assert marks.cell(columns["info"], "Failed by ICE", PLAIN) == [("Failed by ICE", PLAIN)]


def test_a_word_is_marked_where_it_is_in_the_cell() -> None:
    columns = _columns()
    row = as_row(blank_event(status="FAILED", info="Failed by ICE timeout, ICE again"))
    query = compile_query("ice")
    marks = Marks(query.matched_fields(row), query.words, MARK)
    runs = marks.cell(columns["info"], "Failed by ICE timeout, ICE again  ", PLAIN)
    assert runs == [
        ("Failed by ", PLAIN),
        ("ICE", PLAIN + MARK),
        (" timeout, ", PLAIN),
        ("ICE", PLAIN + MARK),
        (" again  ", PLAIN),
    ]
    assert "".join(text for text, _ in runs) == "Failed by ICE timeout, ICE again  "


def test_a_sip_code_marks_the_info_cell_that_shows_it() -> None:
    columns = _columns()
    row = as_row(blank_event(sip_status=503, info="SIP 503 SERVICE UNAVAILABLE"))
    query = compile_query("sip:5xx")
    marks = Marks(query.matched_fields(row), query.words, MARK)
    runs = marks.cell(columns["info"], "SIP 503 SERVICE UNAVAILABLE", PLAIN)
    assert runs == [("SIP 503 SERVICE UNAVAILABLE", PLAIN + MARK)]


def test_the_padding_after_a_mark_is_not_marked() -> None:
    from tui.ui.widgets.feed.event_list import blanks_last

    runs = blanks_last([("FAILED", PLAIN + MARK), ("      ", PLAIN), ("lecture-94", PLAIN)])
    assert runs == [("FAILED", PLAIN + MARK), ("      lecture-94", PLAIN)]
    plain = blanks_last([("FAILED", PLAIN), ("   ", PLAIN + Style(bold=True)), ("x", PLAIN)])
    assert plain == [("FAILED   x", PLAIN)]  # unmarked blanks close the run before
