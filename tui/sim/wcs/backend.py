"""A simulated WCS *backend* (the customer's own REST hook server) for tap mode.

The console sits in front of it: WCS → console → this backend. It answers as a real backend
would — echoing the body, mirroring ``connect`` with a ``restClientConfig`` — refuses calls to a
blocked callee range with 403, and can be made slow (answers after ``delay_s``) or taken down
(its reverse proxy then answers 502 Bad Gateway in HTML), which is scenario 3 of the demo.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from tui.sim.asgi import Receive, Scope, Send, read_request, reject_non_http, respond

_FAIL = {"clientExclude": "", "restOnError": "FAIL", "restPolicy": "NOTIFY", "restOverwrite": ""}
REST_CLIENT_CONFIG = {
    "call": {"restExclude": "", **_FAIL},
    "StreamKeepAliveEvent": {"restExclude": "sdp", **_FAIL},
}


@dataclass
class BackendBehaviour:
    """What the backend does right now; the demo timeline changes it."""

    blocked_prefix: str = "900"  # calls to callees starting with this are refused
    delay_s: float = 0.0
    down: bool = False
    seen: list[str] = field(default_factory=list)


class WcsBackend:
    """ASGI app: the customer's backend, as seen from WCS (and from a console tapping in front)."""

    def __init__(self, behaviour: BackendBehaviour | None = None) -> None:
        self.behaviour = behaviour or BackendBehaviour()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if reject_non_http(scope):
            return
        request = await read_request(scope, receive)
        behaviour = self.behaviour
        method = request.path.rstrip("/").rpartition("/")[2]
        if len(behaviour.seen) < 10_000:
            behaviour.seen.append(method)
        if behaviour.down:  # the application died; the reverse proxy in front of it answers
            page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
            await respond(send, 502, page, "text/html")
            return
        if behaviour.delay_s:
            await asyncio.sleep(behaviour.delay_s)
        status, reply = self.answer(method, request.body)
        await respond(send, status, reply, "application/json;charset=UTF-8")

    def answer(self, method: str, body: bytes) -> tuple[int, bytes]:
        try:
            payload = json.loads(body)
        except ValueError:
            return 400, b'{"error":"bad json"}'
        if not isinstance(payload, dict):
            return 400, b'{"error":"not an object"}'
        if method == "connect":
            return 200, json.dumps({**payload, "restClientConfig": REST_CLIENT_CONFIG}).encode()
        callee = str(payload.get("callee") or "")
        if method == "call" and callee.startswith(self.behaviour.blocked_prefix):
            return 403, json.dumps(
                {"error": f"calls to {self.behaviour.blocked_prefix}… are not allowed"}
            ).encode()
        return 200, body
