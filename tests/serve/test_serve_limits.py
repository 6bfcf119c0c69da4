"""The limits of ``noc-console serve``'s listener over real loopback sockets, served as the
command serves (:func:`~tui.cli.serve_web.listen`): the connection cap, the request-head
deadline, an idle tab outliving it, body and header sizes.

Deadlines are configured short; the ``wait_for`` bounds around reads only catch a hang.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.http_exceptions import BadStatusLine, LineTooLong

from tests.serve.fake_console import PASSWORD_ENV
from tests.serve.support import wait_until
from tui.cli import serve_limits, serve_web
from tui.cli.serve_gate import Gate
from tui.cli.serve_limits import MalformedRequests, ServeLimits
from tui.cli.serve_web import Listening, ServeSettings, listen

FAKE = [sys.executable, str(Path(__file__).with_name("fake_console.py"))]
TOKEN = "t0ken-for-the-limit-tests-0123456789abcdef"
PASSWORD = "correct horse battery staple"
HANG_S = 10.0  # a read that takes this long means the server neither answered nor closed
HALF_HEAD = b"GET / HTTP/1.1\r\nHost: x\r\n"  # the blank line that ends a head never comes

Serve = Callable[..., Awaitable[Listening]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    served: list[Listening] = []

    async def start(
        *, password: str | None = None, max_tabs: int = 2, **limits: float
    ) -> Listening:
        gate = Gate("/", token=None if password else TOKEN, password=password)
        settings = ServeSettings(
            argv=FAKE,
            gate=gate,
            max_tabs=max_tabs,
            limits=ServeLimits(**limits),  # type: ignore[arg-type]
        )
        listening = socket.create_server(("127.0.0.1", 0))
        served.append(await listen(settings, listening))
        return served[-1]

    yield start
    for one in served:
        await one.stop()


@pytest.fixture
async def browser() -> AsyncIterator[aiohttp.ClientSession]:
    """A client that keeps the cookie and no idle connection of its own (so the server's count
    of open connections is the test's to predict)."""
    async with aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        connector=aiohttp.TCPConnector(force_close=True),
    ) as session:
        yield session


def url(served: Listening, path: str = "/") -> str:
    return f"http://127.0.0.1:{served.port}{path}"


async def sign_in(session: aiohttp.ClientSession, served: Listening) -> None:
    async with session.get(url(served, f"/?token={TOKEN}"), allow_redirects=False) as answer:
        assert answer.status == 303


async def open_tab(
    session: aiohttp.ClientSession, served: Listening, *, autoping: bool = True
) -> aiohttp.ClientWebSocketResponse:
    socket_ = await session.ws_connect(url(served, "/ws"), autoping=autoping)
    hello = await asyncio.wait_for(socket_.receive(), 20)
    assert hello.type is aiohttp.WSMsgType.BINARY and bytes(hello.data).startswith(b"hello")
    return socket_


async def echoes(
    tab: aiohttp.ClientWebSocketResponse,
    key: str,
    receiving: asyncio.Future[aiohttp.WSMessage] | None = None,
) -> bool:
    """The tab's console echoes ``key`` (pings on the way are answered); ``receiving`` is a
    receive already waiting, if any."""
    await tab.send_json(["stdin", key])
    while True:
        message = await asyncio.wait_for(receiving or tab.receive(), HANG_S)
        receiving = None
        if message.type is aiohttp.WSMsgType.PING:
            await tab.pong(message.data)
            continue
        return (
            message.type is aiohttp.WSMsgType.BINARY
            and bytes(message.data) == f"key:{key}".encode()
        )


async def connect(served: Listening) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", served.port)


async def read_to_end(reader: asyncio.StreamReader) -> bytes:
    """Everything until the server closes the connection."""
    return await asyncio.wait_for(reader.read(), HANG_S)


