"""A server-sent events decoder (the WHATWG ``text/event-stream`` format), fed with bytes.

Lines end with CRLF, LF or CR (a CR at the end of a chunk waits for the next one in case an
LF follows). ``data:`` lines accumulate; a blank line dispatches the event. Comment lines
(``:ping``) count as keep-alives. A line longer than ``max_line`` is a protocol problem:
the decoder stops and says so rather than buffering without bound.

:class:`SilenceWatch` says how long a stream may stay silent before it counts as dead.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SseEvent:
    """One dispatched event: ``event`` defaults to ``"message"``."""

    data: str
    event: str = "message"
    id: str = ""


class SseProtocolError(ValueError):
    """The stream broke the format in a way the decoder will not guess around."""


class SseDecoder:
    """Incremental decoder: ``feed(chunk)`` returns the events completed by that chunk."""

    def __init__(self, max_line: int = 4 * 1024 * 1024) -> None:
        self.max_line = max_line
        self.comments = 0  # keep-alive / comment lines seen
        self.retry_ms: int | None = None
        self.last_id = ""
        self._buffer = b""
        self._data: list[str] = []
        self._event = ""
        self._started = False

    def feed(self, chunk: bytes) -> list[SseEvent]:
        buffer = self._buffer + chunk
        events: list[SseEvent] = []
        start = 0
        size = len(buffer)
        while start < size:
            cr = buffer.find(b"\r", start)
            lf = buffer.find(b"\n", start)
            if cr < 0 and lf < 0:
                break
            if cr >= 0 and (lf < 0 or cr < lf):
                if cr == size - 1:
                    break  # maybe CRLF split over two chunks
                end, after = cr, cr + 2 if buffer[cr + 1 : cr + 2] == b"\n" else cr + 1
            else:
                end, after = lf, lf + 1
            self._line(buffer[start:end], events)
            start = after
        self._buffer = buffer[start:]
        if len(self._buffer) > self.max_line:
            raise SseProtocolError(f"an event-stream line is over {self.max_line:,} bytes")
        return events

    def close(self) -> list[SseEvent]:
        """End of stream: a pending event without its blank line is dropped (per the spec)."""
        self._buffer = b""
        self._data = []
        self._event = ""
        return []

    def _line(self, raw: bytes, events: list[SseEvent]) -> None:
        if not self._started:
            self._started = True
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw:
            if self._data:
                data = "\n".join(self._data)
                events.append(SseEvent(data, self._event or "message", self.last_id))
            self._data = []
            self._event = ""
            return
        line = raw.decode("utf-8", "replace")
        if line.startswith(":"):
            self.comments += 1
            return
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self.last_id = value
        elif name == "retry" and value.isdigit():
            self.retry_ms = int(value)


class SilenceWatch:
    """How long an event stream may stay silent (no event, no comment) before it counts as dead.

    The limit is twice the keep-alive interval. That interval starts as the configured one
    and then follows the pace of the server's own keep-alives: the median of the last few gaps
    between two reads that each brought one comment and nothing else (a gap with an event in
    between says nothing about the keep-alive timer). A silence that ended with a keep-alive
    and lasted longer than the current interval raises it at once: that server lets such
    silences pass. The learned interval stays between a quarter of and four times the
    configured one, so one odd reading cannot make it absurd.

    Pure: the caller passes the time of each read (a loop clock, or a test's virtual one).
    """

    SAMPLES = 5  # gaps the median is taken over
    MIN_SAMPLES = 3  # gaps needed before the median replaces the configured interval

    def __init__(self, keepalive_s: float) -> None:
        if keepalive_s <= 0:
            raise ValueError(f"the keep-alive interval must be positive, got {keepalive_s}")
        self.configured = keepalive_s
        self.interval = keepalive_s
        self._gaps: deque[float] = deque(maxlen=self.SAMPLES)
        self._last: float | None = None
        self._last_was_keepalive = False

    @property
    def limit(self) -> float:
        """Seconds of silence after which the stream is taken for dead."""
        return 2.0 * self.interval

    def opened(self, now: float) -> None:
        """A stream's head arrived at ``now``: its silence is counted from here."""
        self._last = now
        self._last_was_keepalive = False

    def heard(self, now: float, *, comments: int, events: int) -> None:
        """A read at ``now`` brought ``comments`` keep-alive lines and ``events`` events."""
        previous, after_keepalive = self._last, self._last_was_keepalive
        self._last = now
        self._last_was_keepalive = comments > 0 and events == 0
        if previous is None or comments == 0 or events:
            return
        gap = max(0.0, now - previous)
        if comments == 1 and after_keepalive:
            self._gaps.append(gap)
            if len(self._gaps) >= self.MIN_SAMPLES:
                self.interval = self._bounded(statistics.median(self._gaps))
        if gap > self.interval:
            self.interval = self._bounded(gap)

    def _bounded(self, seconds: float) -> float:
        return min(4.0 * self.configured, max(self.configured / 4.0, seconds))
