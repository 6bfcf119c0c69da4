"""Every configured ICWS server's client, started and stopped together.

The console app and ``noc-console tail`` both need the same thing: one client per
``[[icws]]`` entry, all feeding one sink, one source board and one state model, run as
tasks on the current loop, and closed cleanly (subscriptions and sessions deleted) at exit.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

from tui.config import IcwsServer
from tui.core.feed import EventSink
from tui.core.icws_state import IcwsState
from tui.core.sources import SourceBoard
from tui.net.icws.client import IcwsClient


class IcwsFleet:
    """The clients of a config; ``start()`` on a running loop, ``await aclose()`` at exit."""

    def __init__(
        self,
        servers: Sequence[IcwsServer],
        sink: EventSink,
        board: SourceBoard,
        state: IcwsState,
    ) -> None:
        self.clients = [IcwsClient(server, sink, board, state) for server in servers]
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        if self._tasks:
            return
        self._tasks = [
            asyncio.create_task(client.run(), name=f"icws:{client.name}") for client in self.clients
        ]

    def client(self, name: str) -> IcwsClient:
        for client in self.clients:
            if client.name == name:
                return client
        raise KeyError(name)

    async def aclose(self) -> None:
        """Close every client (each lets its poll in flight deliver, then logs out)."""
        await asyncio.gather(*(client.aclose() for client in self.clients), return_exceptions=True)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
