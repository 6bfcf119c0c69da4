"""uvicorn's httptools protocol with the hook listener's per-connection limits.

What it adds to :class:`~uvicorn.protocols.http.httptools_impl.HttpToolsProtocol`:

- a size limit on the request head (``max_header_bytes``): the parser is never fed more than
  that before the head is complete, and a larger head is answered 431;
- a deadline for the head (``header_timeout_s``, from the connection's first moment, or from
  the first byte of a keep-alive request): a connection that sent nothing is closed, one that
  sent part of a head is answered 408; and one for the body (``body_timeout_s``), at which the
  app is woken to answer 408;
- a place in the listener's :class:`~tui.net.hooks.connections.ConnectionRegistry`, which closes
  the longest-waiting connection when the cap is reached;
- answers in order: when the parser fails on bytes pipelined behind a request that is still
  being answered, that request's answer goes out first and the 400 after it (uvicorn would
  write the 400 at once and close, so the client read a 400 where the app recorded its 200);
- each answer in one write: uvicorn writes a response's head and its body apart, which cost
  a system call and a segment more per hook (for the sender too, which wakes twice);
- a lingering close after every answer that ends the connection: the listener half-closes and
  reads (and throws away) what the client is still sending for a bounded time and byte count,
  so a client that writes a whole oversize body before reading gets its 413 instead of a reset;
- connection-level refusals reported, aggregated, through the listener's RefusalDigest.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any, cast

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.server import ServerState

from tui.net.hooks.connections import ConnectionRegistry
from tui.net.hooks.limits import ConnectionLimits
from tui.net.hooks.refusals import (
    BAD_REQUEST,
    HEAD_TIMEOUT,
    HEAD_TOO_LARGE,
    IDLE,
    OVER_CAP,
    RefusalDigest,
    all_busy,
)


@dataclass
class ListenerGuard:
    """What every connection of one listener shares: its limits, registry and refusal digest."""

    limits: ConnectionLimits
    registry: ConnectionRegistry
    refusals: RefusalDigest


class _ReplyTransport:
    """What a response cycle writes through: an answer's head waits for its body, so the two
    leave in one write (one system call, one segment) instead of two; ``close`` lingers."""

    def __init__(self, protocol: LimitedHttpToolsProtocol, transport: asyncio.Transport) -> None:
        self._write = transport.write
        self._protocol = protocol
        self._transport = transport
        self._head: bytes | None = None

    def write(self, data: bytes) -> None:
        head = self._head
        if head is not None:
            self._head = None
            self._write(head + data)
        elif data.startswith(b"HTTP/1.1 ") and not data.startswith(b"HTTP/1.1 1"):
            self._head = data  # the body comes next, in the same turn of the loop
        else:  # an interim answer (100 Continue) goes at once
            self._write(data)

    def flush(self) -> None:
        """Write a head still waiting (an answer that ends without a body write)."""
        head = self._head
        if head is not None:
            self._head = None
            self._write(head)

    def is_closing(self) -> bool:
        return self._transport.is_closing() or self._protocol.lingering

    def close(self) -> None:
        self.flush()
        self._protocol.linger()


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """One HTTP/1.1 connection of the hook listener, within the listener's limits."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        guard: ListenerGuard,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.guard = guard
        self.lingering = False
        self._reply_transport: _ReplyTransport | None = None
        self._got_bytes = False
        self._in_head = True  # the next byte fed belongs to a request head
        self._head_started = False  # the parser is inside a request head
        self._head_bytes = 0
        self._heads_done = 0
        self._in_body = False
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._linger_timer: asyncio.TimerHandle | None = None
        self._pending_error: tuple[int, str, str] | None = None  # status, reason, refusal kind
        self._discarded = 0

    # -- the connection -------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._reply_transport = _ReplyTransport(self, transport)
        if not self.guard.registry.admit(self):
            self.guard.refusals.note(OVER_CAP, all_busy(self.guard.registry.cap), peer=self.peer)
            transport.abort()
            return
        self._head_timer = self.loop.call_later(
            self.guard.limits.header_timeout_s, self._head_timeout
        )

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self._cancel_head_timer()
        for timer in (self._body_timer, self._linger_timer):
            if timer is not None:
                timer.cancel()
        self._body_timer = self._linger_timer = None
        self.guard.registry.discard(self)

    @property
    def peer(self) -> str:
        return str(self.client[0]) if self.client else ""

    def evict(self) -> None:
        """Closed by the registry to make room: it was the longest-waiting connection."""
        cap = self.guard.registry.cap
        self.guard.refusals.note(
            OVER_CAP,
            f"{cap} connections open (hooks.max_connections): closed the one waiting longest",
            peer=self.peer,
        )
        self._cancel_head_timer()
        self.transport.abort()  # the descriptor goes on the loop's next turn, unsent or not

    # -- bytes in -------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self.lingering or self._pending_error is not None:
            self._discard(len(data))
            return
        self._got_bytes = True
        if self._in_head:
            room = self.guard.limits.max_header_bytes - self._head_bytes
            if len(data) > room:
                heads_done = self._heads_done
                super().data_received(data[:room])
                if self._heads_done == heads_done:
                    if not self._stopped():
                        limit = self.guard.limits.max_header_bytes
                        self._fail(
                            431, f"request head over hooks.max_header_bytes ({limit:,} bytes)",
                            HEAD_TOO_LARGE,
                        )  # fmt: skip
                    return
                if self._stopped():
                    return
                data = data[room:]
            else:
                self._head_bytes += len(data)
        super().data_received(data)
        # Deadlines are armed only for what did not come whole (a hook's head and body usually
        # arrive in one segment): no timer on the path of an ordinary hook.
        if self._stopped():
            return
        if self._head_started and self._head_timer is None:
            # A keep-alive request whose head is incomplete: its deadline starts now.
            self._head_timer = self.loop.call_later(
                self.guard.limits.header_timeout_s, self._head_timeout
            )
        if self._in_body and self._body_timer is None:
            self._body_timer = self.loop.call_later(
                self.guard.limits.body_timeout_s, self._body_late
            )

    def _discard(self, size: int) -> None:
        self._discarded += size
        if self._discarded > self.guard.limits.linger_bytes:
            self._close(abort=True)

    def _close(self, *, abort: bool = False) -> None:
        """Close, and stop counting against the cap now (the descriptor goes next loop turn)."""
        self.guard.registry.discard(self)
        if abort:
            self.transport.abort()
        else:
            self.transport.close()

    def _stopped(self) -> bool:
        return self.lingering or self._pending_error is not None or self.transport.is_closing()

    # -- parser callbacks -----------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_started = True

    def on_headers_complete(self) -> None:
        self._heads_done += 1
        self._head_started = False
        self._in_head = False
        self._in_body = True
        self._cancel_head_timer()
        self.guard.registry.busy(self)
        super().on_headers_complete()
        if self.cycle is not None:
            # The cycle uses write, is_closing and close of its transport; close becomes ours.
            self.cycle.transport = cast(asyncio.Transport, self._reply_transport)
            if self._heads_done >= self.guard.limits.keep_alive_requests:
                self.cycle.keep_alive = False  # answered `Connection: close`, then closed

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True
        self._in_body = False
        self._head_bytes = 0
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    # -- answers out ----------------------------------------------------------------------------

    def on_response_complete(self) -> None:
        if self._reply_transport is not None:
            self._reply_transport.flush()  # an answer without a body write (to a HEAD request)
        if self.lingering:  # the answer ended the connection: nothing pipelined is served
            self.server_state.total_requests += 1
            return
        super().on_response_complete()
        if self.transport.is_closing() or self._serving():
            return
        if self._pending_error is not None:
            self._answer_and_linger(*self._pending_error)
        elif self._in_body:
            # Answered before the body was in (an early 404 or 415): what is left of the body
            # could trickle in for ever, so the connection ends here.
            self.linger()
        else:
            self.guard.registry.waiting(self)

    def send_400_response(self, msg: str) -> None:
        """The parser failed: answered in turn (uvicorn would write it at once and close)."""
        self._fail(400, "not a valid HTTP/1.1 request", BAD_REQUEST)

    def _serving(self) -> bool:
        cycle = self.cycle
        return bool(self.pipeline) or (cycle is not None and not cycle.response_complete)

    def _fail(self, status: int, reason: str, kind: str) -> None:
        """Answer ``status`` and end the connection — after any answer still being written."""
        self._cancel_head_timer()
        if self._serving():
            if self._pending_error is None:
                self._pending_error = (status, reason, kind)
            return
        self._answer_and_linger(status, reason, kind)

    def _answer_and_linger(self, status: int, reason: str, kind: str) -> None:
        body = json.dumps({"error": reason}).encode()
        head = (
            b"content-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
            % len(body)
        )
        self.transport.write(STATUS_LINE[status] + head + body)
        self.guard.refusals.note(kind, reason, peer=self.peer, status=status)
        self.linger()

    def linger(self) -> None:
        """End the connection after what was written: half-close, then drain for a while."""
        transport = self.transport
        if self.lingering or transport.is_closing():
            return
        self.lingering = True
        self._cancel_head_timer()
        self._unset_keepalive_if_required()
        self.guard.registry.lingering(self)
        if not transport.can_write_eof():
            self._close()
            return
        self.flow.resume_reading()
        try:
            transport.write_eof()  # the peer reads the answer, then end of stream
        except OSError:  # the peer is gone already (ENOTCONN): nothing to wait for
            self._close(abort=True)
            return
        self._linger_timer = self.loop.call_later(self.guard.limits.linger_s, self._close)

    # -- deadlines ------------------------------------------------------------------------------

    def _head_timeout(self) -> None:
        self._head_timer = None
        timeout = self.guard.limits.header_timeout_s
        if not self._got_bytes:
            self.guard.refusals.note(
                IDLE, f"sent nothing within hooks.header_timeout_s ({timeout:g} s)", peer=self.peer
            )
            self._close()
            return
        self._fail(
            408, f"request head not received within hooks.header_timeout_s ({timeout:g} s)",
            HEAD_TIMEOUT,
        )  # fmt: skip

    def _body_late(self) -> None:
        """The body is not in after body_timeout_s: wake the app, which then answers 408.

        The app reads its first body chunk without a timer of its own (that costs a timer per
        hook); this wake-up hands it what has arrived, marked incomplete, and the app's own
        deadline, counted from when it started reading, is then already past.
        """
        self._body_timer = None
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            cycle.message_event.set()

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
