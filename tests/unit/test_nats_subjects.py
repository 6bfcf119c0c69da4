"""Subject tokens: safe characters kept, everything else escaped one-to-one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.feed import blank_event
from tui.net.nats.subjects import EMPTY_TOKEN, event_subject, subject_token


def test_safe_text_is_kept_and_the_rest_escaped() -> None:
    assert subject_token("call") == "call"
    assert subject_token("wcs1.example.net") == "wcs1%2Eexample%2Enet"
    assert subject_token("a b*c>d%") == "a%20b%2Ac%3Ed%25"
    assert subject_token("Zürich") == "Z%C3%BCrich"
    assert subject_token("") == EMPTY_TOKEN


def test_event_subject() -> None:
    event = blank_event(source="wcs", node="edge@wcs1.lan", method="OnCallEvent")
    assert event_subject("noc", event) == "noc.wcs.edge%40wcs1%2Elan.OnCallEvent"
    assert event_subject("noc.site-a", blank_event(source="icws")) == "noc.site-a.icws.%.%"


@given(st.text(max_size=10), st.text(max_size=10))  # 10 characters stay under the cut
def test_tokens_are_subject_safe_and_one_to_one(a: str, b: str) -> None:
    ta, tb = subject_token(a), subject_token(b)
    for token in (ta, tb):
        assert token and not any(c in token for c in ".*> \t\r\n")
    assert (ta == tb) == (a == b)
