"""When the exchange itself fails: timeouts, refused connections, oversized and hostile bodies;
and compressed bodies, which must be decoded within the same limit."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable

import pytest

from tests.net.conftest import States, make_target
from tui.core.resources.hints import (
    FAILURE_CONNECT,
    FAILURE_PROTOCOL,
    FAILURE_TIMEOUT,
    FAILURE_TOO_LARGE,
)
from tui.core.resources.writes import plan_delete
from tui.core.sources import LinkState
from tui.net.asgi import ASGIApp
from tui.net.rest.capped_body import BodyTooLarge, CappedBody
from tui.net.rest.mws import MwsClient
from tui.net.rest.sbc import SbcClient
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
    assert "no complete answer within 0.3 s" in fetched.resource.problem
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


# -- compressed answers ---------------------------------------------------------------------

SYSTEM = (
    b'<?xml version="1.0"?><root><status><http_code>200</http_code></status>'
    b'<system href="/rest/system"><NodeName>edge1</NodeName></system></root>'
)
ENCODERS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,  # the zlib wrapper HTTP asks for
    "raw deflate": lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS),  # sent by some
}


def encoded(body: bytes, coding: str, seen: list[dict[bytes, bytes]]) -> ASGIApp:
    """An app answering ``body`` encoded with ``coding``; it notes the request headers."""
    data = ENCODERS[coding](body)
    header = b"deflate" if "deflate" in coding else coding.encode()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(dict(scope["headers"]))
        headers = [
            (b"content-type", b"application/xml"),
            (b"content-encoding", header),
            (b"content-length", str(len(data)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": data})

    return app


@pytest.mark.parametrize("coding", list(ENCODERS))
async def test_a_compressed_answer_is_decoded_and_parsed(host: SimHost, coding: str) -> None:
    seen: list[dict[bytes, bytes]] = []
    url = host.serve(encoded(SYSTEM, coding, seen))
    client = SbcClient(make_target("sbc", url, auth="basic"), secret="pw")
    try:
        fetched = await client.fetch("/rest/system")
    finally:
        await client.close()
    assert fetched.failure == ""
    assert fetched.body == SYSTEM
    assert fetched.resource.shape == "resource"
    assert [a.value for a in fetched.resource.attributes] == ["edge1"]
    assert seen[0][b"accept-encoding"] == b"gzip, deflate"  # what the client can decode


async def test_a_gzip_bomb_is_refused_at_the_limit_of_the_decoded_size(host: SimHost) -> None:
    bomb = b"<root>" + b" " * (40 * MB)  # 40 MB of XML in about 40 KB of gzip
    url = host.serve(encoded(bomb, "gzip", []))
    client = SbcClient(make_target("sbc", url, auth="basic"), secret="pw")
    try:
        fetched = await client.fetch("/rest/system")
    finally:
        await client.close()
    assert fetched.failure == FAILURE_TOO_LARGE
    assert "after gzip decoding" in fetched.resource.problem
    assert fetched.body == b""


def test_decoding_stops_at_the_limit_without_decoding_the_rest() -> None:
    chunk = gzip.compress(b"\0" * (64 * MB))  # one wire chunk that decodes to 64 MB
    body = CappedBody("gzip", 1 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge, match="after gzip decoding"):
            body.feed(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * MB + len(chunk)  # the limit, not the 64 MB the chunk holds


async def test_an_unknown_encoding_is_named(host: SimHost) -> None:
    async def brotli(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-encoding", b"br")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"\x1b\x00"})

    client = SbcClient(make_target("sbc", host.serve(brotli), auth="basic"), secret="pw")
    try:
        fetched = await client.fetch("/rest/system")
    finally:
        await client.close()
    assert fetched.failure == FAILURE_PROTOCOL
    assert "'br'" in fetched.resource.problem


# -- the timeout is a deadline for the whole exchange ---------------------------------------


class Trickle:
    """Answers at once, then sends a byte every half second for a minute: each read is quick,
    the answer never complete. Notes when the client goes away."""

    def __init__(self) -> None:
        self.gone = threading.Event()
        self.bytes_sent = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            self.gone.set()

        watcher = asyncio.create_task(watch())
        headers = [(b"content-type", b"application/xml")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        try:
            for _ in range(120):
                if self.gone.is_set():
                    return
                await send({"type": "http.response.body", "body": b" ", "more_body": True})
                self.bytes_sent += 1
                await asyncio.sleep(0.5)
            await send({"type": "http.response.body", "body": b"<root/>"})
        finally:
            watcher.cancel()


async def test_a_server_trickling_bytes_cannot_hold_the_request_past_its_timeout(
    host: SimHost,
) -> None:
    trickle = Trickle()
    target = make_target("sbc", host.serve(trickle), auth="basic", timeout_s=1.0)
    client = SbcClient(target, secret="pw")
    started = time.monotonic()
    try:
        # 10 times the deadline: a hang detector, not a measurement
        fetched = await asyncio.wait_for(client.fetch("/rest/system"), 10)
    finally:
        await client.close()
    assert fetched.failure == FAILURE_TIMEOUT
    assert fetched.resource.problem == "no complete answer within 1 s"
    assert trickle.bytes_sent >= 1  # the answer had started: only the deadline ended it
    assert await asyncio.to_thread(trickle.gone.wait, 10)  # the connection was closed
    assert time.monotonic() - started < 10


async def test_a_write_has_the_same_deadline(host: SimHost) -> None:
    trickle = Trickle()
    target = make_target(
        "mws", host.serve(trickle), timeout_s=1.0, allow_writes=True, secret_env="T"
    )
    client = MwsClient(target, secret="t")
    try:
        request = plan_delete("mws", "/v1/sockets/abc")
        fetched = await asyncio.wait_for(client.write(request), 10)
    finally:
        await client.close()
    assert (fetched.failure, fetched.method) == (FAILURE_TIMEOUT, "DELETE")
    assert fetched.resource.problem == "no complete answer within 1 s"
    assert await asyncio.to_thread(trickle.gone.wait, 10)
