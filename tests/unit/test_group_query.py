"""The Calls screen's filter: the feed's syntax over groups."""

from __future__ import annotations

import pytest

from tui.core.correlate import Group
from tui.core.correlate.group_query import GroupQueryError, compile_group_query

NODE_A = "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oO@10.20.0.11"
NODE_B = "OL8dKLzdocJ2isAjIhKtJ0RlgLKOmxgJ@10.20.1.12"


def _group(ident: str, **fields: object) -> Group:
    group = Group(kind=str(fields.pop("kind", "call")), id=ident, first=100.0, last=100.0)
    for name, value in fields.items():
        setattr(group, name, value)
    return group


GROUPS = [
    _group("up-long", node=NODE_A, state="ESTABLISHED", last=190.0, caller="1001", callee="555"),
    _group("up-short", node=NODE_B, state="ESTABLISHED", last=110.0, caller="1002"),
    _group("failed-503", node=NODE_A, state="FAILED", final_status="FAILED", sip_status=503,
           reason="SIP 503 SERVICE UNAVAILABLE", caller="1025", events=3),
    _group("busy-486", node=NODE_B, state="BUSY", final_status="BUSY", sip_status=486),
    _group("refused", node=NODE_A, state="PENDING", refused=1, rule="premium", last_reply=403),
    _group("lecture", kind="stream", node=NODE_A, state="PUBLISHING", linked=""),
    _group("ix-1", kind="interaction", node="cic", state="Connected", linked="call:up-long",
           queue="Support"),
]  # fmt: skip


def ids(text: str) -> list[str]:
    query = compile_group_query(text)
    return [g.id for g in GROUPS if query(g)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [g.id for g in GROUPS]),
        ("state:ESTABLISHED", ["up-long", "up-short"]),
        ("state:established node:~10.20.0", ["up-long"]),
        ("node:10.20.1.12", ["up-short", "busy-486"]),  # the IP of a WCS node id
        ("duration:>60", ["up-long"]),
        ("duration:<=10 state:ESTABLISHED", ["up-short"]),
        ("sip:5xx", ["failed-503"]),
        ("sip:>=400", ["failed-503", "busy-486"]),
        ("sip:<500", ["busy-486"]),  # no SIP status is not "below 500"
        ("kind:call is:failed", ["failed-503", "busy-486", "refused"]),
        ("!kind:call", ["lecture", "ix-1"]),
        ("state:FAILED,BUSY", ["failed-503", "busy-486"]),
        ("id:up-*", ["up-long", "up-short"]),
        ('reason:"SIP 503*"', ["failed-503"]),
        ("503", ["failed-503"]),  # free text: the reason
        ("rule:premium reply:403", ["refused"]),
        ("is:linked queue:support", ["ix-1"]),
        ("is:live kind:stream,interaction", ["lecture", "ix-1"]),
        ("events:3", ["failed-503"]),
        ("caller:100?", ["up-long", "up-short"]),
    ],
)
def test_queries(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("colour:red", "unknown field 'colour'"),
        ("sip:big", "give a code"),
        ("duration:long", "give a number"),
        ("is:happy", "use one of failed"),
        ('reason:"open', "check the quotes"),
    ],
)
def test_errors_say_what_works(text: str, says: str) -> None:
    with pytest.raises(GroupQueryError, match=says):
        compile_group_query(text)


def test_an_empty_query_is_empty() -> None:
    assert compile_group_query("  ").is_empty
    assert compile_group_query("is:failed").terms == 1
