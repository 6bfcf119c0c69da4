"""Running the hook endpoint: uvicorn embedded in the caller's event loop.

The app (Textual or the headless ``tail``) owns the process: this server installs no signal
handlers and logs nothing to stderr (Textual draws the screen there). Binding happens up front so
that "port in use" is an immediate, explained error.

uvicorn parses and answers; the listener accepts the connections itself
(:mod:`tui.net.hooks.accept`) and runs each with the limits of :mod:`tui.net.hooks.protocol`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn

from tui.net.hooks.accept import Acceptor
from tui.net.hooks.app import HookApp
from tui.net.hooks.connections import ConnectionRegistry
from tui.net.hooks.limits import ConnectionLimits, connection_cap, open_files_limit
from tui.net.hooks.protocol import LimitedHttpToolsProtocol, ListenerGuard
from tui.net.hooks.refusals import RefusalDigest

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # never the last-resort handler (stderr)

for _name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
    _logger = logging.getLogger(_name)
    _logger.propagate = True  # into the console's log file when one is set up
    _logger.addHandler(logging.NullHandler())


class _EmbeddedServer(uvicorn.Server):
    """uvicorn's server without signal handlers, accepting through :class:`Acceptor`."""

    def __init__(self, config: uvicorn.Config, guard: ListenerGuard, app: HookApp) -> None:
        super().__init__(config)
        self.guard = guard
        self.hook_app = app
        self.acceptors: list[Acceptor] = []

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        config, guard = self.config, self.guard
        loop = asyncio.get_running_loop()

        def create_protocol() -> asyncio.Protocol:
            return LimitedHttpToolsProtocol(
                config, self.server_state, self.lifespan.state, loop, guard=guard
            )

        self.servers = []  # nothing for uvicorn to close: the acceptors are closed below
        for sock in sockets or ():
            acceptor = Acceptor(
                sock, create_protocol, allow_from=self.hook_app.settings.allow_from,
                registry=guard.registry, refusals=guard.refusals,
            )  # fmt: skip
            acceptor.start()
            self.acceptors.append(acceptor)
        self.started = True

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for acceptor in self.acceptors:
            acceptor.close()
        await super().shutdown(sockets)
        for acceptor in self.acceptors:
            await acceptor.wait_closed()
        self.guard.refusals.flush()


class BindError(OSError):
    """The listener could not bind; the message says where and what to try."""


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say they are TCP;
    # without it every reply waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        hint = (
            "another program (or another noc-console) is listening there; set [hooks] port"
            if exc.errno in (98, 48)
            else "check [hooks] bind"
        )
        raise BindError(
            exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}; {hint}"
        ) from None
    sock.listen(2048)
    sock.setblocking(False)
    return sock


class HookServer:
    """Serves a :class:`HookApp` on ``host:port`` inside the running event loop."""

    def __init__(self, app: HookApp, host: str, port: int) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: _EmbeddedServer | None = None
        self._task: asyncio.Task[None] | None = None
        self.guard: ListenerGuard | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def _guard(self, loop: asyncio.AbstractEventLoop) -> ListenerGuard:
        settings = self.app.settings
        open_files = open_files_limit()
        cap = connection_cap(settings.max_connections, open_files)
        if cap < settings.max_connections:
            log.info(
                "hook listener: at most %d connections (hooks.max_connections %d, open-files "
                "limit %d)", cap, settings.max_connections, open_files,
            )  # fmt: skip
        limits = ConnectionLimits(
            max_connections=cap,
            max_header_bytes=settings.max_header_bytes,
            header_timeout_s=settings.header_timeout_s,
            body_timeout_s=settings.body_timeout_s,
            keep_alive_s=settings.keep_alive_s,
        )
        refusals = RefusalDigest(self.app.sink.submit, loop.call_later)
        return ListenerGuard(limits, ConnectionRegistry(cap), refusals)

    async def start(self) -> None:
        sock = bind(self.host, self.port)
        self.port = int(sock.getsockname()[1])
        self.guard = guard = self._guard(asyncio.get_running_loop())
        config = uvicorn.Config(
            self.app,
            interface="asgi3",
            http="httptools",  # made by _EmbeddedServer.startup: LimitedHttpToolsProtocol
            ws="none",  # hooks are plain HTTP: no upgrade to websockets
            loop="none",
            lifespan="off",
            log_config=None,
            access_log=False,
            timeout_keep_alive=guard.limits.keep_alive_s,  # type: ignore[arg-type]  # float is fine
            proxy_headers=False,  # the peer address is the sender's (allow_from checks it)
            server_header=False,
            date_header=False,
            timeout_graceful_shutdown=2,
        )
        server = _EmbeddedServer(config, guard, self.app)
        self._server = server
        self._task = asyncio.create_task(server.serve(sockets=[sock]), name="hook-server")
        while not server.started:
            if self._task.done():
                error: Any = self._task.exception()
                raise BindError(0, f"hook server stopped at start: {error}")
            await asyncio.sleep(0.005)

    async def stop(self) -> None:
        if self._server is None or self._task is None:
            return
        self._server.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=5)
        except (TimeoutError, asyncio.CancelledError):
            self._task.cancel()
        self._server = None
        self._task = None
