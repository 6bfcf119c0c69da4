"""One simulated ICWS host as an ASGI app: the real endpoints, headers and bodies.

- ``POST /icws/connection`` (needs ``Accept-Language``; ``include=features,version``) → 201
  with ``ININ-ICWS-CSRF-Token``, ``ININ-ICWS-Session-ID``,
  ``Set-Cookie: icws_<id>=<guid>; Path=/icws/<id>`` and the ``connectionResponse`` body;
  400 on bad credentials; 503 + ``alternateHostList`` when the host is not accepting
  connections (switchover).
- Session calls need the session cookie and, except ``GET …/messaging/messages``, the CSRF
  header; a missing or unknown session answers 401 with ``WWW-Authenticate``.
- ``GET …/messaging/messages``: a destructive read, JSON array (or an empty body under the
  empty-200 fault), or an event stream when the client accepts ``text/event-stream``.
- Under the hang fault, a request is accepted and never answered (recorded with status 0
  once its client hangs up).
- ``PUT``/``DELETE`` subscriptions: queues/{id}, status/user-statuses, status/status-messages,
  statistics/statistic-values, alerts/alert-notifications.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from tui.net.asgi import Message
from tui.sim.icws.asgi import (
    Receive,
    Reply,
    Scope,
    Send,
    cookies,
    hold_open,
    read_body,
    respond,
    stream_events,
)
from tui.sim.icws.faults import Faults
from tui.sim.icws.sessions import QueueSubscription, SimSession
from tui.sim.icws.world import ContactCentre

_SESSION_PATH = re.compile(r"^/icws/(?P<sid>[^/]+)/(?P<rest>.+)$")
_SUBSCRIPTIONS = "messaging/subscriptions/"
SESSION_INVALID = {
    "errorId": "error.request.connection.authenticationFailure",
    "errorCode": -2147221499,
    "message": "The specified session token is missing, invalid, or has expired.",
}
CSRF_MISSING = {
    "errorCode": 2,
    "message": "An authentication token was expected in the request, but not found.",
}
COOKIE_MISSING = {"errorCode": 4, "message": "A session cookie was expected in the request."}


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """What a client sent, for tests that check it used ICWS's session rules."""

    host: str
    method: str
    path: str
    status: int
    accept_language: str
    has_csrf: bool
    has_cookie: bool
    accept: str


@dataclass(slots=True)
class Tally:
    """What the hosts of one pair have served, counted across all of them."""

    delivered: int = 0  # messages handed to clients (polls and streams): reads are destructive
    streams_opened: int = 0  # event streams served so far (each is numbered from 0)


@dataclass(frozen=True, slots=True)
class HostContext:
    """What a host shares with the other hosts of its pair, handed to it by the pair.

    Values (the contact centre, the fault switches, the users, the tally) and three callbacks
    into the pair: the addresses of the other hosts (for ``alternateHostList``), where a
    request record goes, and the pair's idle-session rule.
    """

    world: ContactCentre
    faults: Faults
    users: Mapping[str, str]
    tally: Tally
    peers: Callable[[IcwsSimServer], list[str]]
    record: Callable[[RequestRecord], None]
    expire_idle: Callable[[IcwsSimServer], None]


