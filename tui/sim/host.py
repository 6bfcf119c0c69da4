"""A background thread with its own asyncio loop that hosts simulators.

Simulators are real HTTP servers (ASGI apps served by uvicorn on 127.0.0.1) and real HTTP
clients (the WCS simulator posts hooks). Running them on their own loop keeps them independent
of the console's event loop: a UI stall does not stall the "remote" systems, as in real life.
Used by the demo, by tests (sync or async) and by benchmarks.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Future
from types import TracebackType
from typing import Any, Self

import uvicorn

log = logging.getLogger(__name__)

ASGIApp = Callable[..., Awaitable[None]]


class _QuietServer(uvicorn.Server):
    """uvicorn that leaves signal handling to the host process."""

    @contextlib.contextmanager
    def capture_signals(self):  # type: ignore[no-untyped-def]
        yield


def bind_loopback(port: int = 0, host: str = "127.0.0.1") -> socket.socket:
    """A listening TCP socket on loopback; port 0 picks a free one."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # for TCP_NODELAY
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


class SimHost:
    """Owns one event loop in a daemon thread; serves ASGI apps and runs client tasks on it."""

    def __init__(self, name: str = "sim-host") -> None:
        self.name = name
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._servers: list[_QuietServer] = []
        self._tasks: list[Future[Any]] = []
        self._server_tasks: list[asyncio.Task[None]] = []
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
        config = uvicorn.Config(
            app,
            interface="asgi3",
            http="httptools",
            log_config=None,
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            ssl_certfile=tls[0] if tls else None,
            ssl_keyfile=tls[1] if tls else None,
        )
        server = _QuietServer(config)
        self._servers.append(server)
        started = threading.Event()

        async def run() -> None:
            task = asyncio.ensure_future(server.serve(sockets=[sock]))
            self._server_tasks.append(task)
            while not server.started and not task.done():
                await asyncio.sleep(0.005)
            started.set()

        self.call(run())
        if not started.is_set() or not server.started:
            raise RuntimeError(f"simulator {name} did not start on 127.0.0.1:{port}")
        port_bound = sock.getsockname()[1]
        return f"{'https' if tls else 'http'}://127.0.0.1:{port_bound}"

    def stop(self, timeout: float = 5.0) -> None:
        """Close the servers (open requests may finish), cancel the rest, end the thread."""
        if not self._started:
            return

        async def shutdown() -> None:
            for server in self._servers:
                server.should_exit = True
            serving = [t for t in self._server_tasks if not t.done()]
            others = [
                t
                for t in asyncio.all_tasks()
                if t is not asyncio.current_task() and t not in serving
            ]
            for task in others:
                task.cancel()
            if serving:
                _, late = await asyncio.wait(serving, timeout=timeout)
                for task in late:
                    task.cancel()
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
