"""The correlator over real-shaped hook sequences: the bodies the WCS simulator sends, through the
real normaliser, in order and out of it, with retries."""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import count

import pytest

from tui.core.correlate import (
    KIND_CALL,
    KIND_INTERACTION,
    KIND_SESSION,
    KIND_STREAM,
    Correlator,
    CorrelatorLimits,
    number_key,
)
from tui.core.feed import FLAG_DUPLICATE, FeedEvent, blank_event
from tui.core.protocols.wcs import normalise
from tui.sim.wcs.bodies import call_body, new_session, sip_response, stream_body

RNG = random.Random(7)
SESSION = new_session(RNG, "a" * 32 + "@10.0.0.5", "10.0.0.5", "defaultApp")
SEQ = count(1)


def hook(
    method: str, body: dict, ts: float, *, reply: int = 200, rule: str = "", flags: int = 0
) -> FeedEvent:
    event = normalise(
        "/apps/EchoApp",
        method,
        body,
        ts=ts,
        reply_status=reply,
        latency_ms=0.5,
        rule=rule,
        flags=flags,
    )
    return event._replace(seq=next(SEQ))


def outgoing_failed_503(
    call_id: str = "4b35c0de-0000-4000-8000-000000000001", t0: float = 1000.0
) -> list[FeedEvent]:
    sip = sip_response(RNG, 503, call_id, "1001", "5551234567", "10.0.0.9")
    return [
        hook("call", call_body(SESSION, call_id, "5551234567", "PENDING"), t0),
        hook("CallStatusEvent", call_body(SESSION, call_id, "5551234567", "TRYING", sip_status=100), t0 + 0.1),
        hook(
            "CallStatusEvent",
            call_body(SESSION, call_id, "5551234567", "FAILED", sip_status=503,
                      info="SIP 503 SERVICE UNAVAILABLE", sip_message=sip),
            t0 + 1.2,
        ),
    ]  # fmt: skip


def incoming_answered_then_hung_up(
    call_id: str = "a84b4c76e66710@10.0.0.9", t0: float = 2000.0
) -> list[FeedEvent]:
    def body(status, **kw):
        return call_body(SESSION, call_id, "1001", status, incoming=True, caller="5550001111", **kw)

    return [
        hook("OnCallEvent", body("PENDING"), t0),
        hook("CallStatusEvent", body("RING", sip_status=180), t0 + 0.2),
        hook("answer", body("RING"), t0 + 3.0),
        hook("CallStatusEvent", body("ESTABLISHED", sip_status=200), t0 + 3.1),
        hook("hangup", body("ESTABLISHED"), t0 + 60.0),
        hook("CallStatusEvent", body("FINISH", info="Normal call clearing"), t0 + 60.1),
    ]


def test_an_outgoing_call_that_failed_with_a_503() -> None:
    correlator = Correlator()
    events = outgoing_failed_503()
    correlator.add_all(events)
    (call,) = correlator.groups(KIND_CALL)
    assert call.id == events[0].call and call.key == f"call:{call.id}"
    assert call.final_status == "FAILED" and call.failed
    assert call.sip_status == 503 and call.reason == "SIP 503 SERVICE UNAVAILABLE"
    assert (call.caller, call.callee) == (SESSION.sip_login, "5551234567")
    assert call.node == SESSION.node and call.session == SESSION.session_id
    assert list(call.seqs) == [e.seq for e in events]
    assert call.duration_s == pytest.approx(1.2)
    assert call.replies == 3 and call.last_reply == 200 and call.max_latency_ms == 0.5
    assert correlator.ended[KIND_CALL] == {"FAILED": 1} and not correlator.live[KIND_CALL]
    (session,) = correlator.groups(KIND_SESSION)
    assert session.children == [call.id] and session.members == 1
    assert correlator.children_of(session) == [call]
    doc = call.to_json()
    assert doc["kind"] == "call" and doc["state"] == "FAILED" and doc["sip_status"] == 503
    assert doc["events"] == 3 and doc["linked"] is None


