"""ASGI plumbing for the simulated ICWS hosts: bodies, replies, cookies, the event stream."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tui.net.asgi import (
    ClientGone,
    Headers,
    Receive,
    RequestBodyTooLarge,
    Scope,
    Send,
    json_bytes,
    send_response,
)
from tui.net.asgi import read_body as read_whole_body

if TYPE_CHECKING:
    from tui.sim.icws.sessions import SimSession

__all__ = ["Headers", "Receive", "Reply", "Scope", "Send"]

ICWS_JSON = b"application/vnd.inin.icws+JSON; charset=utf-8"
MAX_BODY = 1_048_576
_ICWS_HEADERS = (
    (b"cache-control", b"no-cache, no-store, must-revalidate"),
    (b"server", b"HttpPluginHost"),
)


class Reply(Exception):
    """Raised by a handler to answer with ``status`` and a JSON (or raw bytes) body."""

    def __init__(self, status: int, body: Any = None, headers: Headers | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers: Headers = headers or []


def cookies(header: str) -> dict[str, str]:
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


async def read_body(receive: Receive) -> bytes:
    """The request body; a body over :data:`MAX_BODY` is answered 413, as ICWS does."""
    try:
        return await read_whole_body(receive, limit=MAX_BODY)
    except RequestBodyTooLarge:
        raise Reply(413, {"message": "Request body too large."}) from None
    except ClientGone:
        return b""  # nobody is there to read an answer


async def hold_open(receive: Receive) -> None:
    """Take a request and never answer it: wait until the client gives up and hangs up."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def respond(send: Send, status: int, body: Any, headers: Headers | None = None) -> None:
    """Answer like ICWS does: its JSON media type and no-cache headers on everything."""
    if body is None:
        payload = b""
    elif isinstance(body, bytes):
        payload = body
    else:
        payload = json_bytes(body)
    extra = (*_ICWS_HEADERS, *(headers or ()))
    await send_response(send, status, payload, content_type=ICWS_JSON, headers=extra)


async def stream_events(
    session: SimSession,
    receive: Receive,
    send: Send,
    ping_s: float,
    touch: Callable[[], None],
    sent: Callable[[int], None],
    stalled: Callable[[], bool] = lambda: False,
) -> None:
    """Serve the messaging channel as server-sent events: one JSON message per ``data:``.

    Reads stay destructive: a message leaves the session's queue as it is written. The stream
    ends when the client goes away or the session is dropped (expiry, switchover, logout).
    Once ``stalled()`` holds, the stream sends nothing more and takes nothing from the queue,
    but stays open until the client hangs up (a link that died without a reset).
    """
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"text/event-stream; charset=utf-8"),
                (b"cache-control", b"no-cache"),
            ],
        }
    )
    gone = asyncio.Event()

    async def watch() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        gone.set()

    watcher = asyncio.ensure_future(watch())
    try:
        while not gone.is_set() and not session.closed:
            if stalled():
                await gone.wait()
                break
            touch()
            for message in session.take_all():
                data = json_bytes(message)
                chunk = b"data: " + data + b"\n\n"
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
                sent(1)
            try:
                await asyncio.wait_for(session.wakeup.wait(), timeout=ping_s)
            except TimeoutError:
                if stalled():
                    continue
                ping = {"type": "http.response.body", "body": b":ping\n\n", "more_body": True}
                await send(ping)
        await send({"type": "http.response.body", "body": b"", "more_body": False})
    except OSError:  # pragma: no cover - the client went away mid-write
        pass
    finally:
        watcher.cancel()