class IcwsSimServer:
    """One host of the simulated CIC pair (primary or backup)."""

    def __init__(self, context: HostContext, name: str, messaging_version: int = 2) -> None:
        self.context = context
        self.name = name
        self.address = ""  # host:port once served
        self.accepting = True
        self.messaging_version = messaging_version
        self.sessions: dict[str, SimSession] = {}

    # -- ASGI ---------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method, path = scope["method"], scope["path"]
        faults = self.context.faults
        hung = faults.hung(self.context.world.now)
        if faults.slow_s > 0 and not hung:
            await asyncio.sleep(faults.slow_s)
        status = 500
        recorded = False

        def record(answered: int) -> None:
            nonlocal recorded
            recorded = True
            self.context.record(
                RequestRecord(
                    host=self.name,
                    method=method,
                    path=path,
                    status=answered,
                    accept_language=headers.get("accept-language", ""),
                    has_csrf="inin-icws-csrf-token" in headers,
                    has_cookie="cookie" in headers,
                    accept=headers.get("accept", ""),
                )
            )

        async def send_recorded(message: Message) -> None:
            # Recorded before the answer leaves: a client that has its answer finds its request
            # in the log (recorded after, a test reading the log at once could miss it).
            if message["type"] == "http.response.start" and not recorded:
                record(int(message["status"]))
            await send(message)

        try:
            if hung:
                status = 0
                await hold_open(receive)
                return
            body = await read_body(receive)
            status = await self._route(scope, headers, method, path, body, receive, send_recorded)
        except Reply as reply:
            status = reply.status
            await respond(send_recorded, reply.status, reply.body, reply.headers)
        finally:
            if not recorded:  # no answer went out (hung, or the connection went away)
                record(status)

    async def _route(
        self,
        scope: Scope,
        headers: dict[str, str],
        method: str,
        path: str,
        body: bytes,
        receive: Receive,
        send: Send,
    ) -> int:
        if path == "/icws/connection":
            if method != "POST":
                raise Reply(
                    405,
                    {
                        "errorId": "error.request.accessDenied.httpMethodNotAllowed",
                        "message": "Method not allowed.",
                    },
                )
            return await self._login(scope, headers, body, send)
        if path == "/icws/connection/features":
            await respond(send, 200, {"featureInfoList": self.features()})
            return 200
        match = _SESSION_PATH.match(path)
        if match is None:
            raise Reply(404, {"message": "No such resource."})
        session = self._session(
            match["sid"],
            headers,
            needs_csrf=not (method == "GET" and match["rest"] == "messaging/messages"),
        )
        session.last_seen = self.context.world.now
        rest = match["rest"]
        if rest == "connection":
            if method == "DELETE":
                self.drop(session.session_id)
                await respond(send, 204, None)
                return 204
            if method == "GET":
                await respond(send, 200, {"connectionState": 1})
                return 200
        elif rest == "messaging/messages" and method == "GET":
            return await self._messages(session, headers, receive, send)
        elif rest == "messaging/heartbeat" and method == "POST":
            await respond(send, 204, None)
            return 204
        elif rest.startswith(_SUBSCRIPTIONS) and method in ("PUT", "DELETE"):
            status = self._subscription(session, method, rest[len(_SUBSCRIPTIONS) :], body)
            await respond(send, status, None)
            return status
        raise Reply(404, {"message": f"No such resource: {method} {path}"})

    def features(self) -> list[dict[str, Any]]:
        return [
            {"featureId": "connection", "version": 11},
            {"featureId": "messaging", "version": self.messaging_version},
            {"featureId": "queues", "version": 2},
            {"featureId": "status", "version": 4},
            {"featureId": "statistics", "version": 3},
            {"featureId": "alerts", "version": 1},
        ]

    # -- connection -----------------------------------------------------------------------

    async def _login(self, scope: Scope, headers: dict[str, str], body: bytes, send: Send) -> int:
        if not self.accepting:
            # the peers a CIC server is configured with, whatever state they are in right now
            others = self.context.peers(self)
            raise Reply(
                503,
                {
                    "alternateHostList": others,
                    "errorId": "error.server.notAcceptingConnections",
                    "message": "This Session Manager is not currently accepting connections.",
                },
            )
        if not headers.get("accept-language"):
            raise Reply(400, {"message": "The Accept-Language header is required."})
        settings = _json_body(body)
        if (
            not isinstance(settings, dict)
            or settings.get("__type") != "urn:inin.com:connection:icAuthConnectionRequestSettings"
        ):
            raise Reply(
                400,
                {
                    "errorId": "error.request.invalidRepresentation",
                    "message": "Unsupported connection request settings.",
                },
            )
        user, password = settings.get("userID"), settings.get("password")
        if not settings.get("applicationName") or self.context.users.get(str(user)) != password:
            raise Reply(
                400,
                {
                    "errorId": "error.request.connection.authenticationFailure",
                    "errorCode": -2147221503,
                    "message": "The authentication process failed.",
                },
            )
        rng = self.context.world.rng
        session_id = str(rng.randrange(1_000_000, 2_000_000_000))
        csrf = base64.b64encode(rng.randbytes(48)).decode()
        cookie = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        session = SimSession(session_id, csrf, cookie, str(user), self.context.world.now)
        self.sessions[session_id] = session
        include = {
            i.strip()
            for v in parse_qs(scope.get("query_string", b"").decode()).get("include", [])
            for i in v.split(",")
        }
        reply: dict[str, Any] = {
            "csrfToken": csrf,
            "sessionId": session_id,
            "alternateHostList": self.context.peers(self),
            "userID": user,
            "userDisplayName": str(user),
            "icServer": self.name,
        }
        if "features" in include:
            reply["features"] = self.features()
        if "version" in include:
            reply["version"] = {
                "majorVersion": "23", "minorVersion": "1", "su": "0", "build": "23.1.0.17",
                "productId": "CIC", "codebaseId": "2023R1",
                "productReleaseDisplayString": "PureConnect 2023 R1 (simulated)",
            }  # fmt: skip
        location = f"/icws/{session_id}/connection"
        await respond(
            send,
            201,
            reply,
            [
                (b"inin-icws-csrf-token", csrf.encode()),
                (b"inin-icws-session-id", session_id.encode()),
                (
                    b"set-cookie",
                    f"icws_{session_id}={cookie}; Path=/icws/{session_id}; HttpOnly".encode(),
                ),
                (b"location", location.encode()),
            ],
        )
        return 201

    def _session(self, session_id: str, headers: dict[str, str], *, needs_csrf: bool) -> SimSession:
        self.context.expire_idle(self)
        session = self.sessions.get(session_id)
        auth = [(b"www-authenticate", b'ICWS realm="ICWS" location="/ICWS/connection"')]
        if session is None:
            raise Reply(401, SESSION_INVALID, auth)
        sent = cookies(headers.get("cookie", ""))
        if sent.get(f"icws_{session_id}") != session.cookie:
            raise Reply(401, COOKIE_MISSING, auth)
        if needs_csrf and headers.get("inin-icws-csrf-token") != session.csrf:
            raise Reply(401, CSRF_MISSING, auth)
        return session

    def drop(self, session_id: str) -> None:
        session = self.sessions.pop(session_id, None)
        if session is not None:
            session.close()

    def drop_all(self) -> None:
        for session_id in list(self.sessions):
            self.drop(session_id)

    # -- subscriptions --------------------------------------------------------------------

    def _subscription(self, session: SimSession, method: str, resource: str, body: bytes) -> int:
        world = self.context.world
        data: Any = None
        if method == "PUT" and body.strip():
            data = _json_body(body)
        if resource.startswith("queues/"):
            sub_id = resource[len("queues/") :]
            if method == "DELETE":
                session.queues.pop(sub_id, None)
                return 204
            queue_ids, names = _queue_request(data)
            session.subscribe_queue(sub_id, QueueSubscription(queue_ids, names), world)
            return 204
        if resource == "status/user-statuses":
            if method == "DELETE":
                session.user_ids = None
                return 204
            users = data.get("userIds") if isinstance(data, dict) else None
            if (
                not isinstance(users, list)
                or not users
                or not all(isinstance(u, str) for u in users)
            ):
                raise Reply(400, _missing("userIds"))
            session.subscribe_users(users, world)
            return 200
        if resource == "status/status-messages":
            if method == "DELETE":
                session.status_messages = False
                return 204
            session.subscribe_status_messages()
            return 200
        if resource == "statistics/statistic-values":
            if method == "DELETE":
                session.stat_keys = None
                return 204
            keys = data.get("statisticKeys") if isinstance(data, dict) else None
            if not isinstance(keys, list) or not all(isinstance(k, dict) for k in keys):
                raise Reply(400, _missing("statisticKeys"))
            session.subscribe_statistics(keys, world)
            return 204
        if resource == "alerts/alert-notifications":
            if method == "DELETE":
                session.alerts = False
                return 204
            session.subscribe_alerts(world)
            return 204
        raise Reply(404, {"message": f"No such subscription resource: {resource}"})

    # -- the messaging channel ------------------------------------------------------------

    async def _messages(
        self, session: SimSession, headers: dict[str, str], receive: Receive, send: Send
    ) -> int:
        context = self.context
        failing = context.faults.failing_poll(context.world.now)
        if failing:  # polls and stream requests alike; the session's queue is left alone
            raise Reply(failing, {"errorCode": -2147467259, "message": "Unspecified error."})
        if "text/event-stream" in headers.get("accept", "") and self.messaging_version >= 2:
            await self._event_stream(session, receive, send)
            return 200
        await self._wait_while_held()
        messages = session.take_all()
        context.tally.delivered += len(messages)
        if not messages and context.faults.empty_200:
            await respond(send, 200, b"")  # the known quirk: JSON content type, no body
        else:
            await respond(send, 200, messages)
        return 200

    async def _wait_while_held(self) -> None:
        """A poll that arrives while polls are held waits, its queue unread, until released."""
        faults = self.context.faults
        if not faults.polls_held:
            return
        faults.polls_waiting += 1
        try:
            while faults.polls_held:
                await asyncio.sleep(0.005)
        finally:
            faults.polls_waiting -= 1

    async def _event_stream(self, session: SimSession, receive: Receive, send: Send) -> None:
        context = self.context

        def touch() -> None:
            session.last_seen = context.world.now

        def sent(count: int) -> None:
            context.tally.delivered += count

        number = context.tally.streams_opened
        context.tally.streams_opened += 1

        def stalled() -> bool:
            return number < context.faults.streams_stalled

        ping_s = context.faults.sse_ping_s
        await stream_events(session, receive, send, ping_s, touch, sent, stalled)


