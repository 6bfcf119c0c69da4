"""The server-sent events decoder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.protocols.sse import SilenceWatch, SseDecoder, SseEvent, SseProtocolError

STREAM = (
    b"\xef\xbb\xbf:ping\n\n"
    b'data: {"a":1}\n\n'
    b"event: custom\r\nid: 7\r\ndata: line one\r\ndata: line two\r\n\r\n"
    b"retry: 2500\rdata:no-space\r\r"
    b"data: dangling without blank line"
)
EXPECTED = [
    SseEvent('{"a":1}'),
    SseEvent("line one\nline two", "custom", "7"),
    SseEvent("no-space", "message", "7"),
]


def test_whole_stream() -> None:
    decoder = SseDecoder()
    assert decoder.feed(STREAM) == EXPECTED
    assert decoder.comments == 1
    assert decoder.retry_ms == 2500
    assert decoder.close() == []


@given(st.lists(st.integers(min_value=1, max_value=len(STREAM)), max_size=12))
def test_any_chunking_gives_the_same_events(cuts: list[int]) -> None:
    decoder = SseDecoder()
    events: list[SseEvent] = []
    last = 0
    for cut in sorted(set(cuts)):
        events += decoder.feed(STREAM[last:cut])
        last = cut
    events += decoder.feed(STREAM[last:])
    assert events == EXPECTED


def test_overlong_line_is_refused() -> None:
    decoder = SseDecoder(max_line=16)
    with pytest.raises(SseProtocolError, match="over 16 bytes"):
        decoder.feed(b"data: " + b"x" * 64)


@given(st.binary(max_size=300))
def test_garbage_never_crashes(data: bytes) -> None:
    decoder = SseDecoder()
    for event in decoder.feed(data):
        assert isinstance(event.data, str)


def keepalives(watch: SilenceWatch, start: float, every: float, count: int) -> float:
    """Feed ``count`` keep-alive-only reads ``every`` seconds apart; return the last time."""
    now = start
    for _ in range(count):
        now += every
        watch.heard(now, comments=1, events=0)
    return now


def test_silence_limit_is_twice_the_configured_interval_at_first() -> None:
    watch = SilenceWatch(15.0)
    watch.opened(100.0)
    assert watch.limit == 30.0
    watch.heard(101.0, comments=0, events=1)  # events say nothing about the keep-alive pace
    watch.heard(102.0, comments=0, events=3)
    assert watch.limit == 30.0


def test_the_servers_own_pace_replaces_the_configured_one() -> None:
    watch = SilenceWatch(15.0)
    watch.opened(0.0)
    now = keepalives(watch, 0.0, 5.0, 2)  # one gap measured: not enough to go by
    assert watch.limit == 30.0
    keepalives(watch, now, 5.0, 2)
    assert watch.interval == 5.0
    assert watch.limit == 10.0  # a server that pings every 5 s is caught within 10 s


def test_a_slower_server_raises_the_interval_at_once() -> None:
    watch = SilenceWatch(15.0)
    watch.opened(0.0)
    watch.heard(25.0, comments=1, events=0)  # 25 s of silence that ended with a keep-alive
    assert watch.limit == 50.0, "that server lets 25 s pass: do not call it dead at 30 s"


def test_gaps_with_events_between_or_coalesced_keepalives_are_not_measured() -> None:
    watch = SilenceWatch(15.0)
    watch.opened(0.0)
    for now in (1.0, 2.0, 3.0, 4.0, 5.0, 6.0):  # a message, then a keep-alive, in turn
        watch.heard(now, comments=0, events=1)
        watch.heard(now + 0.5, comments=1, events=0)
    watch.heard(7.0, comments=3, events=0)  # three keep-alives read at once: no pace in that
    watch.heard(7.1, comments=2, events=0)
    assert watch.limit == 30.0


def test_the_learned_interval_stays_within_bounds() -> None:
    fast = SilenceWatch(8.0)
    fast.opened(0.0)
    keepalives(fast, 0.0, 0.01, 5)
    assert fast.interval == 2.0  # a quarter of the configured interval at least
    slow = SilenceWatch(8.0)
    slow.opened(0.0)
    slow.heard(500.0, comments=1, events=0)
    assert slow.interval == 32.0  # four times at most


def test_a_new_stream_counts_its_silence_from_its_head() -> None:
    watch = SilenceWatch(1.0)
    watch.opened(0.0)
    keepalives(watch, 0.0, 0.5, 4)
    assert watch.interval == 0.5
    watch.opened(100.0)  # a new stream: the gap since the old one is not a keep-alive gap
    watch.heard(100.5, comments=1, events=0)
    assert watch.interval == 0.5


def test_a_keepalive_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        SilenceWatch(0.0)
