"""The Ribbon SBC client: form login, the session cookie, re-login, logout, details and filter.

The SBC keeps a session per login (cookie ``PHPSESSID``, plus ``csrfp_token`` on 13.x firmware,
sent back as ``X-CSRF-Token``). A session dies after 10 minutes without a request, so the client
logs in again before a request when it has been idle that long, and once more if a request still
gets a 401. On close it logs out, freeing the session on the box.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx

from tui.core.resources.paths import split_location
from tui.core.resources.writes import FORM, WriteRequest
from tui.core.sources import LinkState
from tui.net.rest.base import Failed, Fetched, Query, RawAnswer, RestClient, serves

IDLE_EXPIRY_S = 600.0  # the SBC's idle timeout
IDLE_MARGIN_S = 30.0  # log in again a little before the box would have forgotten us
CSRF_COOKIE = "csrfp_token"


@serves("sbc")
class SbcClient(RestClient):
    """One SBC; ``auth = "basic"`` targets skip the login and send credentials instead."""

    def __init__(self, *args: Any, idle_expiry_s: float = IDLE_EXPIRY_S, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.idle_expiry_s = idle_expiry_s
        self.logged_in = False
        self.logins = 0
        self._last_activity = 0.0

    @property
    def uses_session(self) -> bool:
        return self.target.auth != "basic"

    def _client_options(self) -> dict[str, Any]:
        if self.uses_session:
            return {}
        return {"auth": httpx.BasicAuth(self.target.user or "", self._secret)}

    def request_params(self, location: str, query: Query) -> list[tuple[str, str]]:
        typed = split_location(location)[1]
        params = []
        if query.details and "details=" not in typed:
            params.append(("details", "true"))
        if query.category and "filter=" not in typed:
            params.append(("filter", query.category))
        return params

    def _headers(self) -> dict[str, str]:
        token = self.client.cookies.get(CSRF_COOKIE)
        return {"x-csrf-token": token} if token else {}

    # -- session ----------------------------------------------------------------------------

    def _session_stale(self) -> bool:
        idle = self._clock() - self._last_activity
        return not self.logged_in or idle > self.idle_expiry_s - IDLE_MARGIN_S

    async def login(self) -> Fetched | None:
        """Log in; None on success, else the failed exchange (shown to the operator)."""
        self.set_state(LinkState.CONNECTING, f"logging in as {self.target.user}")
        self.client.cookies.clear()
        url = self.paths.absolute(self.paths.api_root + "/login")
        form = urlencode({"Username": self.target.user or "", "Password": self._secret}).encode()
        raw = await self.send("POST", url, content=form, headers={"content-type": FORM})
        if isinstance(raw, Failed):
            return self.failed("/rest/login", url, raw, "POST")
        location = self.paths.api_root + "/login"
        outcome = await self.parse(location, raw)
        if raw.status >= 400 or outcome.http_code != 200 or not self.client.cookies:
            self.logged_in = False
            fetched = await self.parsed(location, url, raw, Query(), "POST", resource=outcome)
            self.set_state(LinkState.DOWN, f"login refused (http_code {outcome.http_code})")
            return fetched
        self.logged_in = True
        self.logins += 1
        self._last_activity = self._clock()
        self.set_state(LinkState.UP, f"logged in as {self.target.user}")
        return None

    async def logout(self) -> None:
        if not self.logged_in or self._client is None:
            return
        url = self.paths.absolute(self.paths.api_root + "/logout")
        await self.send("POST", url, headers=self._headers())
        self.logged_in = False
        self.client.cookies.clear()

    async def close(self) -> None:
        try:
            await self.logout()
        finally:
            await super().close()

    async def _exchange(
        self,
        method: str,
        url: str,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[RawAnswer | Failed | Fetched, tuple[str, ...]]:
        """Send with a live session; re-login once on a 401. Returns the answer and notes."""
        notes: list[str] = []
        if self.uses_session and self._session_stale():
            if self.logged_in:
                notes.append("the session had been idle for 10 minutes: logged in again")
            failed = await self.login()
            if failed is not None:
                return failed, tuple(notes)
        raw = await self.send(
            method,
            url,
            content=content,
            headers={**self._headers(), **(headers or {})},
            follow_redirects=method == "GET",
        )
        if isinstance(raw, RawAnswer) and raw.status == 401 and self.uses_session:
            notes.append("the SBC answered 401 (session expired): logged in again")
            failed = await self.login()
            if failed is not None:
                return failed, tuple(notes)
            raw = await self.send(
                method, url, content=content, headers={**self._headers(), **(headers or {})}
            )
        if isinstance(raw, RawAnswer):
            self._last_activity = self._clock()
        return raw, tuple(notes)

    async def get(self, location: str, url: str, query: Query) -> Fetched:
        answer, notes = await self._exchange("GET", url)
        if isinstance(answer, Fetched):
            return answer
        if isinstance(answer, Failed):
            return self.failed(location, url, answer)
        return await self.parsed(location, url, answer, query, notes=notes)

    async def send_write(self, request: WriteRequest, url: str, headers: dict[str, str]) -> Fetched:
        answer, notes = await self._exchange(request.method, url, request.body or None, headers)
        if isinstance(answer, Fetched):
            return answer
        if isinstance(answer, Failed):
            return self.failed(request.location, url, answer, request.method)
        return await self.parsed(request.location, url, answer, Query(), request.method, notes)

    def auth_lines(self) -> tuple[str, ...]:
        if not self.uses_session:
            return ("Authorization: Basic •••••• (user " + (self.target.user or "") + ")",)
        lines = ["Cookie: PHPSESSID=•••••• (session of " + (self.target.user or "") + ")"]
        if self.client.cookies.get(CSRF_COOKIE):
            lines.append("X-CSRF-Token: ••••••")
        return tuple(lines)
