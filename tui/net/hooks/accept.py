"""Accepting the listener's connections: allow_from at the door, and calm when out of descriptors.

asyncio's own accept loop (``loop.create_server``) tries ``accept()`` up to ``backlog`` times
per wake-up (uvicorn passes 2048). When the process is out of file descriptors every one of
those attempts fails with EMFILE, is reported with a full traceback through the loop's exception
handler (stderr, when logging is not set up: under Textual, the screen) and schedules a re-arm of
the listening socket of its own; the re-arms wake it again while the backlog is still full. That
is a busy loop writing hundreds of megabytes of tracebacks while no connection gets in.

:class:`Acceptor` does the accepting instead. On the first failure it stops watching the socket,
closes the connection that has waited longest (so a real hook can take its place) and tries again
a little later; the failures of one burst are logged once, with a count. A peer outside
``allow_from`` is closed as soon as it is accepted, before a byte of it is read.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import time
from collections.abc import Callable
from ipaddress import IPv4Network, IPv6Network

from tui.net.hooks.connections import ConnectionRegistry
from tui.net.hooks.limits import ACCEPT_BATCH, peer_allowed
from tui.net.hooks.refusals import (
    ACCEPT_FAILED,
    NOT_ALLOWED,
    OVER_CAP,
    RefusalDigest,
    all_busy,
)

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # never the last-resort handler (stderr)

OUT_OF_RESOURCES = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
RETRY_AFTER_EVICTION_S = 0.02  # a descriptor was freed: try again almost at once
RETRY_S = 0.5  # nothing could be freed (every connection is serving a request)


class AcceptErrors:
    """``accept()`` failures, logged once per burst with a count (and every ``report_every_s``
    while a burst goes on), not once per attempt."""

    def __init__(
        self,
        logger: logging.Logger = log,
        *,
        report_every_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.report_every_s = report_every_s
        self.clock = clock
        self.count = 0  # failures in the burst going on (0: none)
        self._started = 0.0
        self._reported = 0.0
        self._last: OSError | None = None

    def failed(self, exc: OSError) -> None:
        now = self.clock()
        if not self.count:
            self._started = self._reported = now
        self.count += 1
        self._last = exc
        if now - self._reported >= self.report_every_s:
            self._report("still failing")
            self._reported = now

    def succeeded(self) -> None:
        """A connection was accepted: the burst, if any, is over."""
        if self.count:
            self._report("failed")
            self.count = 0

    def _report(self, what: str) -> None:
        exc = self._last
        reason = exc.strerror if exc is not None and exc.strerror else str(exc)
        self.logger.warning(
            "hook listener: accept() %s %d times in %.1f s: %s",
            what, self.count, self.clock() - self._started, reason,
        )  # fmt: skip


class Acceptor:
    """Accepts connections on a listening socket and hands them to ``protocol_factory``."""

    def __init__(
        self,
        sock: socket.socket,
        protocol_factory: Callable[[], asyncio.Protocol],
        *,
        allow_from: tuple[IPv4Network | IPv6Network, ...],
        registry: ConnectionRegistry,
        refusals: RefusalDigest,
        errors: AcceptErrors | None = None,
    ) -> None:
        self.sock = sock
        self.protocol_factory = protocol_factory
        self.allow_from = allow_from
        self.registry = registry
        self.refusals = refusals
        self.errors = errors or AcceptErrors()
        self._loop = asyncio.get_running_loop()
        self._fd = sock.fileno()
        self._watching = False
        self._retry: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        if not self._watching:
            self._loop.add_reader(self._fd, self._accept_ready)
            self._watching = True

    def close(self) -> None:
        """Stop accepting (the socket itself is closed by its owner)."""
        if self._retry is not None:
            self._retry.cancel()
            self._retry = None
        if self._watching:
            self._loop.remove_reader(self._fd)
            self._watching = False
        self.errors.succeeded()  # a burst still going on is reported now

    async def wait_closed(self) -> None:
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def _accept_ready(self) -> None:
        for _ in range(ACCEPT_BATCH):
            try:
                conn, address = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue
            except OSError as exc:
                self._failed(exc)
                return
            self.errors.succeeded()
            self._take(conn, str(address[0]))

    def _take(self, conn: socket.socket, peer: str) -> None:
        if self.allow_from and not peer_allowed(peer, self.allow_from):
            conn.close()
            self.refusals.note(
                NOT_ALLOWED, f"source address {peer} is not in hooks.allow_from", peer=peer
            )
            return
        if not self.registry.reserve():
            conn.close()
            self.refusals.note(OVER_CAP, all_busy(self.registry.cap), peer=peer)
            return
        conn.setblocking(False)
        task = self._loop.create_task(self._connect(conn))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _connect(self, conn: socket.socket) -> None:
        try:
            await self._loop.connect_accepted_socket(self.protocol_factory, conn)
        except OSError:
            self.registry.release()
            conn.close()

    def _failed(self, exc: OSError) -> None:
        self.errors.failed(exc)
        self.refusals.note(ACCEPT_FAILED, f"cannot accept a connection: {exc.strerror or exc}")
        self._loop.remove_reader(self._fd)
        self._watching = False
        freed = exc.errno in OUT_OF_RESOURCES and self.registry.evict_oldest()
        delay = RETRY_AFTER_EVICTION_S if freed else RETRY_S
        self._retry = self._loop.call_later(delay, self._resume)

    def _resume(self) -> None:
        self._retry = None
        self.start()
