"""Publishing a collector's events to JetStream, in seq order, each one acknowledged.

The store hands every submitted event to :meth:`JetStreamPublisher.take` (in seq order, from any
thread). One task sends them in windows of :data:`WINDOW` (the acks of a window are awaited
together), keeps up to :data:`IN_FLIGHT` windows on the wire (an event that comes while one is
out goes at once, in a window of its own, instead of waiting for that window's acks), and
settles each seq once its PubAck, and every earlier one, is in. Each message asks for its PubAck
on a reply subject of its own under one inbox the publisher subscribes to once, so an ack costs
a slot in the window's table, not a future and a callback of its own. When NATS is unreachable,
or an ack does not come in time, the publisher is *down*: whoever waits on a seq hears False at
once (the collector then answers the hook once the journal has it), the events stay queued in
order, and they are sent again, from the first one not acknowledged, when NATS is back. Every
message carries the id ``<run>-<seq>``, so an event sent twice (its ack was lost, not the event)
is stored once.

A long outage would hold every event in memory: past :attr:`max_memory_backlog` queued events
only their seq is kept, and the event is read back (from the journal) when its turn comes.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import Error as NatsError
from nats.js import JetStreamContext

from tui.config import NatsConfig
from tui.core.feed import Row
from tui.net.nats.connection import connect_once, connect_options, describe
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
"""Messages of one window at most (sent, their acks awaited together)."""
IN_FLIGHT = 4
"""Windows sent and not yet settled, at most. One at a time, a hook that came while a window was
out waited for that window's acks and then for its own: at 1,500 hooks/s, a window took
1.2 ms (p50) and a hook 2.2 ms from its event to its ack."""
MAX_MEMORY_BACKLOG = 100_000
RETRY_FIRST_S = 0.05
RETRY_MAX_S = 2.0
RECONNECT_WAIT_S = 0.25
HEADER_ROOM = 1024
"""Bytes of a message kept for its headers under the server's ``max_payload``."""
SWEEPS_PER_TIMEOUT = 10
"""How often, per ``ack_timeout_s``, waits for an ack are checked against their deadline (one
timer for all of them instead of one per hook: a wait ends within a tenth past its timeout)."""

Submitted = tuple[Row, bytes, bytes, str]
Entry = Submitted | Outgoing | int
"""A queued event: as submitted, as built (sent once, not acknowledged), or its seq alone."""
Reload = Callable[[int], Awaitable[Outgoing | None]]


class WindowAcks:
    """The PubAcks of one window as they come: a slot per message (None: not in yet; True: on
    the server; False: refused), and a future done once every message sent has its answer."""

    def __init__(
        self, number: int, size: int, done: asyncio.Future[None], deadline: float = 0.0
    ) -> None:
        self.number = number
        self.deadline = deadline  # (loop time) when its acks are late
        self.slots: list[bool | None] = [None] * size
        self.sent = size  # lowered when a publish fails part way
        self.answered = 0
        self.duplicates = 0
        self.done = done

    def answer(self, index: int, data: bytes, status: str | None) -> None:
        """Record the server's answer to message ``index`` of the window."""
        if not 0 <= index < len(self.slots) or self.slots[index] is not None:
            return
        ack = _pub_ack(data, status)
        self.slots[index] = ack is not None
        if ack is not None and ack.get("duplicate") is True:
            self.duplicates += 1
        self.answered += 1
        self.check()

    def check(self) -> None:
        if self.answered >= self.sent and not self.done.done():
            self.done.set_result(None)

    def acked_prefix(self) -> int:
        """How many messages from the window's start are on the server, without a gap."""
        done = 0
        for slot in self.slots[: self.sent]:
            if slot is not True:
                break
            done += 1
        return done


