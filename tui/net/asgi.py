"""HTTP serving shared by the hook endpoint and the simulators: ASGI plumbing and embedded uvicorn.

The app side (bare ASGI callables, no framework): the ASGI types, :func:`read_body` (a request
body within a byte limit and, if asked, a deadline) and :func:`send_response` /
:func:`send_json` (a whole answer with its length).

The server side: :class:`EmbeddedServer` is uvicorn run inside the caller's event loop. The
caller owns the process (Textual, the headless ``tail``, a test, the simulators' thread), so
the server installs no signal handlers and logs nothing to stderr (uvicorn's loggers get a
NullHandler and propagate into whatever logging the process has set up). Sockets are bound up
front with :func:`bind_tcp`, so "port in use" is an immediate error the caller can explain,
and :meth:`EmbeddedServer.start` returns once the server accepts connections. A
:class:`Listener` may take over accepting the connections (the hook listener does).
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Awaitable, Callable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

import uvicorn

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = Sequence[tuple[bytes, bytes]]

JSON = b"application/json"

for _name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
    _logger = logging.getLogger(_name)
    _logger.propagate = True  # into the console's log file when one is set up
    _logger.addHandler(logging.NullHandler())  # never the last-resort handler (stderr)


# -- the app side ---------------------------------------------------------------------------


class RequestBodyTooLarge(Exception):
    """More than ``limit`` bytes of body arrived (``size`` counts what came so far)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"body of {size:,} bytes is over the {limit:,}-byte limit")
        self.size = size
        self.limit = limit


class ClientGone(Exception):
    """The client closed the connection before its body was in."""


async def read_body(receive: Receive, *, limit: int, deadline: float | None = None) -> bytes:
    """The request body, whole; :class:`RequestBodyTooLarge` as soon as it passes ``limit`` bytes.

    ``deadline`` (event-loop time) bounds the reads after the first: past it, TimeoutError.
    The first read has no timer, so a body that arrives with its head (a hook, nearly always)
    costs none; a server that wakes a late first read itself (the hook listener's protocol
    does, at its body timeout) makes the deadline hold for that read too.
    """
    first = await receive()
    if first["type"] != "http.request":
        raise ClientGone
    body: bytes = first.get("body", b"")
    if len(body) > limit:
        raise RequestBodyTooLarge(len(body), limit)
    if not first.get("more_body", False):
        return body
    chunks = [body]
    size = len(body)
    async with asyncio.timeout_at(deadline):
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise ClientGone
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise RequestBodyTooLarge(size, limit)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
    return b"".join(chunks)


async def send_response(
    send: Send,
    status: int,
    body: bytes,
    *,
    content_type: bytes = JSON,
    headers: Headers = (),
    close: bool = False,
) -> None:
    """Answer in one go: content type, length, ``headers``, then the body.

    ``close`` asks the server to end the connection after this answer.
    """
    head = [(b"content-type", content_type), (b"content-length", b"%d" % len(body)), *headers]
    if close:
        head.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": head})
    await send({"type": "http.response.body", "body": body})


def json_bytes(value: Any) -> bytes:
    """``value`` as compact JSON."""
    return json.dumps(value, separators=(",", ":")).encode()


async def send_json(
    send: Send,
    status: int,
    value: Any,
    *,
    content_type: bytes = JSON,
    headers: Headers = (),
) -> None:
    """Answer with ``value`` as compact JSON."""
    await send_response(send, status, json_bytes(value), content_type=content_type, headers=headers)


# -- the server side ------------------------------------------------------------------------


def bind_tcp(
    host: str, port: int, *, backlog: int, reuse_port: bool = False, listen: bool = True
) -> socket.socket:
    """A listening, non-blocking TCP socket on ``host:port`` (port 0 picks a free one).

    ``reuse_port``: the port is shared with the other sockets that ask for it (the same user's
    only; the kernel spreads new connections over the listening ones). ``listen=False`` binds
    without listening: the port stays taken for the group, and no connection comes here.
    Raises OSError as ``bind`` does (``errno`` EADDRINUSE for a port in use).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say they are TCP;
    # without it every reply waits ~40 ms for a delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    if listen:
        sock.listen(backlog)
    sock.setblocking(False)
    return sock


def embedded_config(
    app: ASGIApp,
    *,
    http: str = "httptools",
    tls: tuple[str, str] | None = None,
    **options: Any,
) -> uvicorn.Config:
    """uvicorn's config for serving ``app`` inside someone else's loop.

    No logging config and no access log, no lifespan, no websockets; ``tls`` is (certificate
    file, key file) for HTTPS; ``options`` are uvicorn's own (timeouts, headers …).
    """
    return uvicorn.Config(
        app,
        interface="asgi3",
        http=http,
        ws="none",
        loop="none",
        lifespan="off",
        log_config=None,
        access_log=False,
        ssl_certfile=tls[0] if tls else None,
        ssl_keyfile=tls[1] if tls else None,
        **options,
    )


class ServerStartError(RuntimeError):
    """The server ended before it accepted connections; the message says why."""


class Listener(Protocol):
    """Accepts a server's connections itself, instead of ``loop.create_server``."""

    def start(self, server: EmbeddedServer, sockets: Sequence[socket.socket]) -> None:
        """Start accepting on ``sockets``; make protocols from ``server``'s config and state."""
        ...

    def close(self) -> None:
        """Stop accepting (uvicorn then lets the open connections finish)."""
        ...

    async def wait_closed(self) -> None:
        """Wait for what the listener itself still has running."""
        ...


class EmbeddedServer(uvicorn.Server):
    """uvicorn serving in the running event loop: no signal handlers, started and stopped
    by the caller (:meth:`start`, :meth:`stop`), optionally accepting through a listener."""

    def __init__(self, config: uvicorn.Config, *, listener: Listener | None = None) -> None:
        super().__init__(config)
        self.listener = listener
        self.task: asyncio.Task[None] | None = None

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # the process's owner handles signals

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        if self.listener is None:
            await super().startup(sockets)
            return
        self.servers = []  # nothing for uvicorn to close: the listener closes its own
        self.listener.start(self, sockets or [])
        self.started = True

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.listener is not None:
            self.listener.close()
        await super().shutdown(sockets)
        if self.listener is not None:
            await self.listener.wait_closed()

    async def start(self, sock: socket.socket, *, name: str = "http-server") -> None:
        """Serve ``sock`` in the running loop; return once connections are accepted."""
        task = self.task = asyncio.create_task(self.serve(sockets=[sock]), name=name)
        while not self.started:
            if task.done():
                error: BaseException | str = (
                    "cancelled" if task.cancelled() else task.exception() or "ended"
                )
                raise ServerStartError(f"{name} stopped at start: {error}")
            await asyncio.sleep(0.005)

    async def stop(self, timeout: float) -> None:
        """Stop accepting, give open requests up to ``timeout`` seconds, then cancel."""
        task = self.task
        if task is None:
            return
        self.should_exit = True
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=timeout)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
        self.task = None
