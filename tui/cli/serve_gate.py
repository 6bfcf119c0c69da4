"""Who may use a served console: a random token in the URL once, then a cookie; or a password.

Every request under the base URL, the websocket upgrade and the static files included, needs
the session cookie; without it the answer is 401. The token (or the password) is traded once
for that cookie, which is HttpOnly (page scripts never see it), SameSite=Strict (another site's
page cannot make the browser send it) and scoped to the base URL's path. Secrets are compared
in constant time.
"""

from __future__ import annotations

import hmac
import html
import secrets
from dataclasses import dataclass, field
from typing import Final

from aiohttp import web

COOKIE: Final = "noc_console_session"
TOKEN_PARAM: Final = "token"
LOGIN_PATH: Final = "login"


def new_token() -> str:
    """A fresh access token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison of two secrets (of any length)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass(frozen=True)
class Gate:
    """The access rule of one server: ``token`` (printed at start) or ``password`` (from an
    environment variable), exactly one; ``session`` is the cookie's value, random per start,
    so a cookie from an earlier run of the server no longer opens anything."""

    base_url: str
    token: str | None = None
    password: str | None = None
    session: str = field(default_factory=new_token)

    def __post_init__(self) -> None:
        if (self.token is None) == (self.password is None):
            raise ValueError("a gate takes a token or a password, exactly one")

    @property
    def login_url(self) -> str:
        return f"{self.base_url}{LOGIN_PATH}"

    def admits(self, request: web.Request) -> bool:
        """The request carries this run's session cookie."""
        return same_secret(request.cookies.get(COOKIE, ""), self.session)

    def token_given(self, request: web.Request) -> bool:
        """A GET of the base URL with ``?token=`` equal to the token."""
        given = request.query.get(TOKEN_PARAM)
        return (
            self.token is not None
            and given is not None
            and request.method == "GET"
            and request.path == self.base_url
            and same_secret(given, self.token)
        )

    def password_matches(self, given: str) -> bool:
        return self.password is not None and same_secret(given, self.password)

    def open_session(self, request: web.Request) -> web.Response:
        """Set the session cookie and send the browser to the base URL, without the token (it
        leaves the address bar and the history)."""
        response = see_other(self.base_url)
        response.set_cookie(
            COOKIE,
            self.session,
            path=self.base_url,
            httponly=True,
            samesite="Strict",
            secure=is_https(request),
        )
        return response

    def refusal(self, *, wrong_password: bool = False) -> web.Response:
        """401: a login form (password mode) or what to open instead (token mode)."""
        if self.password is not None:
            note = "<p class=bad>Wrong password.</p>" if wrong_password else ""
            action = html.escape(self.login_url, quote=True)
            body = (
                "<h1>noc-console</h1>"
                f"{note}<form method=post action='{action}'>"
                "<label>Password <input type=password name=password autofocus "
                "autocomplete=current-password></label> <button>Open</button></form>"
            )
        else:
            body = (
                "<h1>noc-console: 401</h1><p>This console needs its access token. Open the "
                "address <code>noc-console serve</code> printed when it started (the one "
                "with <code>?token=</code>); the browser then keeps a cookie for it.</p>"
            )
        return web.Response(
            status=401, text=page("noc-console: sign in", body), content_type="text/html"
        )


def see_other(location: str) -> web.Response:
    """303 to ``location`` (a path: behind a proxy the browser keeps the proxy's host)."""
    return web.Response(status=303, headers={"Location": location})


def is_https(request: web.Request) -> bool:
    """Served over HTTPS, directly or by a reverse proxy that says so."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


def page(title: str, body: str) -> str:
    """A small self-contained HTML page (no outside fonts or scripts)."""
    return (
        "<!DOCTYPE html><html><head><meta charset=utf-8>"
        f"<title>{html.escape(title)}</title><style>"
        "body{background:#0c181f;color:#e8eef2;font:16px monospace;margin:3em}"
        "code{color:#9cdcfe}.bad{color:#f48771}input,button{font:inherit}"
        f"</style></head><body>{body}</body></html>"
    )
