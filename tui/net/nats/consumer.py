"""A console's feed from the JetStream stream: an ordered pull consumer of its own per console.

Each console reads the stream at its own position and acknowledges nothing, so no console can
hold back the collectors or another console. It asks the server for messages only when it has
taken the ones before: a batch while messages are waiting (a late joiner catching up), one at a
time once it has caught up (so a new event comes at once). A console that cannot keep up falls
behind, holding at most one batch, and the server sends nothing it did not ask for: it shows by
how much and can jump to live. The consumer is ephemeral and in the server's memory: when it is
lost (NATS restarted, a console that stopped reading past its inactivity threshold) or a
message it sent never came (a gap in its own sequence), the console makes a new one from the
message after the last it took. So it is "ordered": every event once, in the stream's order.

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
from tui.net.nats.connection import connect_once, connect_options, describe

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg
    from nats.js.api import ConsumerConfig
    from nats.js.client import JetStreamContext

log = logging.getLogger(__name__)

FEED_SOURCE = "feed"
"""The feed's name on the source board (the header's chip)."""
BATCH = 256
"""Messages asked for at once while some are waiting: what a busy console holds at most."""
WAIT_S = 5.0
"""How long one ask for the next message waits; after that the consumer is checked (a
restarted server has lost it) and asked again."""
INACTIVE_S = 60.0
"""The server removes a consumer this long after its console last asked (a killed console)."""
RECONNECT_WAIT_S = 1.0
STOP_WAIT_S = 2.0
"""How long stopping waits for the reader to end."""
MAX_RETRY_WAIT_S = 10.0
"""A server or stream that is not there is tried again, at most this far apart."""
YIELD_EVERY = 64
"""Events taken between two yields to the loop: a batch does not freeze the screen."""
BEHIND_AFTER = 100
"""Messages still to come above which a console counts as behind."""
MAX_PROBLEMS_SHOWN = 1


def consumer_config(start: StartAt, after_seq: int = 0) -> ConsumerConfig:
    """An ephemeral consumer that acknowledges nothing, kept in the server's memory, from
    ``start``, or from the message after stream seq ``after_seq``."""
    from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

    config = ConsumerConfig(
        ack_policy=AckPolicy.NONE, inactive_threshold=INACTIVE_S, mem_storage=True,
        num_replicas=1,
    )  # fmt: skip
    if after_seq:
        config.deliver_policy = DeliverPolicy.BY_START_SEQUENCE
        config.opt_start_seq = after_seq + 1
    elif start.at == math.inf:
        config.deliver_policy = DeliverPolicy.NEW
    elif start.at == -math.inf:
        config.deliver_policy = DeliverPolicy.ALL
    else:
        config.deliver_policy = DeliverPolicy.BY_START_TIME
        config.opt_start_time = datetime.fromtimestamp(start.at, UTC)
    return config


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
        batch: int = BATCH,
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
        self.batch = batch
        self.received = 0  # events taken into the store
        self.bad = 0  # messages that were not events
        self.last_problem = ""
        self.skipped = 0  # messages left out by jumps to live
        self.last_stream_seq = 0  # 0: nothing taken yet since the start (or a jump)
        self.pending = 0  # messages of the consumer still to come after the last one taken
        self.newest_stream_ts = 0.0  # the stream's time of the last message taken
        self.jumps = 0
        self.renewed = 0  # consumers made again after a loss or a gap
        self._consumer_seq = 0
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._sub: Any = None  # the pull subscription of the consumer in use
        self._consumer = ""  # its name on the server
        self._opened_at = 0.0  # when reading live began: a lost consumer is made from then
        self._reader: asyncio.Task[None] | None = None
        self._generation = 0  # moves when a reader is stopped (one left behind then ends)
        self._stopped = False
        self._last_error = ""
        self.after_batch: Callable[[], object] | None = None
        """Called after each batch taken (a headless owner drains its store at once)."""

    # -- state --------------------------------------------------------------------------------

    @property
    def endpoint(self) -> str:
        return f"{describe(self.config)}/{self.config.stream}"

    @property
    def up(self) -> bool:
        return self._nc is not None and self._nc.is_connected

    def lag(self) -> Lag:
        """Messages still to come (as the last one taken said) and how old that one is."""
        age = self.clock() - self.newest_stream_ts if self.newest_stream_ts else 0.0
        return Lag(self.pending, max(0.0, age) if self.pending else 0.0)

    def _state(self, state: LinkState, detail: str = "") -> None:
        if self.board is not None:
            self.board.set_state(FEED_SOURCE, state, detail)

    # -- running --------------------------------------------------------------------------------

    async def start(self) -> str:
        """Connect, make the consumer and start reading; returns '' when reading, else why
        not yet: a server or a stream that is not there is tried again in the background
        until :meth:`stop` (the board says so meanwhile)."""
        self._state(LinkState.CONNECTING)
        problem = await self._connect()
        if not problem:
            problem = await self._open()
        self._reader = asyncio.get_running_loop().create_task(self._read(), name="nats-feed")
        return problem

    async def _connect(self) -> str:
        self._last_error = ""
        try:
            nc = await connect_once(
                self.options, reconnect_wait_s=RECONNECT_WAIT_S,
                disconnected=self._on_disconnected, reconnected=self._on_reconnected,
                error=self._on_error,
            )  # fmt: skip
        except Exception as exc:  # no server answers (nats-py raises several kinds)
            why = self._last_error or _reason(exc)  # what the last try met, not "no servers"
            detail = f"cannot reach {describe(self.config)}: {why}"
            self._state(LinkState.DOWN, detail)
            return detail
        if self._stopped:  # connected after all, but no longer wanted
            with contextlib.suppress(Exception):
                await nc.close()
            return "stopped"
        self._nc, self._js = nc, nc.jetstream()
        return ""

    async def _open(self) -> str:
        """Make the consumer, from the start or after the last message taken; '' or why not."""
        assert self._js is not None
        await self._close_consumer()
        start = self.start_at
        if start.at == math.inf and self._opened_at:
            start = StartAt(self._opened_at)  # live, made again: nothing since then is missed
        try:
            await self._js.stream_info(self.config.stream)  # (a missing stream, said plainly)
            opened_at = self.clock()
            self._sub = await self._js.pull_subscribe(
                self.subject, stream=self.config.stream,
                config=consumer_config(start, self.last_stream_seq),
            )  # fmt: skip
            info = await self._sub.consumer_info()
        except Exception as exc:  # a stream that is not there, a server that is away
            detail = f"cannot read the stream {self.config.stream}: {_reason(exc)}"
            self._state(LinkState.DOWN, detail)
            return detail
        self._consumer_seq = 0
        self._consumer = info.name
        self.pending = info.num_pending
        if self.start_at.at == math.inf and not self._opened_at:
            self._opened_at = opened_at
        where = "the last one taken" if self.last_stream_seq else self.start_at.describe()
        self._state(LinkState.UP, f"reading {self.subject} from {where}")
        return ""

    async def _close_consumer(self) -> None:
        sub, self._sub = self._sub, None
        name, self._consumer = self._consumer, ""
        if sub is None:
            return
        with contextlib.suppress(Exception):  # the server removes it anyway when inactive
            await sub.unsubscribe()
        with contextlib.suppress(Exception):
            if self._js is not None and name and self.up:
                await self._js.delete_consumer(self.config.stream, name)

    async def _read(self) -> None:
        """Ask, take, ask again; make the connection or the consumer again when lost."""
        wait = RECONNECT_WAIT_S
        generation = self._generation
        while generation == self._generation and not self._stopped:
            try:
                if self._nc is None:
                    problem = await self._connect()
                elif self._sub is None:
                    problem = await self._open() if self._nc.is_connected else "reconnecting"
                else:
                    problem = await self._fetch()
            except Exception as exc:  # nothing may stop the feed: said, then read again
                log.exception("feed: reading the stream failed")
                problem = f"reading failed: {_reason(exc)}"
                self._state(LinkState.DEGRADED, problem)
                await self._renew()
            if not problem:
                wait = RECONNECT_WAIT_S
                continue
            await asyncio.sleep(wait)
            wait = min(wait * 2, MAX_RETRY_WAIT_S)

    async def _fetch(self) -> str:
        """One ask and what it brought; '' or why the consumer must be made again."""
        import nats.errors

        sub = self._sub
        try:
            messages = await sub.fetch(self.batch if self.pending else 1, timeout=WAIT_S)
        except (nats.errors.TimeoutError, TimeoutError):
            return await self._still_there(sub)
        except Exception as exc:  # the consumer went (a restart), or the connection
            await self._renew()
            return _reason(exc)
        for index, msg in enumerate(messages, 1):
            if not self._take(msg):
                await self._renew()  # a gap: made again after the last one taken
                break
            if index % YIELD_EVERY == 0:
                await asyncio.sleep(0)
        if self.after_batch is not None:
            self.after_batch()
        return ""

    async def _still_there(self, sub: Any) -> str:
        """Nothing came within :data:`WAIT_S`: quiet, or the consumer is gone (a restarted
        server lost it)."""
        try:
            await sub.consumer_info()
        except Exception as exc:
            await self._renew()
            return _reason(exc)
        return ""

    async def _renew(self) -> None:
        """Leave the consumer in use: the reader makes a new one after the last one taken."""
        self.renewed += 1
        await self._close_consumer()

    async def jump_to_live(self) -> int:
        """Leave what is still to come and read only what comes next; returns how many
        messages were left out."""
        left = self.pending
        await self._restart(lambda: self._set_start(StartAt.live()))
        self.skipped += left
        self.jumps += 1
        return left

    def _set_start(self, start: StartAt) -> None:
        self.start_at = start
        self.last_stream_seq = 0
        self._opened_at = 0.0

    async def read_subject(
        self, subject: str, *, keep_place: bool = False, then: Callable[[], None] | None = None
    ) -> None:
        """Read on ``subject`` (the console's filter narrows to it) from the start again, or,
        with ``keep_place``, from the message after the last one taken; ``then`` runs once
        nothing more is taken from the old subject (the owner forgets its rows there)."""

        def change() -> None:
            self.subject = subject
            if not keep_place:
                self.last_stream_seq = 0
                self._opened_at = 0.0
            if then is not None:
                then()

        await self._restart(change)

    async def _restart(self, change: Callable[[], None]) -> None:
        """Stop reading, ``change`` where to read, make the consumer again and read on."""
        await self._stop_reader()
        change()
        self.pending = 0
        if self._js is not None:
            await self._open()
        self._reader = asyncio.get_running_loop().create_task(self._read(), name="nats-feed")

    async def _stop_reader(self) -> None:
        """Cancel the reader and wait for it, :data:`STOP_WAIT_S` at most: nats-py's connect,
        cancelled while a server refuses the login, can wait for ever on its own clean-up."""
        reader, self._reader = self._reader, None
        if reader is None:
            return
        self._generation += 1  # a reader left behind stops at its next turn
        reader.cancel()
        done, _ = await asyncio.wait({reader}, timeout=STOP_WAIT_S)
        if not done:
            log.info("feed: the client's connect did not stop; left to end on its own")

    async def stop(self) -> None:
        self._stopped = True
        await self._stop_reader()
        await self._close_consumer()
        nc, self._nc = self._nc, None
        if nc is not None:
            with contextlib.suppress(Exception):
                await nc.close()

    # -- messages -------------------------------------------------------------------------------

    def _take(self, msg: Msg) -> bool:
        """Take one message; False when it shows a gap (a message before it never came)."""
        try:
            meta = msg.metadata
        except Exception:  # not a JetStream delivery: nothing to place it by
            self._problem("a message without JetStream metadata")
            return True
        consumer_seq = meta.sequence.consumer
        if consumer_seq != self._consumer_seq + 1:
            return False
        self._consumer_seq = consumer_seq
        self.last_stream_seq = meta.sequence.stream
        self.pending = meta.num_pending
        self.newest_stream_ts = meta.timestamp.timestamp()
        try:
            item = event_of_message(msg.data)
        except ValueError as exc:
            self._problem(f"{msg.subject}: {exc}")
            return True
        self.store.submit(item.event, item.raw or b"", item.reply or b"", item.meta)
        self.received += 1
        return True

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
            self._last_error = text  # the first of a try says most (an authorization…)
        log.info("feed: %s", text)


def event_of_message(data: bytes) -> ExportedEvent:
    """The event a message carries, its text checked (and cleaned where it must be); raises
    ``ValueError`` for a message that is not an exported event."""
    try:
        doc = json.loads(data)
    except RecursionError:  # nested past Python's stack: not an event anyone wrote
        raise NotAnEvent("nested too deeply") from None
    if not isinstance(doc, dict):
        raise NotAnEvent("not an object")
    item = exported_from_json(doc)
    return item._replace(event=stored_event(tuple(item.event)))


def _reason(exc: BaseException) -> str:
    return clean_line(str(exc))[:200] or type(exc).__name__


class FeedError(Exception):
    """The feed cannot read the stream (the message says why)."""
