"""The stream's events from a point up to its end as it was when reading began, one by one:
for the commands that read and finish (``calls --feed``, ``export --feed``).

A pull consumer of its own (ephemeral, acknowledging nothing, removed when reading ends, or by
the server a minute after a killed reader last asked) is fetched a batch at a time as
the caller asks, so a long stream costs one batch of memory, and the caller's speed (a pipe
into ``less``) sets the pace without affecting the collectors or anyone else. Events are
numbered in the order read (the stream holds several collectors' runs, whose own numbers
collide).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tui.config import NatsConfig
from tui.core.export.item import ExportedEvent
from tui.net.nats.connection import connect_options, describe
from tui.net.nats.consumer import StartAt, consumer_config, event_of_message

if TYPE_CHECKING:
    from nats.aio.client import Client

BATCH = 500
FETCH_TIMEOUT_S = 2.0


class StreamReadError(Exception):
    """The stream cannot be read (the message says why, without credentials)."""


class StreamReader:
    """Iterate :meth:`items` once; :attr:`bad` counts messages that were not events."""

    def __init__(
        self, config: NatsConfig, subject: str, start: StartAt, *, batch: int = BATCH
    ) -> None:
        self.config = config
        self.subject = subject
        self.start = start
        self.batch = batch
        self.bad = 0
        self.read = 0
        self.last_problem = ""
        self._consumer = ""  # the consumer's name on the server

    def items(self) -> Iterator[ExportedEvent]:
        loop = asyncio.new_event_loop()
        nc: Client | None = None
        try:
            nc, sub, end = loop.run_until_complete(self._open())
            while end and (batch := loop.run_until_complete(self._next(sub, end))):
                items, end = batch
                yield from items
        finally:
            if nc is not None:
                loop.run_until_complete(self._close(nc))
            loop.close()

    async def _close(self, nc: Client) -> None:
        """Remove the consumer (else the server keeps it until it has been idle a while) and
        close the connection."""
        with contextlib.suppress(Exception):
            if self._consumer:
                await nc.jetstream().delete_consumer(self.config.stream, self._consumer)
        with contextlib.suppress(Exception):
            await nc.close()

    async def _open(self) -> tuple[Client | None, Any, int]:
        """The connection, the subscription and the last stream seq to read (0: nothing)."""
        import nats

        if self.start.at == math.inf:
            return None, None, 0
        options = connect_options(self.config, name="noc-console read")

        async def quiet(exc: Exception) -> None:  # (the client's default prints tracebacks)
            self.last_problem = self.last_problem or _why(exc)  # the first says most

        try:
            nc = await nats.connect(
                **options, allow_reconnect=False, max_reconnect_attempts=1,
                reconnect_time_wait=0.2, error_cb=quiet,
            )  # fmt: skip
        except Exception as exc:
            why = self.last_problem or _why(exc)  # what the last try met, not "no servers"
            raise StreamReadError(f"cannot reach {describe(self.config)}: {why}") from None
        try:
            js = nc.jetstream()
            info = await js.stream_info(self.config.stream)
            end = info.state.last_seq
            config = consumer_config(self.start)
            sub = await js.pull_subscribe(self.subject, stream=self.config.stream, config=config)
            consumer = await sub.consumer_info()
            self._consumer = consumer.name
            pending = consumer.num_pending
        except Exception as exc:
            await nc.close()
            reason = _why(exc)
            raise StreamReadError(
                f"cannot read the stream {self.config.stream}: {reason}"
            ) from None
        return nc, sub, end if pending else 0

    async def _next(self, sub: Any, end: int) -> tuple[list[ExportedEvent], int] | None:
        """The next batch and the end still to reach (0 once reached); None when done."""
        import nats.errors

        try:
            messages = await sub.fetch(self.batch, timeout=FETCH_TIMEOUT_S)
        except (nats.errors.TimeoutError, TimeoutError):
            return None  # nothing more on this subject up to the end
        items: list[ExportedEvent] = []
        for msg in messages:
            meta = msg.metadata
            if meta.sequence.stream > end:
                return items, 0
            try:
                item = event_of_message(msg.data)
            except ValueError as exc:
                self.bad += 1
                self.last_problem = f"{msg.subject}: {exc}"
                continue
            self.read += 1
            items.append(item._replace(event=item.event._replace(seq=self.read)))
            if meta.sequence.stream == end or meta.num_pending == 0:
                return items, 0
        return items, end


def _why(exc: BaseException) -> str:
    from tui.core.sanitize import clean_line

    return clean_line(str(exc))[:200] or type(exc).__name__
