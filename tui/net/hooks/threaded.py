"""The hook listener on a thread of its own, beside an interactive UI.

Inside Textual's loop, every frame (10–20 ms of Python on this class of machine) would hold up
the replies of the hooks that arrive meanwhile; on its own thread and loop the listener gets the
interpreter back within the switch interval, so a frame never sits in a reply's path. Events reach
the UI through the store's thread-safe ``submit`` (the UI drains them on its clock); the source
board is thread-safe; policy rules are plain attributes the UI flips. The headless ``tail`` has
no frames to draw and runs the listener on its main loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading

from tui.net.hooks.service import HookService

SWITCH_INTERVAL_S = 0.001


class HookThread:
    """Runs a :class:`HookService` on a daemon thread with its own event loop."""

    def __init__(self, service: HookService, name: str = "hook-server") -> None:
        self.service = service
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    async def start(self) -> None:
        """Start the thread and the listener on it; listener errors come back here."""
        # Hand the interpreter over every 1 ms instead of 5: a reply waiting for the UI thread
        # then waits at most about that long (measured: p99 at 3,000 hooks/s halved).
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self.service.start(), self._loop)
        try:
            await asyncio.wrap_future(future)
        except BaseException:
            await self._end_thread()
            raise

    async def stop(self) -> None:
        future = asyncio.run_coroutine_threadsafe(self.service.stop(), self._loop)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.wrap_future(future), timeout=6)
        await self._end_thread()

    async def _end_thread(self) -> None:
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        await asyncio.to_thread(self._thread.join, 5)
        if not self._thread.is_alive():
            self._loop.close()