def _pub_ack(data: bytes, status: str | None) -> dict[str, Any] | None:
    """The PubAck a reply holds (JSON naming the stream), or None for a refusal: an error, or
    a status with no body (503: no stream takes the subject)."""
    if status is not None or not data:
        return None
    try:
        doc = json.loads(data)
    except ValueError:
        return None
    if not isinstance(doc, dict) or "error" in doc or "stream" not in doc:
        return None
    return doc


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
        in_flight: int = IN_FLIGHT,
    ) -> None:
        self.config = config
        self.run = run
        self.reload = reload
        self.options = connect_options(config) if options is None else options
        self.max_memory_backlog = max_memory_backlog
        self.window = window
        self.in_flight = in_flight
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
        self._deadlines: deque[tuple[float, int]] = deque()  # (when a wait gives up, its seq)
        self._sweep: asyncio.TimerHandle | None = None
        self._acks_inbox = ""
        self._acks_sub: Subscription | None = None
        self._flying: deque[tuple[WindowAcks, list[Outgoing]]] = deque()  # oldest first
        self._on_wire = 0  # events in those windows: the queue's first ones
        self._acks_of: dict[int, WindowAcks] = {}  # the windows on the wire, by number
        self._windows = 0
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._wake = asyncio.Event()
        self._connected = asyncio.Event()
        self._disconnected = asyncio.Event()
        self._closing = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._said_unreachable = False

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
        if future is not None:  # a second wait for the same seq: its end must not cancel ours
            return await asyncio.shield(future)
        loop = asyncio.get_running_loop()
        future = self._waiters[seq] = loop.create_future()
        # No timer per wait: one sweep ends the waits that are past ack_timeout_s.
        timeout = self.config.ack_timeout_s
        self._deadlines.append((time.monotonic() + timeout, seq))
        if self._sweep is None:
            self._sweep = loop.call_later(timeout / SWEEPS_PER_TIMEOUT, self._sweep_waits)
        return await future

    def _sweep_waits(self) -> None:
        """Answer False to the waits older than ``ack_timeout_s`` (their events are still
        sent; the hooks fall back to the journal)."""
        self._sweep = None
        now = time.monotonic()
        deadlines, waiters = self._deadlines, self._waiters
        while deadlines and deadlines[0][0] <= now:
            future = waiters.pop(deadlines.popleft()[1], None)
            if future is not None and not future.done():
                future.set_result(False)
        if deadlines and self._loop is not None and not self._loop.is_closed():
            self._sweep = self._loop.call_later(
                self.config.ack_timeout_s / SWEEPS_PER_TIMEOUT, self._sweep_waits
            )

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
                # bounded: nats-py's connect, cancelled while a server refuses the login, can
                # wait for ever on its own clean-up
                await asyncio.wait({self._task}, timeout=2.0)
            self._task = None
        self.up = False  # closed, not down: nothing to report
        self._go_down()
        if self._sweep is not None:
            self._sweep.cancel()
            self._sweep = None
        if self._nc is not None:
            with contextlib.suppress(NatsError, OSError, TimeoutError):
                await self._nc.close()
            self._nc = None
            self._js = None

    async def _run(self) -> None:
        """Publish until closed. A failure nobody foresaw is logged and publishing starts
        again after a pause, the events still queued: a task that ended here would leave
        every later hook waiting for an ack that never comes."""
        while True:
            try:
                await self._publish()
                return
            except Exception:
                log.exception("NATS publisher failed; trying again in %.0f s", RETRY_MAX_S)
                self._let_go()
                self._go_down()
                await self._pause(RETRY_MAX_S)

    async def _publish(self) -> None:
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
                self._let_go()
                self._go_down()
                await self._pause(delay)
                delay = min(delay * 2, RETRY_MAX_S)
                continue
            if await self._pump():
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
            nc = await connect_once(
                self.options, reconnect_wait_s=RECONNECT_WAIT_S,
                disconnected=self._on_disconnected, reconnected=self._on_reconnected,
                error=self._on_error,
            )  # fmt: skip
        except (NatsError, OSError, TimeoutError) as exc:
            if self.up or not self._said_unreachable:  # once, until it is reached again
                self._said_unreachable = True
                log.warning("NATS %s unreachable (%s); events wait in the journal",
                            describe(self.config), type(exc).__name__)  # fmt: skip
            self._go_down()
            return False
        js = nc.jetstream(timeout=self.config.ack_timeout_s)
        try:
            await ensure_stream(js, self.config)
            # Every PubAck comes to one subscription (the client renews it on a reconnect).
            inbox = nc.new_inbox()
            self._acks_sub = await nc.subscribe(f"{inbox}.>", cb=self._on_ack)
        except (NatsError, OSError, TimeoutError) as exc:
            log.warning("NATS stream %s not ready: %s", self.config.stream, exc)
            with contextlib.suppress(NatsError, OSError, TimeoutError):
                await nc.close()
            return False
        self._acks_inbox = inbox
        self._nc, self._js = nc, js
        self._said_unreachable = False
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
        self._wake.set()  # the windows on the wire will not be answered: the pump lets them go

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
        self._deadlines.clear()
        for future in waiters.values():
            if not future.done():
                future.set_result(False)

    # -- one window ------------------------------------------------------------------------------

    async def _next_window(self, start: int) -> list[Outgoing]:
        """The events of the queue from ``start`` (those before it are on the wire), built
        (they stay queued until acknowledged)."""
        window: list[Outgoing] = []
        queue = self._queue
        prefix, run = self.config.subject_prefix, self.run
        index = start
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
                try:
                    item = outgoing(prefix, run, *entry)
                except Exception as exc:  # the event stays in the journal; the rest go on
                    del queue[index]
                    self.lost += 1
                    log.error("event %s: no message could be made of it (%s: %s); "
                              "not published", entry[0][0] if entry[0] else "?",
                              type(exc).__name__, exc)  # fmt: skip
                    continue
            queue[index] = item
            window.append(item)
            index += 1
        return window

    async def _pump(self) -> bool:
        """Send what waits (up to :attr:`in_flight` windows on the wire), then settle the oldest
        window once its acks are in, or wait for an ack, an event, or the oldest's deadline.
        False when NATS failed a window: what is not acknowledged is sent again later."""
        flying = self._flying
        loop = asyncio.get_running_loop()
        while len(flying) < self.in_flight and self._connected.is_set():
            if self._on_wire >= len(self._queue):
                break
            sent = await self._send_window(self._on_wire)
            if sent is None:
                break
            if sent[0].sent < len(sent[1]):  # the publish failed part way: no more for now
                break
        if not flying:
            return True
        acks, window = flying[0]
        if not acks.done.done():
            if not self._connected.is_set():
                return self._let_go()
            left = acks.deadline - loop.time()
            if left <= 0:
                return self._let_go()
            self._wake.clear()
            if len(flying) < self.in_flight and self._on_wire < len(self._queue):
                return True  # more came meanwhile: send it first
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(left):
                    await self._wake.wait()
            return True
        flying.popleft()
        self._on_wire -= len(window)
        self._acks_of.pop(acks.number, None)
        done = acks.acked_prefix()
        self.duplicates += acks.duplicates
        self._settle(window[:done])
        if done:
            self.up = True
        if done < len(window):
            return self._let_go()
        return True

    def _let_go(self) -> bool:
        """Give up on the windows on the wire (their late acks are ignored): their events are
        sent again from the first one not acknowledged, and JetStream drops those it has."""
        self._flying.clear()
        self._on_wire = 0
        self._acks_of.clear()
        return False

    async def _send_window(self, start: int) -> tuple[WindowAcks, list[Outgoing]] | None:
        """Publish the window of the queue from ``start``; it is on the wire (None: nothing
        to send)."""
        nc = self._nc
        assert nc is not None
        window = await self._next_window(start)
        if not window:
            return None
        self._windows += 1
        loop = asyncio.get_running_loop()
        acks = WindowAcks(
            self._windows, len(window), loop.create_future(),
            deadline=loop.time() + self.config.ack_timeout_s,
        )  # fmt: skip
        acks.done.add_done_callback(self._answered)
        self._acks_of[acks.number] = acks
        self._flying.append((acks, window))
        self._on_wire += len(window)
        reply = f"{self._acks_inbox}.{self._windows}."
        limit = self._payload_limit()
        run_header = RUN_HEADER
        for index, item in enumerate(window):
            if len(item.payload) > limit:  # would fail for ever, and hold everything behind it
                item = window[index] = self._queue[start + index] = without_bodies(item)
                self.slimmed += 1
            headers = {MSG_ID_HEADER: item.msg_id, run_header: item.run}
            try:
                await nc.publish(item.subject, item.payload, reply=f"{reply}{index}",
                                 headers=headers)  # fmt: skip
            except (NatsError, OSError, TimeoutError) as exc:
                log.debug("NATS publish failed: %s", exc)
                acks.sent = index
                acks.check()
                break
        return acks, window

    def _answered(self, done: asyncio.Future[None]) -> None:
        self._wake.set()

    async def _on_ack(self, msg: Msg) -> None:
        """A PubAck (or a refusal) for message ``<window>.<index>`` of the acks inbox."""
        number, _, index = msg.subject[len(self._acks_inbox) + 1 :].partition(".")
        acks = self._acks_of.get(int(number)) if number.isdigit() else None
        if acks is None or not index.isdigit():
            return  # a late answer to a window already given up on
        status = msg.headers.get("Status") if msg.headers else None
        acks.answer(int(index), msg.data, status)

    def _payload_limit(self) -> int:
        """The largest body the server takes, less room for the headers."""
        nc = self._nc
        return (nc.max_payload if nc is not None else 1024**2) - HEADER_ROOM

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
