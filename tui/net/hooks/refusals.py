"""Refused requests and connections as feed events, without a flood of them.

A request the endpoint cannot take becomes one "rejected" event (built by :func:`rejected_event`).
Refusals below the request — a connection from outside ``allow_from``, a request head too large
or too slow, a connection that never sent a byte, one closed to stay under the cap — can come by
the thousand from one misbehaving client, so :class:`RefusalDigest` publishes the first of each
kind at once and then at most one event per kind and window, carrying the count.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from tui.core.feed import SEV_ERROR, SOURCE_WCS, FeedEvent, blank_event
from tui.core.sanitize import clean_line

Publish = Callable[..., object]
"""Takes (event, raw, reply, meta): the store's ``submit``; nothing waits for the journal here,
since no HTTP answer depends on these events."""

# The kinds of connection-level refusal, as shown in the feed's method column.
NOT_ALLOWED = "connection refused"
IDLE = "idle connection"
HEAD_TIMEOUT = "request head timeout"
HEAD_TOO_LARGE = "request head too large"
BAD_REQUEST = "invalid HTTP"
OVER_CAP = "connection cap"
ACCEPT_FAILED = "accept failed"


def all_busy(cap: int) -> str:
    """Why a connection was refused at the cap: none of the open ones could be closed."""
    return f"{cap} connections open (hooks.max_connections), every one serving a request"


def rejected_event(
    *,
    ts: float,
    app: str,
    method: str,
    reason: str,
    reply_status: int,
    latency_ms: float = -1.0,
    flags: int = 0,
) -> FeedEvent:
    """The feed event of a refused request or connection (``reply_status`` 0: nothing answered)."""
    return blank_event(
        ts=ts,
        source=SOURCE_WCS,
        kind="rejected",
        app=clean_line(app)[:120],
        method=clean_line(method)[:80],
        status="REJECTED",
        info=clean_line(reason),
        reply_status=reply_status,
        latency_ms=latency_ms,
        severity=SEV_ERROR,
        flags=flags,
    )


class Cancellable(Protocol):
    def cancel(self) -> None: ...


Schedule = Callable[[float, Callable[[], None]], Cancellable]


@dataclass
class _Window:
    reason: str
    peer: str
    status: int
    handle: Cancellable | None = None
    count: int = 0  # refusals since the window's event


class RefusalDigest:
    """Publishes connection-level refusals: one event per kind per ``window_s``, with a count.

    ``schedule(delay, callback)`` runs ``callback`` later on the listener's loop (its
    ``call_later``); tests pass a manual one.
    """

    def __init__(
        self,
        publish: Publish,
        schedule: Schedule,
        *,
        window_s: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.publish = publish
        self.schedule = schedule
        self.window_s = window_s
        self.clock = clock
        self.noted: dict[str, int] = {}  # every refusal counted, by kind (for tests and figures)
        self._windows: dict[str, _Window] = {}

    def note(self, kind: str, reason: str, *, peer: str = "", status: int = 0) -> None:
        """One refusal of ``kind``; ``status`` is what the client was answered (0: nothing)."""
        self.noted[kind] = self.noted.get(kind, 0) + 1
        window = self._windows.get(kind)
        if window is not None:
            window.count += 1
            window.reason, window.peer, window.status = reason, peer, status
            return
        self._emit(kind, reason, peer, status, 1)
        self._open(kind, _Window(reason, peer, status))

    def flush(self) -> None:
        """Publish what the open windows have counted, and stop their timers (at shutdown)."""
        for kind, window in list(self._windows.items()):
            if window.handle is not None:
                window.handle.cancel()
            if window.count:
                self._emit(kind, window.reason, window.peer, window.status, window.count)
        self._windows.clear()

    def _open(self, kind: str, window: _Window) -> None:
        self._windows[kind] = window
        window.handle = self.schedule(self.window_s, lambda: self._close(kind))

    def _close(self, kind: str) -> None:
        window = self._windows.pop(kind, None)
        if window is None or not window.count:
            return
        self._emit(kind, window.reason, window.peer, window.status, window.count)
        self._open(kind, _Window(window.reason, window.peer, window.status))

    def _emit(self, kind: str, reason: str, peer: str, status: int, count: int) -> None:
        info = reason if count == 1 else f"{count:,}× in {self.window_s:g} s: {reason}"
        if peer:
            info += f" (from {peer})" if count == 1 else f" (last from {peer})"
        meta: dict[str, Any] = {"peer": peer, "count": count, "refused": kind}
        event = rejected_event(
            ts=self.clock(), app="", method=kind, reason=info, reply_status=status
        )
        self.publish(event, b"", b"", meta)
