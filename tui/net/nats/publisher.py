"""Publishing a collector's events to JetStream, in seq order, each one acknowledged.

The store hands every submitted event to :meth:`JetStreamPublisher.take` (in seq order, from any
thread). One task sends them in windows of :data:`WINDOW` (pipelined: the acks of a window are
awaited together) and settles each seq once its PubAck is in. When NATS is unreachable, or an ack
does not come in time, the publisher is *down*: whoever waits on a seq hears False at once (the
collector then answers the hook once the journal has it), the events stay queued in order, and
they are sent again, from the first one not acknowledged, when NATS is back. Every message
carries the id ``<run>-<seq>``, so an event sent twice (its ack was lost, not the event) is
stored once.

A long outage would hold every event in memory: past :attr:`max_memory_backlog` queued events
only their seq is kept, and the event is read back (from the journal) when its turn comes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import nats
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import PubAck

from tui.config import NatsConfig
from tui.core.feed import Row
from tui.net.nats.connection import connect_options, describe
from tui.net.nats.message import (
    MSG_ID_HEADER,
    RUN_HEADER,
    Outgoing,
    outgoing,
    without_bodies,
)
from tui.net.nats.stream import ensure_stream

log = logging.getLogger(__name__)

WINDOW = 256
"""Messages in flight at most (sent, their acks awaited together)."""
MAX_MEMORY_BACKLOG = 100_000
RETRY_FIRST_S = 0.05
RETRY_MAX_S = 2.0
RECONNECT_WAIT_S = 0.25
HEADER_ROOM = 1024
"""Bytes of a message kept for its headers under the server's ``max_payload``."""

Submitted = tuple[Row, bytes, bytes, str]
Entry = Submitted | Outgoing | int
"""A queued event: as submitted, as built (sent once, not acknowledged), or its seq alone."""
Reload = Callable[[int], Awaitable[Outgoing | None]]


