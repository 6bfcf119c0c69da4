"""The messaging channel: server-sent events when offered, serial short polling otherwise.

Polling keeps exactly one ``GET …/messaging/messages`` in flight. Each poll is its own task,
awaited through ``asyncio.shield``: if the reader is cancelled mid-request, the poll still
completes and hands its messages to the sink (``finish_in_flight`` waits for it at close).
A short run of failed polls is retried on the same session; after that the session is given
up and the client logs in again.

An event stream delivers each ``data:`` payload (one JSON message) as soon as its blank line
arrives. A stream that ends is reopened; one that keeps ending at once, or a server that
answers the stream request with plain JSON, falls back to polling for that session.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

import httpx

from tui.core.feed import SEV_NOTICE, SEV_WARNING
from tui.core.protocols.sse import SseDecoder, SseProtocolError
from tui.core.sources import LinkState
from tui.net.icws.session import (
    IcwsSession,
    ServerTrouble,
    SessionLost,
    describe_transport,
    error_detail,
)

if TYPE_CHECKING:
    from tui.net.icws.client import IcwsClient

SLOW_ANSWER_S = 1.0  # a short poll slower than this shows the source as degraded
POLL_RETRIES = 3  # failed polls on one session before logging in again
QUICK_STREAM_END_S = 2.0
QUICK_STREAM_ENDS = 3


class ChannelReader:
    """Reads one client's messaging channel for the life of a session."""

    def __init__(self, client: IcwsClient) -> None:
        self.client = client
        self.in_flight: asyncio.Future[int] | None = None

    async def read(self, session: IcwsSession) -> None:
        """Until the client stops; raises SessionLost / ServerTrouble for the client's loop."""
        client = self.client
        if client.server.use_sse and session.messaging_version >= 2:
            await self._stream(session)
        if not client.is_stopping():
            await self._poll(session)

    async def finish_in_flight(self, timeout: float) -> None:
        """Let a poll that is on the wire finish and deliver (it is shielded from cancel)."""
        task = self.in_flight
        if task is not None and not task.done():
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(task), timeout)

    # -- polling ------------------------------------------------------------------------

    async def _poll(self, session: IcwsSession) -> None:
        client = self.client
        interval = client.server.poll_interval_s
        client.stats.mode = "poll"
        client.set_link(LinkState.UP, f"polling every {interval:g}s at {client.stats.host}")
        failures = 0
        while not client.is_stopping():
            loop = asyncio.get_running_loop()
            started = loop.time()
            task = asyncio.ensure_future(self._poll_once(session))
            self.in_flight = task
            try:
                count = await asyncio.shield(task)
            except ServerTrouble as exc:
                failures += 1
                if failures >= POLL_RETRIES:
                    raise
                client.report(
                    "poll", SEV_WARNING, str(exc.status or "failed"),
                    f"poll {failures} of {POLL_RETRIES} failed ({exc.detail}); trying again",
                    error=exc.error, http_status=exc.status,
                )  # fmt: skip
                client.set_link(LinkState.DEGRADED, f"poll failed: {exc.detail}")
                await self._sleep(interval * 2**failures)
                continue
            finally:
                if task.done():
                    self.in_flight = None
            failures = 0
            client.channel_healthy()
            elapsed = loop.time() - started
            if elapsed > SLOW_ANSWER_S:
                client.set_link(LinkState.DEGRADED, f"slow answers: {elapsed:.1f}s per poll")
            else:
                client.set_link(LinkState.UP, f"polling every {interval:g}s at {client.stats.host}")
            if count == 0:
                client.stats.empty_polls += 1
            await self._sleep(interval)

    async def _poll_once(self, session: IcwsSession) -> int:
        client = self.client
        headers = session.headers(client.server.language)
        try:
            response = await client.http.get(session.url("messaging/messages"), headers=headers)
        except httpx.HTTPError as exc:
            raise ServerTrouble("poll", describe_transport(exc)) from None
        client.stats.polls += 1
        if response.status_code in (401, 503):
            detail, error = error_detail(response)
            raise SessionLost("poll", detail, status=response.status_code, error=error)
        if response.status_code != 200:
            detail, error = error_detail(response)
            raise ServerTrouble("poll", detail, status=response.status_code, error=error)
        return client.deliver(response.content)

    async def _sleep(self, seconds: float) -> None:
        await self.client.idle(seconds)

    # -- server-sent events ---------------------------------------------------------------

    async def _stream(self, session: IcwsSession) -> None:
        client = self.client
        quick_ends = 0
        loop = asyncio.get_running_loop()
        while not client.is_stopping():
            opened = loop.time()
            try:
                refused = await self._stream_once(session)
            except httpx.ReadTimeout:
                client.report(
                    "stream", SEV_NOTICE, "silent",
                    "event stream silent past the read timeout; reopening it",
                )  # fmt: skip
                continue
            except httpx.HTTPError as exc:
                raise ServerTrouble("stream", describe_transport(exc)) from None
            except SseProtocolError as exc:
                raise ServerTrouble("stream", str(exc)) from None
            if refused:
                client.report(
                    "stream", SEV_NOTICE, "no SSE",
                    "the server answered the event-stream request with plain JSON; polling instead",
                )  # fmt: skip
                return
            if client.is_stopping():
                return
            quick_ends = quick_ends + 1 if loop.time() - opened < QUICK_STREAM_END_S else 0
            if quick_ends >= QUICK_STREAM_ENDS:
                client.report(
                    "stream", SEV_WARNING, "unstable",
                    f"event stream ended {quick_ends} times in a row right after opening; "
                    "polling instead for this session",
                )  # fmt: skip
                return

    async def _stream_once(self, session: IcwsSession) -> bool:
        """One event-stream request; True when the server answered it without SSE."""
        client = self.client
        server = client.server
        headers = session.headers(server.language) | {"Accept": "text/event-stream"}
        read_timeout = max(60.0, 2 * server.request_timeout_s)
        timeout = httpx.Timeout(server.request_timeout_s, read=read_timeout)
        url = session.url("messaging/messages")
        async with client.http.stream("GET", url, headers=headers, timeout=timeout) as response:
            if response.status_code in (401, 503):
                await response.aread()
                detail, error = error_detail(response)
                raise SessionLost("stream", detail, status=response.status_code, error=error)
            if response.status_code != 200:
                await response.aread()
                detail, error = error_detail(response)
                raise ServerTrouble("stream", detail, status=response.status_code, error=error)
            if "text/event-stream" not in response.headers.get("content-type", ""):
                body = await response.aread()
                client.deliver(body)  # a plain poll answer: its messages are already ours
                return True
            client.stats.streams += 1
            client.stats.mode = "sse"
            client.set_link(LinkState.UP, f"event stream at {client.stats.host}")
            decoder = SseDecoder()
            async for chunk in response.aiter_bytes():
                for event in decoder.feed(chunk):
                    if event.event == "message":
                        client.deliver(event.data.encode())
                        client.channel_healthy()
                if client.is_stopping():
                    break
        return False
