"""Tap mode: forward each hook to the real backend and hand back exactly what it answered.

WCS appends ``/<method>`` to the app URL, so the upstream for an app is the real backend's app
URL. One pooled client serves every upstream for the console's lifetime.

The forwarding client is aiohttp's, not httpx (which the other clients use): a tap sits in the
path of every WCS call and publish, and measured on loopback (tests/bench/tap_overhead.py and the
commit that made this change) httpx costs ~1.5 ms per request, httpcore ~0.75 ms, aiohttp
~0.25 ms. The session neither asks for nor undoes compression, so bytes pass through unchanged.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported on first forward: only tap mode pays for aiohttp
    import aiohttp

_FORWARDED = ("content-type", "authorization", "accept", "user-agent")
_RETURNED = ("content-type", "content-encoding")


@dataclass(frozen=True)
class UpstreamReply:
    """The backend's answer, to be returned to WCS byte-for-byte."""

    url: str
    status: int
    body: bytes
    content_type: bytes
    latency_ms: float
    headers: tuple[tuple[bytes, bytes], ...] = ()


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
    ) -> None:
        self.default = default.rstrip("/") if default else None
        self.per_app = {
            path.rstrip("/") or "/": url.rstrip("/") for path, url in (per_app or {}).items()
        }
        self.timeout_s = timeout_s
        self._session: aiohttp.ClientSession | None = None

    def url_for(self, app_path: str, method: str) -> str | None:
        base = self.per_app.get(app_path, self.default)
        return f"{base}/{method}" if base else None

    def _client(self) -> aiohttp.ClientSession:
        import aiohttp

        if self._session is None:  # created inside the running loop, as aiohttp requires
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=256, keepalive_timeout=30),
                timeout=aiohttp.ClientTimeout(total=self.timeout_s),
                auto_decompress=False,
                skip_auto_headers=("Accept-Encoding", "User-Agent"),
            )
        return self._session

    async def forward(
        self, app_path: str, method: str, body: bytes, headers: dict[str, str]
    ) -> UpstreamReply:
        url = self.url_for(app_path, method)
        if url is None:
            raise UpstreamError(app_path, "not configured", "no upstream for this app path", 502)
        import aiohttp

        outgoing = {name: headers[name] for name in _FORWARDED if name in headers}
        started = time.perf_counter()
        try:
            async with self._client().post(
                url, data=body, headers=outgoing, allow_redirects=False
            ) as response:
                content = await response.read()
                status = response.status
                returned = tuple(
                    (name.encode(), response.headers[name].encode("latin-1"))
                    for name in _RETURNED
                    if name in response.headers
                )
        except TimeoutError:
            raise UpstreamError(
                url, "timeout", f"no answer within {self.timeout_s:g} s", 504
            ) from None
        except aiohttp.ClientConnectorError as exc:
            raise UpstreamError(
                url, "down", f"cannot connect ({exc.os_error or exc})", 502
            ) from None
        except (aiohttp.ClientError, asyncio.IncompleteReadError) as exc:
            raise UpstreamError(url, "down", str(exc) or type(exc).__name__, 502) from None
        latency = (time.perf_counter() - started) * 1000.0
        content_type = dict(returned).get(b"content-type", b"application/json")
        return UpstreamReply(url, status, content, content_type, latency, returned)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
