"""``noc-console tail``: the same hook listener (and sources) without the UI, one line per event.

For scripts, ``jq`` and on-call boxes without a big terminal. ``--jsonl`` prints one JSON object
per event; otherwise a compact line like the feed's. Ends cleanly on Ctrl+C / SIGTERM and when
the reader of a pipe goes away.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TextIO

from tui.config import AppConfig, sources_from_config
from tui.core.feed import FeedEvent, as_row
from tui.core.query import Query
from tui.core.sources import SourceBoard
from tui.services import Services


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
    """Prints each published event that passes the filter; stops quietly on a closed pipe."""

    def __init__(
        self, out: TextIO, *, jsonl: bool, query: Query | None, on_closed: Callable[[], None]
    ) -> None:
        self.out = out
        self.jsonl = jsonl
        self.query = query
        self.on_closed = on_closed
        self.closed = False

    def __call__(self, event: FeedEvent) -> None:
        if self.closed or (self.query is not None and not self.query(as_row(event))):
            return
        line = json.dumps(event.to_json(), ensure_ascii=False) if self.jsonl else human_line(event)
        try:
            try:
                self.out.write(line + "\n")
            except UnicodeEncodeError:  # text the terminal's encoding cannot take: escaped
                encoding = getattr(self.out, "encoding", None) or "utf-8"
                safe = line.encode(encoding, "backslashreplace").decode(encoding)
                self.out.write(safe + "\n")
        except BrokenPipeError:
            self.closed = True
            self.on_closed()

    def flush(self) -> None:
        """Once per drained batch, not per line (a flush per line was most of tail's cost)."""
        if self.closed:
            return
        try:
            self.out.flush()
        except BrokenPipeError:
            self.closed = True
            self.on_closed()


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
    board = SourceBoard(sources_from_config(config))
    services = Services(config, board, mode="tail")
    stop = asyncio.Event()
    printer = Printer(out, jsonl=jsonl, query=query, on_closed=stop.set)
    services.store.listeners.append(printer)
    services.after_drain.append(printer.flush)
    watch = JournalWatch(services, sys.stderr)
    loop = asyncio.get_running_loop()
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
    watcher = asyncio.create_task(watch.run(), name="journal-watch")
    try:
        await stop.wait()
    finally:
        watcher.cancel()
        await services.stop()
        printer.flush()
        watch.report()
        if summary := services.exit_summary():
            print(summary, file=sys.stderr)
    return 0
