"""Holding a hook's reply until its journal row is committed.

The journal's writer thread reports each committed batch ("every seq up to N is settled; these
were lost"); the gate turns that into futures on the listener's event loop, one cross-thread
wake-up per batch however many hooks it carried. A journal slower than ``timeout_s`` does not
hold replies past it (WCS gives up on its backend after 15 s and may fail the call): such
replies go out, and are counted as answered before their commit. One timer sweeps the waits
past that timeout (a timer per hook costs more than the rest of the wait), so a reply may wait
up to a tenth of the timeout longer.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque

from tui.core.journal import Journal
from tui.core.store import Submitted

_RECENT_LOST = 4096
SWEEPS_PER_TIMEOUT = 10


class JournalGate:
    """Waits on the listener's loop for a seq to be on disk."""

    def __init__(self, journal: Journal, *, timeout_s: float = 5.0) -> None:
        self.journal = journal
        self.timeout_s = timeout_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: deque[tuple[int, asyncio.Future[bool]]] = deque()
        self._deadlines: deque[tuple[float, asyncio.Future[bool]]] = deque()
        self._sweep: asyncio.TimerHandle | None = None
        self._settled_upto = 0
        self._lost: deque[int] = deque(maxlen=_RECENT_LOST)
        self.late = 0  # replies sent before their commit because the journal was too slow
        journal.listeners.append(self._on_commit)

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """The loop the listener runs on (its futures live there)."""
        self._loop = loop

    def close(self) -> None:
        if self._on_commit in self.journal.listeners:
            self.journal.listeners.remove(self._on_commit)
        self._release(1 << 62, ())
        if self._sweep is not None:
            self._sweep.cancel()
            self._sweep = None

    async def hold(self, submitted: Submitted) -> bool:
        """Hold a reply for what settles ``submitted``: its commit (nothing, if the journal
        has already refused it)."""
        return await self.wait(submitted.seq) if submitted.journalled else False

    async def wait(self, seq: int) -> bool:
        """True once ``seq`` is committed; False if it was lost or the wait timed out."""
        loop = self._loop
        if loop is None:  # not bound: the loop of the first wait is the listener's
            loop = self._loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._waiting.append((seq, future))
        # The writer may have settled this seq before the future was queued: look again.
        if seq <= self._settled_upto:
            self._release(self._settled_upto, ())
            if future.done():
                return future.result()
        self._deadlines.append((time.monotonic() + self.timeout_s, future))
        if self._sweep is None:
            self._sweep = loop.call_later(self.timeout_s / SWEEPS_PER_TIMEOUT, self._sweep_late)
        return await future

    def _sweep_late(self) -> None:
        """Let the replies go that waited past ``timeout_s`` (counted in :attr:`late`)."""
        self._sweep = None
        now = time.monotonic()
        deadlines = self._deadlines
        while deadlines and (deadlines[0][1].done() or deadlines[0][0] <= now):
            future = deadlines.popleft()[1]
            if not future.done():
                self.late += 1
                future.set_result(False)
        waiting = self._waiting
        while waiting and waiting[0][1].done():  # answered already: no need to keep them
            waiting.popleft()
        loop = self._loop
        if deadlines and loop is not None and not loop.is_closed():
            self._sweep = loop.call_later(self.timeout_s / SWEEPS_PER_TIMEOUT, self._sweep_late)

    # -- the writer thread's side -------------------------------------------------------------

    def _on_commit(self, upto: int, lost: tuple[int, ...]) -> None:
        if lost:
            self._lost.extend(lost)
        self._settled_upto = upto
        loop = self._loop
        if self._waiting and loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self._release, upto, lost)

    # -- the loop's side ----------------------------------------------------------------------

    def _release(self, upto: int, lost: tuple[int, ...]) -> None:
        waiting = self._waiting
        failed = set(self._lost).union(lost) if self._lost or lost else ()
        while waiting and waiting[0][0] <= upto:
            seq, future = waiting.popleft()
            if not future.done():
                future.set_result(seq not in failed)