async def read_unless_reset(reader: asyncio.StreamReader) -> bytes:
    """:func:`read_to_end` for a client still writing when the server closes: the kernel
    answers the bytes the server never read with a reset, which is a close too."""
    try:
        return await read_to_end(reader)
    except ConnectionResetError:
        return b""


async def test_connections_over_the_cap_get_503_while_a_tab_works(
    serve: Serve, browser: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    served = await serve(max_connections=4, max_tabs=1)
    await sign_in(browser, served)
    tab = await open_tab(browser, served)
    await wait_until(lambda: served.cap.open == 1)  # the sign-in's connection has gone
    idle = [await connect(served) for _ in range(3)]
    await wait_until(lambda: served.cap.open == 4)
    with caplog.at_level(logging.WARNING, logger="noc-console.serve"):
        reader, writer = await connect(served)
        refused = await read_to_end(reader)
    writer.close()
    assert refused.startswith(b"HTTP/1.1 503 ") and refused.endswith(b"try again shortly\n")
    assert served.cap.refused == 1 and served.cap.open == 4
    assert any("connection cap: 4 open" in r.getMessage() for r in caplog.records)
    assert await echoes(tab, "7")  # the open tab carries on
    idle[0][1].close()
    await wait_until(lambda: served.cap.open == 3)
    async with browser.get(url(served, "/static/js/textual.js")) as script:  # room again
        assert script.status == 200 and len(await script.read()) > 1000
    assert await echoes(tab, "8")
    await tab.close()
    for _, other in idle[1:]:
        other.close()
    await wait_until(lambda: served.cap.open == 0)


async def test_a_request_head_not_finished_in_time_is_closed(serve: Serve) -> None:
    served = await serve(head_timeout_s=0.3)
    reader, writer = await connect(served)
    writer.write(HALF_HEAD)
    assert await read_to_end(reader) == b""  # closed, unanswered
    writer.close()
    # a head sent a byte at a time gets no longer: bytes arriving do not extend the deadline
    reader, writer = await connect(served)
    closed = asyncio.ensure_future(read_unless_reset(reader))
    for byte in (HALF_HEAD + b"X-Slow: " + b"y" * 4000).decode():
        if closed.done():
            break
        with contextlib.suppress(ConnectionError):  # closed between two bytes
            writer.write(byte.encode())
        await asyncio.sleep(0.01)  # the pace of a slow sender, not a measurement
    assert await closed == b""
    writer.close()
    # a kept-alive connection is closed after the same deadline once it has its answer
    reader, writer = await connect(served)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    answered = await read_to_end(reader)
    writer.close()
    assert answered.startswith(b"HTTP/1.1 401 ") and answered.count(b"HTTP/1.1") == 1
    assert served.cap.refused == 0


async def test_an_idle_tab_outlives_the_head_deadline_and_the_heartbeats(
    serve: Serve, browser: aiohttp.ClientSession
) -> None:
    served = await serve(head_timeout_s=0.3, heartbeat_s=0.6)
    await sign_in(browser, served)
    tab = await open_tab(browser, served, autoping=False)  # the test answers the pings itself
    pings = 0
    deadlines_passed = 0
    witness: asyncio.Future[bytes] | None = None
    witness_writer: asyncio.StreamWriter | None = None
    receiving: asyncio.Future[aiohttp.WSMessage] | None = None
    while deadlines_passed < 3 or pings < 2:
        if witness is None or witness.done():
            if witness is not None:
                # a half-sent head, opened while the tab sat idle, was cut: one more deadline
                assert witness.result() == b""
                deadlines_passed += 1
                assert witness_writer is not None
                witness_writer.close()
            reader, witness_writer = await connect(served)
            witness_writer.write(HALF_HEAD)
            witness = asyncio.ensure_future(read_to_end(reader))
        if receiving is None:
            receiving = asyncio.ensure_future(tab.receive())
        waiting: list[asyncio.Future[Any]] = [receiving, witness]
        await asyncio.wait(waiting, timeout=HANG_S, return_when=asyncio.FIRST_COMPLETED)
        if receiving.done():
            message = receiving.result()
            receiving = None
            assert message.type is aiohttp.WSMsgType.PING, message  # idle: nothing else comes
            await tab.pong(message.data)
            pings += 1
    assert not tab.closed
    assert await echoes(tab, "2", receiving)  # the tab still works
    if witness_writer is not None:
        witness_writer.close()
    await tab.close()


async def test_a_body_too_large_or_too_slow_is_refused(
    serve: Serve, browser: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setattr(serve_web, "FAILED_PASSWORD_PAUSE_S", 0.0)
    served = await serve(password=PASSWORD, body_timeout_s=0.3)
    huge = {"password": "x" * 100_000}  # well under aiohttp's own 1 MiB, far over the form
    async with browser.post(url(served, "/login"), data=huge, allow_redirects=False) as answer:
        assert answer.status == 413
    reader, writer = await connect(served)
    writer.write(
        b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 100\r\n\r\npassword=corr"  # and the rest never comes
    )
    status = await asyncio.wait_for(reader.readline(), HANG_S)
    writer.close()
    assert status.startswith(b"HTTP/1.1 408 ")
    right = {"password": PASSWORD}
    async with browser.post(url(served, "/login"), data=right, allow_redirects=False) as answer:
        assert answer.status == 303


async def test_header_lines_too_long_or_too_many_are_400_and_one_short_log_line(
    serve: Serve, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve_limits, "REFUSAL_LOG_EVERY_S", 0.0)  # every one logged, here
    served = await serve()
    too_long = b"X-Long: " + b"a" * 9000 + b"\r\n"
    too_many = b"".join(b"X-%d: 1\r\n" % i for i in range(80))
    with caplog.at_level(logging.DEBUG):
        for extra in (too_long, too_many):
            reader, writer = await connect(served)
            writer.write(HALF_HEAD + extra + b"\r\n")
            answer = await read_to_end(reader)
            writer.close()
            assert answer.split(b"\r\n")[0].endswith(b" 400 Bad Request"), answer[:80]
    said = [r for r in caplog.records if "Error handling request" in r.getMessage()]
    assert [r.name for r in said] == ["noc-console.serve.http"] * 2
    assert all(r.exc_info is None and r.levelno == logging.WARNING for r in said)
    assert "Got more than 8190 bytes" in said[0].getMessage()


def test_a_stream_of_malformed_requests_is_one_log_line_per_interval() -> None:
    now = [100.0]
    keep = MalformedRequests(clock=lambda: now[0])

    def record(error: BaseException) -> logging.LogRecord:
        return logging.LogRecord(
            "noc-console.serve.http", logging.ERROR, __file__, 1,
            "Error handling request from %s", ("10.0.0.9",), (type(error), error, None),
        )  # fmt: skip

    first = record(LineTooLong("aaa", 8190))
    assert keep.filter(first) and first.exc_info is None
    assert "from 10.0.0.9: 400" in first.getMessage()
    assert not keep.filter(record(BadStatusLine("x")))
    assert not keep.filter(record(BadStatusLine("y")))
    now[0] += serve_limits.REFUSAL_LOG_EVERY_S
    later = record(BadStatusLine("z"))
    assert keep.filter(later) and "(2 more since the last such line)" in later.getMessage()
    own = record(RuntimeError("a bug of the server's own"))
    assert keep.filter(own) and own.exc_info is not None  # untouched, traceback and all


def test_limits_that_leave_no_room_are_refused() -> None:
    gate = Gate("/", token=TOKEN)
    with pytest.raises(ValueError, match="room beyond the tabs"):
        ServeSettings(argv=FAKE, gate=gate, max_tabs=8, limits=ServeLimits(max_connections=8))
    with pytest.raises(ValueError, match="positive"):
        ServeLimits(head_timeout_s=0)
