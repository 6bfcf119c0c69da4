"""``noc-console collect``: the hook listener and the ICWS clients, publishing to NATS JetStream.

Headless and long-running, for a service manager: it logs to stderr, drains on SIGTERM (the
hooks in flight are answered, what is queued is published for a few seconds, the rest stays in
the journal) and exits non-zero when it cannot run (no ``[nats]``, no journal, the port taken).

A hook is answered once JetStream acknowledged its event; while NATS is unreachable, once the
local journal committed it, and the publisher sends those events, in order, when NATS returns.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tui.cli.common import EXIT_INTERRUPTED, EXIT_USAGE, load
from tui.cli.journal_option import add_journal_option, with_journal_file
from tui.cli.tail import _listen

if TYPE_CHECKING:
    from tui.cli.common import Subparsers
    from tui.config import AppConfig
    from tui.core.journal_files import RunLock
    from tui.net.nats.gate import PublishGate
    from tui.net.nats.message import Outgoing
    from tui.net.nats.publisher import JetStreamPublisher
    from tui.services import Services

log = logging.getLogger("noc-console.collect")

EXIT_FATAL = 1
MARK_INTERVAL_S = 0.2
"""How often each run's mark (its last acknowledged seq) is written beside its journal."""
DRAIN_S = 5.0
"""On SIGTERM, how long what is still queued may take to reach NATS (the rest is journalled)."""


def add_collect(sub: Subparsers) -> None:
    collect = sub.add_parser(
        "collect",
        help="run the hook listener headless and publish every event to NATS JetStream",
        description="Run the WCS hook listener and the ICWS clients (as the config sets them) "
        "without a UI and publish every event to the [nats] stream. A hook is answered once "
        "JetStream has its event, or, while NATS is unreachable, once the local journal has "
        "it. SIGTERM drains and stops.",
    )
    collect.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    collect.add_argument(
        "--nats", metavar="URL", help="NATS server (nats:// or tls://), over [nats] urls"
    )
    collect.add_argument(
        "--listen", type=_listen, metavar="HOST:PORT", help="where to listen (default from config)"
    )
    add_journal_option(collect)
    collect.add_argument(
        "--workers", type=_workers, default=1, metavar="N",
        help="run N collector processes on the one port, the kernel spreading the "
        "connections (default 1; on two cores one answers ~4,500 hooks/s, two 5,500-7,600: "
        "docs/nats.md 2.6)",
    )  # fmt: skip
    # How the supervisor of --workers starts each worker (not for people).
    collect.add_argument("--worker", type=int, default=0, help=argparse.SUPPRESS)
    collect.add_argument("--ready-fd", type=int, default=None, help=argparse.SUPPRESS)
    collect.set_defaults(handler=collect_command)


def _workers(text: str) -> int:
    number = int(text) if text.isdigit() else 0
    if not 1 <= number <= 64:
        raise argparse.ArgumentTypeError(f"{text!r}: a number of processes from 1 to 64")
    return number


def collect_config(args: argparse.Namespace) -> AppConfig:
    """The config, with the command line's NATS URL, listen address and journal over it."""
    from pydantic import ValidationError

    from tui.config import HooksConfig, NatsConfig, UsageError
    from tui.config.problems import format_validation_error

    loaded = load(args.config)
    config = loaded.config
    nats = config.nats.model_dump() if config.nats is not None else None
    if args.nats:
        nats = {**(nats or {}), "urls": [args.nats]}
    if nats is None:
        raise UsageError(
            "collect publishes to NATS JetStream: add a [nats] section to the config "
            "(docs/nats.md) or give --nats nats://HOST:PORT"
        )
    if not config.journal.enabled:
        raise UsageError("collect keeps every event in its journal too: enable [journal]")
    if args.workers > 1 and (args.journal is not None or config.journal.file is not None):
        raise UsageError(
            "--workers: each worker writes a journal of its own, so name a folder "
            "([journal] dir), not one file (--journal or [journal] file)"
        )
    hooks = config.hooks.model_dump()
    if args.listen:
        hooks["bind"], hooks["port"] = args.listen
    try:
        config = config.model_copy(
            update={
                "hooks": HooksConfig.model_validate(hooks),
                "nats": NatsConfig.model_validate(nats),
            }
        )
    except ValidationError as exc:
        raise format_validation_error(Path("command line"), exc) from None
    return with_journal_file(config, args.journal)


