"""The web front of ``noc-console serve``: an aiohttp application under a base URL.

Routes, all under ``base_url`` and all behind the :class:`~tui.cli.serve_gate.Gate`:

- ``GET {base}``: the page (xterm.js from textual-serve's static files), or 503 when every tab
  is taken;
- ``GET {base}ws``: the websocket of one tab, relayed to its own console process;
- ``GET {base}static/...``: textual-serve's scripts, styles and fonts;
- ``POST {base}login``: the password form (password mode only).

:func:`listen` serves it on a socket within :class:`~tui.cli.serve_limits.ServeLimits`: a cap
on connections, deadlines on request heads and bodies, a bound on their sizes.

Nothing is fetched from outside (the page names only its own static files), the access log
writes paths without their query strings (a token never reaches a log), and every answer says
no-store, no-referrer and no framing.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import textual_serve
from aiohttp import WSMsgType, web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.typedefs import Handler
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from tui.cli.serve_gate import LOGIN_PATH, TOKEN_PARAM, Gate, page, see_other
from tui.cli.serve_limits import ConnectionCap, MalformedRequests, ServeLimits
from tui.cli.serve_tabs import TabLimit, TabProcess

log = logging.getLogger("noc-console.serve")
http_log = logging.getLogger("noc-console.serve.http")  # what aiohttp says of connections
http_log.addFilter(MalformedRequests())

STATIC: Final = Path(textual_serve.__file__).parent / "static"
STOP_GRACE_S = 5.0  # at a stop, a request still being answered (a slow reader's) gets this long
FAILED_PASSWORD_PAUSE_S = 1.0  # slows a guesser down; the operator hardly notices
SECURITY_HEADERS: Final = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}
TABS_KEY: Final = web.AppKey("tabs", TabLimit)


@dataclass(frozen=True)
class ServeSettings:
    """What the front serves: ``argv`` is one tab's console, run with ``env`` added to the
    server's environment and ``drop_env`` removed from it."""

    argv: Sequence[str]
    gate: Gate
    max_tabs: int = 4
    env: Mapping[str, str] = field(default_factory=dict)
    drop_env: Sequence[str] = ()
    title: str = "noc-console"
    limits: ServeLimits = field(default_factory=ServeLimits)

    def __post_init__(self) -> None:
        if self.limits.max_connections <= self.max_tabs:
            raise ValueError("serve: the connection cap must leave room beyond the tabs")

    @property
    def base_url(self) -> str:
        return self.gate.base_url


def normal_base_url(text: str) -> str:
    """``noc``, ``/noc`` and ``/noc/`` are all ``/noc/``; empty is ``/``."""
    parts = [part for part in text.split("/") if part]
    for part in parts:
        if part in (".", "..") or not all(c.isalnum() or c in "-_.~" for c in part):
            raise ValueError(f"--base-url {text!r}: use letters, digits and - _ . ~ between /")
    return "/" + "".join(f"{part}/" for part in parts)


class QuietAccessLogger(AbstractAccessLogger):
    """One line per request: who, method, path (never the query: it may hold the token),
    status, size and time."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        self.logger.info(
            "%s %s %s %s %s %.1fms",
            request.remote,
            request.method,
            request.path,
            response.status,
            response.body_length,
            time * 1000,
        )


def runner_options(limits: ServeLimits) -> dict[str, Any]:
    """How the server's runner logs (one :class:`QuietAccessLogger` line per request, requests
    it cannot parse kept short) and how long and large a request head may be."""
    return {
        "access_log_class": QuietAccessLogger,
        "access_log": logging.getLogger("noc-console.serve.access"),
        "logger": http_log,
        # aiohttp arms this timer when a connection is made and again after each answer, and
        # closes the connection if it fires while no request is being handled: a head that is
        # not complete by then, or an idle keep-alive, ends the connection. Bytes arriving do
        # not re-arm it, so a head sent a byte at a time is cut off all the same.
        "keepalive_timeout": limits.head_timeout_s,
        "max_line_size": limits.max_header_bytes,
        "max_field_size": limits.max_header_bytes,
        "max_headers": limits.max_headers,
    }


def build_app(settings: ServeSettings) -> web.Application:
    """The aiohttp application; its tabs end when it shuts down."""
    front = _Front(settings)
    app = web.Application(
        middlewares=[front.headers, front.guard], client_max_size=settings.limits.max_body_bytes
    )
    app[TABS_KEY] = front.tabs
    base = settings.base_url
    app.router.add_get(base, front.index)
    app.router.add_get(f"{base}ws", front.websocket)
    app.router.add_static(f"{base}static", STATIC)
    app.router.add_post(f"{base}{LOGIN_PATH}", front.login)
    app.on_shutdown.append(front.shutdown)
    return app


@dataclass(frozen=True)
class Listening:
    """The application served on a socket; ``cap`` counts (and caps) its connections."""

    runner: web.AppRunner
    server: asyncio.Server
    cap: ConnectionCap

    @property
    def app(self) -> web.Application:
        return self.runner.app

    @property
    def port(self) -> int:
        return int(self.server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening, close every connection and end every tab's console."""
        self.server.close()
        await self.runner.cleanup()
        with contextlib.suppress(TimeoutError):  # every connection is closed by now
            await asyncio.wait_for(self.server.wait_closed(), 5.0)


