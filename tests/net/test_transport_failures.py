"""When the exchange itself fails: timeouts, refused connections, oversized and hostile bodies."""

from __future__ import annotations

import asyncio

from tests.net.conftest import States, make_target
from tui.core.resource_hints import FAILURE_CONNECT, FAILURE_TIMEOUT, FAILURE_TOO_LARGE
from tui.core.sources import LinkState
from tui.net.mws_client import MwsClient
from tui.net.sbc_client import SbcClient
from tui.sim.asgi import Receive, Scope, Send
from tui.sim.host import SimHost, bind_loopback

MB = 1024 * 1024


async def slow(scope: Scope, receive: Receive, send: Send) -> None:
    await asyncio.sleep(3)


async def flood(scope: Scope, receive: Receive, send: Send) -> None:
    """50 MB of XML, chunked, with no Content-Length to warn the client."""
    await send({"type": "http.response.start", "status": 200, "headers": []})
    chunk = b"<a>" + b"x" * (MB - 7) + b"</a>"
    for _ in range(50):
        await send({"type": "http.response.body", "body": chunk, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def declared(scope: Scope, receive: Receive, send: Send) -> None:
    headers = [(b"content-length", str(50 * MB).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"<root>", "more_body": True})
    await asyncio.sleep(5)


async def laughs(scope: Scope, receive: Receive, send: Send) -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<root><status><http_code>200</http_code></status><system><N>&b;</N></system></root>"
    )
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


async def test_timeout_is_named_with_a_hint(host: SimHost, states: States) -> None:
    url = host.serve(slow)
    client = MwsClient(make_target("mws", url, timeout_s=0.3), secret="t", on_state=states)
    try:
        fetched = await client.fetch("/v1/sockets")
    finally:
        await client.close()
    assert fetched.failure == FAILURE_TIMEOUT
    assert "no answer within 0.3 s" in fetched.resource.problem
    assert "timeout_s" in fetched.hint
    assert states.last is LinkState.DOWN


async def test_refused_connection(states: States) -> None:
    sock = bind_loopback()
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    client = MwsClient(make_target("mws", f"http://127.0.0.1:{port}"), secret="t", on_state=states)
    try:
        fetched = await client.fetch("/v1/sockets")
    finally:
        await client.close()
    assert fetched.failure == FAILURE_CONNECT
    assert "cannot connect" in fetched.resource.problem
    assert states.last is LinkState.DOWN


async def test_a_50_mb_answer_is_cut_off_at_the_limit(host: SimHost) -> None:
    client = SbcClient(make_target("sbc", host.serve(flood), auth="basic"), secret="pw")
    try:
        fetched = await client.fetch("/rest/system")
    finally:
        await client.close()
    assert fetched.failure == FAILURE_TOO_LARGE
    assert "over the 32 MB limit" in fetched.resource.problem
    assert "max_body_mb" in fetched.hint
    assert fetched.body == b""


async def test_a_declared_50_mb_answer_is_refused_without_reading_it(host: SimHost) -> None:
    target = make_target("sbc", host.serve(declared), auth="basic", timeout_s=2)
    client = SbcClient(target, secret="pw")
    try:
        fetched = await client.fetch("/rest/system")
    finally:
        await client.close()
    assert fetched.failure == FAILURE_TOO_LARGE
    assert "52,428,800 bytes declared" in fetched.resource.problem


async def test_entity_expansion_from_the_wire_is_refused(host: SimHost, states: States) -> None:
    target = make_target("sbc", host.serve(laughs), auth="basic")
    client = SbcClient(target, secret="pw", on_state=states)
    try:
        fetched = await client.fetch("/rest/system")
    finally:
        await client.close()
    assert fetched.resource.shape == "unreadable"
    assert "DOCTYPE" in fetched.resource.problem
    assert states.last is LinkState.DEGRADED