def _queue_request(data: Any) -> tuple[list[tuple[int, str]], list[str]]:
    if not isinstance(data, dict):
        raise Reply(400, _missing("queueIds"))
    raw_ids, names = data.get("queueIds"), data.get("attributeNames")
    if not isinstance(raw_ids, list) or not raw_ids:
        raise Reply(400, _missing("queueIds"))
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise Reply(400, _missing("attributeNames"))
    queue_ids = []
    for item in raw_ids:
        if (
            not isinstance(item, dict)
            or item.get("queueType") not in (0, 1, 2, 3)
            or not isinstance(item.get("queueName"), str)
        ):
            raise Reply(
                400,
                {
                    "__type": "urn:inin.com:common:invalidPropertyError",
                    "errorId": "error.request.invalidRepresentation.invalidProperty",
                    "message": "A queue id is not valid.",
                    "propertyName": "queueIds",
                },
            )
        queue_ids.append((item["queueType"], item["queueName"]))
    return queue_ids, names


def _missing(name: str) -> dict[str, Any]:
    # errorId: the sibling of invalidProperty, inferred, not seen (docs/protocols.md §2.11)
    return {
        "__type": "urn:inin.com:common:missingPropertyError",
        "errorId": "error.request.invalidRepresentation.missingProperty",
        "message": f"The required property {name} is missing.",
        "propertyName": name,
    }


def _json_body(body: bytes) -> Any:
    """The request body as JSON, or the 400 ICWS answers to a body that is not JSON."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Reply(
            400,
            {
                "errorId": "error.request.invalidRepresentation",
                "message": "The request body is not valid JSON.",
            },
        ) from None
