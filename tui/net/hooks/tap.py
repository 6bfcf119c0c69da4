"""Tap mode: forward each hook to the real backend and hand back exactly what it answered.

WCS appends ``/<method>`` to the app URL, so the upstream for an app is the real backend's app
URL. One pooled httpx client serves every upstream for the console's lifetime.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

_FORWARDED = ("content-type", "authorization", "accept", "user-agent")


@dataclass(frozen=True)
class UpstreamReply:
    """The backend's answer, to be returned to WCS byte-for-byte."""

    url: str
    status: int
    body: bytes
    content_type: bytes
    latency_ms: float


class UpstreamError(Exception):
    """The upstream could not answer in time; ``status`` is what pass-error mode sends WCS."""

    def __init__(self, url: str, short: str, detail: str, status: int) -> None:
        super().__init__(f"{url}: {detail}")
        self.url = url
        self.short = short
        self.status = status


class UpstreamPool:
    """Where each app's hooks go in tap mode, and the client that takes them there."""

    def __init__(
        self,
        default: str | None,
        per_app: dict[str, str] | None = None,
        *,
        timeout_s: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.default = default.rstrip("/") if default else None
        self.per_app = {
            path.rstrip("/") or "/": url.rstrip("/") for path, url in (per_app or {}).items()
        }
        self.timeout_s = timeout_s
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s),
            limits=httpx.Limits(max_connections=256, max_keepalive_connections=64),
            transport=transport,
            follow_redirects=False,
        )

    def url_for(self, app_path: str, method: str) -> str | None:
        base = self.per_app.get(app_path, self.default)
        return f"{base}/{method}" if base else None

    async def forward(
        self, app_path: str, method: str, body: bytes, headers: dict[str, str]
    ) -> UpstreamReply:
        url = self.url_for(app_path, method)
        if url is None:
            raise UpstreamError(app_path, "not configured", "no upstream for this app path", 502)
        outgoing = {name: headers[name] for name in _FORWARDED if name in headers}
        started = time.perf_counter()
        try:
            response = await self._client.post(url, content=body, headers=outgoing)
        except httpx.TimeoutException:
            raise UpstreamError(
                url, "timeout", f"no answer within {self.timeout_s:g} s", 504
            ) from None
        except httpx.HTTPError as exc:
            raise UpstreamError(url, "down", _describe(exc), 502) from None
        latency = (time.perf_counter() - started) * 1000.0
        content_type = response.headers.get("content-type", "application/json").encode("latin-1")
        return UpstreamReply(url, response.status_code, response.content, content_type, latency)

    async def aclose(self) -> None:
        await self._client.aclose()


def _describe(exc: httpx.HTTPError) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect ({text})"
    return text
