"""What runs behind the screens: the store and journal, the hook listener, and in demo mode the
simulators. The Textual app and the headless ``tail`` both use this, so live and headless behave
the same.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tui.config import AppConfig
from tui.core.feed import SEV_ERROR, SOURCE_CONSOLE, blank_event
from tui.core.handoff import Handoff
from tui.core.icws_state import IcwsState
from tui.core.journal import Journal
from tui.core.sources import LinkState, SourceBoard
from tui.core.store import FeedStore
from tui.paths import data_dir

if TYPE_CHECKING:
    from tui.net.hooks.service import HookService
    from tui.net.hooks.threaded import HookThread
    from tui.net.icws import IcwsFleet

log = logging.getLogger(__name__)


def journal_path(config: AppConfig, mode: str) -> Path:
    folder = config.journal.dir or data_dir() / "journals"
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return folder / f"{stamp}-{mode}-{os.getpid()}.sqlite"


def prune_journals(folder: Path, keep: int) -> None:
    """Keep the newest ``keep`` journals (and their WAL side files)."""
    journals = sorted(folder.glob("*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in journals[keep:]:
        for path in (old, old.with_suffix(".sqlite-wal"), old.with_suffix(".sqlite-shm")):
            path.unlink(missing_ok=True)


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
            path = journal_path(config, mode)
            self.journal = Journal(path)
        self.store = FeedStore(config.feed.buffer_size, journal=self.journal)
        # Network modules are imported on start: they are not on the first frame's path.
        self.hooks: HookService | None = None
        self.icws_state = IcwsState()
        self.icws: IcwsFleet | None = None
        self.hook_port = hook_port
        # With a UI, the listener runs on its own thread and hands events over (see
        # tui.net.hooks.threaded); the owner calls drain() on its clock.
        self.handoff: Handoff | None = Handoff() if hook_thread else None
        self._hook_thread: HookThread | None = None
        self.problems: list[str] = []
        self.started_at = time.time()

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
        if self.journal is not None:
            try:
                self.journal.open({"mode": self.mode, "started": datetime.now(UTC).isoformat()})
                prune_journals(self.journal.path.parent, self.config.journal.keep_files)
            except OSError as exc:
                self.journal = None
                self.store.journal = None
                self.console_error(
                    "journal", f"journal disabled: cannot write {exc.filename}: {exc.strerror}"
                )
        await self.start_hooks()
        self.start_icws()

    def start_icws(self) -> None:
        """One client per configured ICWS server, each logging in and reading on its own."""
        if not self.config.icws:
            return
        from tui.net.icws import IcwsFleet

        self.icws = IcwsFleet(self.config.icws, self.store, self.board, self.icws_state)
        self.icws.start()

    async def start_hooks(self) -> None:
        from tui.net.hooks.service import HookService, HookSetupError

        publish = self.handoff.publish if self.handoff is not None else self.store.publish
        try:
            service = HookService(self.config.hooks, publish, board=self.board, port=self.hook_port)
        except HookSetupError as exc:
            self.board.set_state("hooks", LinkState.DOWN, str(exc))
            self.console_error("hooks", str(exc))
            return
        try:
            if self.handoff is not None:
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
        """Take the hook thread's events into the store (call it on the owner's clock)."""
        return self.handoff.drain_into(self.store) if self.handoff is not None else 0

    async def stop(self) -> None:
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
        self.drain()
        if self.journal is not None:
            self.journal.close()

    @property
    def hook_url(self) -> str | None:
        return self.hooks.url if self.hooks is not None else None