async def listen(settings: ServeSettings, listening: socket.socket) -> Listening:
    """Serve the application on the ``listening`` socket within ``settings.limits``.

    aiohttp's ``web.Server`` (``runner.server``) is the protocol factory of every connection;
    the :class:`ConnectionCap` in front of it decides which connections reach it. aiohttp has
    no connection cap of its own, and its sites create their servers out of reach, hence
    ``loop.create_server`` here instead of a ``web.SockSite``."""
    app = build_app(settings)
    runner = web.AppRunner(
        app, handle_signals=False, shutdown_timeout=STOP_GRACE_S, **runner_options(settings.limits)
    )
    await runner.setup()
    assert runner.server is not None  # set up just now
    cap = ConnectionCap(runner.server, settings.limits.max_connections)
    try:
        server = await asyncio.get_running_loop().create_server(cap, sock=listening)
    except BaseException:
        await runner.cleanup()
        raise
    return Listening(runner, server, cap)


class _Front:
    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.gate = settings.gate
        self.tabs = TabLimit(settings.max_tabs)
        self.sockets: set[web.WebSocketResponse] = set()
        self.ending: set[asyncio.Future[None]] = set()

    # -- middlewares ------------------------------------------------------------------------

    @web.middleware
    async def headers(self, request: web.Request, handler: Handler) -> StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            exc.headers.update(SECURITY_HEADERS)
            raise
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
        return response

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> StreamResponse:
        gate = self.gate
        if not request.path.startswith(gate.base_url):
            raise web.HTTPNotFound(text=f"noc-console is served under {gate.base_url}")
        if gate.token_given(request):
            return gate.open_session(request)
        if request.path == gate.login_url and request.method == "POST":
            return await handler(request)
        if not gate.admits(request):
            return gate.refusal()
        if TOKEN_PARAM in request.query and request.path == gate.base_url:
            return see_other(gate.base_url)  # a stale token leaves the address bar
        return await handler(request)

    # -- pages ------------------------------------------------------------------------------

    async def login(self, request: web.Request) -> web.StreamResponse:
        if self.gate.password is None:
            raise web.HTTPNotFound()
        try:
            async with asyncio.timeout(self.settings.limits.body_timeout_s):
                form = await request.post()
        except TimeoutError:
            raise web.HTTPRequestTimeout(text="the form did not arrive in time") from None
        given = form.get("password")
        if isinstance(given, str) and self.gate.password_matches(given):
            return self.gate.open_session(request)
        await asyncio.sleep(FAILED_PASSWORD_PAUSE_S)
        return self.gate.refusal(wrong_password=True)

    async def index(self, request: web.Request) -> web.Response:
        if self.tabs.full:
            return self.full_page()
        return web.Response(text=self.console_page(), content_type="text/html")

    def full_page(self) -> web.Response:
        limit = self.tabs.limit
        body = (
            f"<h1>noc-console: all {limit} tab{'s' if limit != 1 else ''} in use</h1>"
            "<p>Each browser tab runs its own console, and this server runs at most "
            f"{limit} at once (<code>--max-tabs</code>). Close a tab that is open on it, then "
            "reload this page.</p>"
        )
        return web.Response(
            status=503, text=page("noc-console: busy", body), content_type="text/html"
        )

    def console_page(self) -> str:
        base = self.settings.base_url
        static = html.escape(f"{base}static/", quote=True)
        title = html.escape(self.settings.title)
        socket_path = json.dumps(f"{base}ws")  # a JSON string is a JavaScript string
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="{static}css/xterm.css">
<style>
@font-face {{ font-family: "Roboto Mono";
  src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf"); }}
html, body {{ margin: 0; height: 100%; background: #0c181f; color: #e8eef2; }}
#terminal {{ position: absolute; inset: 0; }}
.note {{ position: absolute; inset: 0; display: flex; align-items: center;
  justify-content: center; font: 16px "Roboto Mono", monospace; z-index: 10; }}
body.-first-byte #starting, #ended {{ display: none; }}
body.-closed #ended {{ display: flex; background: #0c181fe0; }}
</style>
<script src="{static}js/textual.js"></script>
</head><body>
<div id="starting" class="note">Starting a console for this tab…</div>
<div id="ended" class="note">This tab's console has ended. Reload the page for a new one.</div>
<div id="terminal" class="textual-terminal" data-font-size="16"></div>
<script>
document.getElementById("terminal").dataset.sessionWebsocketUrl =
  (location.protocol === "https:" ? "wss://" : "ws://") + location.host + {socket_path};
</script>
</body></html>
"""

    # -- tabs -------------------------------------------------------------------------------

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        if not same_origin(request):
            raise web.HTTPForbidden(text="the page of another site may not open this console")
        if not self.tabs.claim():
            return self.full_page()
        socket = web.WebSocketResponse(heartbeat=self.settings.limits.heartbeat_s)
        tab: TabProcess | None = None
        try:
            await socket.prepare(request)
            self.sockets.add(socket)
            tab = TabProcess(
                self.settings.argv,
                env=self.settings.env,
                drop=self.settings.drop_env,
                write_bytes=socket.send_bytes,
                write_str=socket.send_str,
                close=lambda: _close(socket),
            )
            self.tabs.open.add(tab)
            await tab.start(
                _size(request.query.get("width"), 80), _size(request.query.get("height"), 24)
            )
            log.info("tab opened: console pid %s (%d open)", tab.pid, len(self.tabs.open))
            await _relay(socket, tab)
        finally:
            # aiohttp may cancel this handler once the tab has gone: the ending runs on, shielded,
            # and the server's shutdown waits for it too.
            ending = asyncio.ensure_future(self._end_tab(tab, socket))
            self.ending.add(ending)
            ending.add_done_callback(self.ending.discard)
            await asyncio.shield(ending)
        return socket

    async def _end_tab(self, tab: TabProcess | None, socket: web.WebSocketResponse) -> None:
        try:
            if tab is not None:
                await tab.end()
                log.info("tab closed: console pid %s ended", tab.pid)
        finally:
            self.tabs.open.discard(tab)
            self.tabs.release()
            self.sockets.discard(socket)
            with contextlib.suppress(ConnectionError, RuntimeError):
                await socket.close()

    async def shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(s.close() for s in list(self.sockets)), return_exceptions=True)
        await self.tabs.end_all()
        await asyncio.gather(*list(self.ending), return_exceptions=True)


async def _relay(socket: web.WebSocketResponse, tab: TabProcess) -> None:
    """The browser's keys, sizes and focus to the console, until the tab closes."""
    actions: dict[str, Callable[[object], Awaitable[object]]] = {
        "stdin": lambda data: tab.send_bytes(str(data).encode("utf-8")),
        "resize": lambda data: _resize(tab, data),
        "ping": lambda data: socket.send_json(["pong", data]),
        "blur": lambda _: tab.blur(),
        "focus": lambda _: tab.focus(),
    }
    async for message in socket:
        if message.type is not WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if isinstance(envelope, list) and envelope and isinstance(envelope[0], str):
            action = actions.get(envelope[0])
            if action is not None:
                await action(envelope[1] if len(envelope) > 1 else None)


async def _close(socket: web.WebSocketResponse) -> None:
    """The console quit by itself (Ctrl+Q): the tab closes too."""
    await socket.close()


async def _resize(tab: TabProcess, data: object) -> None:
    if isinstance(data, dict):
        await tab.set_terminal_size(_size(data.get("width"), 80), _size(data.get("height"), 24))


def _size(value: object, default: int) -> int:
    """A terminal dimension from the browser, kept to what a screen can hold."""
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, 10), 1000)


def same_origin(request: web.Request) -> bool:
    """A browser's websocket says which page opened it: it must be this server's own (as the
    browser reached it, directly or through a proxy that passes Host or X-Forwarded-Host)."""
    origin = request.headers.get("Origin")
    if origin is None:  # not a browser: the cookie alone decides
        return True
    netloc = urlsplit(origin).netloc.lower()
    hosts = {request.host.lower()}
    for value in request.headers.getall("X-Forwarded-Host", []):
        hosts.update(host.strip().lower() for host in value.split(","))
    return netloc in hosts
