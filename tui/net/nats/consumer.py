"""A console's feed from the JetStream stream: an ephemeral ordered consumer per console.

Each console reads the stream at its own position and acknowledges nothing, so no console can
hold back the collectors or another console. The consumer's flow control bounds what the server
sends ahead of what a console has taken, so a console that cannot keep up falls behind (it shows
by how much and can jump to live) without its memory growing. A console that stops reading
altogether is dropped by the server and, once it reads again, resumes from the message after
the last one it took: the ordered consumer of ``nats-py`` notices a gap or a lost consumer (its
heartbeats stop) and creates a new one from the next stream sequence.

The client never drops a message itself (its buffer limits are off, flow control being the
bound): its ordered consumer counts a message as seen when it arrives, so a message dropped for
a full buffer would be skipped for good. A gap in the consumer's own sequence is still checked
for, and answered by reading again from the message after the last one taken.

Messages are remote input like any other: a message that is not an exported event is counted
and skipped, and an event's text is checked (and cleaned where it must be) before the store
takes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tui.config import NatsConfig
from tui.core.export.item import ExportedEvent
from tui.core.export.jsonl import NotAnEvent, exported_from_json
from tui.core.journal_rows import stored_event
from tui.core.sanitize import clean_line
from tui.core.sources import LinkState, SourceBoard
from tui.core.store import EventSubmitter
from tui.net.nats.connection import connect_options, describe

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg
    from nats.js.api import DeliverPolicy
    from nats.js.client import JetStreamContext

log = logging.getLogger(__name__)

FEED_SOURCE = "feed"
"""The feed's name on the source board (the header's chip)."""
RECONNECT_WAIT_S = 1.0
MAX_RETRY_WAIT_S = 10.0
"""A server or stream that is not there at the start is tried again, at most this far apart."""
HEARTBEAT_S = 2.0
"""The consumer's idle heartbeat: a console notices a lost consumer (a restarted server) after
about three of these."""
BEHIND_AFTER = 100
"""Messages still to come above which a console counts as behind."""
MAX_PROBLEMS_SHOWN = 1


@dataclass(frozen=True)
class StartAt:
    """Where a console starts reading: ``at`` is an epoch time, ``-inf`` the stream's first
    message, ``inf`` only what comes next (live)."""

    at: float

    @classmethod
    def live(cls) -> StartAt:
        return cls(math.inf)

    @classmethod
    def first(cls) -> StartAt:
        return cls(-math.inf)

    def describe(self, utc: bool = True) -> str:
        if self.at == math.inf:
            return "live"
        if self.at == -math.inf:
            return "the stream's start"
        zone = UTC if utc else None
        return datetime.fromtimestamp(self.at, zone).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Lag:
    """How far behind a console reads: messages still to come, and the age of the newest
    message taken (now minus its time in the stream)."""

    pending: int
    age_s: float

    @property
    def behind(self) -> bool:
        return self.pending > BEHIND_AFTER


class StreamFeed:
    """Reads the ``[nats]`` stream into a store: from :class:`StartAt`, on ``subject`` (a filter
    subject narrowing by the console's query, or everything under the prefix)."""

    def __init__(
        self,
        config: NatsConfig,
        store: EventSubmitter,
        board: SourceBoard | None = None,
        *,
        subject: str | None = None,
        start: StartAt | None = None,
        options: dict[str, Any] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.store = store
        self.board = board
        self.subject = subject or config.subjects
        self.start_at = start or StartAt.live()
        if options is None:
            options = connect_options(config, name="noc-console feed")
        self.options = options
        self.clock = clock
        self.received = 0  # events taken into the store
        self.bad = 0  # messages that were not events
        self.last_problem = ""
        self.skipped = 0  # messages left out by jumps to live
        self.last_stream_seq = 0
        self.pending = 0  # messages of the consumer still to come after the last one taken
        self.newest_stream_ts = 0.0  # the stream's time of the last message taken
        self.jumps = 0
        self.gaps = 0  # gaps in the consumer's sequence, each read again
        self._consumer_seq = 0
        self._again: asyncio.Task[None] | None = None
        self._sub_task: asyncio.Task[None] | None = None
        self._retry: asyncio.Task[None] | None = None
        self._last_error = ""
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._sub: Any = None
        self._generation = 0  # moves with each subscription: an older one's messages are left
        self._lock = asyncio.Lock()

    # -- state --------------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        return f"{describe(self.config)}/{self.config.stream}"

    @property
    def up(self) -> bool:
        return self._nc is not None and self._nc.is_connected

    def lag(self) -> Lag:
        """Messages still to come: what the server had still to send when it sent the last one
        taken (which counts those the client has received since and holds, not taken yet),
        or what the client holds, if that is more."""
        held = self._sub.pending_msgs if self._sub is not None else 0
        pending = max(self.pending, held)
        age = self.clock() - self.newest_stream_ts if self.newest_stream_ts else 0.0
        return Lag(pending, max(0.0, age) if pending else 0.0)

    def _state(self, state: LinkState, detail: str = "") -> None:
        if self.board is not None:
            self.board.set_state(FEED_SOURCE, state, detail)

    # -- running --------------------------------------------------------------------------------

    async def start(self) -> str:
        """Connect and subscribe; returns '' when reading, else why not yet: a server that is
        not there, or a stream that is not there, is tried again in the background until
        :meth:`stop` (the board says so meanwhile)."""
        self._state(LinkState.CONNECTING)
        problem = await self._attempt()
        if problem:
            self._retry = asyncio.get_running_loop().create_task(self._keep_trying())
        return problem

    async def _attempt(self) -> str:
        import nats

        try:
            if self._nc is None:
                self._last_error = ""
                # One try of each server here (the client would otherwise retry for ever
                # inside connect); this feed tries again on its own clock.
                nc = await nats.connect(
                    **self.options,
                    allow_reconnect=True,
                    max_reconnect_attempts=1,
                    reconnect_time_wait=RECONNECT_WAIT_S,
                    disconnected_cb=self._on_disconnected,
                    reconnected_cb=self._on_reconnected,
                    error_cb=self._on_error,
                    pending_size=8 * 1024**2,
                )
                nc.options["max_reconnect_attempts"] = -1  # connected: reconnect for ever
                self._nc, self._js = nc, nc.jetstream()
            async with self._lock:
                await self._subscribe(self.start_at)
        except FeedError as exc:
            return str(exc)
        except Exception as exc:  # no server answers (nats-py raises several kinds)
            why = self._last_error or _reason(exc)  # what the last try met, not "no servers"
            detail = f"cannot reach {describe(self.config)}: {why}"
            self._state(LinkState.DOWN, detail)
            return detail
        return ""

    async def _keep_trying(self) -> None:
        wait = RECONNECT_WAIT_S
        while await asyncio.sleep(wait, True) and await self._attempt():
            wait = min(wait * 2, MAX_RETRY_WAIT_S)

    async def _subscribe(self, start: StartAt, after_seq: int = 0) -> None:
        """Subscribe from ``start``, or from the message after stream seq ``after_seq``."""
        from nats.js.api import ConsumerConfig, DeliverPolicy

        assert self._js is not None
        policy: DeliverPolicy
        config = ConsumerConfig()
        if after_seq:
            policy = DeliverPolicy.BY_START_SEQUENCE
            config.opt_start_seq = after_seq + 1
        elif start.at == math.inf:
            policy = DeliverPolicy.NEW
        elif start.at == -math.inf:
            policy = DeliverPolicy.ALL
        else:
            policy = DeliverPolicy.BY_START_TIME
            config.opt_start_time = datetime.fromtimestamp(start.at, UTC)
        self._consumer_seq = 0
        self._generation += 1
        generation = self._generation
        reading = f"reading {self.subject} from {start.describe()}"

        said_up = False

        async def take(msg: Msg) -> None:
            nonlocal said_up
            if generation != self._generation:
                return  # left behind by a jump or a gap
            if not said_up:  # (messages may come before subscribe has returned)
                said_up = True
                self._state(LinkState.UP, reading)
            await self._take(msg)

        try:
            await self._js.stream_info(self.config.stream)  # (a missing stream, said plainly)
            self._sub = await self._js.subscribe(
                self.subject,
                stream=self.config.stream,
                ordered_consumer=True,
                idle_heartbeat=HEARTBEAT_S,
                deliver_policy=policy,
                config=config,
                cb=take,
                pending_msgs_limit=0,  # no limit: flow control bounds it (see above)
                pending_bytes_limit=0,
            )
        except Exception as exc:  # a stream that is not there, a server that is away
            detail = f"cannot read the stream {self.config.stream}: {_reason(exc)}"
            self._state(LinkState.DOWN, detail)
            raise FeedError(detail) from exc
        if not said_up:
            said_up = True
            self._state(LinkState.UP, reading)
        with contextlib.suppress(Exception):  # how much is to come, before the first message
            info = await self._sub.consumer_info()
            if self._consumer_seq == 0 and generation == self._generation:
                self.pending = info.num_pending

    async def jump_to_live(self) -> int:
        """Leave what is still to come and read only what comes next; returns how many
        messages were left out."""
        async with self._lock:
            left = self.pending
            await self._unsubscribe()
            self.pending = 0
            self.skipped += left
            self.jumps += 1
            await self._subscribe(StartAt.live())
            return left

    def read_subject(self, subject: str, *, keep_place: bool = False) -> None:
        """Read on ``subject`` (the console's filter narrows to it) from the start again, or,
        with ``keep_place``, from the message after the last one taken; done in the
        background, on the running loop."""
        self.subject = subject
        self.pending = 0
        old, self._sub = self._sub, None
        self._generation += 1  # what the old subscription still delivers is left out
        after = self.last_stream_seq if keep_place else 0
        self._sub_task = asyncio.get_running_loop().create_task(self._resubscribe(old, after))

    async def _resubscribe(self, old: Any, after_seq: int) -> None:
        async with self._lock:
            if old is not None:
                with contextlib.suppress(Exception):
                    await old.unsubscribe()
            if self._js is not None:
                with contextlib.suppress(FeedError):  # said on the board
                    await self._subscribe(self.start_at, after_seq=after_seq)

    async def _unsubscribe(self) -> None:
        sub, self._sub = self._sub, None
        self._generation += 1
        if sub is not None:
            with contextlib.suppress(Exception):
                await sub.unsubscribe()

    async def stop(self) -> None:
        for task in (self._retry, self._again, self._sub_task):
            if task is not None:
                task.cancel()
        await self._unsubscribe()
        nc, self._nc = self._nc, None
        if nc is not None:
            with contextlib.suppress(Exception):
                await nc.close()

    # -- messages -------------------------------------------------------------------------------

    async def _take(self, msg: Msg) -> None:
        try:
            meta = msg.metadata
        except Exception:  # not a JetStream delivery: nothing to place it by
            self._problem("a message without JetStream metadata")
            return
        consumer_seq = meta.sequence.consumer
        if consumer_seq != 1 and consumer_seq != self._consumer_seq + 1 and self._consumer_seq:
            # a message the consumer sent never came: read again after the last one taken
            self.gaps += 1
            old, self._sub = self._sub, None
            self._generation += 1  # what the old consumer still delivers is left out
            if old is not None:
                self._again = asyncio.get_running_loop().create_task(
                    self._read_again(old, self.last_stream_seq)
                )
            return
        self._consumer_seq = consumer_seq
        self.last_stream_seq = meta.sequence.stream
        self.pending = meta.num_pending
        self.newest_stream_ts = meta.timestamp.timestamp()
        try:
            item = event_of_message(msg.data)
        except ValueError as exc:
            self._problem(f"{msg.subject}: {exc}")
            return
        self.store.submit(item.event, item.raw or b"", item.reply or b"", item.meta)
        self.received += 1

    async def _read_again(self, old: Any, after_seq: int) -> None:
        async with self._lock:
            with contextlib.suppress(Exception):
                await old.unsubscribe()
            with contextlib.suppress(FeedError):
                await self._subscribe(self.start_at, after_seq=after_seq)

    def _problem(self, detail: str) -> None:
        self.bad += 1
        self.last_problem = clean_line(detail)[:200]
        if self.bad <= MAX_PROBLEMS_SHOWN or self.bad % 1000 == 0:
            log.warning("feed: %d messages skipped; last: %s", self.bad, self.last_problem)

    # -- connection callbacks ----------------------------------------------------------------------

    async def _on_disconnected(self) -> None:
        self._state(LinkState.DOWN, "NATS unreachable: reconnecting")

    async def _on_reconnected(self) -> None:
        self._state(LinkState.UP, f"reading {self.subject}")

    async def _on_error(self, exc: Exception) -> None:
        text = _reason(exc)
        if self._nc is None and not self._last_error:
            self._last_error = text  # the first of an attempt says most (an authorization…)
        log.info("feed: %s", text)
        if "slow consumer" in text.lower():
            self._state(LinkState.DEGRADED, "falling behind: the client dropped messages")


def event_of_message(data: bytes) -> ExportedEvent:
    """The event a message carries, its text checked (and cleaned where it must be); raises
    ``ValueError`` for a message that is not an exported event."""
    doc = json.loads(data)
    if not isinstance(doc, dict):
        raise NotAnEvent("not an object")
    item = exported_from_json(doc)
    return item._replace(event=stored_event(tuple(item.event)))


def _reason(exc: BaseException) -> str:
    return clean_line(str(exc))[:200] or type(exc).__name__


class FeedError(Exception):
    """The feed cannot read the stream (the message says why)."""
