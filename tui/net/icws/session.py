"""An ICWS session: logging in, what the server handed back, and how later requests carry it.

ICWS wants three things on every session request (docs/protocols.md §2.3): the session id
in the path, the ``ININ-ICWS-CSRF-Token`` header, and the ``icws_<sessionId>`` cookie. The
cookie is kept here and sent explicitly rather than left to a cookie jar: a jar would drop it
for a ``Secure`` cookie over plain HTTP or for a proxy that re-roots the path (pain point 6).
None of these values, nor the password, ever goes into an event, a log or the journal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import httpx

from tui.core.errors.rules import is_prefix_match
from tui.core.protocols.icws_wire import ErrorBody, parse_error_body
from tui.core.sanitize import clean_line

ICWS_MEDIA = "application/vnd.inin.icws+JSON"
LOGIN_TYPE = "urn:inin.com:connection:icAuthConnectionRequestSettings"
# errorIds (matched by ICWS prefix rules) that say the session itself is invalid or expired
SESSION_ERROR = "error.request.connection"
# errorIds of a 503 that says this host is not serving sessions (switchover)
SWITCHOVER_ERROR = "error.server"


class IcwsFailure(Exception):
    """A request that did not do what it should; ``what`` says which step, for the operator."""

    def __init__(self, what: str, detail: str, *, status: int = 0, error: ErrorBody | None = None):
        super().__init__(f"{what}: {detail}")
        self.what = what
        self.detail = detail
        self.status = status
        self.error = error or ErrorBody()


class SessionLost(IcwsFailure):
    """The server says the session is gone (see :func:`session_failure`): log in again."""


class LoginRefused(IcwsFailure):
    """The server (or the config) refuses this login: retrying would only lock the account."""


class ServerTrouble(IcwsFailure):
    """Unreachable, 5xx, or an answer the console cannot use: back off and try again."""

    @property
    def brief(self) -> str:
        """A few words for the source board: ``HTTP 500`` or the transport failure."""
        return f"HTTP {self.status}" if self.status else clean_line(self.detail, 60, squeeze=True)


class Switchover(ServerTrouble):
    """503 on login with ``alternateHostList``: this host is not taking connections.

    A ServerTrouble: when every host refuses (both sides of a switchover at once), the
    client backs off and tries them all again.
    """

    def __init__(self, what: str, detail: str, *, status: int, error: ErrorBody) -> None:
        super().__init__(what, detail, status=status, error=error)
        self.alternates = error.alternate_hosts


@dataclass(slots=True)
class IcwsSession:
    """A logged-in session on one host."""

    base_url: str  # the host's base (scheme, host, port, proxy prefix) without a trailing slash
    session_id: str
    csrf_token: str = field(repr=False)
    cookie_header: str = field(repr=False)
    features: dict[str, int]
    alternate_hosts: tuple[str, ...]
    user_display_name: str = ""
    server_label: str = ""  # icServer name the server reports

    def url(self, path: str) -> str:
        return f"{self.base_url}/icws/{self.session_id}/{path}"

    def headers(self, language: str) -> dict[str, str]:
        return {
            "Accept": f"{ICWS_MEDIA}, application/json",
            "Accept-Language": language,
            "ININ-ICWS-CSRF-Token": self.csrf_token,
            "Cookie": self.cookie_header,
        }

    @property
    def messaging_version(self) -> int:
        return self.features.get("messaging", 0)


def body_headers(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Content-Type": f"{ICWS_MEDIA};charset=utf-8"}


def _cookie_header(response: httpx.Response, session_id: str) -> tuple[str, bool]:
    pairs: list[str] = []
    has_session_cookie = False
    for value in response.headers.get_list("set-cookie"):
        pair = value.split(";", 1)[0].strip()
        name = pair.partition("=")[0].strip()
        if not name:
            continue
        pairs.append(pair)
        has_session_cookie |= name == f"icws_{session_id}"
    return "; ".join(pairs), has_session_cookie


def error_detail(response: httpx.Response) -> tuple[str, ErrorBody]:
    error = parse_error_body(response.content)
    text = error.describe() or clean_line(response.reason_phrase or "no explanation", 80)
    return f"HTTP {response.status_code}: {text}", error


def says_session_gone(status: int, error: ErrorBody) -> bool:
    """Whether a failed answer to a session call means the session no longer exists.

    ICWS uses 401 only for a session that is missing, invalid or expired. An errorId under
    ``error.request.connection`` (matched by whole segments) names a problem with the session
    itself, so it counts whatever the status. A 503 whose ICWS body lists alternate hosts or an
    ``error.server`` reason is a switchover: the session does not survive the move to the
    other host. Anything else (500, 502, 504, a proxy's bare 503, other 4xx) is trouble the
    session may outlive, so the caller keeps it and retries.
    """
    if status == 401 or is_prefix_match(SESSION_ERROR, error.error_id):
        return True
    return status == 503 and (
        bool(error.alternate_hosts) or is_prefix_match(SWITCHOVER_ERROR, error.error_id)
    )


def session_failure(what: str, response: httpx.Response) -> IcwsFailure:
    """A non-success answer to a session call as SessionLost or ServerTrouble."""
    detail, error = error_detail(response)
    status = response.status_code
    if says_session_gone(status, error):
        return SessionLost(what, detail, status=status, error=error)
    return ServerTrouble(what, detail, status=status, error=error)


async def login(
    http: httpx.AsyncClient,
    base_url: str,
    *,
    user: str,
    password: str,
    application: str,
    language: str,
) -> IcwsSession:
    """``POST /icws/connection``; raises LoginRefused, Switchover or ServerTrouble on failure."""
    body = {
        "__type": LOGIN_TYPE,
        "applicationName": application,
        "userID": user,
        "password": password,
    }
    headers = body_headers(
        {"Accept": f"{ICWS_MEDIA}, application/json", "Accept-Language": language}
    )
    try:
        response = await http.post(
            f"{base_url}/icws/connection",
            params={"include": "features,version"},
            content=json.dumps(body).encode(),
            headers=headers,
        )
    except httpx.HTTPError as exc:
        raise ServerTrouble("login", f"{base_url} unreachable: {describe_transport(exc)}") from None
    if response.status_code == 503:
        detail, error = error_detail(response)
        if error.alternate_hosts:
            raise Switchover("login", detail, status=503, error=error)
        raise ServerTrouble("login", detail, status=503, error=error)
    if response.status_code in (400, 401, 403):
        detail, error = error_detail(response)
        raise LoginRefused("login", detail, status=response.status_code, error=error)
    if response.status_code != 201 and not 200 <= response.status_code < 300:
        detail, error = error_detail(response)
        raise ServerTrouble("login", detail, status=response.status_code, error=error)
    return _session_from(response, base_url)


def _session_from(response: httpx.Response, base_url: str) -> IcwsSession:
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise ServerTrouble(
            "login", "HTTP 201 without a connectionResponse body", status=response.status_code
        )
    session_id = response.headers.get("ININ-ICWS-Session-ID") or data.get("sessionId")
    csrf = response.headers.get("ININ-ICWS-CSRF-Token") or data.get("csrfToken")
    if not isinstance(session_id, str) or not session_id.strip() or "/" in session_id:
        raise ServerTrouble(
            "login", "the answer carries no usable session id", status=response.status_code
        )
    if not isinstance(csrf, str) or not csrf:
        raise ServerTrouble(
            "login", "the answer carries no CSRF token", status=response.status_code
        )
    cookie, has_session_cookie = _cookie_header(response, session_id)
    if not has_session_cookie:
        raise ServerTrouble(
            "login",
            f"the answer set no icws_{clean_line(session_id, 20)} cookie "
            "(a proxy in between may be stripping it)",
            status=response.status_code,
        )
    features: dict[str, int] = {}
    for item in data.get("features") or []:
        if isinstance(item, dict) and isinstance(item.get("featureId"), str):
            version = item.get("version")
            if isinstance(version, int) and not isinstance(version, bool):
                features[item["featureId"].casefold()] = version
    hosts = data.get("alternateHostList")
    return IcwsSession(
        base_url=base_url,
        session_id=session_id,
        csrf_token=csrf,
        cookie_header=cookie,
        features=features,
        alternate_hosts=tuple(clean_line(h, 255) for h in hosts if isinstance(h, str) and h.strip())
        if isinstance(hosts, list)
        else (),
        user_display_name=clean_line(str(data.get("userDisplayName") or ""), 80),
        server_label=clean_line(str(data.get("icServer") or ""), 80),
    )


def describe_transport(exc: BaseException) -> str:
    """A transport error as a short phrase (httpx messages can be empty)."""
    kinds: dict[type[BaseException], str] = {
        httpx.ConnectTimeout: "connect timed out",
        httpx.ReadTimeout: "no answer in time",
        httpx.WriteTimeout: "send timed out",
        httpx.PoolTimeout: "connection pool timed out",
        httpx.ConnectError: "cannot connect",
        httpx.RemoteProtocolError: "connection broken",
        httpx.ReadError: "read failed",
    }
    kind = kinds.get(type(exc), type(exc).__name__)
    text = clean_line(str(exc), 160)
    if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
        reason = text.split("certificate verify failed:", 1)[-1].split("(_ssl", 1)[0].strip()
        return (
            f"TLS certificate not trusted ({reason or 'verify failed'}): set ca_file to the CA "
            "that signed it, or verify_tls = false to skip the check (the header shows TLS-OFF)"
        )
    return f"{kind} ({text})" if text and text not in kind else kind


def alternate_base(base_url: str, host: str) -> str | None:
    """The base URL for an alternate host: same scheme, port and path prefix (§1.6).

    A ``host:port`` entry keeps its own port (two simulated hosts share the loopback address).
    """
    host = host.strip()
    if not host or any(c in host for c in "/?#@ \\"):
        return None
    url = httpx.URL(base_url)
    name, port = host, url.port
    if host.startswith("["):  # [v6]:port
        end = host.find("]")
        if end < 0:
            return None
        name, rest = host[1:end], host[end + 1 :]
        if rest.startswith(":") and rest[1:].isdigit():
            port = int(rest[1:])
    elif host.count(":") == 1:
        name, _, port_text = host.partition(":")
        if not port_text.isdigit():
            return None
        port = int(port_text)
    try:
        return str(url.copy_with(host=name, port=port)).rstrip("/")
    except (httpx.InvalidURL, ValueError):
        return None
