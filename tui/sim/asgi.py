"""The little HTTP plumbing the REST simulators share: read an ASGI request, send a response.

The simulators are bare ASGI callables (no framework) so they run on the same uvicorn the
console embeds, and so a benchmark measures the console rather than a web framework.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, unquote

from tui.net.asgi import (
    ASGIApp,
    ClientGone,
    Receive,
    RequestBodyTooLarge,
    Scope,
    Send,
    json_bytes,
    read_body,
    send_response,
)

__all__ = [
    "MAX_REQUEST_BODY",
    "Receive",
    "Request",
    "Scope",
    "Send",
    "answering_body_errors",
    "read_request",
    "reject_non_http",
    "respond",
]

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
    """The request, its body read whole (RequestBodyTooLarge past :data:`MAX_REQUEST_BODY` bytes,
    ClientGone if the client hangs up first: :func:`answering_body_errors` answers those)."""
    headers = {
        key.decode("latin-1").lower(): value.decode("latin-1")
        for key, value in scope.get("headers", [])
    }
    body = await read_body(receive, limit=MAX_REQUEST_BODY)
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
        body=body,
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
    extra = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers or []]
    await send_response(
        send, status, body, content_type=content_type.encode("latin-1"), headers=extra
    )


def answering_body_errors(app: ASGIApp) -> ASGIApp:
    """``app``, with a request body over its limit answered 413 and a client that hung up
    before its body was in left alone (nobody is there to read an answer)."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await app(scope, receive, send)
        except ClientGone:
            return
        except RequestBodyTooLarge as exc:
            await send_response(send, 413, json_bytes({"message": str(exc)}))

    return guarded


def reject_non_http(scope: Scope) -> bool:
    """Lifespan and websocket scopes are not served (lifespan is off in SimHost anyway)."""
    return scope.get("type") != "http"
