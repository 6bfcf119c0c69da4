"""The WCS hook endpoint: a bare ASGI app (the fastest shape under uvicorn + httptools).

Every request ends in exactly one published FeedEvent and exactly one HTTP answer: a hook
(answered as backend, or forwarded in tap mode), or a rejection that says what was wrong.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from ipaddress import IPv4Network, IPv6Network
from typing import Any

from tui.core.dedupe import DuplicateWindow
from tui.core.feed import (
    FLAG_AUTH_FAILED,
    FLAG_DUPLICATE,
    FLAG_FALLBACK,
    FLAG_TAP,
    SEV_ERROR,
    FeedEvent,
)
from tui.core.policy import PolicyEngine
from tui.core.protocols import wcs
from tui.core.protocols.wcs_auth import AuthResult, verify
from tui.core.store import EventSubmitter, encode_meta
from tui.net.asgi import (
    ClientGone,
    Receive,
    RequestBodyTooLarge,
    Scope,
    Send,
    read_body,
    send_response,
)
from tui.net.hooks.journal_gate import JournalGate
from tui.net.hooks.limits import peer_allowed
from tui.net.hooks.refusals import rejected_event
from tui.net.hooks.tap import UpstreamError, UpstreamPool, UpstreamReply

_KEPT_HEADERS = ("content-type", "user-agent", "authorization", "x-forwarded-for")
_DETAILS_MEMO = 1024
"""Transport details kept as text, by what they hold: a sender's hooks repeat the same few."""


@dataclass
class HookSettings:
    """What the endpoint needs from the config, resolved (secrets read, networks parsed)."""

    mode: str = "backend"  # backend | tap
    app_paths: tuple[str, ...] = ()
    key: bytes | None = None
    allow_from: tuple[IPv4Network | IPv6Network, ...] = ()
    max_body_bytes: int = 1_048_576
    body_timeout_s: float = 10.0
    max_connections: int = 1000
    max_header_bytes: int = 16_384
    header_timeout_s: float = 10.0
    keep_alive_s: float = 30.0
    keep_alive_requests: int = 1000
    fallback: str = "answer"  # answer | pass-error
    rest_client_config: dict[str, dict[str, str]] = field(default_factory=dict)


class Rejected(Exception):
    """A request that is not a hook we can take; becomes an HTTP error and an error event."""

    def __init__(self, status: int, reason: str, *, flags: int = 0) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.flags = flags


@dataclass
class _Answer:
    status: int
    body: bytes
    content_type: bytes = b"application/json"
    extra_headers: tuple[tuple[bytes, bytes], ...] = ()
    rule: str = ""
    flags: int = 0
    info: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


