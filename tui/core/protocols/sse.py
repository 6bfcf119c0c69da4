"""A server-sent events decoder (the WHATWG ``text/event-stream`` format), fed with bytes.

Lines end with CRLF, LF or CR (a CR at the end of a chunk waits for the next one in case an
LF follows). ``data:`` lines accumulate; a blank line dispatches the event. Comment lines
(``:ping``) count as keep-alives. A line longer than ``max_line`` is a protocol problem:
the decoder stops and says so rather than buffering without bound.
"""

from __future__ import annotations

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
