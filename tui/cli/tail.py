"""``noc-console tail``: the same hook listener (and sources) without the UI, one line per event.

For scripts, ``jq`` and on-call boxes without a big terminal. ``--jsonl`` prints one JSON object
per event; otherwise a compact line like the feed's. Ends cleanly on Ctrl+C / SIGTERM and when
the reader of a pipe goes away.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tui.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    load,
    reader_gone,
    unguarded_stdout,
)
from tui.cli.feed_option import add_feed_options
from tui.cli.journal_option import add_journal_option, with_journal_file
from tui.core.export.fast_line import event_line
from tui.core.feed import FeedEvent, as_row
from tui.core.query import Query
from tui.core.sources import SourceBoard

if TYPE_CHECKING:
    from tui.cli.common import Subparsers
    from tui.config import AppConfig
    from tui.services import Services


def _listen(text: str) -> tuple[str, int]:
    """HOST:PORT, [IPv6]:PORT, :PORT or PORT (host then defaults to 127.0.0.1)."""
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = "", text
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not HOST:PORT, e.g. 0.0.0.0:8081")
    return host, int(port)


def add_tail(sub: Subparsers) -> None:
    tail = sub.add_parser(
        "tail",
        help="run the hook listener without the UI and print each event",
        description="Run the WCS hook listener (as the config sets it) without the UI and print "
        "one line per event, or one JSON object per event with --jsonl. Ctrl+C stops.",
    )
    tail.add_argument("--config", type=Path, metavar="FILE", help="config file to use")
    tail.add_argument(
        "--listen", type=_listen, metavar="HOST:PORT", help="where to listen (default from config)"
    )
    tail.add_argument("--mode", choices=("backend", "tap"), help="answer as backend or forward")
    tail.add_argument("--upstream", metavar="URL", help="tap mode: the real backend's app URL")
    tail.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    tail.add_argument("--filter", metavar="QUERY", help="print only events matching QUERY")
    tail.add_argument("--no-journal", action="store_true", help="do not write a journal")
    add_journal_option(tail)
    add_feed_options(tail, since_default=FEED_SINCE)
    icws = tail.add_argument_group("an ICWS server ad hoc (besides those in the config)")
    icws.add_argument("--icws", metavar="URL", help="e.g. https://cic1.example.net:8019")
    icws.add_argument("--icws-user", metavar="USER")
    icws.add_argument("--icws-password-env", metavar="VAR", help="variable holding the password")
    icws.add_argument(
        "--icws-queue", action="append", default=[], metavar="TYPE:NAME",
        help="queue to watch, e.g. workgroup:Support (repeatable)",
    )  # fmt: skip
    icws.add_argument(
        "--icws-user-status", action="append", default=[], metavar="USER",
        help="user whose status to watch (repeatable)",
    )  # fmt: skip
    tail.set_defaults(handler=tail_command)


FEED_SINCE = "now"
"""A tail of the stream starts with what comes next, as a tail of the listener does."""


def tail_command(args: argparse.Namespace) -> int:
    """Headless hook listener: config, then command-line overrides, then run until stopped."""
    from pydantic import ValidationError

    if args.feed is not None:
        return tail_feed_command(args)

    from tui.config import HooksConfig, UsageError, icws_server_from_flags
    from tui.config.problems import format_validation_error
    from tui.core.query import QueryError, compile_query

    loaded = load(args.config)
    hooks = loaded.config.hooks.model_dump()
    if args.listen:
        hooks["bind"], hooks["port"] = args.listen
    if args.mode:
        hooks["mode"] = args.mode
    if args.upstream:
        hooks["upstream"] = args.upstream
    try:
        config = loaded.config.model_copy(
            update={
                "hooks": HooksConfig.model_validate(hooks),
                "journal": loaded.config.journal.model_copy(
                    update={"enabled": not args.no_journal}
                ),
            }
        )
    except ValidationError as exc:
        raise format_validation_error(Path("command line"), exc, ("hooks",)) from None
    if args.journal is not None and args.no_journal:
        raise UsageError("--journal and --no-journal: choose one")
    config = with_journal_file(config, args.journal)
    if args.icws or args.icws_user or args.icws_password_env:
        if not (args.icws and args.icws_user and args.icws_password_env):
            raise UsageError("--icws needs --icws-user and --icws-password-env as well")
        try:
            server = icws_server_from_flags(
                args.icws, args.icws_user, args.icws_password_env,
                queues=args.icws_queue, user_statuses=args.icws_user_status,
            )  # fmt: skip
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        config = config.model_copy(update={"icws": [*config.icws, server]})
    query = None
    if args.filter:
        try:
            query = compile_query(args.filter)
        except QueryError as exc:
            print(f"noc-console tail: --filter: {exc}", file=sys.stderr)
            return EXIT_USAGE
    try:
        # The stream itself, not the guarded one: a closed pipe must reach the printer, which
        # then stops the listener (tail would otherwise serve on, printing to nobody).
        out = unguarded_stdout()
        return asyncio.run(run_tail(config, jsonl=args.jsonl, query=query, out=out))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def tail_feed_command(args: argparse.Namespace) -> int:
    """``tail --feed``: the stream's events printed as the listener's would be."""
    from tui.cli.feed_option import feed_board, feed_nats, start_at
    from tui.core.problems import UsageError
    from tui.core.query import QueryError, compile_query
    from tui.services import Services

    listening = ("listen", "mode", "upstream", "icws", "icws_user", "icws_password_env")
    given = [name for name in listening if getattr(args, name, None)]
    if given or args.journal is not None:
        flag = "--" + (given[0] if given else "journal").replace("_", "-")
        raise UsageError(f"{flag}: tail --feed reads the stream; it does not listen or journal")
    config = load(args.config).config
    nats = feed_nats(args, config)
    assert nats is not None
    query = None
    if args.filter:
        try:
            query = compile_query(args.filter)
        except QueryError as exc:
            raise UsageError(f"--filter: {exc}") from None
    services = Services.for_feed(
        config, feed_board(config), nats, start=start_at(args, config, FEED_SINCE),
        query=args.filter or "",
    )  # fmt: skip
    try:
        out = unguarded_stdout()
        return asyncio.run(run_tail_feed(services, jsonl=args.jsonl, query=query, out=out))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


LAG_REPORT_S = 5.0
"""How often, at most, ``tail --feed`` says on stderr that it reads behind the stream."""


async def run_tail_feed(
    services: Services, *, jsonl: bool, query: Query | None, out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:  # fmt: skip
    """Print the stream's events until stopped; says on stderr where it reads, when it falls
    behind and when it cannot read."""
    feed = services.feed
    assert feed is not None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    printer = Printer(out, jsonl=jsonl, query=query, on_closed=stop.set, schedule=loop.call_soon)
    services.store.listeners.append(printer)
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await services.start()
    utc = services.config.ui.clock_utc
    where = f"{feed.endpoint} ({feed.subject}) from {feed.start_at.describe(utc)}"
    if services.feed_problem:
        print(f"noc-console tail: {services.feed_problem}; trying again to read {where}",
              file=err)  # fmt: skip
    else:
        print(f"noc-console tail: reading {where}; Ctrl+C stops", file=err)
    await until_stopped(stop, services, printer, _watch_feed(services, err))
    return 0


async def _watch_feed(services: Services, err: TextIO, interval: float = 1.0) -> None:
    """Say on stderr when the feed's link changes (NATS away, back) and, every
    :data:`LAG_REPORT_S` at most, when it reads behind the stream."""
    from tui.net.nats.consumer import FEED_SOURCE

    feed = services.feed
    assert feed is not None
    link = services.board.get(FEED_SOURCE)
    last_state, was_behind, next_lag = link.state, False, 0.0
    loop = asyncio.get_running_loop()
    while True:
        await asyncio.sleep(interval)
        link = services.board.get(FEED_SOURCE)
        if link.state is not last_state:
            last_state = link.state
            print(f"noc-console tail: {link.state.value}: {link.detail}", file=err)
        if loop.time() < next_lag:
            continue
        next_lag = loop.time() + LAG_REPORT_S
        lag = feed.lag()
        if lag.behind:
            print(f"noc-console tail: {lag.pending:,} events behind the stream "
                  f"({lag.age_s:.1f} s)", file=err)  # fmt: skip
        elif was_behind:
            print("noc-console tail: caught up with the stream", file=err)
        was_behind = lag.behind


def human_line(event: FeedEvent) -> str:
    moment = datetime.fromtimestamp(event.ts, UTC).strftime("%H:%M:%S.%f")[:-3]
    node = event.node.rpartition("@")[2] or event.node
    ident = event.call or event.stream or event.media or event.queue or event.user or event.session
    reply = f"{event.reply_status} {event.latency_ms:.1f}ms" if event.reply_status else ""
    parts = [moment, event.source, node, event.method, event.status, ident, reply, event.info]
    if event.rule:
        parts.append(f"rule={event.rule}")
    return "  ".join(p for p in parts if p)


class Printer:
    """Prints each published event that passes the filter; stops quietly on a closed pipe.

    Lines wait in a list until :meth:`flush`, which writes them in one call and flushes: a
    write and a flush per line were most of tail's cost. ``schedule`` (the loop's
    ``call_soon``) runs the flush as soon as the work that printed the first waiting line is
    done: a drained batch of hooks goes out in one write, a lone event at once."""

    def __init__(
        self,
        out: TextIO,
        *,
        jsonl: bool,
        query: Query | None,
        on_closed: Callable[[], None],
        schedule: Callable[[Callable[[], None]], object] | None = None,
    ) -> None:
        self.out = out
        self.jsonl = jsonl
        self.query = query
        self.on_closed = on_closed
        self.schedule = schedule
        self.closed = False
        self._lines: list[str] = []

    def __call__(self, event: FeedEvent) -> None:
        if self.closed or (self.query is not None and not self.query(as_row(event))):
            return
        # event_line is the text of json.dumps(event.to_json(), ensure_ascii=False), faster.
        self._lines.append(event_line(event) if self.jsonl else human_line(event))
        if len(self._lines) == 1 and self.schedule is not None:
            self.schedule(self.flush)

    def flush(self) -> None:
        """Write the lines waiting, then flush."""
        if self.closed:
            self._lines.clear()
            return
        lines, self._lines = self._lines, []
        try:
            if lines:
                self._write(lines)
            self.out.flush()
        except OSError as exc:
            if not reader_gone(exc, self.out):
                raise
            self.closed = True
            self.on_closed()

    def _write(self, lines: list[str]) -> None:
        try:
            self.out.write("\n".join(lines) + "\n")
        except UnicodeEncodeError:  # text the terminal's encoding cannot take: escaped
            encoding = getattr(self.out, "encoding", None) or "utf-8"
            for line in lines:
                safe = line.encode(encoding, "backslashreplace").decode(encoding)
                self.out.write(safe + "\n")


class JournalWatch:
    """Says on stderr, once a second at most, when events stop reaching the journal."""

    def __init__(self, services: Services, err: TextIO) -> None:
        self.services = services
        self.err = err
        self._reported = 0

    async def run(self, interval: float = 1.0) -> None:
        while True:
            await asyncio.sleep(interval)
            self.report()

    def report(self) -> None:
        lost = self.services.not_journalled + self.services.answered_early
        if lost > self._reported:
            self._reported = lost
            print(f"noc-console tail: {self.services.journal_problem()}", file=self.err)


async def run_tail(
    config: AppConfig, *, jsonl: bool, query: Query | None, out: TextIO = sys.stdout
) -> int:
    from tui.config import sources_from_config
    from tui.services import Services

    board = SourceBoard(sources_from_config(config))
    services = Services(config, board, mode="tail")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    printer = Printer(out, jsonl=jsonl, query=query, on_closed=stop.set, schedule=loop.call_soon)
    services.store.listeners.append(printer)
    watch = JournalWatch(services, sys.stderr)
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await services.start()
    if services.hooks is None:
        for problem in services.problems:
            print(f"noc-console tail: {problem}", file=sys.stderr)
        await services.stop()
        return 2
    print(f"noc-console tail: listening on {services.hook_url} ({config.hooks.mode} mode); "
          "Ctrl+C stops", file=sys.stderr)  # fmt: skip
    try:
        await until_stopped(stop, services, printer, watch.run())
    finally:
        watch.report()
        if summary := services.exit_summary():
            print(summary, file=sys.stderr)
    return 0


async def until_stopped(
    stop: asyncio.Event, services: Services, printer: Printer, watching: Coroutine[Any, Any, None]
) -> None:
    """Watch (a journal, a feed) until ``stop`` is set, then stop the services and print the
    last lines."""
    watcher = asyncio.create_task(watching, name="tail-watch")
    try:
        await stop.wait()
    finally:
        watcher.cancel()
        await services.stop()
        printer.flush()
