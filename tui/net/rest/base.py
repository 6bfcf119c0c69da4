"""What the SBC, CUE and MWS clients share: one httpx client per target, TLS, timeouts, a size
cap, a cache, parsing off the event loop (big bodies in a worker process), writes behind
``allow_writes``, and link states.

A fetch never raises for network trouble: it returns a :class:`Fetched` whose ``failure`` names
what went wrong (timeout, connect, tls, too-large, secret…) with a hint, and the target's chip
on the header (``on_state``) says the same.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, ClassVar, NamedTuple, TypeVar

import httpx

from tui.config import Target
from tui.core.gc_quiet import without_gc
from tui.core.resources import Resource, unreadable
from tui.core.resources.hints import (
    FAILURE_CONNECT,
    FAILURE_PROTOCOL,
    FAILURE_SECRET,
    FAILURE_TIMEOUT,
    FAILURE_TLS,
    FAILURE_TOO_LARGE,
    hint_for,
)
from tui.core.resources.parse import parse_response
from tui.core.resources.paths import TargetPaths, index_resource, split_location
from tui.core.resources.writes import WriteRequest
from tui.core.sources import LinkState
from tui.net.rest.cache import ResponseCache
from tui.net.rest.capped_body import ACCEPT_ENCODING, BodyTooLarge, BodyUndecodable, CappedBody
from tui.net.rest.parse_worker import PROCESS_PARSE_BYTES, WORKER

MB = 1024 * 1024
INLINE_PARSE_BYTES = 32 * 1024  # smaller bodies are parsed on the loop (well under 1 ms)
QUIET_GC_BYTES = 256 * 1024  # bigger bodies are parsed with automatic GC paused (gc_quiet)
StateCallback = Callable[[LinkState, str], None]


class Query(NamedTuple):
    """How to ask for a location: SBC ``details``/``filter``, CUE ``fields``."""

    details: bool = False
    category: str = ""
    fields: str | None = None


PLAIN = Query()


@dataclass(frozen=True, slots=True)
class Fetched:
    """The outcome of one request: the parsed resource and what it took to get it."""

    resource: Resource
    location: str  # what was asked for, before the query options were added
    url: str  # the full URL sent
    method: str = "GET"
    body: bytes = b""
    content_type: str = ""
    status: int = 0  # the HTTP status line (0 when nothing came back)
    elapsed_ms: float = 0.0  # request sent → whole body read
    parse_ms: float = 0.0
    fetched_at: float = 0.0  # wall clock, for "fetched 12 s ago"
    failure: str = ""  # a FAILURE_* kind when the exchange itself failed
    hint: str = ""
    from_cache: bool = False
    age_s: float = 0.0
    notes: tuple[str, ...] = ()  # what the client did on the way (re-login, HTTPS redirect)

    @property
    def ok(self) -> bool:
        return not self.failure and self.resource.ok


class WritesDisabled(Exception):
    """The target is read-only (``allow_writes`` is false)."""


class RawAnswer(NamedTuple):
    status: int
    headers: httpx.Headers
    body: bytes
    url: str
    redirected_from: str
    elapsed_ms: float


class Failed(NamedTuple):
    kind: str
    message: str


def _failure_of(exc: Exception, timeout_s: float) -> Failed:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        kind = type(exc).__name__
        return Failed(FAILURE_TIMEOUT, f"no complete answer within {timeout_s:g} s ({kind})")
    if isinstance(exc, httpx.ConnectError):
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            return Failed(FAILURE_TLS, f"TLS certificate not trusted: {text}")
        if isinstance(exc.__cause__, ssl.SSLError) or "SSL" in text:
            return Failed(FAILURE_TLS, f"TLS handshake failed: {text}")
        return Failed(FAILURE_CONNECT, f"cannot connect: {text}")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return Failed(FAILURE_CONNECT, f"bad address: {text}")
    return Failed(FAILURE_PROTOCOL, f"{type(exc).__name__}: {text}")


CLIENTS: dict[str, type[RestClient]] = {}  # kind name → its client (see tui.net.rest)
C = TypeVar("C", bound="type[RestClient]")


def serves(kind: str) -> Callable[[C], C]:
    """Class decorator: the decorated client is the one for targets of ``kind``."""

    def register(cls: C) -> C:
        cls.kind = kind
        CLIENTS[kind] = cls
        return cls

    return register


def _location_of(key: object) -> str:
    return str(key[0]) if isinstance(key, tuple) and key else ""


class RestClient:
    """Base of the kinds' clients. Create one per target and keep it for the app's life."""

    kind: ClassVar[str] = ""
    process_parse_bytes = PROCESS_PARSE_BYTES  # bigger bodies are parsed in the worker process

    def __init__(
        self,
        target: Target,
        *,
        secret: str | None = None,
        on_state: StateCallback | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.target = target
        self.paths = TargetPaths(target.kind, str(target.url))
        env = target.secret_env or ""
        self._secret = secret if secret is not None else os.environ.get(env, "")
        self._on_state = on_state
        self._transport = transport
        self._clock = clock
        self.max_bytes = target.max_body_mb * MB
        self.cache: ResponseCache[Fetched] = ResponseCache(
            ttl_s=target.cache_ttl_s, size_of=lambda f: len(f.body), clock=clock
        )
        self._client: httpx.AsyncClient | None = None
        self.requests_sent = 0

    # -- the httpx client -------------------------------------------------------------------

    def _verify(self) -> ssl.SSLContext | bool:
        if not self.target.verify_tls:
            return False
        if self.target.ca_file is not None:
            return ssl.create_default_context(cafile=str(self.target.ca_file))
        return True

    def _client_options(self) -> dict[str, Any]:
        """Per-system additions (auth, headers)."""
        return {}

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            options = self._client_options()
            headers = {
                "user-agent": "noc-console",
                "accept-encoding": ACCEPT_ENCODING,
                **options.pop("headers", {}),
            }
            self._client = httpx.AsyncClient(
                verify=self._verify(),
                timeout=httpx.Timeout(self.target.timeout_s),
                limits=httpx.Limits(max_connections=4, max_keepalive_connections=2),
                transport=self._transport,
                headers=headers,
                **options,
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # -- state ------------------------------------------------------------------------------

    def set_state(self, state: LinkState, detail: str = "") -> None:
        if self._on_state is not None:
            self._on_state(state, detail)

    def _report(self, fetched: Fetched) -> None:
        if fetched.failure:
            self.set_state(LinkState.DOWN, fetched.resource.problem)
        elif fetched.resource.http_code in (401, 403):
            self.set_state(LinkState.DOWN, f"HTTP {fetched.resource.http_code}: access refused")
        elif fetched.resource.shape == "unreadable":
            self.set_state(LinkState.DEGRADED, fetched.resource.problem)
        else:
            self.set_state(LinkState.UP, "")

    # -- requests ---------------------------------------------------------------------------

    def request_params(self, location: str, query: Query) -> list[tuple[str, str]]:
        """Query parameters added to the location's own (never overriding what was typed)."""
        return []

    def url_of(self, location: str, query: Query = PLAIN) -> str:
        """The full URL a fetch of ``location`` sends, as shown and copied: the location with
        its own query, and the options' parameters added by httpx (which encodes them)."""
        url = httpx.URL(self.paths.absolute(location))
        extra = self.request_params(location, query)
        return str(url.copy_merge_params(tuple(extra)) if extra else url)

    async def send(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        follow_redirects: bool = True,
    ) -> RawAnswer | Failed:
        """One exchange, whole within ``timeout_s``, its body (decoded) at most ``max_bytes``.

        ``timeout_s`` is a deadline for everything: connecting, sending, the headers, the whole
        body, redirects. httpx's own timeouts count each step alone, so a server sending a byte
        a second would hold a 10 s timeout for as long as it liked.
        """
        started = time.perf_counter()
        self.requests_sent += 1
        deadline = self.target.timeout_s
        try:
            async with asyncio.timeout(deadline):
                response, body = await self._exchange_once(
                    method, url, content, headers, follow_redirects
                )
        except TimeoutError:
            return Failed(FAILURE_TIMEOUT, f"no complete answer within {deadline:g} s")
        except BodyTooLarge as exc:
            limit = self.target.max_body_mb
            return Failed(
                FAILURE_TOO_LARGE, f"refused: the answer is over the {limit} MB limit ({exc})"
            )
        except BodyUndecodable as exc:
            return Failed(FAILURE_PROTOCOL, f"cannot read the answer: {exc}")
        except (httpx.HTTPError, ssl.SSLError, OSError) as exc:
            return Failed(*_failure_of(exc, deadline))
        elapsed = (time.perf_counter() - started) * 1000
        origin = str(response.history[0].request.url) if response.history else ""
        return RawAnswer(
            response.status_code, response.headers, body, str(response.url), origin, elapsed
        )

    async def _exchange_once(
        self,
        method: str,
        url: str,
        content: bytes | None,
        headers: dict[str, str] | None,
        follow_redirects: bool,
    ) -> tuple[httpx.Response, bytes]:
        request = self.client.build_request(method, url, content=content, headers=headers)
        response = await self.client.send(request, stream=True, follow_redirects=follow_redirects)
        try:
            declared = int(response.headers.get("content-length") or 0)
            if declared > self.max_bytes:
                raise BodyTooLarge(f"{declared:,} bytes declared")
            body = CappedBody(response.headers.get("content-encoding", ""), self.max_bytes)
            async for chunk in response.aiter_raw():  # raw: the size is checked as it comes
                body.feed(chunk)
            return response, body.result()
        finally:
            await response.aclose()

    def failed(self, location: str, url: str, failure: Failed, method: str = "GET") -> Fetched:
        fetched = Fetched(
            resource=unreadable(self.kind, failure.message),
            location=location,
            url=url,
            method=method,
            fetched_at=time.time(),
            failure=failure.kind,
            hint=hint_for(self.kind, 0, failure.kind),
        )
        self._report(fetched)
        return fetched

    async def parse(self, location: str, raw: RawAnswer, query: Query = PLAIN) -> Resource:
        """The answer's body as a resource, parsed where it costs the console least.

        A small body (well under a millisecond) is parsed in place, saving the thread hop; a
        bigger one on a worker thread (a 10,000-item list takes ~0.3 s), with automatic GC
        paused above ``QUIET_GC_BYTES``; one over ``process_parse_bytes`` in the worker
        process (:mod:`tui.net.rest.parse_worker`), so the hook listener keeps the interpreter.
        """
        options: dict[str, Any] = {
            "transport_status": raw.status,
            "location": split_location(location)[0],
            "filter_category": query.category,
            "meta": self.meta_of(raw),
            "max_bytes": self.max_bytes,
        }
        size = len(raw.body)
        if size > self.process_parse_bytes:
            return await WORKER.parse(self.kind, raw.body, **options)
        parse = partial(parse_response, self.kind, raw.body, **options)
        if size <= INLINE_PARSE_BYTES:
            return parse()
        if size <= QUIET_GC_BYTES:
            return await asyncio.to_thread(parse)
        return await asyncio.to_thread(without_gc(parse))

    async def parsed(
        self,
        location: str,
        url: str,
        raw: RawAnswer,
        query: Query,
        method: str = "GET",
        notes: tuple[str, ...] = (),
        resource: Resource | None = None,
    ) -> Fetched:
        """The exchange as a :class:`Fetched`, parsing the body unless ``resource`` is given."""
        started = time.perf_counter()
        if resource is None:
            resource = await self.parse(location, raw, query)
        parse_ms = (time.perf_counter() - started) * 1000
        fetched = Fetched(
            resource=resource,
            location=location,
            url=url,
            method=method,
            body=raw.body,
            content_type=raw.headers.get("content-type", ""),
            status=raw.status,
            elapsed_ms=raw.elapsed_ms,
            parse_ms=parse_ms,
            fetched_at=time.time(),
            hint="" if resource.ok else hint_for(self.kind, resource.http_code),
            notes=notes,
        )
        self._report(fetched)
        return fetched

    def meta_of(self, raw: RawAnswer) -> tuple[tuple[str, str], ...]:
        return ()

    def missing_secret(self, location: str, url: str) -> Fetched | None:
        if self._secret:
            return None
        env = self.target.secret_env
        return self.failed(
            location, url, Failed(FAILURE_SECRET, f"environment variable {env} is not set")
        )

    async def fetch(self, location: str, query: Query = PLAIN, *, refresh: bool = False) -> Fetched:
        """GET a location; served from the cache when seen within ``cache_ttl_s``."""
        key = (location, query)
        if not refresh:
            cached = self.cache.get(key)
            if cached is not None:
                value, age = cached
                return replace(value, from_cache=True, age_s=age)
        url = self.url_of(location, query)
        if split_location(location)[0].rstrip("/") == self.paths.api_root:
            index = index_resource(self.kind, self.paths)
            return Fetched(index, location, url, status=200, fetched_at=time.time())
        missing = self.missing_secret(location, url)
        if missing is not None:
            return missing
        fetched = await self.get(location, url, query)
        if (
            not fetched.failure
            and 200 <= fetched.status < 300
            and fetched.resource.shape != "unreadable"
        ):
            self.cache.put(key, fetched)
        return fetched

    async def get(self, location: str, url: str, query: Query) -> Fetched:
        """One GET, per system (the SBC logs in first and retries after a 401)."""
        raw = await self.send("GET", url)
        if isinstance(raw, Failed):
            return self.failed(location, url, raw)
        return await self.parsed(location, url, raw, query)

    # -- writes -----------------------------------------------------------------------------

    def auth_lines(self) -> tuple[str, ...]:
        """The auth headers a write carries, masked, for the confirmation dialog."""
        return ()

    def describe(self, request: WriteRequest) -> str:
        return request.describe(self.paths.origin, self.auth_lines())

    async def write(self, request: WriteRequest) -> Fetched:
        """Send a confirmed write. Refused unless the target allows writes."""
        if not self.target.allow_writes:
            raise WritesDisabled(
                f"{self.target.name} is read-only: set allow_writes = true for it in the config"
            )
        url = self.paths.absolute(request.location)
        missing = self.missing_secret(request.location, url)
        if missing is not None:
            return missing
        headers = {"content-type": request.content_type} if request.content_type else {}
        fetched = await self.send_write(request, url, headers)
        bare = split_location(request.location)[0]
        parent = bare.rsplit("/", 1)[0]
        self.cache.invalidate(lambda key: _location_of(key).startswith((bare, parent)))
        return fetched

    async def send_write(self, request: WriteRequest, url: str, headers: dict[str, str]) -> Fetched:
        raw = await self.send(
            request.method,
            url,
            content=request.body or None,
            headers=headers,
            follow_redirects=False,
        )
        if isinstance(raw, Failed):
            return self.failed(request.location, url, raw, request.method)
        return await self.parsed(request.location, url, raw, Query(), request.method)
