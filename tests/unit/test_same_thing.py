"""`=` on the feed: which thing a row is about, and an exact filter for it whatever its id."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.feed import SOURCE_ICWS, SOURCE_WCS, as_row, blank_event
from tui.core.query import compile_query, exact_term
from tui.ui.models.feed.same_thing import SameThingFilter, same_thing


def test_each_kind_of_row_is_about_its_own_id() -> None:
    cases = [
        (blank_event(source=SOURCE_WCS, call="c1", session="/s", stream="x"), "call:c1"),
        (blank_event(source=SOURCE_ICWS, call="1001234565"), "interaction:1001234565"),
        (blank_event(source=SOURCE_WCS, stream="lecture-7", session="/s"), "stream:lecture-7"),
        (blank_event(source=SOURCE_WCS, media="m-1", session="/s"), "media:m-1"),
        (blank_event(source=SOURCE_ICWS, queue="Support", user="agent1"), "queue:Support"),
        (blank_event(source=SOURCE_ICWS, user="agent1"), "user:agent1"),
        (blank_event(source=SOURCE_WCS, session="/10.0.0.1:1/a"), "session:/10.0.0.1:1/a"),
    ]
    for event, query in cases:
        thing = same_thing(as_row(event))
        assert thing is not None and thing.query == query


def test_a_row_about_nothing_gives_no_filter() -> None:
    assert same_thing(as_row(blank_event(source="console", info="bad hook"))) is None


@given(st.text(min_size=1, max_size=30))
def test_the_filter_matches_exactly_that_id_however_odd(value: str) -> None:
    query = compile_query(exact_term("call", value))
    assert query(as_row(blank_event(call=value)))
    assert not query(as_row(blank_event(call=value + "x")))
    assert not query(as_row(blank_event(call="x" + value)))


def test_wildcard_and_list_characters_in_an_id_are_taken_literally() -> None:
    for value in ("a*b", "a?b", "a[1]b", "a,b", "~ab", "=ab", "a b", "a'b\"c"):
        query = compile_query(exact_term("call", value))
        assert query(as_row(blank_event(call=value)))
        assert not query(as_row(blank_event(call="aXb")))
        assert not query(as_row(blank_event(call="a")))
    assert exact_term("call", "pbx-1F-1024@pbx.example.net") == "call:pbx-1F-1024@pbx.example.net"


def test_the_toggle_gives_back_what_was_there() -> None:
    toggle = SameThingFilter()
    before = compile_query("status:FAILED")
    thing = same_thing(as_row(blank_event(call="c1")))
    assert thing is not None
    toggle.start(thing, before)
    assert toggle.active == thing
    assert toggle.stop() is before and toggle.active is None
    toggle.start(thing, before)
    toggle.forget()
    assert toggle.active is None and toggle.stop() is None
