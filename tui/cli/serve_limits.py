"""The limits of ``noc-console serve``'s listener: connections, request heads, bodies, idle time.

Anyone who can reach the port can open connections, so every one of them is bounded before the
token is even looked at:

- at most ``max_connections`` open at once (:class:`ConnectionCap`); the one over gets a short
  503 and is closed at once, and the connections already open, a tab's websocket among them,
  carry on;
- a connection must deliver a complete request head within ``head_timeout_s`` of being opened,
  or of the end of its previous answer (keep-alive), else it is closed; the same bound is the
  keep-alive idle time;
- a request body (only the password form reads one) is at most ``max_body_bytes`` (413 beyond)
  and must arrive within ``body_timeout_s`` (408);
- a header line is at most ``max_header_bytes`` (400 beyond), at most ``max_headers`` of them;
- the log: a malformed request is one line, without a traceback, and a stream of them one line
  per :data:`REFUSAL_LOG_EVERY_S` (:class:`MalformedRequests`), as are refused connections.

A tab's websocket is an upgraded connection, past its head: the head deadline no longer
applies to it. Its liveness is the websocket heartbeat (a ping every ``heartbeat_s``, which
browsers answer by themselves): a tab that sits idle stays open, one whose browser vanished is
closed.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp.http_exceptions import HttpProcessingError

log = logging.getLogger("noc-console.serve")

CONNECTIONS_PER_TAB = 8  # its websocket, and the (up to six) connections a browser opens to load
MIN_CONNECTIONS = 64  # room for reloads, a second browser's 401s and a proxy's probes
REFUSAL_LOG_EVERY_S = 10.0  # a flood of refused connections is one log line per this long

_BUSY_TEXT = b"noc-console: too many connections open; try again shortly\n"
BUSY_ANSWER = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Cache-Control: no-store\r\n"
    b"Retry-After: 10\r\n"
    b"Connection: close\r\n"
    b"Content-Length: " + str(len(_BUSY_TEXT)).encode() + b"\r\n\r\n" + _BUSY_TEXT
)


def connections_for(max_tabs: int) -> int:
    """The default connection cap for ``max_tabs`` tabs: each tab's websocket plus a page load's
    connections (kept alive until the idle bound), never below :data:`MIN_CONNECTIONS`."""
    return max(MIN_CONNECTIONS, CONNECTIONS_PER_TAB * max_tabs)


@dataclass(frozen=True)
class ServeLimits:
    """What one client may hold of the server (see the module's description)."""

    max_connections: int = MIN_CONNECTIONS
    head_timeout_s: float = 10.0
    body_timeout_s: float = 10.0
    max_body_bytes: int = 16 * 1024  # the password form is a few dozen bytes
    max_header_bytes: int = 8190
    max_headers: int = 64
    heartbeat_s: float = 15.0

    def __post_init__(self) -> None:
        if self.max_connections < 1 or self.max_body_bytes < 1 or self.max_headers < 1:
            raise ValueError("serve limits: counts and sizes must be at least 1")
        if min(self.head_timeout_s, self.body_timeout_s, self.heartbeat_s) <= 0:
            raise ValueError("serve limits: deadlines must be positive")


class ConnectionCap:
    """A protocol factory for :meth:`asyncio.loop.create_server` that admits at most ``limit``
    connections at once: each admitted one is served by a protocol of ``factory`` (aiohttp's
    ``web.Server``), the one over the cap gets :data:`BUSY_ANSWER` and is closed.

    The decision is taken when the connection is made, not when the factory is called: the
    event loop may call the factory for a whole burst of accepted sockets before any of them
    is connected, and a count taken then would let the burst through."""

    def __init__(self, factory: Callable[[], asyncio.Protocol], limit: int) -> None:
        self.factory = factory
        self.limit = limit
        self.open = 0
        self.refused = 0
        self._refused_since_log = 0
        self._logged_at: float | None = None

    def __call__(self) -> asyncio.Protocol:
        return _Capped(self)

    def admit(self) -> bool:
        if self.open >= self.limit:
            self._note_refusal()
            return False
        self.open += 1
        return True

    def release(self) -> None:
        self.open -= 1

    def _note_refusal(self) -> None:
        self.refused += 1
        self._refused_since_log += 1
        now = time.monotonic()
        if self._logged_at is None or now - self._logged_at >= REFUSAL_LOG_EVERY_S:
            log.warning(
                "connection cap: %d open, refused %d new connection(s) with 503",
                self.open,
                self._refused_since_log,
            )
            self._logged_at = now
            self._refused_since_log = 0


class MalformedRequests(logging.Filter):
    """aiohttp logs each request it cannot parse (an over-long header, garbage, TLS on the
    plain port) with a traceback: a client's mistake, not the server's. This filter keeps one
    line per :data:`REFUSAL_LOG_EVERY_S`, without the traceback, and says how many it left out;
    anything else (an error of the server's own) passes untouched."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self._clock = clock
        self._logged_at: float | None = None
        self._left_out = 0

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, HttpProcessingError):
            return True
        now = self._clock()
        if self._logged_at is not None and now - self._logged_at < REFUSAL_LOG_EVERY_S:
            self._left_out += 1
            return False
        left_out, self._logged_at, self._left_out = self._left_out, now, 0
        record.msg = f"{record.getMessage()}: {error.code} {error.message!r}" + (
            f" ({left_out} more since the last such line)" if left_out else ""
        )
        record.args = None
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class _Capped(asyncio.Protocol):
    """One connection: handed to the real protocol if the cap admits it, else refused. Every
    callback of the transport is passed on unchanged."""

    def __init__(self, cap: ConnectionCap) -> None:
        self._cap = cap
        self._inner: asyncio.Protocol | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if not self._cap.admit():
            if isinstance(transport, asyncio.WriteTransport):
                transport.write(BUSY_ANSWER)
            transport.close()  # after the answer is written; nothing it sends is read
            return
        self._inner = self._cap.factory()
        self._inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self._inner is not None:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._inner is not None else None

    def pause_writing(self) -> None:
        if self._inner is not None:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._inner is not None:
            self._inner.resume_writing()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._inner is not None:
            self._cap.release()
            self._inner.connection_lost(exc)
