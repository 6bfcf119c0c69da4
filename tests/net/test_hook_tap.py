"""Tap mode over real loopback HTTP: exact upstream bytes back to WCS, fallbacks when it fails."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from tui.core.feed import FLAG_FALLBACK, FLAG_TAP, SEV_ERROR
from tui.core.sources import LinkState, SourceBoard, SourceKind, SourceStatus
from tui.sim.host import SimHost

JSON = {"Content-Type": "application/json"}
ODD_REPLY = b'{ "status" : "PENDING",\n  "restClientConfig":{"call":{"restOnError":"FAIL"}} }'


class Backend:
    """A stand-in for the real backend: records what it got, answers what a test sets."""

    def __init__(self) -> None:
        self.url = ""
        self.seen: list[tuple[str, bytes, dict[str, str]]] = []
        self.status = 200
        self.delay = 0.0

    async def __call__(self, scope, receive, send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.seen.append((scope["path"], body, headers))
        if self.delay:
            await asyncio.sleep(self.delay)
        reply = ODD_REPLY if scope["path"].endswith("/call") else body
        await send(
            {
                "type": "http.response.start",
                "status": self.status,
                "headers": [(b"content-type", b"application/json;charset=ISO-8859-1")],
            }
        )
        await send({"type": "http.response.body", "body": reply})


@pytest.fixture
def backend():
    backend = Backend()
    with SimHost("backend") as host:
        backend.url = host.serve(backend, name="backend")
        yield backend


async def test_tap_returns_upstream_bytes_exactly(hook_service, backend) -> None:
    service, store = await hook_service(mode="tap", upstream=backend.url + "/EchoApp")
    body = b'{"callId":"c1","callee":"1001","status":"PENDING"}'
    async with httpx.AsyncClient() as client:
        reply = await client.post(
            service.url + "/apps/EchoApp/call",
            content=body,
            headers={**JSON, "Authorization": "WCS 0123"},
        )
    assert reply.content == ODD_REPLY
    assert reply.headers["content-type"] == "application/json;charset=ISO-8859-1"
    path, forwarded, headers = backend.seen[0]
    assert (path, forwarded) == ("/EchoApp/call", body)
    assert headers["authorization"] == "WCS 0123"
    event = store.event(1)
    assert event.flags & FLAG_TAP and event.rule == "upstream" and event.reply_status == 200
    assert store.journal.flush()
    record = store.journal.fetch(1)
    assert record.reply == ODD_REPLY
    assert record.meta["upstream_status"] == 200 and record.meta["upstream_ms"] >= 0


async def test_tap_passes_upstream_refusals_through(hook_service, backend) -> None:
    backend.status = 403
    service, store = await hook_service(mode="tap", upstream=backend.url)
    async with httpx.AsyncClient() as client:
        reply = await client.post(
            service.url + "/publishStream", content=b'{"name":"x"}', headers=JSON
        )
    assert reply.status_code == 403
    assert store.event(1).reply_status == 403


async def test_upstream_down_falls_back_to_answering_as_backend(hook_service) -> None:
    board = SourceBoard([SourceStatus("hooks", SourceKind.WCS, "x")])
    service, store = await hook_service(mode="tap", upstream="http://127.0.0.1:9/nowhere")
    service.board = board
    async with httpx.AsyncClient() as client:
        body = b'{"callId":"c9","status":"PENDING"}'
        reply = await client.post(service.url + "/call", content=body, headers=JSON)
    assert (reply.status_code, reply.content) == (200, body)
    event = store.event(1)
    assert event.flags & FLAG_FALLBACK and event.severity == SEV_ERROR
    assert event.info == "UPSTREAM down: answered as backend"
    assert board.get("hooks").state is LinkState.DEGRADED
    assert "upstream failing" in board.get("hooks").detail


async def test_slow_upstream_times_out_and_passes_the_error_on(hook_service, backend) -> None:
    backend.delay = 1.0
    service, store = await hook_service(
        mode="tap", upstream=backend.url, upstream_timeout_s=0.2, fallback="pass-error"
    )
    async with httpx.AsyncClient() as client:
        reply = await client.post(service.url + "/call", content=b'{"callId":"c1"}', headers=JSON)
    assert reply.status_code == 504
    assert "timeout" in reply.json()["error"]
    event = store.event(1)
    assert event.rule == "pass-error" and event.reply_status == 504
    assert json.loads(store.body(1).reply)["error"] == "upstream timeout"


async def test_a_5xx_from_the_upstream_is_the_backend_failing(hook_service, backend) -> None:
    board = SourceBoard([SourceStatus("hooks", SourceKind.WCS, "x")])
    service, _ = await hook_service(mode="tap", upstream=backend.url)
    service.board = board
    backend.status = 502  # what a reverse proxy answers for an application that died
    async with httpx.AsyncClient() as client:
        reply = await client.post(service.url + "/call", content=b'{"callId":"c1"}', headers=JSON)
        assert reply.status_code == 502  # passed through, as tap mode does
        hooks = board.get("hooks")
        assert hooks.state is LinkState.DEGRADED and hooks.summary == "upstream failing"
        assert hooks.detail.endswith("answered HTTP 502")
        backend.status = 403  # a refusal is the backend working
        await client.post(service.url + "/call", content=b'{"callId":"c2"}', headers=JSON)
        assert board.get("hooks").state is LinkState.UP
        assert board.get("hooks").summary == ""
