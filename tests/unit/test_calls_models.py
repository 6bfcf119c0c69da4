"""The Calls screen's and the ladder screen's models: columns that fit, ids cut at the right
end, sorts, counts, folded lanes and the saved ticket."""

from __future__ import annotations

import pytest

from tests.unit.test_correlate import hook, incoming_answered_then_hung_up, outgoing_failed_503
from tui.core.correlate import KIND_CALL, Correlator, Group
from tui.core.correlate.group_query import compile_group_query
from tui.core.correlate.ladder import BACKEND, CLIENT, ICWS, SIP, WCS, Arrow, Ladder
from tui.core.correlate.ladder_text import ladder_lines
from tui.ui.models.calls.ladder_view import (
    default_hidden,
    draw_width,
    fold,
    gather,
    ticket_name,
    ticket_text,
    tone,
)
from tui.ui.models.calls.table import (
    SORTS,
    cells,
    counts_lines,
    duration_text,
    flex_width,
    kind_counts,
    layout,
    mark,
    select,
    short_id,
    state_text,
    status_text,
)


def _correlated() -> Correlator:
    correlator = Correlator()
    correlator.add_all(outgoing_failed_503(call_id="4b35c0de-0000-4000-8000-000000000001"))
    correlator.add_all(incoming_answered_then_hung_up(call_id="a84b4c76e66710@10.0.0.9"))
    return correlator


@pytest.mark.parametrize("width", range(30, 201, 7))
def test_the_columns_fit_every_width(width: int) -> None:
    columns = layout(width)
    flex = flex_width(columns, width)
    group = _correlated().groups(KIND_CALL)[0]
    line = " ".join(text for _, text in cells(group, columns, flex))
    assert len(line) <= max(width, 12)
    keys = [c.key for c in columns]
    assert keys[:2] == ["mark", "id"]  # the mark and the id always stay
    if width >= 80:
        assert {"node", "caller", "callee", "duration", "state", "status"} <= set(keys)
    if width >= 120:
        assert {"first", "events", "linked"} <= set(keys)


def test_ids_keep_their_distinguishing_end() -> None:
    assert short_id("4b35c0de-0000-4000-8000-000000000001", 12) == "…00000000001"
    assert short_id("a84b4c76e66710@10.0.0.9", 14) == "a84b4c76e66710"  # the shared host goes
    assert short_id("short", 12) == "short"


def test_failed_and_refused_rows_say_so_in_words() -> None:
    correlator = _correlated()
    failed = correlator.find("4b35c0de-0000-4000-8000-000000000001")[0]
    assert (mark(failed), state_text(failed), status_text(failed)) == ("✗", "FAILED", "503")
    refused = Group(kind="call", id="r", first=1.0, last=1.0, state="PENDING", refused=1)
    refused.last_reply = 200  # a later hook of the same call was answered 200
    assert (mark(refused), state_text(refused), status_text(refused)) == ("⊘", "REFUSED", "403")
    refused.state = refused.final_status = "FAILED"  # WCS then fails the call it was refused
    assert (mark(refused), state_text(refused)) == ("⊘", "REFUSED")
    fine = correlator.find("a84b4c76e66710@10.0.0.9")[0]
    assert (mark(fine), state_text(fine)) == (" ", "FINISH")


def test_durations_read_short() -> None:
    assert [duration_text(s) for s in (0.25, 9.94, 61, 3725)] == ["0.2s", "9.9s", "1:01", "1h02"]


def test_select_filters_and_sorts() -> None:
    correlator = _correlated()
    newest = select(correlator, KIND_CALL, None, SORTS[0])
    assert [g.first for g in newest] == sorted((g.first for g in newest), reverse=True)
    failed_first = select(correlator, KIND_CALL, None, SORTS[1])
    assert failed_first[0].failed and not failed_first[-1].failed
    only = select(correlator, KIND_CALL, compile_group_query("sip:5xx"), SORTS[0])
    assert [g.sip_status for g in only] == [503]
    assert {s.name for s in SORTS} >= {"newest first", "failed first", "longest first"}


def test_counts_by_state_and_per_node() -> None:
    correlator = _correlated()
    counts = kind_counts(correlator, KIND_CALL)
    assert counts.total == 2 and dict(counts.ended) == {"FAILED": 1, "FINISH": 1}
    assert counts.nodes == (("10.0.0.5", 2, 1),)
    states, nodes = counts_lines(counts)
    assert ("FAILED 1  ", "bad") in states and ("FINISH 1  ", "") in states
    assert ("10.0.0.5 2", "") in nodes and (" (1 failed)  ", "bad") in nodes


def test_a_node_that_fell_silent_stands_out() -> None:
    from tui.core.feed import blank_event

    def keepalive(node: str, ts: float):
        return blank_event(source="wcs", node=node, ts=ts, method="StreamKeepAliveEvent",
                           stream="s", status="PLAYING")  # fmt: skip

    correlator = _correlated()
    node = correlator.groups(KIND_CALL)[0].node
    correlator.add(keepalive(node, correlator.now))
    assert kind_counts(correlator, KIND_CALL).quiet == ()
    correlator.add(keepalive("x" * 32 + "@10.0.0.7", correlator.now + 90.0))
    counts = kind_counts(correlator, KIND_CALL)
    assert [(node, round(s)) for node, s in counts.quiet] == [("10.0.0.5", 90)]
    assert ("10.0.0.5 QUIET 1:30  ", "bad") in counts_lines(counts)[1]


