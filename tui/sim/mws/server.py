"""A Managed WebSocket REST API on loopback: bearer token, ``/v1`` JSON, error bodies.

Copied from the MWS REST API (docs/protocols.md §5): ``GET /`` (public), ``GET
/v1/websocket_uri``, ``GET|POST /v1/sockets``, ``GET|DELETE /v1/sockets/:id``, ``POST
/v1/messages`` (201, echoes ``data`` and ``receivers``). Errors use the documented
``{"error": {"reason", "message"}}`` and ``{"errors": [...]}`` bodies, except a missing
Authorization header, which answers with the open-source server's plain-string form
(``{"error": "Authorization header is required"}``) so clients meet both.

Sockets come and go on a clock. For story 5 (docs/architecture.md §11.5) the kiosk socket (tag
``kiosk-7``) disconnects ``kiosk_gone_after_s`` after start; pushing to it then answers 404.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tui.sim.asgi import Receive, Request, Scope, Send, read_request, reject_non_http, respond

JSON = "application/json"
EPOCH = datetime(2026, 3, 14, 8, 0, 0, tzinfo=UTC)


@dataclass
class SimSocket:
    """A connected socket; ``lives`` says when it exists (seconds since start)."""

    id: str
    tags: list[str]
    connected_s: float
    gone_s: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def alive(self, t: float) -> bool:
        return t >= self.connected_s and (self.gone_s is None or t < self.gone_s)

    def to_json(self) -> dict[str, Any]:
        stamp = EPOCH + timedelta(seconds=self.connected_s)
        return {
            "id": self.id,
            "connectedAt": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tags": list(self.tags),
        }


def _error(status: int, reason: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"reason": reason, "message": message}}


class MwsSimulator:
    """The ASGI app for one MWS server."""

    def __init__(
        self,
        *,
        seed: int = 3,
        clock: Callable[[], float] = time.monotonic,
        token: str = "",
        host_name: str = "mws.lab.example",
        kiosk_gone_after_s: float | None = 45.0,
    ) -> None:
        self.rng = random.Random(seed)
        self.clock = clock
        self.started = clock()
        self.token = token
        self.host_name = host_name
        self.sockets: list[SimSocket] = []
        self.messages: list[dict[str, Any]] = []
        self.requests: list[tuple[str, str, str]] = []
        self._build(kiosk_gone_after_s)

    def _new_id(self) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(64))

    def _build(self, kiosk_gone_after_s: float | None) -> None:
        fixed = (
            ["players", "region.eu"],
            ["players", "region.us"],
            ["agents", "users.532c1a"],
            ["agents", "users.532c1b"],
            ["wallboard"],
            ["players", "region.eu"],
        )
        for index, tags in enumerate(fixed):
            self.sockets.append(SimSocket(self._new_id(), list(tags), -3600.0 + index * 97))
        self.sockets.append(
            SimSocket(self._new_id(), ["kiosk-7", "lobby"], -1800.0, kiosk_gone_after_s)
        )
        # guests that come and go: each lives for a while, then a new one takes its place
        for index in range(12):
            born = index * 20.0 - 40.0
            self.sockets.append(SimSocket(self._new_id(), ["guests"], born, born + 55.0))

    def now(self) -> float:
        return self.clock() - self.started

    def live_sockets(self) -> list[SimSocket]:
        t = self.now()
        return [s for s in self.sockets if s.alive(t)]

    def kiosk(self) -> SimSocket:
        return next(s for s in self.sockets if "kiosk-7" in s.tags)

    # -- ASGI -------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if reject_non_http(scope):
            return
        request = await read_request(scope, receive)
        query = f"?{request.raw_query}" if request.raw_query else ""
        self.requests.append(
            (request.method, request.path + query, request.headers.get("authorization", ""))
        )
        status, data = self.handle(request)
        body = json.dumps(data, separators=(",", ":")).encode()
        await respond(send, status, body, JSON)

    def _auth(self, request: Request) -> tuple[int, dict[str, Any]] | None:
        header = request.headers.get("authorization", "")
        if not header:
            return 401, {"error": "Authorization header is required"}
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or value != self.token:
            return _error(403, "forbidden", "Access denied: the bearer token is not valid here")
        return None

    def handle(self, request: Request) -> tuple[int, dict[str, Any]]:
        path = request.path.rstrip("/") or "/"
        if path == "/" and request.method == "GET":
            return 200, {"name": "MWS"}
        if not path.startswith("/v1/"):
            return _error(404, "not_found", f"No endpoint at {path}")
        refused = self._auth(request)
        if refused is not None:
            return refused
        parts = path.split("/")[2:]
        if parts == ["websocket_uri"] and request.method == "GET":
            return 200, self._reservation(
                ["*"] if not request.query.get("tags") else request.query["tags"].split(","),
                keep=False,
            )
        if parts == ["sockets"]:
            if request.method == "GET":
                return 200, {"results": [s.to_json() for s in self.live_sockets()]}
            if request.method == "POST":
                body = self._json(request)
                if isinstance(body, tuple):
                    return body
                tags = body.get("tags", []) if isinstance(body, dict) else []
                if not isinstance(tags, list):
                    return 422, {
                        "errors": [
                            {
                                "reason": "invalid",
                                "property": "tags",
                                "message": "tags must be a list",
                            }
                        ]
                    }
                return 201, self._reservation([str(t) for t in tags], keep=True)
        if len(parts) == 2 and parts[0] == "sockets":
            socket = next((s for s in self.live_sockets() if s.id == parts[1]), None)
            if socket is None:
                return _error(404, "socket_not_found", f"Socket {parts[1][:12]}… is not connected")
            if request.method == "GET":
                return 200, socket.to_json()
            if request.method == "DELETE":
                socket.gone_s = self.now()
                return 200, {}
        if parts == ["messages"] and request.method == "POST":
            return self._message(request)
        return _error(404, "not_found", f"No endpoint {request.method} {path}")

    def _reservation(self, tags: list[str], *, keep: bool) -> dict[str, Any]:
        socket_id = self._new_id()
        expires = EPOCH + timedelta(seconds=self.now() + 300)
        if keep:
            self.sockets.append(SimSocket(socket_id, tags, self.now()))
        return {
            "id": socket_id,
            "uri": f"wss://{self.host_name}/?token={socket_id}",
            "expiresAt": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "tags": tags,
        }

    @staticmethod
    def _json(request: Request) -> Any:
        try:
            return json.loads(request.body or b"null")
        except ValueError:
            return _error(422, "invalid_json", "Invalid json")

    def _message(self, request: Request) -> tuple[int, dict[str, Any]]:
        body = self._json(request)
        if isinstance(body, tuple):
            return body
        if not isinstance(body, dict):
            return 422, {
                "errors": [
                    {"reason": "invalid", "property": "", "message": "the body must be an object"}
                ]
            }
        problems = []
        if "data" not in body:
            problems.append(
                {"reason": "required", "property": "data", "message": "data is required"}
            )
        receivers = body.get("receivers")
        if not isinstance(receivers, dict):
            problems.append(
                {"reason": "required", "property": "receivers", "message": "receivers is required"}
            )
        if problems or not isinstance(receivers, dict):
            return 422, {"errors": problems}
        live = {s.id for s in self.live_sockets()}
        for socket_id in receivers.get("sockets") or []:
            if socket_id != "*" and socket_id not in live:
                return _error(
                    404,
                    "socket_not_found",
                    f"Socket {str(socket_id)[:12]}… is not connected: message not delivered",
                )
        self.messages.append(body)
        return 201, {"data": body["data"], "receivers": receivers}
