"""The ladder of a call: arrows from what the events say, drawn as text for tickets."""

from __future__ import annotations

import random

from tests.unit.test_correlate import hook, incoming_answered_then_hung_up, outgoing_failed_503
from tui.core.correlate.ladder import BACKEND, CLIENT, SIP, WCS, build_ladder, sip_summary
from tui.core.correlate.ladder_text import ladder_lines
from tui.core.feed import FLAG_DUPLICATE
from tui.sim.wcs.bodies import sip_response


def _failed_call():
    events = outgoing_failed_503(call_id="ladder-1", t0=1_700_000_000.0)
    sips = {
        events[2].seq: sip_response(random.Random(1), 503, "ladder-1", "1001", "555", "10.0.0.9")
    }
    return events, sips


def test_the_arrows_of_a_call_that_failed_with_a_503() -> None:
    events, sips = _failed_call()
    ladder = build_ladder(reversed(events), lambda seq: sips.get(seq, ""))  # any arrival order
    assert ladder.lanes == (SIP, CLIENT, WCS, BACKEND)
    assert ladder.names[WCS] == "WCS 10.0.0.5" and ladder.names[BACKEND] == "console"
    flow = [(a.src, a.dst, a.label) for a in ladder.arrows]
    assert flow[:3] == [(CLIENT, WCS, "call"), (WCS, BACKEND, "call"), (BACKEND, WCS, "200 0.5 ms")]
    assert (SIP, WCS, "503 Service Unavailable") in flow
    assert flow[-1] == (WCS, CLIENT, "FAILED 503")
    assert [a.seq for a in ladder.arrows] == sorted(a.seq for a in ladder.arrows)
    sip = next(a for a in ladder.arrows if a.what == "sip")
    assert sip.error
    doc = ladder.to_json()
    assert doc["arrows"][0] == {
        "t": "2023-11-14T22:13:20.000+00:00", "from": "client", "to": "wcs", "label": "call",
        "seq": events[0].seq, "what": "invoke",
    }  # fmt: skip


def test_an_incoming_call_starts_at_the_sip_peer_and_a_retry_says_so() -> None:
    events = incoming_answered_then_hung_up(call_id="in-1", t0=1_700_000_000.0)
    retry = events[1]._replace(seq=events[1].seq + 1000, flags=FLAG_DUPLICATE)
    ladder = build_ladder([*events, retry])
    assert (ladder.arrows[0].src, ladder.arrows[0].label) == (SIP, "INVITE")
    assert any(a.label.endswith("(retry)") for a in ladder.arrows)


def test_a_refusal_shows_the_rule_on_the_reply() -> None:
    from tests.unit.test_correlate import SESSION
    from tui.sim.wcs.bodies import call_body

    refused = hook(
        "call", call_body(SESSION, "r-1", "9001", "PENDING"), 1.0, reply=403, rule="premium"
    )
    ladder = build_ladder([refused])
    reply = next(a for a in ladder.arrows if a.what == "reply")
    assert reply.label == "403 0.5 ms premium" and reply.error


def test_sip_summaries() -> None:
    assert sip_summary("SIP/2.0 486 Busy Here\r\nVia: x") == ("486 Busy Here", True)
    assert sip_summary("INVITE sip:1@h SIP/2.0\r\n") == ("INVITE", False)


def test_text_lines_keep_labels_between_their_lanes() -> None:
    events, sips = _failed_call()
    ladder = build_ladder(events, lambda seq: sips.get(seq, ""))
    for width in (60, 80, 120, 200):
        lines = ladder_lines(ladder, width)
        assert len(lines) == 1 + len(ladder.arrows)
        assert lines[0].startswith("time") and "console" in lines[0] and "SIP peer" in lines[0]
        bars = [i for i, ch in enumerate(lines[1]) if ch == "│" or ch in "─▶◀"]
        lane_cols = [i for i, ch in enumerate(lines[1]) if ch == "│"]
        assert bars
        for line in lines[1:]:
            for col in lane_cols:  # every lane's bar is there on every line (or crossed)
                assert line[col] in "│┼◀▶─", (width, line)
        assert max(len(line) for line in lines) <= max(width, 80)
    text = "\n".join(ladder_lines(ladder, 120))
    assert "503 Service Unavailable" in text and "FAILED 503" in text
    assert "22:13:20.000" in text and "+1.100" in text
