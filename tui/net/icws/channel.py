"""The messaging channel: server-sent events when offered, serial short polling otherwise.

Polling keeps exactly one ``GET …/messaging/messages`` in flight. Each poll is its own task,
awaited through ``asyncio.shield``: if the reader is cancelled mid-request, the poll still
completes and hands its messages to the sink (``finish_in_flight`` waits for it at close).

A read that fails while the server has not said the session is gone (500, 502, 504, a
timeout, a refused or reset connection) keeps the session: the server goes on queueing
messages for it, so the reader backs off (jittered, capped) and reads again on the same
session, and the queued messages arrive when the server answers again. Only the server's
word (401, a session errorId, a 503 switchover) or ``keep_session_s`` of failures without a
break ends the session; the client then logs in anew.

An event stream delivers each ``data:`` payload (one JSON message) as soon as its blank line
arrives. A stream that stays silent (no event, no keep-alive comment) for about twice the
server's keep-alive interval is taken for dead and reopened on the same session. A stream
that ends is reopened; one that keeps ending at once, never shows a keep-alive, breaks the
format, or is answered with plain JSON falls back to polling for that session.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import httpx

from tui.config import IcwsServer
from tui.core.feed import SEV_NOTICE, SEV_OK, SEV_WARNING
from tui.core.protocols.icws_wire import ErrorBody
from tui.core.protocols.sse import SilenceWatch, SseDecoder, SseProtocolError
from tui.core.sanitize import clean_line
from tui.core.sources import LinkState
from tui.net.icws.backoff import Backoff
from tui.net.icws.session import (
    IcwsSession,
    ServerTrouble,
    describe_transport,
    session_failure,
)
from tui.net.icws.stats import ClientStats

SLOW_ANSWER_S = 1.0  # a short poll slower than this shows the source as degraded
QUICK_STREAM_END_S = 2.0
QUICK_STREAM_ENDS = 3
SILENT_STREAMS = 3  # streams in a row that went silent without one keep-alive: poll instead


@dataclass(slots=True)
class Outage:
    """A run of failed reads on a session that is being kept."""

    started: float  # client clock
    what: str  # "poll" or "stream"
    failures: int = 0
    reason: str = ""


class StreamSilent(Exception):
    """The event stream sent nothing (no event, no keep-alive) for ``limit`` seconds."""

    def __init__(self, limit: float, *, keepalives: int) -> None:
        super().__init__(f"silent for {limit:.1f}s")
        self.limit = limit
        self.keepalives = keepalives


class ChannelOwner(Protocol):
    """Where the reader's results go: the client that owns the session.

    The reader hands over what it read and says how the channel is doing; it never looks at
    the rest of the client (login, subscriptions, closing).
    """

    def deliver(self, body: bytes) -> int:
        """Messages read from the channel (a JSON array) into the sink; how many there were."""
        ...

    def report(
        self,
        what: str,
        severity: int,
        status: str,
        info: str,
        *,
        error: ErrorBody | None = None,
        http_status: int = 0,
    ) -> None:
        """A console event about the channel."""
        ...

    def set_link(self, state: LinkState, detail: str) -> None:
        """The source chip: the channel's state and a line saying why."""
        ...

    def note_outage(self, note: str) -> None:
        """The state panel's note that the view may lag (``""`` once the channel is back)."""
        ...


