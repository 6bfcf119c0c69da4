"""A Ribbon SBC Edge REST API on loopback: form login, session cookie, XML envelope, app codes.

Behaviour copied from the SBC Edge REST API (docs/protocols.md §3):

- ``POST /rest/login`` (form ``Username``/``Password``) sets ``PHPSESSID`` (and, like 13.x
  firmware when ``csrf`` is on, a ``csrfp_token`` cookie that must come back as
  ``X-CSRF-Token``); a session expires after ``idle_timeout_s`` without a request; no or an
  expired session gets a real HTTP 401; ``POST /rest/logout`` ends it;
- every answer is transport 200 with the outcome in ``<http_code>``; ``details`` and ``filter``
  are case-sensitive and checked (400 + app code 20035); where no public code is known the
  simulator sends its own (99101…, marked as simulator codes wherever they show);
- hrefs carry the box's own address (``https://10.0.0.5/rest/…``), bodies start with blank
  lines, one href holds a raw ``&``, one omits ``/rest/``;
- PUT creates, POST modifies or runs ``?action=``, DELETE deletes; deleting SIP-to-Q.850
  mapping 3 while SG 2 uses it answers 409 with app code 31003 and params ``3|2``;
- the trunk-failure incident (story 1, docs/architecture.md §11.5) turns SIP server 1:2 down, raises
  an alarm and makes the carrier signaling group's failed-call counter climb.
"""

from __future__ import annotations

import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from tui.core.resources import CATEGORIES
from tui.sim.asgi import Receive, Request, Scope, Send, read_request, reject_non_http, respond
from tui.sim.sbc.tree import Moment, SbcTree, SimField, SimResource, build_sbc_tree, incident_alarm

XML = "application/xml"
# Ribbon's codes where one is known (20035: a query parameter value not accepted; 31003: a
# mapping in use); for the rest no public code was found, so the simulator sends codes of its
# own, which the packaged catalog marks as simulator codes (sbc-simulator-codes.toml).
BAD_QUERY = "20035"
IN_USE = "31003"
NOT_FOUND = "99101"
LOGIN_FAILED = "99102"
EXISTS = "99104"
NOT_ALLOWED = "99105"
NOT_WRITABLE = "99106"
SESSION_COOKIE = "PHPSESSID"
CSRF_COOKIE = "csrfp_token"


@dataclass(frozen=True)
class IncidentSchedule:
    """When the trunk failure plays: from ``start_s`` for ``duration_s``, every ``period_s``."""

    start_s: float = 20.0
    duration_s: float = 75.0
    period_s: float = 150.0

    def state(self, t: float) -> tuple[bool, float]:
        if t < self.start_s:
            return False, 0.0
        phase = (t - self.start_s) % self.period_s
        return (True, phase) if phase < self.duration_s else (False, 0.0)


