"""What runs behind the screens: the store and journal, the hook listener, the ICWS clients and
the REST clients of the browser's targets. The Textual app and the headless ``tail`` both use
this, so live and headless behave the same.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.config import AppConfig, NatsConfig, Target
from tui.core.correlate import Correlator, CorrelatorLimits
from tui.core.correlate.checkpoint import GroupSnapshot
from tui.core.feed import SEV_ERROR, SOURCE_CONSOLE, blank_event, from_row
from tui.core.icws_state import IcwsState
from tui.core.journal import Journal, JournalLimits
from tui.core.journal_files import Retention
from tui.core.sources import LinkState, SourceBoard
from tui.core.store import FeedStore
from tui.net.rest import RestClients
from tui.paths import data_dir

if TYPE_CHECKING:
    from tui.core.replay import Replay, Timeline
    from tui.net.hooks.journal_gate import JournalGate
    from tui.net.hooks.service import HookService
    from tui.net.hooks.threaded import HookThread
    from tui.net.icws import IcwsFleet
    from tui.net.nats.consumer import StartAt, StreamFeed
    from tui.net.rest.base import RestClient, StateCallback

log = logging.getLogger(__name__)

DRAIN_INTERVAL_S = 0.05


_RUNS = itertools.count(1)


def journal_path(config: AppConfig, mode: str) -> Path:
    """A new run's first file: time, mode and process make it unique (and a counter, for a
    process that starts several runs)."""
    if config.journal.file is not None:
        return config.journal.file
    folder = config.journal.dir or data_dir() / "journals"
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    number = next(_RUNS)
    suffix = "" if number == 1 else f"-{number}"
    return folder / f"{stamp}-{mode}-{os.getpid()}{suffix}.sqlite"


CHECKPOINT_S = 2.0  # how often the journal gets the groups that changed


def correlator_limits(config: AppConfig) -> CorrelatorLimits:
    settings = config.correlate
    return CorrelatorLimits(
        max_groups=settings.max_groups,
        keep_ended_s=settings.keep_ended_s,
        link_window_s=settings.link_window_s,
    )


def journal_limits(config: AppConfig) -> JournalLimits:
    settings = config.journal
    mib = 1024**2
    # A journal named on the command line may sit among the operator's own files: retention,
    # which deletes the oldest *.sqlite of a folder, stays out of it.
    keep = (
        Retention(0, 0, 0)
        if settings.file is not None
        else Retention(
            keep_files=settings.keep_files,
            max_total_bytes=settings.max_total_mb * mib,
            max_age_s=settings.max_age_days * 86_400.0,
        )
    )
    return JournalLimits(
        max_file_bytes=settings.max_file_mb * mib,
        max_pending_bytes=settings.max_pending_mb * mib,
        retention=keep,
        sync=settings.sync,
    )


class Services:
    """Starts and stops everything that produces events, in the running event loop."""

    def __init__(
        self,
        config: AppConfig,
        board: SourceBoard,
        *,
        mode: str = "live",
        journal: bool | None = None,
        hook_port: int | None = None,
        hook_thread: bool = False,
    ) -> None:
        self.config = config
        self.board = board
        self.mode = mode
        self.journal: Journal | None = None
        if config.journal.enabled if journal is None else journal:
            self.journal = Journal(journal_path(config, mode), limits=journal_limits(config))
        self.store = FeedStore(config.feed.buffer_size, journal=self.journal)
        # Calls, streams, sessions and interactions: fed from the store after each drain.
        self.correlator = Correlator(correlator_limits(config))
        # With a journal, the groups that changed go into it every CHECKPOINT_S (and at the
        # end), so `noc-console calls` need not fold the whole run again.
        self.correlator.track_changes = self.journal is not None
        self._next_checkpoint = 0.0
        self._correlated_seq = 0
        self.correlate_missed = 0  # events that left the buffer before the correlator saw them
        self.drain_errors = 0  # drains that failed (logged; the next one goes on)
        # Network modules are imported on start: they are not on the first frame's path.
        self.hooks: HookService | None = None
        self.icws_state = IcwsState()
        self.icws: IcwsFleet | None = None
        self.hook_port = hook_port
        self.hook_reuse_port = False  # the listener shares its port (collect --workers)
        # With a UI, the listener runs on its own thread (see tui.net.hooks.threaded) and the
        # UI calls drain() on its clock; headless, a task here drains on the same clock.
        self.hook_thread = hook_thread
        self._hook_thread: HookThread | None = None
        self._gate: JournalGate | None = None
        self._drainer: asyncio.Task[None] | None = None
        self.rest_clients = RestClients()  # the browser's, built on first use
        self.problems: list[str] = []
        self.started_at = time.time()
        self.replay: Replay | None = None  # set by :meth:`for_replay`
        self.feed: StreamFeed | None = None  # set by :meth:`for_feed`
        self.feed_problem = ""  # why the feed could not read at the start ('' if it could)
        self._feed_change: asyncio.Task[None] | None = None

    @classmethod
    def for_replay(
        cls, config: AppConfig, board: SourceBoard, timeline: Timeline, *, context: int
    ) -> Services:
        """Services that play journals instead of listening: no journal of their own, no
        hook listener, no ICWS client; the same store and correlator as live."""
        from tui.core.replay import Replay

        services = cls(config, board, mode="replay", journal=False)
        services.replay = Replay(timeline, services.store, context=context)
        services.replay.on_reset.append(services.restart_correlation)
        return services

    @classmethod
    def for_feed(
        cls,
        config: AppConfig,
        board: SourceBoard,
        nats: NatsConfig,
        *,
        start: StartAt,
        query: str = "",
        headless: bool = True,
    ) -> Services:
        """Services that read the NATS stream collectors publish to instead of listening: no
        hook listener, no ICWS client and no journal of their own (the collectors keep
        theirs); the same store and correlator as live. ``query`` narrows the subject the
        consumer reads where it pins the source, the node or the method. ``headless``: a task
        drains the store on its clock (else the owner, a UI, does)."""
        from tui.core.sources import SourceStatus
        from tui.net.nats.consumer import FEED_SOURCE, StreamFeed
        from tui.net.nats.subjects import query_subject

        services = cls(config, board, mode="feed", journal=False, hook_thread=not headless)
        subject = query_subject(nats.subject_prefix, query)
        feed = StreamFeed(nats, services.store, board, subject=subject, start=start)
        if FEED_SOURCE not in {status.name for status in board}:
            board.add(SourceStatus(name=FEED_SOURCE, kind="nats", endpoint=feed.endpoint))
        if headless:  # no screen's clock to wait for: what came goes on at once
            feed.after_batch = services.drain
        services.feed = feed
        return services

    def restart_correlation(self) -> None:
        """The store's rows were replaced (a replay moved): fold them into a new correlator."""
        self.correlator = Correlator(correlator_limits(self.config))
        self.correlate_missed = 0
        self._correlated_seq = self.store.last_seq
        add = self.correlator.add
        for row in self.store.rows:
            add(from_row(row))

    def console_error(self, what: str, detail: str) -> None:
        """A problem of the console itself, shown in the feed like any event."""
        self.problems.append(detail)
        self.store.publish(
            blank_event(
                ts=time.time(), source=SOURCE_CONSOLE, kind="console", method=what,
                status="ERROR", info=detail, severity=SEV_ERROR,
            )
        )  # fmt: skip

    async def start(self) -> None:
        if self.replay is not None:
            return  # a replay's events come from its journals, on the owner's clock
        if self.journal is not None:
            try:
                self.journal.open({"mode": self.mode, "started": datetime.now(UTC).isoformat()})
            except (OSError, sqlite3.Error) as exc:
                self.journal = None
                self.store.journal = None
                where = getattr(exc, "filename", None) or self.config.journal.dir or "journals"
                reason = getattr(exc, "strerror", None) or str(exc)
                self.console_error("journal", f"journal disabled: cannot write {where}: {reason}")
        if not self.hook_thread and self._drainer is None:
            self._drainer = asyncio.create_task(self._drain_clock(), name="store-drain")
        if self.feed is not None:
            await self.start_feed()
            return
        await self.start_hooks()
        self.start_icws()

    def follow_query(self, query: str) -> bool:
        """The operator's filter changed: read the stream again on the subject it narrows to,
        when that is a wider subject (the rows read so far are replaced, as a replay's jump
        replaces them); True if it did. A narrower subject goes on from the place reached."""
        from tui.net.nats.subjects import query_subject, subject_within

        feed = self.feed
        if feed is None:
            return False
        subject = query_subject(feed.config.subject_prefix, query)
        if subject == feed.subject:
            return False
        narrower = subject_within(subject, feed.subject)  # then the rows read so far stay

        def forget_rows() -> None:
            self.store.reset(self.store.last_seq)
            self.restart_correlation()

        reading = feed.read_subject(
            subject, keep_place=narrower, then=None if narrower else forget_rows
        )
        self._feed_change = asyncio.get_running_loop().create_task(reading, name="feed-subject")
        return not narrower

    async def start_feed(self) -> None:
        """Read the stream; while it cannot, the board says why and it is tried again."""
        assert self.feed is not None
        self.feed_problem = await self.feed.start()

    def start_icws(self) -> None:
        """One client per configured ICWS server, each logging in and reading on its own."""
        if not self.config.icws:
            return
        from tui.net.icws import IcwsFleet

        self.icws = IcwsFleet(self.config.icws, self.store, self.board, self.icws_state)
        self.icws.start()

    def hold_replies_with(self, gate: JournalGate) -> None:
        """Answer each hook once ``gate`` says so instead of once the journal has it (the
        collector's gate also waits for JetStream); call before :meth:`start`."""
        self._gate = gate

    def rest_client(self, target: Target, *, on_state: StateCallback | None = None) -> RestClient:
        """The client of ``target``, built on first use and kept until :meth:`stop` closes it;
        ``on_state`` hears its link states."""
        return self.rest_clients.get(target, on_state=on_state)

    async def start_hooks(self) -> None:
        from tui.net.hooks.service import HookService, HookSetupError

        if self.journal is not None and self._gate is None:
            from tui.net.hooks.journal_gate import JournalGate

            self._gate = JournalGate(self.journal, timeout_s=self.config.journal.commit_timeout_s)
        try:
            service = HookService(
                self.config.hooks, self.store, gate=self._gate, board=self.board,
                port=self.hook_port, reuse_port=self.hook_reuse_port,
            )  # fmt: skip
        except HookSetupError as exc:
            self.board.set_state("hooks", LinkState.DOWN, str(exc))
            self.console_error("hooks", str(exc))
            return
        try:
            if self.hook_thread:
                from tui.net.hooks.threaded import HookThread

                thread = HookThread(service)
                await thread.start()
                self._hook_thread = thread
            else:
                await service.start()
        except HookSetupError:
            self.problems.append(self.board.get("hooks").detail)
            self.drain()
            return
        self.hooks = service  # only once it listens: hook_url is a URL that answers

    def drain(self) -> int:
        """Take submitted events into the store's buffer and on to the correlator (call it on
        the owner's clock)."""
        moved = self.store.drain()
        self.correlate()
        return moved

    def correlate(self) -> int:
        """Fold the events the store took since the last call into the correlator, as one
        batch (events published straight into the store are picked up here too)."""
        store = self.store
        new = store.last_seq - self._correlated_seq
        if new <= 0:
            return 0
        rows = store.since(self._correlated_seq)
        self.correlate_missed += new - len(rows)
        self._correlated_seq = store.last_seq
        add = self.correlator.add
        for row in rows:
            add(from_row(row))
        if time.monotonic() >= self._next_checkpoint:
            self.checkpoint()
        return len(rows)

    def checkpoint(self) -> int:
        """Hand the journal the groups that changed since the last checkpoint; returns how many."""
        self._next_checkpoint = time.monotonic() + CHECKPOINT_S
        if self.journal is None:
            return 0
        changed = self.correlator.take_changed()
        if changed:
            # Snapshots: the journal's writer makes their rows (the JSON is off this loop).
            self.journal.put_groups([GroupSnapshot(g) for g in changed], self.correlator.last_seq)
        return len(changed)

    def drain_on_clock(self) -> int:
        """:meth:`drain`, for a clock (the headless task's, the UI's timer): a failure is
        logged and counted, and the next tick drains again. One bad batch must not end the
        draining: headless, `tail` would print nothing more; with a UI, the app would stop."""
        try:
            return self.drain()
        except Exception:
            self.drain_errors += 1
            if self.drain_errors == 1 or self.drain_errors % 1000 == 0:
                log.exception("draining the feed failed (%d times so far)", self.drain_errors)
            return 0

    async def _drain_clock(self, interval: float = DRAIN_INTERVAL_S) -> None:
        while True:
            await asyncio.sleep(interval)
            self.drain_on_clock()

    @property
    def not_journalled(self) -> int:
        """Events that are not in the journal although it is on (refused or failed)."""
        return self.journal.lost if self.journal is not None else 0

    @property
    def answered_early(self) -> int:
        """Hooks answered before their commit because the journal was slower than its timeout."""
        return self._gate.late if self._gate is not None else 0

    def exit_summary(self) -> str:
        """What to say on the way out when the journal did not get everything ('' if it did)."""
        problem = self.journal_problem()
        if not problem:
            return ""
        where = f" ({self.journal.path.parent})" if self.journal is not None else ""
        return f"noc-console: {problem}{where}"

    def journal_problem(self) -> str:
        """One line for a status bar: '' while every event is journalled."""
        journal = self.journal
        if journal is None:
            return ""
        parts = []
        if journal.lost:
            parts.append(f"JOURNAL: {journal.lost:,} events not journalled")
        if self.answered_early:
            parts.append(f"{self.answered_early:,} answered before their commit")
        if parts and journal.last_error:
            parts.append(journal.last_error)
        return "; ".join(parts)

    async def stop(self) -> None:
        await self.rest_clients.aclose()  # logs out of the SBCs
        if self.feed is not None:
            await self.feed.stop()
        if self.icws is not None:
            await self.icws.aclose()  # logs out and deletes the subscriptions
            self.icws = None
        if self._hook_thread is not None:
            await self._hook_thread.stop()
            self._hook_thread = None
            self.hooks = None
        elif self.hooks is not None:
            await self.hooks.stop()
            self.hooks = None
        if self._drainer is not None:
            self._drainer.cancel()
            self._drainer = None
        self.drain()
        self.checkpoint()  # the last one: what the run ended with
        if self._gate is not None:
            self._gate.close()
        if self.journal is not None:
            self.journal.flush(5.0)
            self.journal.close()
        if self.replay is not None:
            self.replay.timeline.close()

    @property
    def hook_url(self) -> str | None:
        return self.hooks.url if self.hooks is not None else None