class JetStreamPublisher:
    """Publishes the events the store is given to the ``[nats]`` stream, in order, exactly once.

    ``reload(seq)`` builds a seq's message again from the journal (for events past the memory
    backlog); None means the journal does not have it either (counted in :attr:`lost`).
    """

    def __init__(
        self,
        config: NatsConfig,
        run: str,
        *,
        reload: Reload | None = None,
        options: dict[str, Any] | None = None,
        max_memory_backlog: int = MAX_MEMORY_BACKLOG,
        window: int = WINDOW,
    ) -> None:
        self.config = config
        self.run = run
        self.reload = reload
        self.options = connect_options(config) if options is None else options
        self.max_memory_backlog = max_memory_backlog
        self.window = window
        self.up = False
        self.acked_upto = 0
        self.published = 0  # acknowledged messages
        self.duplicates = 0  # of those, ones JetStream already had (a resend)
        self.resent = 0  # messages sent again after an outage or a lost ack
        self.spilled = 0  # events queued by seq alone (read back from the journal)
        self.lost = 0  # spilled events the journal could not give back
        self.slimmed = 0  # events sent without their bodies: too big for the server
        self.acked_by_run: dict[str, int] = {}  # the last seq acknowledged, by run
        self._queue: deque[Entry] = deque()
        self._waiters: dict[int, asyncio.Future[bool]] = {}
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._wake = asyncio.Event()
        self._connected = asyncio.Event()
        self._disconnected = asyncio.Event()
        self._closing = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- the store's side (any thread) ----------------------------------------------------------

    def take(self, row: Row, raw: bytes, reply: bytes, meta_json: str) -> None:
        """Queue a submitted event (the store's ``on_submit``: in seq order, quick)."""
        if len(self._queue) >= self.max_memory_backlog:
            self._queue.append(int(row[0]))
            self.spilled += 1
        else:
            self._queue.append((row, raw, reply, meta_json))
        loop = self._loop
        if loop is None:
            return
        if threading.get_ident() == self._loop_thread:
            self._wake.set()
        else:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._wake.set)

    def send_first(self, items: list[Outgoing]) -> None:
        """Queue an earlier run's unpublished events ahead of everything taken so far (a
        restarted collector's first task)."""
        self._queue.extendleft(reversed(items))
        if self._loop is not None:
            self._wake.set()

    @property
    def backlog(self) -> int:
        """Events taken and not acknowledged yet."""
        return len(self._queue)

    # -- the hook's side (the loop) -------------------------------------------------------------

    async def acked(self, seq: int) -> bool:
        """True once JetStream has acknowledged ``seq``; False at once while NATS is down, or
        when the ack does not come within ``ack_timeout_s`` (the event is sent again later)."""
        if seq <= self.acked_upto:
            return True
        if not self.up:
            return False
        future = self._waiters.get(seq)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._waiters[seq] = future
        try:
            async with asyncio.timeout(self.config.ack_timeout_s):
                return await asyncio.shield(future)
        except TimeoutError:
            return False

    async def ready(self, timeout_s: float) -> bool:
        """Wait (``timeout_s`` at most) for the first connection; True if NATS is up."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout_s):
                await self._connected.wait()
        return self.up

    # -- running ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Start publishing on the running loop (connecting in the background)."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._task = asyncio.create_task(self._run(), name="nats-publisher")
        if self._queue:
            self._wake.set()

    async def close(self, drain_s: float = 5.0) -> None:
        """Send what is queued (for ``drain_s`` at most: the rest stays in the journal), then
        close the connection."""
        self._closing.set()
        self._wake.set()
        if self._task is not None:
            try:
                async with asyncio.timeout(drain_s):
                    await asyncio.shield(self._task)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None
        self.up = False  # closed, not down: nothing to report
        self._go_down()
        if self._nc is not None:
            with contextlib.suppress(NatsError, OSError, TimeoutError):
                await self._nc.close()
            self._nc = None
            self._js = None

    async def _run(self) -> None:
        delay = RETRY_FIRST_S
        while True:
            if self._closing.is_set() and (not self._queue or not self.up):
                return
            if self._js is None:
                if not await self._connect():
                    await self._pause(delay)
                    delay = min(delay * 2, RETRY_MAX_S)
                continue
            if not self._queue:
                self._wake.clear()
                if not self._queue and not self._closing.is_set():
                    await self._wake.wait()
                continue
            if not self._connected.is_set():
                self._go_down()
                await self._pause(delay)
                delay = min(delay * 2, RETRY_MAX_S)
                continue
            if await self._send_window():
                delay = RETRY_FIRST_S
            else:
                self._go_down()
                await self._pause(delay)
                delay = min(delay * 2, RETRY_MAX_S)
                await self._restore_stream()

    async def _pause(self, seconds: float) -> None:
        """Wait before a retry; a close or a reconnection ends the wait early."""
        waits = [asyncio.ensure_future(self._closing.wait())]
        if not self._connected.is_set() and self._js is not None:
            waits.append(asyncio.ensure_future(self._connected.wait()))
        try:
            await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()

    async def _connect(self) -> bool:
        try:
            nc = await nats.connect(
                **self.options,
                allow_reconnect=True,
                max_reconnect_attempts=-1,
                reconnect_time_wait=RECONNECT_WAIT_S,
                disconnected_cb=self._on_disconnected,
                reconnected_cb=self._on_reconnected,
                error_cb=self._on_error,
            )
        except (NatsError, OSError, TimeoutError) as exc:
            if self.up or self._js is None:
                log.warning("NATS %s unreachable (%s); events wait in the journal",
                            describe(self.config), type(exc).__name__)  # fmt: skip
            self._go_down()
            return False
        js = nc.jetstream(timeout=self.config.ack_timeout_s)
        try:
            await ensure_stream(js, self.config)
        except (NatsError, OSError, TimeoutError) as exc:
            log.warning("NATS stream %s not ready: %s", self.config.stream, exc)
            with contextlib.suppress(NatsError, OSError, TimeoutError):
                await nc.close()
            return False
        self._nc, self._js = nc, js
        self.up = True
        self._connected.set()
        self._disconnected.clear()
        log.info("publishing to NATS %s, stream %s", describe(self.config), self.config.stream)
        return True

    async def _restore_stream(self) -> None:
        """After a failed window: the server may be back without the stream (a new node, a
        wiped store), and JetStream then has nobody to answer; make it again."""
        js = self._js
        if js is None or not self._connected.is_set():
            return
        try:
            await ensure_stream(js, self.config)
        except (TimeoutError, NatsError, OSError) as exc:
            log.debug("NATS stream %s not restored yet: %s", self.config.stream, exc)

    async def _on_disconnected(self) -> None:
        self._connected.clear()
        self._disconnected.set()
        self._go_down()

    async def _on_reconnected(self) -> None:
        self._disconnected.clear()
        self._connected.set()
        self._wake.set()

    async def _on_error(self, exc: Exception) -> None:
        log.debug("NATS: %s", exc)

    def _go_down(self) -> None:
        if self.up:
            log.warning("NATS down: hooks are answered once journalled; %d events queued",
                        len(self._queue))  # fmt: skip
        self.up = False
        waiters, self._waiters = self._waiters, {}
        for future in waiters.values():
            if not future.done():
                future.set_result(False)

    # -- one window ------------------------------------------------------------------------------

    async def _next_window(self) -> list[Outgoing]:
        """The first events of the queue, built (they stay queued until acknowledged)."""
        window: list[Outgoing] = []
        queue = self._queue
        prefix, run = self.config.subject_prefix, self.run
        index = 0
        while index < len(queue) and len(window) < self.window:
            entry = queue[index]
            if isinstance(entry, Outgoing):
                item = entry
                self.resent += 1
            elif isinstance(entry, int):
                reloaded = await self.reload(entry) if self.reload is not None else None
                if reloaded is None:
                    del queue[index]
                    self.lost += 1
                    log.error("event %d is neither in memory nor in the journal: not published",
                              entry)  # fmt: skip
                    continue
                item = reloaded
            else:
                item = outgoing(prefix, run, *entry)
            queue[index] = item
            window.append(item)
            index += 1
        return window

    async def _send_window(self) -> bool:
        """Send one window and settle its acknowledged prefix; False if NATS failed it."""
        js = self._js
        assert js is not None
        window = await self._next_window()
        if not window:
            return True
        futures: list[asyncio.Future[PubAck]] = []
        failed = False
        limit = self._payload_limit()
        for index, item in enumerate(window):
            if len(item.payload) > limit:  # would fail for ever, and hold everything behind it
                item = window[index] = self._queue[index] = without_bodies(item)
                self.slimmed += 1
            headers = {MSG_ID_HEADER: item.msg_id, RUN_HEADER: item.run}
            try:
                futures.append(
                    await js.publish_async(
                        item.subject, item.payload, headers=headers,
                        wait_stall=self.config.ack_timeout_s,
                    )
                )  # fmt: skip
            except (NatsError, OSError, TimeoutError) as exc:
                log.debug("NATS publish failed: %s", exc)
                failed = True
                break
        acks = await self._acks(futures)
        done = 0
        for ack in acks:
            if ack is None:
                break
            done += 1
            if ack.duplicate:
                self.duplicates += 1
        self._settle(window[:done])
        if done:
            self.up = True
        return not failed and done == len(window)

    def _payload_limit(self) -> int:
        """The largest body the server takes, less room for the headers."""
        nc = self._nc
        return (nc.max_payload if nc is not None else 1024**2) - HEADER_ROOM

    async def _acks(self, futures: list[asyncio.Future[PubAck]]) -> list[PubAck | None]:
        """Each future's ack, None for one that failed, was lost or is late."""
        if not futures:
            return []
        together: asyncio.Future[Any] = asyncio.gather(*futures, return_exceptions=True)
        gone: asyncio.Future[Any] = asyncio.ensure_future(self._disconnected.wait())
        try:
            await asyncio.wait(
                {together, gone}, timeout=self.config.ack_timeout_s,
                return_when=asyncio.FIRST_COMPLETED,
            )  # fmt: skip
        finally:
            gone.cancel()
        results: list[PubAck | None] = []
        for future in futures:
            if future.done() and not future.cancelled() and future.exception() is None:
                results.append(future.result())
            else:
                results.append(None)
                future.cancel()
        if not together.done():
            together.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await together
        return results

    def _settle(self, acked: list[Outgoing]) -> None:
        queue, waiters, run = self._queue, self._waiters, self.run
        for item in acked:
            queue.popleft()
            self.acked_by_run[item.run] = item.seq
            if item.run != run:  # an earlier run's backlog
                continue
            self.acked_upto = item.seq
            future = waiters.pop(item.seq, None)
            if future is not None and not future.done():
                future.set_result(True)
        self.published += len(acked)