def test_an_incoming_call_answered_and_hung_up_out_of_order() -> None:
    events = incoming_answered_then_hung_up()
    shuffled = [events[0], events[3], events[1], events[5], events[2], events[4]]
    correlator = Correlator()
    for event in shuffled[:3]:
        correlator.add(event)
    (call,) = correlator.groups(KIND_CALL)
    assert call.state == "ESTABLISHED"  # the late RING did not move it back
    assert correlator.live[KIND_CALL] == {"ESTABLISHED": 1}
    for event in shuffled[3:]:
        correlator.add(event)
    assert call.final_status == "FINISH" and not call.failed
    assert call.reason == "Normal call clearing"
    assert call.first == events[0].ts and call.last == events[-1].ts  # times, not arrival
    assert call.caller == "5550001111"
    assert sorted(call.seqs) == sorted(e.seq for e in events)


def test_a_status_after_the_end_is_counted_not_obeyed() -> None:
    events = outgoing_failed_503(t0=3000.0)
    late = events[1]._replace(seq=next(SEQ), ts=events[1].ts + 0.01)
    correlator = Correlator()
    correlator.add_all([events[0], events[2], late])
    (call,) = correlator.groups(KIND_CALL)
    assert call.final_status == "FAILED" and call.state == "FAILED" and call.events == 3


def test_a_wcs_retry_joins_the_story_without_changing_it() -> None:
    events = outgoing_failed_503(t0=4000.0)
    retry = events[1]._replace(seq=next(SEQ), ts=events[1].ts + 2.0, flags=FLAG_DUPLICATE)
    correlator = Correlator()
    correlator.add_all([events[0], events[1], retry])
    (call,) = correlator.groups(KIND_CALL)
    assert call.duplicates == 1 and call.events == 3 and call.state == "TRYING"
    correlator.add(events[2])
    assert call.final_status == "FAILED"


def test_a_refused_call_says_which_rule() -> None:
    call_id = "refused-1"
    refused = hook(
        "call", call_body(SESSION, call_id, "9001", "PENDING"), 5000.0, reply=403, rule="premium"
    )
    correlator = Correlator()
    correlator.add(refused)
    (call,) = correlator.groups(KIND_CALL)
    assert call.refused == 1 and call.rule == "premium" and call.failed
    assert call.to_json()["rule"] == "premium"


def test_a_stream_published_played_twice_and_stopped() -> None:
    pub, p1, p2 = "m-pub", "m-play-1", "m-play-2"
    name = "lecture-7"

    def s(media, status, published, **kw):
        return stream_body(SESSION, media, name, status, published=published, **kw)

    events = [
        hook("publishStream", s(pub, "PENDING", True), 10.0),
        hook("StreamStatusEvent", s(pub, "PUBLISHING", True), 10.5),
        hook("playStream", s(p1, "PENDING", False), 11.0),
        hook("StreamStatusEvent", s(p1, "PLAYING", False), 11.2),
        hook("playStream", s(p2, "PENDING", False), 12.0),
        hook("StreamStatusEvent", s(p2, "PLAYING", False), 12.3),
        hook("StreamStatusEvent", s(p1, "STOPPED", False, info="Stopped by user"), 20.0),
        hook(
            "StreamStatusEvent", s(pub, "UNPUBLISHED", True, info="Stopped by publisher stop"), 30.0
        ),
    ]
    correlator = Correlator()
    correlator.add_all(events[:6])
    (stream,) = correlator.groups(KIND_STREAM)
    assert stream.state == "PUBLISHING" and stream.media is not None
    assert set(stream.media) == {pub, p1, p2} and stream.members == 3
    correlator.add_all(events[6:])
    assert stream.state == "PLAYING" and not stream.ended  # one player still plays
    stop = hook("StreamStatusEvent", s(p2, "STOPPED", False, info="Stream not found"), 31.0)
    correlator.add(stop)
    assert stream.final_status == "STOPPED" and stream.reason == "Stream not found"
    assert stream.events == 9 and not stream.failed
    # the same name published again later is a new stream
    again = hook("publishStream", s("m-pub-2", "PENDING", True), 100.0)
    correlator.add(again)
    keys = [g.key for g in correlator.groups(KIND_STREAM)]
    assert keys == [f"stream:{name}#1", f"stream:{name}"]  # the earlier one moved aside
    assert correlator.find(name)[0].media == {"m-pub-2": "PENDING"}
    assert correlator.find(f"stream:{name}#1") == [stream]


