"""The stream's events from a point up to its end as it was when reading began, one by one:
for the commands that read and finish (``calls --feed``, ``export --feed``).

A pull consumer of its own (ephemeral, acknowledging nothing) is fetched a batch at a time as
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
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.config import NatsConfig
from tui.core.export.item import ExportedEvent
from tui.net.nats.connection import connect_options, describe
from tui.net.nats.consumer import StartAt, event_of_message

if TYPE_CHECKING:
    from nats.aio.client import Client

BATCH = 500
FETCH_TIMEOUT_S = 2.0
INACTIVE_S = 60.0
"""The server removes the consumer this long after its reader last fetched (a killed reader)."""


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
                with contextlib.suppress(Exception):
                    loop.run_until_complete(nc.close())
            loop.close()

    async def _open(self) -> tuple[Client | None, Any, int]:
        """The connection, the subscription and the last stream seq to read (0: nothing)."""
        import nats
        from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

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
            config = ConsumerConfig(
                ack_policy=AckPolicy.NONE, inactive_threshold=INACTIVE_S, mem_storage=True
            )
            if self.start.at == -math.inf:
                config.deliver_policy = DeliverPolicy.ALL
            else:
                config.deliver_policy = DeliverPolicy.BY_START_TIME
                config.opt_start_time = datetime.fromtimestamp(self.start.at, UTC)
            sub = await js.pull_subscribe(self.subject, stream=self.config.stream, config=config)
            pending = (await sub.consumer_info()).num_pending
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
