"""The little HTTP plumbing the REST simulators share: read an ASGI request, send a response.

The simulators are bare ASGI callables (no framework) so they run on the same uvicorn the
console embeds, and so a benchmark measures the console rather than a web framework.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, unquote

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

MAX_REQUEST_BODY = 1024 * 1024


@dataclass
class Request:
    """One request, read whole (bodies are small form or JSON documents)."""

    method: str
    path: str
    raw_query: str
    headers: dict[str, str]
    body: bytes
    scheme: str = "http"
    host: str = ""
    query: dict[str, str] = field(default_factory=dict)

    @property
    def cookies(self) -> dict[str, str]:
        jar = SimpleCookie()
        try:
            jar.load(self.headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is the client's problem: no cookies
            return {}
        return {key: morsel.value for key, morsel in jar.items()}

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))


async def read_request(scope: Scope, receive: Receive) -> Request:
    headers = {
        key.decode("latin-1").lower(): value.decode("latin-1")
        for key, value in scope.get("headers", [])
    }
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= MAX_REQUEST_BODY:
            chunks.append(chunk)
        if not message.get("more_body"):
            break
    raw_query = scope.get("query_string", b"").decode("latin-1")
    # keep "%" literal when it is not a valid escape (CUE's "fields=%" asks for no fields)
    query: dict[str, str] = {}
    for part in raw_query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        query[_unquote(key)] = _unquote(value)
    return Request(
        method=scope["method"],
        path=scope["path"],
        raw_query=raw_query,
        headers=headers,
        body=b"".join(chunks),
        scheme=scope.get("scheme", "http"),
        host=headers.get("host", ""),
        query=query,
    )


def _unquote(text: str) -> str:
    return unquote(text.replace("+", " "))


async def respond(
    send: Send,
    status: int,
    body: bytes,
    content_type: str,
    headers: list[tuple[str, str]] | None = None,
) -> None:
    raw_headers = [
        (b"content-type", content_type.encode("latin-1")),
        (b"content-length", str(len(body)).encode("latin-1")),
    ]
    raw_headers += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers or []]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def reject_non_http(scope: Scope) -> bool:
    """Lifespan and websocket scopes are not served (lifespan is off in SimHost anyway)."""
    return scope.get("type") != "http"