def test_an_icws_interaction_is_linked_to_the_wcs_call_by_its_number() -> None:
    call = incoming_answered_then_hung_up(call_id="inbound-9", t0=7000.0)
    interaction = [
        blank_event(seq=next(SEQ), ts=7000.5, source="icws", node="cic-demo", method="queueContents",
                    call="1001234567", queue="Support", status="Alerting", caller="+1 555 000 1111"),
        blank_event(seq=next(SEQ), ts=7003.0, source="icws", node="cic-demo", method="queueContents",
                    call="1001234567", queue="Support", status="Connected", user="k.okafor",
                    caller="+1 555 000 1111"),
    ]  # fmt: skip
    correlator = Correlator()
    correlator.add_all(call[:2])
    correlator.add_all(interaction)
    (wcs,) = correlator.groups(KIND_CALL)
    (icws,) = correlator.groups(KIND_INTERACTION)
    assert icws.linked == wcs.key and wcs.linked == icws.key
    assert "remote number" in wcs.link_why and "caller" in wcs.link_why
    assert icws.state == "Connected" and icws.user == "k.okafor" and icws.queue == "Support"
    assert wcs.to_json()["linked"] == icws.key


def test_numbers_compare_on_their_last_digits() -> None:
    assert number_key("+1 (555) 000-1111") == number_key("5550001111") == "5550001111"
    assert number_key("sip:0015550001111@host") == "5550001111"
    assert number_key("12") == ""


def _calls(n: int, t0: float = 0.0) -> Iterator[FeedEvent]:
    for i in range(n):
        base = blank_event(source="wcs", method="CallStatusEvent", call=f"c{i}", node="n1")
        yield base._replace(seq=2 * i + 1, ts=t0 + i, status="ESTABLISHED")
        yield base._replace(seq=2 * i + 2, ts=t0 + i + 0.5, status="FINISH")


def test_ended_groups_age_out_of_the_live_tables() -> None:
    correlator = Correlator(CorrelatorLimits(keep_ended_s=10.0))
    correlator.add_all(_calls(50))
    assert correlator.expire() > 0
    kept = correlator.groups(KIND_CALL)
    assert kept and all(g.ended_ts >= correlator.now - 10.0 for g in kept)
    assert sum(correlator.ended[KIND_CALL].values()) == len(kept)
    assert correlator.aged_out == 50 - len(kept)


def test_the_tables_are_bounded() -> None:
    correlator = Correlator(CorrelatorLimits(max_groups=100, keep_ended_s=1e9))
    correlator.add_all(_calls(1000))
    assert len(correlator.groups(KIND_CALL)) == 100
    assert correlator.evicted == 900
    assert correlator.groups(KIND_CALL)[-1].id == "c999"
    assert sum(correlator.ended[KIND_CALL].values()) == 100
    correlator.add_all(_calls(10_000, t0=2000.0))
    correlator.expire()
    assert len(correlator._ended) <= 4 * 100  # evicted groups are not held on to


def test_console_events_and_icws_without_interaction_are_not_grouped() -> None:
    correlator = Correlator()
    correlator.add(blank_event(source="console", method="rejected", status="400", session="x"))
    correlator.add(blank_event(source="icws", method="statisticValue", status="3"))
    assert len(correlator) == 0


def test_a_session_keeps_its_connections_state_not_its_calls() -> None:
    correlator = Correlator()
    correlator.add_all(outgoing_failed_503(call_id="s-1", t0=9000.0))
    (session,) = correlator.groups(KIND_SESSION)
    assert session.state == "" and not session.ended and not session.failed
    assert session.caller == "" and session.sip_status == 0
    correlator.add(
        blank_event(seq=next(SEQ), ts=9010.0, source="wcs", method="ConnectionStatusEvent",
                    kind="event", session=SESSION.session_id, status="DISCONNECTED")
    )  # fmt: skip
    assert session.final_status == "DISCONNECTED"