def collect_command(args: argparse.Namespace) -> int:
    """Check the config and the client library, then collect until stopped."""
    config = collect_config(args)
    try:
        import nats  # noqa: F401
    except ImportError:
        print(
            "noc-console collect: the NATS client is not installed: "
            "pip install 'noc-console[nats]'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    tag = f"[{args.worker}]" if args.worker else ""
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format=f"noc-console collect{tag}: %(message)s"
    )
    if args.workers > 1:
        from tui.cli.collect_workers import supervise

        return supervise(args, config, args.workers)
    try:
        return asyncio.run(run_collect(config, worker=args.worker, ready_fd=args.ready_fd))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


class Collector:
    """The services of ``tail`` with a JetStream publisher behind the store and a reply gate
    that waits for JetStream (or else the journal)."""

    def __init__(self, config: AppConfig) -> None:
        from tui.config import sources_from_config
        from tui.core.sources import SourceBoard
        from tui.services import Services

        assert config.nats is not None
        self.config = config
        self.nats = config.nats
        self.services: Services = Services(
            config, SourceBoard(sources_from_config(config)), mode="collect"
        )
        self.publisher: JetStreamPublisher | None = None
        self.gate: PublishGate | None = None
        self._marks: dict[str, Path] = {}  # each run's mark file, by run
        self._claims: list[RunLock] = []  # the locks of the ended runs this collector sends
        self._written: dict[str, int] = {}  # what each mark says
        self._marker: asyncio.Task[None] | None = None

    @property
    def hook_url(self) -> str | None:
        return self.services.hook_url

    async def start(self) -> list[str]:
        """Start publishing, then listening; returns the problems that stop it from running
        (empty: it runs)."""
        from tui.net.nats.connection import NatsSetupError, connect_options
        from tui.net.nats.gate import PublishGate
        from tui.net.nats.publisher import JetStreamPublisher

        services = self.services
        journal = services.journal
        if journal is None:
            return ["no journal: collect needs one"]
        try:
            options = connect_options(self.nats)
        except NatsSetupError as exc:
            return [str(exc)]
        # Names every message id of this run: the host, then the journal's own unique name.
        run = f"{socket.gethostname()}-{journal.path.stem}"
        self.publisher = JetStreamPublisher(self.nats, run, reload=self._reload, options=options)
        self.gate = PublishGate(
            journal, self.publisher, timeout_s=self.config.journal.commit_timeout_s
        )
        services.store.on_submit = self.publisher.take
        services.hold_replies_with(self.gate)
        self._recover(journal.path)  # the ended runs' events go first
        self.publisher.start()
        await self.publisher.ready(self.nats.connect_timeout_s)
        await services.start()
        if services.journal is None or services.hooks is None:
            return services.problems or ["the hook listener did not start"]
        # The journal made its folder: this run's mark goes beside it from the start, so a
        # restart after a kill knows the run was a collector's.
        self._written[self.publisher.run] = -1
        self.write_marks(own_too=True)
        self._marker = asyncio.create_task(self._keep_marks(), name="nats-marks")
        return []

    def _recover(self, own: Path) -> None:
        """Mark this run, then queue the events of ended runs that never reached the stream
        (a collector killed while NATS was away), oldest run first."""
        from tui.net.nats.marks import mark_path, unpublished

        publisher = self.publisher
        assert publisher is not None
        self._marks[publisher.run] = mark_path(own)
        backlogs = list(unpublished(own.parent, own, self.nats.subject_prefix))
        for backlog in reversed(backlogs):
            self._marks[backlog.run] = backlog.mark
            if backlog.claim is not None:
                self._claims.append(backlog.claim)
            publisher.send_first(backlog.items)
            log.info("sending %d events of the ended run %s first", len(backlog.items),
                     backlog.mark.name.removesuffix(".nats.json"))  # fmt: skip

    async def _keep_marks(self, interval: float = MARK_INTERVAL_S) -> None:
        while True:
            await asyncio.sleep(interval)
            self.write_marks()

    def write_marks(self, *, own_too: bool = False) -> None:
        """Record, beside each journal, the last seq JetStream acknowledged of its run."""
        from tui.net.nats.marks import write_mark

        publisher = self.publisher
        if publisher is None:
            return
        acked = dict(publisher.acked_by_run)
        if own_too:
            acked.setdefault(publisher.run, 0)
        for run, upto in acked.items():
            if self._written.get(run) != upto and run in self._marks:
                try:
                    write_mark(self._marks[run], run, upto)
                except OSError as exc:
                    log.warning("cannot write %s: %s", self._marks[run], exc)
                    continue
                self._written[run] = upto

    async def _reload(self, seq: int) -> Outgoing | None:
        """A queued event's message, read back from the journal once it is committed."""
        from tui.net.nats.message import outgoing

        journal, gate, publisher = self.services.journal, self.gate, self.publisher
        if journal is None or gate is None or publisher is None:
            return None
        if not await gate.wait(seq):  # committed (the journal's own wait, not JetStream's)
            return None
        record = await asyncio.to_thread(journal.fetch, seq)
        if record is None:
            return None
        event = record.event
        return outgoing(
            self.nats.subject_prefix, publisher.run, tuple(event), record.raw, record.reply,
            record.meta,
        )  # fmt: skip

    async def stop(self) -> None:
        """Stop listening (answering the hooks in flight), publish what is queued for
        :data:`DRAIN_S` at most, then close the journal."""
        services, publisher = self.services, self.publisher
        if services.hooks is not None:
            await services.hooks.stop()
            services.hooks = None
        if publisher is not None:
            services.drain()
            await publisher.close(DRAIN_S)
        if self._marker is not None:
            self._marker.cancel()
            self._marker = None
        self.write_marks()
        for claim in self._claims:  # what is not in the stream yet, the next collector sends
            claim.release()
        self._claims.clear()
        await services.stop()

    def summary(self) -> str:
        publisher = self.publisher
        if publisher is None:
            return ""
        text = f"{publisher.published:,} events published to {self.nats.stream}"
        if publisher.backlog:
            text += f"; {publisher.backlog:,} not yet (they are in the journal)"
        if publisher.lost:
            text += f"; {publisher.lost:,} could not be read back from the journal"
        return text