def _ladder() -> Ladder:
    lanes = (SIP, CLIENT, WCS, BACKEND, ICWS)
    names = {lane: lane.upper() for lane in lanes}
    arrows = (
        Arrow(1.0, CLIENT, WCS, "call", 1, "invoke"),
        Arrow(1.0, WCS, BACKEND, "call", 1, "hook"),
        Arrow(1.0, BACKEND, WCS, "200 0.5 ms", 1, "reply"),
        Arrow(2.0, SIP, WCS, "503 Service Unavailable", 2, "sip", error=True),
        Arrow(3.0, ICWS, BACKEND, "Alerting", 3, "icws"),
    )
    return Ladder(lanes, names, arrows)


def test_folding_a_lane_takes_its_arrows_with_it() -> None:
    folded = fold(_ladder(), {CLIENT, SIP})
    assert folded.lanes == (WCS, BACKEND, ICWS)
    assert [a.label for a in folded.arrows] == ["call", "200 0.5 ms", "Alerting"]
    assert fold(_ladder(), set(_ladder().lanes)) == _ladder()  # never nothing at all


def test_narrow_terminals_start_with_fewer_lanes() -> None:
    ladder = _ladder()
    assert default_hidden(ladder, 120) == set()
    assert default_hidden(ladder, 80) == {CLIENT}
    assert default_hidden(ladder, 60) == {CLIENT, SIP}
    for width in (60, 80):
        shown = fold(ladder, default_hidden(ladder, width))
        lines = ladder_lines(shown, draw_width(len(shown.lanes), width - 1))
        assert max(len(line) for line in lines) <= width - 1  # fits: no sideways scroll


def test_all_lanes_at_80_columns_are_drawn_wider_and_scroll() -> None:
    assert draw_width(5, 79) > 79
    assert draw_width(2, 79) == 79


def test_tones() -> None:
    assert [tone(a) for a in _ladder().arrows] == ["", "", "reply", "error", "icws"]


def test_the_saved_ticket_says_what_the_call_was() -> None:
    from tui.core.correlate.ladder import build_ladder

    correlator = Correlator()
    events = outgoing_failed_503(call_id="4b35/../x:1", t0=1_700_000_000.0)
    correlator.add_all(events)
    group = correlator.groups(KIND_CALL)[0]
    by_seq = {e.seq: e for e in events}
    gathered = gather(
        group, correlator, lambda seq: by_seq.get(seq) if seq != events[1].seq else None
    )
    assert gathered.missing == 1 and len(gathered.events) == 2
    text = ticket_text(group, build_ladder(gathered.events), gathered)
    assert text.startswith("call 4b35/../x:1\n")
    assert "state FAILED  SIP 503  (SIP 503 SERVICE UNAVAILABLE)" in text
    assert "not shown: 1 events no longer kept" in text
    assert "22:13:20.000" in text and "FAILED 503" in text
    assert ticket_name(group) == "ladder-call-4b35_.._x_1.txt"  # no path separators


def test_gather_is_bounded() -> None:
    correlator = Correlator()
    events = [
        hook("CallStatusEvent", {"callId": "long", "status": "ESTABLISHED"}, float(i))
        for i in range(30)
    ]
    correlator.add_all(events)
    by_seq = {e.seq: e for e in events}
    gathered = gather(correlator.groups(KIND_CALL)[0], correlator, by_seq.get, limit=10)
    assert len(gathered.events) == 10 and gathered.cut == 20


def test_the_rates_line_fits_its_width() -> None:
    from tui.ui.models.calls.table import rates_line

    events, failures = [3] * 50 + [0] * 9 + [12], [0] * 59 + [2]
    for width in (80, 120, 200):
        line = "".join(text for text, _ in rates_line(events, failures, width - 2))
        assert len(line) <= width - 2 and line.endswith("last 60 s")
        assert " 12  " in line and "failures/s" in line
    assert rates_line([], [], 80) == [("rates: nothing yet", "muted")]


def test_interactions_are_counted_per_queue() -> None:
    from tui.core.correlate import KIND_INTERACTION, Correlator
    from tui.core.feed import blank_event
    from tui.ui.models.calls.table import counts_lines, kind_counts

    correlator = Correlator()
    for i, queue in enumerate(["Support", "Support", "Sales"]):
        correlator.add(blank_event(seq=i + 1, ts=1.0 + i, source="icws", node="cic",
                                   method="queueContents", call=f"100{i}", queue=queue,
                                   status="Offering"))  # fmt: skip
    counts = kind_counts(correlator, KIND_INTERACTION)
    assert counts.per == "queue" and counts.nodes[:2] == (("Support", 2, 0), ("Sales", 1, 0))
    line = "".join(text for text, _ in counts_lines(counts)[1])
    assert line.startswith("per queue Support 2")


def test_a_live_group_lasts_until_now_and_an_ended_one_until_its_end() -> None:
    from tui.core.correlate import Group
    from tui.ui.models.calls.table import live_duration

    live = Group(kind="call", id="a", first=100.0, last=101.0, state="ESTABLISHED")
    ended = Group(kind="call", id="b", first=100.0, last=103.0, final_status="FINISH")
    assert live_duration(live, 160.0) == 60.0
    assert live_duration(ended, 160.0) == 3.0
    assert live_duration(live, 0.0) == 1.0  # no clock yet: what its events span
