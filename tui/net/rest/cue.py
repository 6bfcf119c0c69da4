"""The Cisco Unity Express client: HTTP Basic on every request, the HTTPS redirect, PI-Version.

CUE answers a plain-HTTP request with a redirect to HTTPS when HTTPS is on. The client follows
it for reads (same host, so the credentials go along) and from then on talks to the HTTPS
address directly, so a write is never turned into a GET by a redirect. Every answer carries a
``PI-Version`` header, kept with the resource.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from tui.core.resources.paths import TargetPaths, split_location
from tui.net.rest.base import Failed, Fetched, Query, RawAnswer, RestClient, serves

_REDIRECTS = (301, 302, 303, 307, 308)


@serves("cue")
class CueClient(RestClient):
    """One CUE module."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pi_version = ""
        self.upgraded_to = ""  # the HTTPS origin CUE redirected us to, once it has

    def _client_options(self) -> dict[str, Any]:
        return {
            "auth": httpx.BasicAuth(self.target.user or "", self._secret),
            "headers": {"accept": "application/xml"},
        }

    def request_params(self, location: str, query: Query) -> list[tuple[str, str]]:
        if query.fields is None or "fields=" in split_location(location)[1]:
            return []
        return [("fields", query.fields)]

    def meta_of(self, raw: RawAnswer) -> tuple[tuple[str, str], ...]:
        version = raw.headers.get("pi-version", "")
        if version:
            self.pi_version = version
        return (("PI-Version", version),) if version else ()

    def _upgrade(self, location_header: str, current: str) -> str | None:
        """The HTTPS URL to retry at, when CUE redirects plain HTTP to HTTPS on the same host."""
        target = urlsplit(urljoin(current, location_header))
        here = urlsplit(current)
        if here.scheme == "http" and target.scheme == "https" and target.hostname == here.hostname:
            self.paths = TargetPaths(self.kind, f"https://{target.netloc}{self.paths.prefix}")
            self.upgraded_to = self.paths.origin
            return urlunsplit(target)
        return None

    async def get(self, location: str, url: str, query: Query) -> Fetched:
        raw = await self.send("GET", url, follow_redirects=False)
        if isinstance(raw, Failed):
            return self.failed(location, url, raw)
        notes: tuple[str, ...] = ()
        if raw.status in _REDIRECTS and raw.headers.get("location"):
            upgraded = self._upgrade(raw.headers["location"], url)
            if upgraded is None:
                where = raw.headers["location"]
                notes = (f"redirected to {where}: not followed (not HTTPS on the same host)",)
            else:
                notes = (f"CUE redirected HTTP to HTTPS: now using {self.paths.origin}",)
                url = upgraded
                raw = await self.send("GET", url, follow_redirects=False)
                if isinstance(raw, Failed):
                    return self.failed(location, url, raw)
        return await self.parsed(location, url, raw, query, notes=notes)

    def auth_lines(self) -> tuple[str, ...]:
        return (f"Authorization: Basic •••••• (user {self.target.user})",)
