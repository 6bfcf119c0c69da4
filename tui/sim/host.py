"""A background thread with its own asyncio loop that hosts simulators.

Simulators are real HTTP servers (ASGI apps served by uvicorn on 127.0.0.1) and real HTTP
clients (the WCS simulator posts hooks). Running them on their own loop keeps them independent
of the console's event loop: a UI stall does not stall the "remote" systems, as in real life.
Used by the demo, by tests (sync or async) and by benchmarks.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from types import TracebackType
from typing import Any, Self

from tui.net.asgi import (
    ASGIApp,
    EmbeddedServer,
    ServerStartError,
    bind_tcp,
    embedded_config,
)
from tui.sim.asgi import answering_body_errors

log = logging.getLogger(__name__)


def bind_loopback(port: int = 0, host: str = "127.0.0.1") -> socket.socket:
    """A listening TCP socket on loopback; port 0 picks a free one."""
    return bind_tcp(host, port, backlog=1024)


class SimHost:
    """Owns one event loop in a daemon thread; serves ASGI apps and runs client tasks on it."""

    def __init__(self, name: str = "sim-host") -> None:
        self.name = name
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._servers: list[EmbeddedServer] = []
        self._tasks: list[Future[Any]] = []
        self._started = False

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_forever()

    def start(self) -> Self:
        if not self._started:
            self._thread.start()
            self._started = True
        return self

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float | None = 10.0) -> Any:
        """Run a coroutine on the host loop and wait for its result (from another thread)."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> Future[Any]:
        """Start a long-running task on the host loop; it is cancelled on :meth:`stop`."""
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        self._tasks.append(future)
        return future

    def serve(
        self,
        app: ASGIApp,
        *,
        port: int = 0,
        name: str = "sim",
        tls: tuple[str, str] | None = None,
    ) -> str:
        """Serve an ASGI app on 127.0.0.1 and return its base URL once it accepts connections.

        ``tls`` is (certificate file, key file): the app is then served over HTTPS.
        """
        sock = bind_loopback(port)
        config = embedded_config(answering_body_errors(app), tls=tls, timeout_graceful_shutdown=1)
        server = EmbeddedServer(config)
        self._servers.append(server)
        try:
            self.call(server.start(sock, name=f"sim-{name}"))
        except ServerStartError as exc:
            raise RuntimeError(f"simulator {name} did not start on 127.0.0.1:{port}") from exc
        port_bound = sock.getsockname()[1]
        return f"{'https' if tls else 'http'}://127.0.0.1:{port_bound}"

    def stop(self, timeout: float = 5.0) -> None:
        """Close the servers (open requests may finish), cancel the rest, end the thread."""
        if not self._started:
            return

        async def shutdown() -> None:
            serving = [s.task for s in self._servers if s.task is not None]
            for server in self._servers:
                server.should_exit = True
            others = [
                t
                for t in asyncio.all_tasks()
                if t is not asyncio.current_task() and t not in serving
            ]
            for task in others:
                task.cancel()
            await asyncio.gather(*(server.stop(timeout) for server in self._servers))
            await asyncio.gather(*serving, *others, return_exceptions=True)

        try:
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout + 2)
        except Exception:  # pragma: no cover - best effort at shutdown
            log.debug("simulator host %s did not shut down cleanly", self.name, exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self._loop.close()
        self._started = False

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