class SbcSimulator:
    """The ASGI app; one instance is one SBC. Thread-safe enough for its own loop."""

    def __init__(
        self,
        *,
        seed: int = 5,
        clock: Callable[[], float] = time.monotonic,
        user: str = "restuser",
        password: str = "",
        address: str = "10.0.0.5",
        idle_timeout_s: float = 600.0,
        csrf: bool = False,
        schedule: IncidentSchedule | None = None,
        bulk_sipsg: int = 0,
    ) -> None:
        self.rng = random.Random(seed)
        self.clock = clock
        self.started = clock()
        self.user = user
        self.password = password
        self.address = address
        self.idle_timeout_s = idle_timeout_s
        self.csrf = csrf
        self.schedule = schedule
        self.forced_incident: bool | None = None
        self.forced_at = 0.0
        self.tree: SbcTree = build_sbc_tree(self.rng, bulk_sipsg_count=bulk_sipsg)
        self.sessions: dict[str, tuple[float, str]] = {}  # id → (last seen, csrf token)
        self.logins = 0
        self.logouts = 0
        self.requests: list[tuple[str, str]] = []  # (method, path?query), for tests

    # -- control ----------------------------------------------------------------------------

    def set_incident(self, on: bool | None) -> None:
        """Force the trunk failure on or off; ``None`` hands it back to the schedule."""
        self.forced_incident = on
        self.forced_at = self.clock()

    def moment(self) -> Moment:
        t = max(0.0, self.clock() - self.started)
        if self.forced_incident is not None:
            since = max(0.0, self.clock() - self.forced_at) if self.forced_incident else 0.0
            return Moment(t, self.forced_incident, since)
        if self.schedule is None:
            return Moment(t)
        on, since = self.schedule.state(t)
        return Moment(t, on, since)

    # -- rendering --------------------------------------------------------------------------

    def _href(self, path: str) -> str:
        return f"https://{self.address}{path}"

    def _field(self, field: SimField, moment: Moment) -> str:
        value = escape(field.text(moment))
        attrs = ""
        if field.href:
            href = self._href(field.href)
            attrs = f' href="{href}"' if field.raw_href else f" href={quoteattr(href)}"
        if field.entries:
            entries = "".join(
                f"<entry href={quoteattr(self._href(p))}>{escape(v)}</entry>"
                for v, p in field.entries
            )
            return f'<{field.name} count="{len(field.entries)}">{entries}</{field.name}>'
        return f"<{field.name}{attrs}>{value}</{field.name}>"

    def _resource(self, res: SimResource, moment: Moment, category: str) -> str:
        head = f"<{res.name}"
        if res.id:
            head += f" id={quoteattr(res.id)}"
        head += f" href={quoteattr(self._href(res.path))}"
        if res.runtime_error is not None and category in ("", "runtime"):
            found = res.runtime_error(moment)
            if found:
                head += f' app_code_runtime="{found[0]}" app_params_runtime={quoteattr(found[1])}'
        body = "".join(
            self._field(f, moment) for f in res.fields if not category or f.category == category
        )
        return f"{head}>{body}</{res.name}>"

    @staticmethod
    def _envelope(http_code: int, block: str = "", errors: str = "") -> bytes:
        status = f"<status><http_code>{http_code}</http_code>{errors}</status>"
        return f'\n\n<?xml version="1.0"?>\n<root>{status}{block}</root>\n'.encode()

    def _error(self, http_code: int, path: str, code: str, params: str) -> bytes:
        entry = f"<app_status_entry code={quoteattr(code)} params={quoteattr(params)}/>"
        errors = f"<app_status href={quoteattr(self._href(path))}>{entry}</app_status>"
        return self._envelope(http_code, errors=errors)

    # -- the tree with the incident's extras -----------------------------------------------

    def _resources(self, moment: Moment) -> dict[str, SimResource]:
        if not moment.incident:
            return self.tree.resources
        started_ms = 1_773_000_000_000 + int((moment.t - moment.incident_for) * 1000)
        extra = incident_alarm(moment, started_ms)
        return {**self.tree.resources, extra.path: extra}

    def _members(self, collection: str, moment: Moment) -> list[str] | None:
        members = self.tree.collections.get(collection)
        if collection == "/rest/activealarm" and members is not None and moment.incident:
            return [*members, "/rest/activealarm/9"]
        return members

    # -- ASGI -------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if reject_non_http(scope):
            return
        request = await read_request(scope, receive)
        self.requests.append(
            (request.method, request.path + (f"?{request.raw_query}" if request.raw_query else ""))
        )
        status, body, headers = self.handle(request)
        await respond(send, status, body, XML, headers)

    def handle(self, request: Request) -> tuple[int, bytes, list[tuple[str, str]]]:
        path = request.path.rstrip("/") or "/"
        if path == "/rest/login" and request.method == "POST":
            return self._login(request)
        session = self._session(request)
        if session is None:
            return 401, self._envelope(401), []
        if path == "/rest/logout" and request.method == "POST":
            self.sessions.pop(session, None)
            self.logouts += 1
            return (
                200,
                self._envelope(200),
                [("set-cookie", f"{SESSION_COOKIE}=deleted; Path=/; Max-Age=0")],
            )
        moment = self.moment()
        if request.method == "GET":
            return 200, self._get(path, request, moment), []
        if request.method == "DELETE":
            return 200, self._delete(path), []
        if request.method in ("POST", "PUT"):
            return 200, self._write(path, request, moment), []
        return 200, self._error(405, path, NOT_ALLOWED, request.method), []

    def _login(self, request: Request) -> tuple[int, bytes, list[tuple[str, str]]]:
        form = request.form()
        if form.get("Username") != self.user or form.get("Password") != self.password:
            return 200, self._error(500, "/rest/login", LOGIN_FAILED, form.get("Username", "")), []
        session = secrets.token_hex(16)
        token = secrets.token_hex(8) if self.csrf else ""
        self.sessions[session] = (self.clock(), token)
        self.logins += 1
        headers = [("set-cookie", f"{SESSION_COOKIE}={session}; Path=/; HttpOnly")]
        if token:
            headers.append(("set-cookie", f"{CSRF_COOKIE}={token}; Path=/"))
        return 200, self._envelope(200), headers

    def _session(self, request: Request) -> str | None:
        session = request.cookies.get(SESSION_COOKIE, "")
        found = self.sessions.get(session)
        if found is None:
            return None
        last_seen, token = found
        now = self.clock()
        if now - last_seen > self.idle_timeout_s:
            del self.sessions[session]
            return None
        if token and request.headers.get("x-csrf-token") != token:
            return None
        self.sessions[session] = (now, token)
        return session

    def _query_error(self, path: str, request: Request, categories: set[str]) -> bytes | None:
        details = request.query.get("details")
        if details is not None and details not in ("true", "false"):
            return self._error(400, path, BAD_QUERY, f"details={details}")
        wanted = request.query.get("filter")
        if wanted is not None and (
            wanted not in CATEGORIES or (categories and wanted not in categories)
        ):
            return self._error(400, path, BAD_QUERY, f"filter={wanted}")
        return None

    def _get(self, path: str, request: Request, moment: Moment) -> bytes:
        resources = self._resources(moment)
        category = request.query.get("filter", "")
        single = resources.get(path)
        if single is not None:
            problem = self._query_error(path, request, single.categories)
            return problem or self._envelope(200, self._resource(single, moment, category))
        members = self._members(path, moment)
        if members is None:
            return self._error(404, path, NOT_FOUND, path)
        rows = [resources[p] for p in members if p in resources]
        categories = set().union(*(r.categories for r in rows)) if rows else set()
        problem = self._query_error(path, request, categories)
        if problem:
            return problem
        name = path.rsplit("/", 1)[-1]
        if request.query.get("details") == "true":
            inner = "".join(self._resource(r, moment, category) for r in rows)
        else:
            inner = "".join(
                f"<{name}_pk id={quoteattr(r.id)} href={quoteattr(self._href(r.path))}/>"
                for r in rows
            )
        return self._envelope(200, f'<{name}_list count="{len(rows)}">{inner}</{name}_list>')

    def _delete(self, path: str) -> bytes:
        resource = self.tree.resources.get(path)
        if resource is None:
            return self._error(404, path, NOT_FOUND, path)
        if resource.name == "sipq850map":
            users = [
                r.id
                for r in self.tree.resources.values()
                if r.name == "sipsg"
                and (f := r.field("SIPtoQ850MapTableID"))
                and f.value == resource.id
            ]
            if users:
                return self._error(409, path, IN_USE, f"{resource.id}|{users[0]}")
        self.tree.remove(path)
        return self._envelope(200)

    def _write(self, path: str, request: Request, moment: Moment) -> bytes:
        action = request.query.get("action")
        existing = self.tree.resources.get(path)
        if action is not None:
            if existing is None and path not in self.tree.collections:
                return self._error(404, path, NOT_FOUND, path)
            if action != action.lower() or not action.isalpha():
                return self._error(400, path, BAD_QUERY, f"action={action}")
            return self._envelope(200)
        form = request.form()
        if request.method == "PUT":
            if existing is not None:
                return self._error(500, path, EXISTS, path)
            parent, _, new_id = path.rpartition("/")
            if parent not in self.tree.collections or not new_id:
                return self._error(404, path, NOT_FOUND, path)
            created = SimResource(
                parent.rsplit("/", 1)[-1], new_id, path, [SimField(k, v) for k, v in form.items()]
            )
            self.tree.add(created, parent)
            return self._envelope(200, self._resource(created, moment, ""))
        if existing is None:
            return self._error(404, path, NOT_FOUND, path)
        for key, value in form.items():
            found = existing.field(key)
            if found is None or found.category != "configuration":
                return self._error(400, path, NOT_WRITABLE, key)
            found.value = value
        return self._envelope(200, self._resource(existing, moment, ""))