class ChannelReader:
    """Reads one client's messaging channel for the life of a session.

    It shares values with its owner, not the owner itself: the server's settings, the HTTP
    client, the counters, the backoff (a delivery resets it, so the next trouble starts from
    the beginning), the owner's stop event and clock.
    """

    def __init__(
        self,
        owner: ChannelOwner,
        *,
        server: IcwsServer,
        http: httpx.AsyncClient,
        stats: ClientStats,
        backoff: Backoff,
        stop: asyncio.Event,
        clock: Callable[[], float],
    ) -> None:
        self.owner = owner
        self.server = server
        self.http = http
        self.stats = stats
        self.backoff = backoff
        self.stop = stop
        self.clock = clock
        self.in_flight: asyncio.Future[int] | None = None
        self.outage: Outage | None = None
        # learned keep-alive pace: kept across streams and sessions of this server
        self.silence = SilenceWatch(server.sse_keepalive_s)

    async def read(self, session: IcwsSession) -> None:
        """Until the owner stops; raises SessionLost / ServerTrouble for the owner's loop."""
        self.outage = None
        if self.server.use_sse and session.messaging_version >= 2:
            await self._stream(session)
        if not self.stop.is_set():
            await self._poll(session)

    async def finish_in_flight(self, timeout: float) -> None:
        """Let a poll that is on the wire finish and deliver (it is shielded from cancel)."""
        task = self.in_flight
        if task is not None and not task.done():
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(task), timeout)

    # -- what the reader does with the shared parts ---------------------------------------

    def _healthy(self) -> None:
        """The channel delivered: the next trouble starts its backoff from the beginning."""
        self.backoff.reset()

    def _backoff_delay(self) -> float:
        """The next jittered, capped delay before reading again (recorded for the panel)."""
        delay = self.backoff.next()
        self.stats.backoff_delays.append(round(delay, 3))
        return delay

    async def _idle(self, seconds: float) -> None:
        """Wait ``seconds``, or less if the owner is closing."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), seconds)

    # -- failures on a session that is kept ---------------------------------------------

    async def _retry_later(self, exc: ServerTrouble, session: IcwsSession) -> None:
        """A read failed but the session is not known to be gone: keep it, back off, retry.

        Raises the failure once reads have failed for ``keep_session_s`` without a break;
        the client then gives the session up and logs in anew (alternate hosts included).
        """
        owner = self.owner
        now = self.clock()
        outage = self.outage
        if outage is None:
            outage = self.outage = Outage(started=now, what=exc.what)
        outage.failures += 1
        self.stats.failed_reads += 1
        lasted = now - outage.started
        keep = self.server.keep_session_s
        if lasted >= keep:
            self.outage = None
            raise ServerTrouble(
                exc.what,
                f"{exc.detail}; reads failed for {lasted:.0f}s (keep_session_s = {keep:g}), "
                "giving the session up",
                status=exc.status,
                error=exc.error,
            )
        delay = self._backoff_delay()
        reads = f"{outage.failures} {'poll' if exc.what == 'poll' else 'stream request'}"
        plural = "s" if outage.failures != 1 else ""
        owner.set_link(
            LinkState.DEGRADED,
            f"{reads}{plural} failed ({exc.brief}), retrying in {delay:.1f}s, session kept",
        )
        if outage.failures == 1 or exc.brief != outage.reason:
            kept = clean_line(session.session_id, 20, squeeze=True)
            owner.report(
                exc.what, SEV_WARNING, str(exc.status or "failed"),
                f"{exc.detail}; keeping session {kept} (the "
                "server queues its messages meanwhile) and retrying with backoff",
                error=exc.error, http_status=exc.status,
            )  # fmt: skip
            owner.note_outage(
                f"channel interrupted since {_clock(outage.started)} ({exc.brief}): the "
                "server holds the messages; the view may lag"
            )
        outage.reason = exc.brief
        await self._idle(delay)

    def _recovered(self, delivered: int | None) -> None:
        """The session reads again: say how long the interruption lasted (and what it held)."""
        outage = self.outage
        if outage is None:
            return
        self.outage = None
        owner = self.owner
        self.stats.outages_ridden += 1
        lasted = self.clock() - outage.started
        plural = "s" if outage.failures != 1 else ""
        held = "" if delivered is None else f"; {delivered} message(s) held by the server delivered"
        owner.report(
            outage.what, SEV_OK, "recovered",
            f"channel back on the same session after {lasted:.0f}s and {outage.failures} "
            f"failed read{plural}{held}",
        )  # fmt: skip
        owner.note_outage("")

    # -- polling ------------------------------------------------------------------------

    async def _poll(self, session: IcwsSession) -> None:
        owner = self.owner
        interval = self.server.poll_interval_s
        self.stats.mode = "poll"
        owner.set_link(LinkState.UP, f"polling every {interval:g}s at {self.stats.host}")
        while not self.stop.is_set():
            loop = asyncio.get_running_loop()
            started = loop.time()
            task = asyncio.ensure_future(self._poll_once(session))
            self.in_flight = task
            try:
                count = await asyncio.shield(task)
            except ServerTrouble as exc:
                await self._retry_later(exc, session)
                continue
            finally:
                if task.done():
                    self.in_flight = None
            self._recovered(count)
            self._healthy()
            elapsed = loop.time() - started
            if elapsed > SLOW_ANSWER_S:
                owner.set_link(LinkState.DEGRADED, f"slow answers: {elapsed:.1f}s per poll")
            else:
                owner.set_link(LinkState.UP, f"polling every {interval:g}s at {self.stats.host}")
            if count == 0:
                self.stats.empty_polls += 1
            await self._sleep(interval)

    async def _poll_once(self, session: IcwsSession) -> int:
        owner = self.owner
        headers = session.headers(self.server.language)
        try:
            response = await self.http.get(session.url("messaging/messages"), headers=headers)
        except httpx.HTTPError as exc:
            raise ServerTrouble("poll", describe_transport(exc)) from None
        self.stats.polls += 1
        if response.status_code != 200:
            raise session_failure("poll", response)
        return owner.deliver(response.content)

    async def _sleep(self, seconds: float) -> None:
        await self._idle(seconds)

    # -- server-sent events ---------------------------------------------------------------

    async def _stream(self, session: IcwsSession) -> None:
        """Read the event stream until the client stops, or return to poll instead."""
        owner = self.owner
        quick_ends = 0
        silent_without_keepalive = 0
        loop = asyncio.get_running_loop()
        while not self.stop.is_set():
            opened = loop.time()
            try:
                refused = await self._stream_once(session)
            except StreamSilent as exc:
                self.stats.stream_silences += 1
                self.stats.silence_limit_s = exc.limit
                owner.report(
                    "stream", SEV_NOTICE, "silent",
                    f"event stream silent for {exc.limit:.1f}s (about twice the "
                    f"{self.silence.interval:.1f}s keep-alive interval); reopening it on the "
                    "same session",
                )  # fmt: skip
                silent_without_keepalive = 0 if exc.keepalives else silent_without_keepalive + 1
                if silent_without_keepalive >= SILENT_STREAMS:
                    owner.report(
                        "stream", SEV_WARNING, "no keep-alives",
                        f"{silent_without_keepalive} event streams in a row went silent without "
                        "a single keep-alive, so silence cannot be told from a dead link; "
                        "polling instead for this session",
                    )  # fmt: skip
                    return
                continue
            except httpx.HTTPError as exc:
                await self._retry_later(ServerTrouble("stream", describe_transport(exc)), session)
                continue
            except ServerTrouble as exc:
                await self._retry_later(exc, session)
                continue
            except SseProtocolError as exc:
                owner.report(
                    "stream", SEV_WARNING, "bad stream",
                    f"event stream unusable ({exc}); polling instead for this session",
                )  # fmt: skip
                return
            if refused:
                owner.report(
                    "stream", SEV_NOTICE, "no SSE",
                    "the server answered the event-stream request with plain JSON; polling instead",
                )  # fmt: skip
                return
            if self.stop.is_set():
                return
            quick_ends = quick_ends + 1 if loop.time() - opened < QUICK_STREAM_END_S else 0
            if quick_ends >= QUICK_STREAM_ENDS:
                owner.report(
                    "stream", SEV_WARNING, "unstable",
                    f"event stream ended {quick_ends} times in a row right after opening; "
                    "polling instead for this session",
                )  # fmt: skip
                return

    async def _stream_once(self, session: IcwsSession) -> bool:
        """One event-stream request; True when the server answered it without SSE.

        The answer's head must come within the request timeout; after that, every read must
        come within the silence limit (httpx's own read timeout is only a backstop above it).
        """
        owner = self.owner
        server = self.server
        headers = session.headers(server.language) | {"Accept": "text/event-stream"}
        backstop = max(server.request_timeout_s, 2 * 4 * server.sse_keepalive_s + 1)
        request = self.http.build_request(
            "GET",
            session.url("messaging/messages"),
            headers=headers,
            timeout=httpx.Timeout(
                server.request_timeout_s,
                connect=min(10.0, server.request_timeout_s),
                read=backstop,
            ),
        )
        try:
            async with asyncio.timeout(server.request_timeout_s):
                response = await self.http.send(request, stream=True)
        except TimeoutError:
            raise ServerTrouble("stream", "no answer in time") from None
        try:
            if response.status_code != 200:
                await response.aread()
                raise session_failure("stream", response)
            if "text/event-stream" not in response.headers.get("content-type", ""):
                body = await response.aread()
                owner.deliver(body)  # a plain poll answer: its messages are already ours
                return True
            await self._read_events(response)
        finally:
            await response.aclose()
        return False

    async def _read_events(self, response: httpx.Response) -> None:
        owner = self.owner
        loop = asyncio.get_running_loop()
        self.stats.streams += 1
        self.stats.mode = "sse"
        owner.set_link(LinkState.UP, f"event stream at {self.stats.host}")
        self._recovered(None)
        self._healthy()
        silence = self.silence
        silence.opened(loop.time())
        decoder = SseDecoder()
        chunks = response.aiter_bytes()
        while not self.stop.is_set():
            limit = silence.limit
            try:
                async with asyncio.timeout(limit):
                    chunk = await anext(chunks)
            except StopAsyncIteration:
                return
            except (TimeoutError, httpx.ReadTimeout):
                raise StreamSilent(limit, keepalives=decoder.comments) from None
            comments = decoder.comments
            events = decoder.feed(chunk)
            for event in events:
                if event.event == "message":
                    owner.deliver(event.data.encode())
                    self._healthy()
            silence.heard(loop.time(), comments=decoder.comments - comments, events=len(events))


def _clock(stamp: float) -> str:
    return time.strftime("%H:%M:%SZ", time.gmtime(stamp))
