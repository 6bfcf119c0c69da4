"""The server-sent events decoder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.protocols.sse import SseDecoder, SseEvent, SseProtocolError

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
