"""Subject tokens: lowercased, safe characters kept, everything else escaped; and the subject a
console's filter narrows its consumer to."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.feed import blank_event
from tui.core.query import compile_query, exact_term, pinned_values
from tui.net.nats.subjects import (
    EMPTY_TOKEN,
    SUBJECT_FIELDS,
    event_subject,
    filter_subject,
    subject_token,
)


def test_safe_text_is_kept_and_the_rest_escaped() -> None:
    assert subject_token("call") == "call"
    assert subject_token("wcs1.example.net") == "wcs1%2Eexample%2Enet"
    assert subject_token("a b*c>d%") == "a%20b%2Ac%3Ed%25"
    assert subject_token("Zürich") == "z%C3%BCrich"
    assert subject_token("") == EMPTY_TOKEN


def test_event_subject() -> None:
    event = blank_event(source="wcs", node="edge@wcs1.lan", method="OnCallEvent")
    assert event_subject("noc", event) == "noc.wcs.edge%40wcs1%2Elan.oncallevent"
    assert event_subject("noc.site-a", blank_event(source="icws")) == "noc.site-a.icws.%.%"


@given(st.text(max_size=10), st.text(max_size=10))  # 10 characters stay under the cut
def test_tokens_are_subject_safe_and_one_to_one_but_for_case(a: str, b: str) -> None:
    ta, tb = subject_token(a), subject_token(b)
    for token in (ta, tb):
        assert token and not any(c in token for c in ".*> \t\r\n")
    assert (ta == tb) == (a.lower() == b.lower())


def test_a_filter_subject_finds_what_the_filter_finds_in_any_case() -> None:
    """The filter matches fields in any case; the subject it narrows to must too."""
    event = blank_event(source="wcs", node="WCS1.example.net", method="CallStatusEvent")
    for query in ("node:wcs1.example.net", "node:WCS1.EXAMPLE.NET method:callstatusevent"):
        assert compile_query(query)(tuple(event))
        subject = filter_subject("noc", pinned_values(query, SUBJECT_FIELDS))
        assert subject_matches(subject, event_subject("noc", event)), (query, subject)


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS's rule: ``*`` is one token, a final ``>`` one or more."""
    wanted, got = pattern.split("."), subject.split(".")
    for index, token in enumerate(wanted):
        if token == ">":
            return len(got) > index
        if index >= len(got) or token not in ("*", got[index]):
            return False
    return len(got) == len(wanted)


@pytest.mark.parametrize(
    ("query", "subject"),
    [
        ("", "noc.>"),
        ("status:FAILED ICE", "noc.>"),
        ("source:wcs", "noc.wcs.*.*"),
        ("src:ICWS server:cic1", "noc.icws.cic1.*"),
        ("method:CallStatusEvent node:wcs1.lan", "noc.*.wcs1%2Elan.callstatusevent"),
        ("node:a,b method:X", "noc.*.*.x"),  # two nodes: any node, the client's filter decides
        ("node:wcs* method:X", "noc.*.*.x"),  # a wildcard is not a whole token
        ("node:~wcs", "noc.>"),
        ("!node:wcs1", "noc.>"),  # a negation cannot narrow
        ("node:=a*b", "noc.*.a%2Ab.*"),  # =: the literal text
        ("type:CallStatusEvent", "noc.>"),  # type: matches a kind too
        ("node:a node:b", "noc.*.a.*"),  # both must hold: either narrows
        ('node:"two words"', "noc.*.two%20words.*"),
        ('node:"unclosed', "noc.>"),
    ],
)
def test_filter_subjects(query: str, subject: str) -> None:
    assert filter_subject("noc", pinned_values(query, SUBJECT_FIELDS)) == subject


@given(st.text(max_size=12), st.sampled_from(["node", "method", "source"]))
def test_a_pinned_value_never_hides_a_matching_event(value: str, field: str) -> None:
    """Whatever the operator types, an event the query matches is on the narrowed subject."""
    query = exact_term(field, value)
    fields = {"source": "wcs", "node": "n", "method": "m", field: value}
    event = blank_event(**fields)
    assert compile_query(query)(tuple(event))
    subject = filter_subject("noc", pinned_values(query, SUBJECT_FIELDS))
    assert subject_matches(subject, event_subject("noc", event))
