from __future__ import annotations

import pytest

from tui.core.feed import SEV_ERROR, SEV_WARNING, as_row, blank_event
from tui.core.query import QueryError, compile_query

ROWS = [
    as_row(blank_event(seq=1, source="wcs", method="CallStatusEvent", status="FAILED",
                       call="b6f1c2d8", node="n1@95.191.130.39", sip_status=486,
                       info="SIP 486 BUSY HERE", severity=SEV_WARNING, reply_status=200)),
    as_row(blank_event(seq=2, source="wcs", method="StreamStatusEvent", status="PLAYING",
                       stream="cam1", node="n2@10.0.0.2", reply_status=200)),
    as_row(blank_event(seq=3, source="wcs", method="StreamStatusEvent", status="FAILED",
                       stream="cam2", node="n1@95.191.130.39", info="Failed by ICE timeout",
                       severity=SEV_ERROR, reply_status=200)),
    as_row(blank_event(seq=4, source="icws", method="message:QueueContentsMessage",
                       queue="Support", user="agent7", status="A")),
    as_row(blank_event(seq=5, source="wcs", method="call", status="PENDING", callee="900123",
                       reply_status=403, rule="premium")),
    as_row(blank_event(seq=6, source="icws", kind="queueContents", method="queues:queueContentsMessage",
                       queue="Support", call="1001234575", status="Held")),
]  # fmt: skip


def seqs(text: str) -> list[int]:
    query = compile_query(text)
    return [row[0] for row in ROWS if query(row)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [1, 2, 3, 4, 5, 6]),
        ("status:FAILED", [1, 3]),
        ("status:failed", [1, 3]),
        ("method:CallStatusEvent status:FAILED", [1]),
        ("type:StreamStatusEvent !status:PLAYING", [3]),
        ("status:FAILED,PLAYING", [1, 2, 3]),
        ("call:b6f1*", [1]),
        ("node:~95.191", [1, 3]),
        ("ICE", [3]),
        ("ice", [3]),
        ("!ice", [1, 2, 4, 5, 6]),
        ('info:"SIP 486*"', [1]),
        ("sip:486", [1]),
        ("sip:4xx", [1]),
        ("sip:>=400", [1]),
        ("sip:<400", []),
        ("reply:403", [5]),
        ("reply:4xx,5xx", [5]),
        ("sev:error", [3]),
        ("sev:>=warning", [1, 3]),
        ("source:icws queue:Support", [4, 6]),
        ("src:icws user:agent7", [4]),
        ("type:message:QueueContentsMessage", [4]),
        ("type:queueContents", [6]),
        ("type:queueContents,CallStatusEvent", [1, 6]),
        ("rule:premium", [5]),
        ("callee:900*", [5]),
        ("stream:cam?", [2, 3]),
    ],
)
def test_queries(text: str, expected: list[int]) -> None:
    assert seqs(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("colour:red", "unknown field 'colour'; fields: app, call"),
        ("sip:busy", "give a code (486), a class (4xx)"),
        ("sev:bad", "use one of ok, notice, warning, error"),
        ('info:"open', "check the quotes"),
    ],
)
def test_bad_queries_explain(text: str, fragment: str) -> None:
    with pytest.raises(QueryError) as info:
        compile_query(text)
    assert fragment in str(info.value)


def test_empty_query_flags_itself() -> None:
    assert compile_query("  ").is_empty
    assert not compile_query("x").is_empty
