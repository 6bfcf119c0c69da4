"""The shared ASGI plumbing and the embedded uvicorn server (hook endpoint and simulators)."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from typing import Any

import httpx
import pytest

from tui.net.asgi import (
    ClientGone,
    EmbeddedServer,
    Message,
    Receive,
    RequestBodyTooLarge,
    Scope,
    Send,
    ServerStartError,
    bind_tcp,
    embedded_config,
    read_body,
    send_json,
    send_response,
)


def messages(*items: Message) -> Receive:
    queue = list(items)

    async def receive() -> Message:
        if not queue:
            await asyncio.sleep(3600)  # a client that sends nothing more
        return queue.pop(0)

    return receive


def chunk(body: bytes, more: bool = False) -> Message:
    return {"type": "http.request", "body": body, "more_body": more}


async def test_read_body_whole_or_in_chunks() -> None:
    assert await read_body(messages(chunk(b"abc")), limit=3) == b"abc"
    parts = messages(chunk(b"ab", True), chunk(b"", True), chunk(b"cd"))
    assert await read_body(parts, limit=10) == b"abcd"


@pytest.mark.parametrize(
    "parts",
    [
        [chunk(b"x" * 11)],
        [chunk(b"x" * 11, True)],
        [chunk(b"x" * 6, True), chunk(b"x" * 5, True), chunk(b"never read")],
    ],
)
async def test_read_body_stops_at_the_limit(parts: list[Message]) -> None:
    with pytest.raises(RequestBodyTooLarge) as info:
        await read_body(messages(*parts), limit=10)
    assert info.value.size == 11
    assert info.value.limit == 10


@pytest.mark.parametrize(
    "parts",
    [[{"type": "http.disconnect"}], [chunk(b"ab", True), {"type": "http.disconnect"}]],
)
async def test_read_body_says_when_the_client_is_gone(parts: list[Message]) -> None:
    with pytest.raises(ClientGone):
        await read_body(messages(*parts), limit=10)


async def test_read_body_deadline_bounds_the_reads_after_the_first() -> None:
    loop = asyncio.get_running_loop()
    with pytest.raises(TimeoutError):
        await read_body(messages(chunk(b"ab", True)), limit=10, deadline=loop.time() + 0.01)


async def test_responses_carry_their_length_and_headers() -> None:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await send_response(send, 413, b"nope", headers=[(b"x-a", b"1")], close=True)
    await send_json(send, 200, {"a": [1, 2]}, content_type=b"application/vnd.x+json")
    assert sent[0]["headers"] == [
        (b"content-type", b"application/json"),
        (b"content-length", b"4"),
        (b"x-a", b"1"),
        (b"connection", b"close"),
    ]
    assert sent[1]["body"] == b"nope"
    assert sent[2]["headers"][:2] == [
        (b"content-type", b"application/vnd.x+json"),
        (b"content-length", b"11"),
    ]
    assert sent[3]["body"] == b'{"a":[1,2]}'


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    body = await read_body(receive, limit=1024)
    await send_json(send, 200, {"path": scope["path"], "size": len(body)})


async def test_embedded_server_serves_in_this_loop_and_leaves_signals_alone() -> None:
    before = signal.getsignal(signal.SIGINT)
    sock = bind_tcp("127.0.0.1", 0, backlog=16)
    port = sock.getsockname()[1]
    server = EmbeddedServer(embedded_config(echo))
    await server.start(sock)
    try:
        assert signal.getsignal(signal.SIGINT) is before
        async with httpx.AsyncClient() as client:
            reply = await client.post(f"http://127.0.0.1:{port}/x", content=b"12345")
        assert reply.json() == {"path": "/x", "size": 5}
    finally:
        await server.stop(timeout=2)
    assert server.task is None
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/x", timeout=1)


async def test_a_server_that_cannot_start_says_so() -> None:
    sock = bind_tcp("127.0.0.1", 0, backlog=16)
    sock.close()  # nothing to listen on
    server = EmbeddedServer(embedded_config(echo))
    with pytest.raises(ServerStartError, match="stopped at start"):
        await server.start(sock, name="broken")


def test_port_in_use_is_an_os_error_at_bind() -> None:
    sock = bind_tcp("127.0.0.1", 0, backlog=16)
    try:
        with pytest.raises(OSError, match="in use"):
            bind_tcp("127.0.0.1", sock.getsockname()[1], backlog=16)
    finally:
        sock.close()


FAILING_APP = """
import httpx
from tui.sim.host import SimHost

async def broken(scope, receive, send):
    raise RuntimeError("a simulator bug")

with SimHost() as host:
    url = host.serve(broken)
    print(httpx.get(url + "/x").status_code)
"""


def test_a_failing_simulator_writes_nothing_to_stderr() -> None:
    """uvicorn's loggers end in a NullHandler: under Textual, stderr is the screen."""
    result = subprocess.run(
        [sys.executable, "-c", FAILING_APP], capture_output=True, text=True, timeout=30
    )
    assert result.stdout.strip() == "500"
    assert result.stderr == ""


def test_a_simulator_answers_an_oversized_body_413() -> None:
    from tui.sim.asgi import MAX_REQUEST_BODY, Request, read_request, respond
    from tui.sim.host import SimHost

    seen: list[Request] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> Any:
        seen.append(await read_request(scope, receive))
        await respond(send, 200, b"ok", "text/plain")

    with SimHost() as host:
        url = host.serve(app)
        assert httpx.post(url + "/small", content=b"x" * 10).text == "ok"
        big = httpx.post(url + "/big", content=b"x" * (MAX_REQUEST_BODY + 1))
    assert big.status_code == 413
    assert "over the" in big.json()["message"]
    assert [r.path for r in seen] == ["/small"]