class HookApp:
    """ASGI callable. Every request's event goes to ``sink`` (the store), and its answer is sent
    only once ``gate`` says the event is in the journal: answered means journalled."""

    def __init__(
        self,
        settings: HookSettings,
        sink: EventSubmitter,
        *,
        gate: JournalGate | None = None,
        policy: PolicyEngine | None = None,
        upstreams: UpstreamPool | None = None,
        duplicates: DuplicateWindow | None = None,
        on_upstream: Callable[[bool, str], None] | None = None,
        clock: Callable[[], float] = time.time,
        timer: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.settings = settings
        self.sink = sink
        self.gate = gate
        self.policy = policy or PolicyEngine()
        self.upstreams = upstreams
        self.duplicates = duplicates or DuplicateWindow()
        self.on_upstream = on_upstream
        self.clock = clock
        self.timer = timer
        self.requests = 0
        self._details: dict[tuple[str | None, ...], str] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        self.requests += 1
        started = self.timer()
        ts = self.clock()
        path = scope.get("path", "/")
        headers = _headers(scope)
        peer = _peer(scope)
        body = b""
        try:
            app_path, method = self._route(scope, path, peer, headers)
            body = await self._read_body(receive, headers)
            flags = self._check_signature(body, headers)
            payload = _parse(body)
        except Rejected as rejected:
            await self._reject(send, rejected, scope, path, peer, headers, body, ts, started)
            return
        if self.duplicates.seen(method, body, ts):
            flags |= FLAG_DUPLICATE
        if self.settings.mode == "tap" and self.upstreams is not None:
            answer = await self._tap(app_path, method, payload, body, headers)
        else:
            answer = self._answer_as_backend(method, payload, body)
        latency = (self.timer() - started) * 1000.0
        event = wcs.normalise(
            app_path,
            method,
            payload,
            ts=ts,
            reply_status=answer.status,
            latency_ms=latency,
            rule=answer.rule,
            flags=flags | answer.flags,
        )
        if answer.info and not event.info:
            event = event._replace(info=answer.info)
        if answer.flags & FLAG_FALLBACK:
            event = event._replace(severity=SEV_ERROR, info=answer.info)
        await self.record(event, body, answer.body, self._details_of(path, peer, headers, answer))
        await send_response(
            send, answer.status, answer.body,
            content_type=answer.content_type, headers=answer.extra_headers,
        )  # fmt: skip

    def _details_of(
        self, path: str, peer: str, headers: dict[str, str], answer: _Answer
    ) -> dict[str, Any] | str:
        """The hook's transport details; as the store's (redacted) JSON text when the same
        details came before, which saves encoding them again."""
        if answer.meta or "authorization" in headers:  # these differ from hook to hook
            return {"path": path, "peer": peer, "headers": _kept(headers), **answer.meta}
        key = (path, peer, *[headers.get(name) for name in _KEPT_HEADERS])
        text = self._details.get(key)
        if text is None:
            if len(self._details) >= _DETAILS_MEMO:
                self._details.clear()
            meta = {"path": path, "peer": peer, "headers": _kept(headers)}
            text = self._details[key] = encode_meta(meta)
        return text

    async def record(
        self, event: FeedEvent, raw: bytes, reply: bytes, meta: dict[str, Any] | str
    ) -> bool:
        """Hand the event to the store and wait until the gate lets the answer go: once the
        journal has it (or has said it cannot take it: then at once, and the journal counts
        the loss); under ``collect``, once JetStream has it, else the journal."""
        submitted = self.sink.submit(event, raw, reply, meta)
        if self.gate is None:
            return False
        return await self.gate.hold(submitted)

    # -- the checks, in the order a request meets them -----------------------------------------

    def _route(
        self, scope: Scope, path: str, peer: str, headers: dict[str, str]
    ) -> tuple[str, str]:
        settings = self.settings
        # The listener already refuses these at accept; this covers the app served otherwise.
        if settings.allow_from and not peer_allowed(peer, settings.allow_from):
            raise Rejected(403, f"source address {peer} is not in hooks.allow_from")
        if scope.get("method") != "POST":
            raise Rejected(405, f"{scope.get('method')} {path}: WCS hooks are POST requests")
        app_path, method = wcs.split_path(path)
        if not method:
            raise Rejected(404, "no method in the path: WCS posts <app URL>/<method>")
        if settings.app_paths and app_path not in settings.app_paths:
            allowed = ", ".join(settings.app_paths)
            raise Rejected(404, f"unknown app path {app_path}; configured: {allowed}")
        content_type = headers.get("content-type", "")
        if "json" not in content_type.lower():
            shown = content_type or "none"
            raise Rejected(415, f"content type {shown}; WCS sends application/json")
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > settings.max_body_bytes:
            raise Rejected(413, _too_large(int(declared), settings.max_body_bytes))
        return app_path, method

    async def _read_body(self, receive: Receive, headers: dict[str, str]) -> bytes:
        limit = self.settings.max_body_bytes
        timeout = self.settings.body_timeout_s
        # No timer around the first receive: WCS's small bodies arrive whole, with the headers,
        # and a timer per hook is measurable. When a body is late the listener's protocol
        # wakes this receive at body_timeout_s with what has come (more_body set), and the
        # deadline below has passed by then.
        deadline = asyncio.get_running_loop().time() + timeout
        try:
            return await read_body(receive, limit=limit, deadline=deadline)
        except RequestBodyTooLarge as exc:
            raise Rejected(413, _too_large(exc.size, limit)) from None
        except ClientGone:
            raise Rejected(499, "the sender closed the connection mid-body") from None
        except TimeoutError:
            raise Rejected(408, f"body not received within {timeout:g} s") from None

    def _check_signature(self, body: bytes, headers: dict[str, str]) -> int:
        key = self.settings.key
        if key is None:
            return 0
        result = verify(key, body, headers.get("authorization"))
        if result is AuthResult.OK:
            return 0
        reason = (
            "no 'Authorization: WCS <hash>' header (is rest_hook_send_hash on?)"
            if result is AuthResult.MISSING
            else "signature mismatch: HMAC-MD5 of the body does not match rest_hook_secret_key"
        )
        raise Rejected(403, reason, flags=FLAG_AUTH_FAILED)

    # -- answering ----------------------------------------------------------------------------

    def _answer_as_backend(self, method: str, payload: dict[str, Any], body: bytes) -> _Answer:
        decision = self.policy.decide(method, payload)
        if not decision.allowed:
            reply = json.dumps(
                {"error": "refused by noc-console policy", "rule": decision.rule}
            ).encode()
            return _Answer(decision.status, reply, rule=decision.rule)
        if method == wcs.CONNECT and self.settings.rest_client_config:
            mirror = dict(payload)
            mirror["restClientConfig"] = self.settings.rest_client_config
            return _Answer(200, json.dumps(mirror, separators=(",", ":")).encode())
        return _Answer(200, body)

    async def _tap(
        self,
        app_path: str,
        method: str,
        payload: dict[str, Any],
        body: bytes,
        headers: dict[str, str],
    ) -> _Answer:
        assert self.upstreams is not None
        try:
            reply: UpstreamReply = await self.upstreams.forward(app_path, method, body, headers)
        except UpstreamError as exc:
            if self.on_upstream:
                self.on_upstream(False, str(exc))
            return self._fallback(method, payload, body, exc)
        if self.on_upstream:  # a 5xx is the backend failing (a proxy's 502 for a dead app)
            self.on_upstream(reply.status < 500, f"{reply.url} answered HTTP {reply.status}")
        meta = {
            "upstream_url": reply.url,
            "upstream_status": reply.status,
            "upstream_ms": round(reply.latency_ms, 3),
        }
        return _Answer(
            reply.status, reply.body, reply.content_type, flags=FLAG_TAP, meta=meta,
            rule="upstream",
            extra_headers=tuple(h for h in reply.headers if h[0] != b"content-type"),
        )  # fmt: skip

    def _fallback(
        self, method: str, payload: dict[str, Any], body: bytes, error: UpstreamError
    ) -> _Answer:
        meta = {"upstream_url": error.url, "upstream_error": str(error)}
        if self.settings.fallback == "answer":
            answer = self._answer_as_backend(method, payload, body)
            answer.flags |= FLAG_FALLBACK
            answer.info = f"UPSTREAM {error.short}: answered as backend"
            answer.rule = answer.rule or "fallback"
            answer.meta = meta
            return answer
        reply = json.dumps({"error": f"upstream {error.short}", "detail": str(error)}).encode()
        return _Answer(
            error.status, reply, flags=FLAG_FALLBACK, info=f"UPSTREAM {error.short}: passed on",
            rule="pass-error", meta=meta,
        )  # fmt: skip

    async def _reject(
        self,
        send: Send,
        rejected: Rejected,
        scope: Scope,
        path: str,
        peer: str,
        headers: dict[str, str],
        body: bytes,
        ts: float,
        started: float,
    ) -> None:
        reply = json.dumps({"error": rejected.reason}).encode()
        app_path, method = wcs.split_path(path)
        event = rejected_event(
            ts=ts,
            app=app_path,
            method=method or path,
            reason=rejected.reason,
            reply_status=rejected.status,
            latency_ms=(self.timer() - started) * 1000.0,
            flags=rejected.flags,
        )
        meta = {
            "path": path,
            "peer": peer,
            "headers": _kept(headers),
            "http_method": scope.get("method"),
        }
        await self.record(event, body[:65536], reply, meta)
        if rejected.status != 499:  # nobody is listening for an answer
            await send_response(send, rejected.status, reply, close=rejected.status in (408, 413))


def _too_large(size: int, limit: int) -> str:
    return f"body of {size:,} bytes is over hooks.max_body_bytes ({limit:,})"


MAX_JSON_DEPTH = 32
"""WCS bodies nest three or four levels; anything past this is refused before it is used."""


def _parse(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except UnicodeDecodeError:
        raise Rejected(400, "body is not UTF-8 text") from None
    except RecursionError:
        raise Rejected(400, f"body is JSON nested over {MAX_JSON_DEPTH} levels deep") from None
    except ValueError as exc:
        raise Rejected(400, f"body is not JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise Rejected(400, f"body is JSON but a {type(payload).__name__}, not an object")
    if (
        body.count(b"{") + body.count(b"[") > MAX_JSON_DEPTH
        and json_depth(payload) > MAX_JSON_DEPTH
    ):
        raise Rejected(400, f"body is JSON nested over {MAX_JSON_DEPTH} levels deep")
    return payload


def json_depth(value: Any) -> int:
    """How deeply a parsed JSON value nests (iteratively: no recursion on hostile input)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}


def _kept(headers: dict[str, str]) -> dict[str, str]:
    return {k: headers[k] for k in _KEPT_HEADERS if k in headers}  # the journal redacts them


def _peer(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""
