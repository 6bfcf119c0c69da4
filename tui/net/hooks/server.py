"""Running the hook endpoint: uvicorn embedded in the caller's event loop.

The app (Textual or the headless ``tail``) owns the process: this server installs no signal
handlers and logs nothing to stderr (Textual draws the screen there). Binding happens up front so
that "port in use" is an immediate, explained error.

uvicorn parses and answers; the listener accepts the connections itself
(:mod:`tui.net.hooks.accept`) and runs each with the limits of :mod:`tui.net.hooks.protocol`.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Sequence

from tui.net.asgi import EmbeddedServer, ServerStartError, bind_tcp, embedded_config
from tui.net.hooks.accept import Acceptor
from tui.net.hooks.app import HookApp
from tui.net.hooks.connections import ConnectionRegistry
from tui.net.hooks.limits import ConnectionLimits, connection_cap, open_files_limit
from tui.net.hooks.protocol import LimitedHttpToolsProtocol, ListenerGuard
from tui.net.hooks.refusals import RefusalDigest

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # never the last-resort handler (stderr)


class GuardedListener:
    """Accepts the hook listener's connections through :class:`Acceptor` (allow_from at the
    door, calm when out of descriptors) and runs each with the listener's limits."""

    def __init__(self, guard: ListenerGuard, app: HookApp) -> None:
        self.guard = guard
        self.hook_app = app
        self.acceptors: list[Acceptor] = []

    def start(self, server: EmbeddedServer, sockets: Sequence[socket.socket]) -> None:
        config, guard = server.config, self.guard
        loop = asyncio.get_running_loop()

        def create_protocol() -> asyncio.Protocol:
            return LimitedHttpToolsProtocol(
                config, server.server_state, server.lifespan.state, loop, guard=guard
            )

        for sock in sockets:
            acceptor = Acceptor(
                sock, create_protocol, allow_from=self.hook_app.settings.allow_from,
                registry=guard.registry, refusals=guard.refusals,
            )  # fmt: skip
            acceptor.start()
            self.acceptors.append(acceptor)

    def close(self) -> None:
        for acceptor in self.acceptors:
            acceptor.close()

    async def wait_closed(self) -> None:
        for acceptor in self.acceptors:
            await acceptor.wait_closed()
        self.guard.refusals.flush()


class BindError(OSError):
    """The listener could not bind; the message says where and what to try."""


def bind(host: str, port: int, *, reuse_port: bool = False, listen: bool = True) -> socket.socket:
    try:
        return bind_tcp(host, port, backlog=2048, reuse_port=reuse_port, listen=listen)
    except OSError as exc:
        hint = (
            "another program (or another noc-console) is listening there; set [hooks] port"
            if exc.errno in (98, 48)
            else "check [hooks] bind"
        )
        raise BindError(
            exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}; {hint}"
        ) from None


class HookServer:
    """Serves a :class:`HookApp` on ``host:port`` inside the running event loop."""

    def __init__(self, app: HookApp, host: str, port: int, *, reuse_port: bool = False) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.reuse_port = reuse_port  # the port is shared with the other workers of collect
        self._server: EmbeddedServer | None = None
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
            keep_alive_requests=settings.keep_alive_requests,
        )
        refusals = RefusalDigest(self.app.sink.submit, loop.call_later)
        return ListenerGuard(limits, ConnectionRegistry(cap), refusals)

    async def start(self) -> None:
        sock = bind(self.host, self.port, reuse_port=self.reuse_port)
        self.port = int(sock.getsockname()[1])
        self.guard = guard = self._guard(asyncio.get_running_loop())
        config = embedded_config(
            self.app,
            http="httptools",  # made by GuardedListener: LimitedHttpToolsProtocol
            timeout_keep_alive=guard.limits.keep_alive_s,  # float is fine
            proxy_headers=False,  # the peer address is the sender's (allow_from checks it)
            server_header=False,
            date_header=False,
            timeout_graceful_shutdown=2,
        )
        server = EmbeddedServer(config, listener=GuardedListener(guard, self.app))
        self._server = server
        try:
            await server.start(sock, name="hook-server")
        except ServerStartError as exc:
            raise BindError(0, str(exc)) from None

    async def stop(self) -> None:
        if self._server is None:
            return
        await self._server.stop(timeout=5)
        self._server = None
