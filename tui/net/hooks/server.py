"""Running the hook endpoint: uvicorn embedded in the caller's event loop.

The app (Textual or the headless ``tail``) owns the process: this server installs no signal
handlers and logs nothing to stderr (Textual draws the screen there). Binding happens up front so
that "port in use" is an immediate, explained error.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator
from typing import Any

import uvicorn

from tui.net.hooks.app import HookApp

for _name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
    _logger = logging.getLogger(_name)
    _logger.propagate = True  # into the console's log file when one is set up
    _logger.addHandler(logging.NullHandler())


class _EmbeddedServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


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

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> None:
        sock = bind(self.host, self.port)
        self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self.app,
            interface="asgi3",
            http="httptools",
            loop="none",
            lifespan="off",
            log_config=None,
            access_log=False,
            timeout_keep_alive=30,
            proxy_headers=False,  # the peer address is the sender's (allow_from checks it)
            server_header=False,
            date_header=False,
            timeout_graceful_shutdown=2,
        )
        server = _EmbeddedServer(config)
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