def test_events_and_failures_per_second_over_the_last_minute() -> None:
    from tui.core.correlate.rates import RateWindow, sparkline

    window = RateWindow(60)
    for second in range(100, 130):
        for _ in range(second - 100):
            window.count(second + 0.5, failed=second % 10 == 0)
    window.count(10.0, failed=True)  # far too old: not counted
    events, failures = window.series()
    assert len(events) == 60 and events[-1] == 29 and events[-30] == 0
    assert sum(failures) == 10 + 20 and failures[-10] == 20
    window.count(200.0, failed=False)  # a minute and more later: the window starts afresh
    assert window.series()[0] == [0] * 59 + [1]
    assert sparkline([0, 1, 2, 4, 8], 5) == " ▂▃▅█"
    assert sparkline([0, 0], 2) == "  " and sparkline([3, 9], 1) == "█"
    correlator = Correlator()
    correlator.add_all(outgoing_failed_503(call_id="r-1", t0=5000.0))
    events, failures = correlator.rates.series()
    assert sum(events) == 3 and sum(failures) == 1


def _interaction(ts: float, key: str, number: str = "") -> FeedEvent:
    return blank_event(seq=next(SEQ), ts=ts, source="icws", node="cic", method="queueContents",
                       call="1009998887", queue="Support", status="Alerting", session=key,
                       caller=number)  # fmt: skip


def test_a_configured_link_key_links_interaction_and_call_in_either_order() -> None:
    call = incoming_answered_then_hung_up(call_id="sipcall-42@10.0.0.9", t0=8000.0)
    for first_icws in (True, False):
        correlator = Correlator()
        if first_icws:
            correlator.add(_interaction(7999.0, "sipcall-42@10.0.0.9"))
            correlator.add_all(call)
        else:
            correlator.add_all(call)
            correlator.add(_interaction(8001.0, "sipcall-42@10.0.0.9"))
        (wcs,) = correlator.groups(KIND_CALL)
        (icws,) = correlator.groups(KIND_INTERACTION)
        assert wcs.linked == icws.key and icws.linked == wcs.key
        assert "link attribute" in wcs.link_why


def test_the_configured_key_wins_over_a_number_match() -> None:
    correlator = Correlator()
    correlator.add_all(incoming_answered_then_hung_up(call_id="a-call", t0=9000.0))  # 5550001111
    other = blank_event(seq=next(SEQ), ts=9000.5, source="icws", node="cic",
                        method="queueContents", call="1000000001", status="Alerting",
                        caller="5550001111")  # fmt: skip
    correlator.add(other)  # linked by number first
    (wcs,) = correlator.groups(KIND_CALL)
    assert wcs.linked == "interaction:1000000001"
    correlator.add(_interaction(9001.0, "a-call"))
    assert wcs.linked == "interaction:1009998887"
    assert correlator.get("interaction:1000000001").linked == ""


def test_a_b_leg_and_its_a_leg_know_each_other_in_either_order() -> None:
    a_leg = outgoing_failed_503(call_id="a-leg", t0=10_000.0)[:2]
    b_leg = [
        e._replace(seq=next(SEQ), call="b-leg", parent="a-leg", ts=e.ts + 5)
        for e in incoming_answered_then_hung_up(call_id="x", t0=10_000.0)[:3]
    ]
    for order in (a_leg + b_leg, b_leg + a_leg):
        correlator = Correlator()
        correlator.add_all(order)
        a = correlator.find("a-leg")[0]
        b = correlator.find("b-leg")[0]
        assert b.parent == "a-leg" and a.children == ["b-leg"]
        assert correlator.legs_of(a) == [b]
        assert a.to_json()["legs"] == ["b-leg"] and b.to_json()["parent"] == "a-leg"


def test_b_legs_waiting_for_an_a_leg_that_never_comes_stay_bounded() -> None:
    correlator = Correlator(CorrelatorLimits(max_groups=50, max_members=8))
    for i in range(500):  # one A-leg named by many, and many A-legs named once
        correlator.add(blank_event(seq=next(SEQ), ts=float(i), source="wcs", call=f"b{i}",
                                   parent="never" if i % 2 else f"gone{i}", status="TRYING",
                                   method="CallStatusEvent"))  # fmt: skip
    assert len(correlator._orphans) <= 50
    assert all(len(legs) <= 8 for legs in correlator._orphans.values())