async def run_collect(
    config: AppConfig,
    *,
    worker: int = 0,
    ready_fd: int | None = None,
) -> int:
    """Collect until SIGTERM or SIGINT. A worker of ``--workers`` (``worker`` ≥ 1) shares the
    port with the other workers, says it listens on ``ready_fd``, runs the ICWS clients only
    if it is the first, and stops when its supervisor is gone."""
    if worker > 1:
        config = config.model_copy(update={"icws": []})
    collector = Collector(config)
    collector.services.hook_reuse_port = worker > 0
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    problems = await collector.start()
    if problems:
        for problem in problems:
            log.error("%s", problem)
        await collector.stop()
        return EXIT_FATAL
    log.info("listening on %s (%s mode); publishing to %s", collector.hook_url,
             config.hooks.mode, config.nats.stream if config.nats else "")  # fmt: skip
    watcher = asyncio.create_task(_watch_supervisor(stop)) if worker else None
    if ready_fd is not None:
        with contextlib.suppress(OSError):  # the supervisor is gone: the watcher sees to it
            os.write(ready_fd, b"1")
        os.close(ready_fd)
    try:
        await stop.wait()
    finally:
        if watcher is not None:
            watcher.cancel()
        await collector.stop()
        if summary := collector.summary():
            log.info("%s", summary)
        if problem := collector.services.exit_summary():
            log.warning("%s", problem)
    return 0


async def _watch_supervisor(stop: asyncio.Event, every_s: float = 1.0) -> None:
    """Stop once the supervisor that started this worker is gone (killed with SIGKILL: it
    could not pass the signal on), so the listening socket is let go with the last worker."""
    parent = os.getppid()
    while os.getppid() == parent:
        await asyncio.sleep(every_s)
    log.warning("the supervisor is gone: stopping")
    stop.set()
