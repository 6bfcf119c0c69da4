"""The hook listener's connection limits over real loopback sockets.

Head size and deadline, idle connections, the connection cap, allow_from at accept time, the
lingering close that lets a whole-body sender read its 413, answers in order when garbage is
pipelined behind a hook, and accept errors logged once per burst. Deadlines are configured
short; the ``wait_for`` bounds around reads only catch a hang.
"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import socket
import urllib.error
import urllib.request
from typing import Any

import httpx
import pytest

from tui.net.hooks import accept
from tui.net.hooks.refusals import (
    HEAD_TIMEOUT,
    HEAD_TOO_LARGE,
    IDLE,
    NOT_ALLOWED,
    OVER_CAP,
)

HANG_S = 10.0  # a read that takes this long means the listener never answered or closed
JSON_HEADERS = {"Content-Type": "application/json"}


def hook(path: str = "/apps/EchoApp/CallStatusEvent", body: bytes = b'{"callId":"c1"}') -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: console\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", port)


async def read_to_end(reader: asyncio.StreamReader) -> bytes:
    """Everything until the listener closes the connection (a reset is a failure)."""
    return await asyncio.wait_for(reader.read(), timeout=HANG_S)


def split_answers(stream: bytes) -> list[tuple[int, bytes]]:
    """(status, body) of each answer in what one connection read, in order."""
    answers = []
    while stream:
        head, _, rest = stream.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        fields = dict(line.lower().split(b": ", 1) for line in lines[1:])
        size = int(fields[b"content-length"])
        answers.append((int(lines[0].split()[1]), rest[:size]))
        stream = rest[size:]
    return answers


def statuses(stream: bytes) -> list[int]:
    return [status for status, _body in split_answers(stream)]


def events(store: Any) -> list[Any]:
    return [store.event(seq) for seq in range(1, store.last_seq + 1)]


def refusals(store: Any, kind: str) -> list[Any]:
    return [e for e in events(store) if e.kind == "rejected" and e.method == kind]


async def test_a_huge_head_is_answered_431_without_waiting_for_its_end(hook_service) -> None:
    service, store = await hook_service(max_header_bytes=4096)
    reader, writer = await connect(service.server.port)
    # A 1 MB header that never ends: the listener must stop at 4 KiB and answer.
    writer.write(b"POST /apps/EchoApp/CallStatusEvent HTTP/1.1\r\nX-Big: " + b"a" * 1_048_576)
    answer = await read_to_end(reader)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"hooks.max_header_bytes (4,096 bytes)" in answer
    assert service.app.requests == 0
    (refused,) = refusals(store, HEAD_TOO_LARGE)
    assert refused.reply_status == 431 and "127.0.0.1" in refused.info


async def test_a_stalled_head_is_answered_408_at_the_deadline(hook_service) -> None:
    service, store = await hook_service(header_timeout_s=0.3)
    reader, writer = await connect(service.server.port)
    writer.write(b"POST /apps/EchoApp/CallSta")
    answer = await read_to_end(reader)  # closed by the listener, not by this side
    writer.close()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"hooks.header_timeout_s (0.3 s)" in answer
    assert [e.reply_status for e in refusals(store, HEAD_TIMEOUT)] == [408]
    assert service.app.requests == 0


async def test_the_next_request_on_a_keep_alive_connection_has_a_head_deadline(
    hook_service,
) -> None:
    service, store = await hook_service(header_timeout_s=0.3, keep_alive_s=60)
    reader, writer = await connect(service.server.port)
    writer.write(hook() + b"POST /apps/EchoApp/CallSta")  # a hook, then half of the next head
    answer = await read_to_end(reader)
    writer.close()
    assert statuses(answer) == [200, 408]
    assert [e.reply_status for e in events(store)] == [200, 408]


async def test_a_connection_that_sends_nothing_is_closed_at_the_deadline(hook_service) -> None:
    service, store = await hook_service(header_timeout_s=0.3)
    reader, writer = await connect(service.server.port)
    assert await read_to_end(reader) == b""  # end of stream: the listener closed it
    writer.close()
    (refused,) = refusals(store, IDLE)
    assert refused.reply_status == 0  # nothing was answered
    assert len(service.server.guard.registry) == 0


async def test_a_body_that_never_comes_is_answered_408(hook_service) -> None:
    service, store = await hook_service(body_timeout_s=0.3)
    reader, writer = await connect(service.server.port)
    writer.write(hook()[: -len(b'{"callId":"c1"}')])  # the head, announcing a body; no body
    answer = await read_to_end(reader)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert [e.reply_status for e in events(store)] == [408]


async def test_an_idle_keep_alive_connection_is_closed(hook_service) -> None:
    service, store = await hook_service(keep_alive_s=0.3)
    reader, writer = await connect(service.server.port)
    writer.write(hook())
    answer = await read_to_end(reader)  # one answer, then the listener closes
    writer.close()
    assert statuses(answer) == [200]
    assert [e.reply_status for e in events(store)] == [200]


async def test_a_connection_carries_keep_alive_requests_then_closes(hook_service) -> None:
    """The third answer says `Connection: close` and the listener ends the connection: the
    sender connects again (which spreads connections over the workers of collect)."""
    service, store = await hook_service(keep_alive_requests=3)
    reader, writer = await connect(service.server.port)
    writer.write(hook() * 5)  # pipelined: what comes after the third is never served
    stream = await read_to_end(reader)
    writer.close()
    assert statuses(stream) == [200, 200, 200]
    said_close = stream.lower().find(b"connection: close")
    assert said_close > stream.rfind(b"HTTP/1.1 200")  # in the third answer's head only
    assert stream.lower().count(b"connection: close") == 1
    assert [e.reply_status for e in events(store)] == [200, 200, 200]


async def test_an_early_answer_ends_a_connection_whose_body_is_still_coming(hook_service) -> None:
    """A 404 sent before the body is in: the rest could trickle for ever, so it ends there."""
    service, _store = await hook_service(app_paths=["/apps/EchoApp"])
    reader, writer = await connect(service.server.port)
    body = b"{" + b" " * 99_998 + b"}"
    writer.write(hook("/apps/Other/CallStatusEvent", body)[:-90_000])
    answer = await read_to_end(reader)
    writer.close()
    assert answer.startswith(b"HTTP/1.1 404 ")


async def test_at_the_cap_a_real_hook_gets_through_a_crowd_of_idle_sockets(hook_service) -> None:
    service, store = await hook_service(max_connections=20, header_timeout_s=60)
    registry = service.server.guard.registry
    idle = [await connect(service.server.port) for _ in range(20)]
    for _ in range(500):  # until the listener has accepted them all
        if len(registry) == 20:
            break
        await asyncio.sleep(0.01)
    assert len(registry) == 20
    async with httpx.AsyncClient() as client:
        reply = await client.post(
            service.url + "/apps/EchoApp/CallStatusEvent", content=b"{}", headers=JSON_HEADERS
        )
    assert reply.status_code == 200
    oldest_reader, _ = idle[0]
    assert await read_to_end(oldest_reader) == b""  # closed to make room
    assert registry.evicted >= 1 and len(registry) <= 20
    assert [e.reply_status for e in events(store) if e.kind != "rejected"] == [200]
    assert refusals(store, OVER_CAP)
    for _reader, writer in idle:
        writer.close()


async def test_allow_from_refuses_at_accept_before_reading_a_byte(hook_service) -> None:
    service, store = await hook_service(allow_from=["10.0.0.0/8"])
    reader, writer = await connect(service.server.port)
    assert await read_to_end(reader) == b""  # closed although nothing was sent
    writer.close()
    assert service.app.requests == 0
    (refused,) = refusals(store, NOT_ALLOWED)
    assert "127.0.0.1 is not in hooks.allow_from" in refused.info
    assert refused.reply_status == 0


def post_whole_body_then_read(url: str, size: int) -> tuple[int, dict[str, Any]]:
    """urllib writes the head and the whole body before it reads anything."""
    request = urllib.request.Request(url, data=b"{" + b" " * (size - 2) + b"}", method="POST")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=HANG_S) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


async def test_a_whole_body_sender_reads_its_413(hook_service) -> None:
    service, store = await hook_service(max_body_bytes=2048)
    url = service.url + "/apps/EchoApp/CallStatusEvent"
    status, answer = await asyncio.to_thread(post_whole_body_then_read, url, 8 * 1_048_576)
    assert status == 413 and "max_body_bytes" in answer["error"]
    assert [e.reply_status for e in events(store)] == [413]
    async with httpx.AsyncClient() as client:  # and the listener carries on
        reply = await client.post(url, content=b"{}", headers=JSON_HEADERS)
    assert reply.status_code == 200


async def test_garbage_pipelined_behind_a_hook_comes_after_its_answer(hook_service) -> None:
    service, store = await hook_service()
    reader, writer = await connect(service.server.port)
    writer.write(hook() + b"\x00\x01 not HTTP at all\r\n\r\n")  # one write, one segment
    answer = await read_to_end(reader)
    writer.close()
    (first, hook_answer), (second, error) = split_answers(answer)
    assert (first, hook_answer) == (200, b'{"callId":"c1"}')  # the hook's own answer, whole
    assert second == 400 and b"not a valid HTTP/1.1 request" in error
    (hook_event,) = [e for e in events(store) if e.kind != "rejected"]
    assert hook_event.reply_status == 200  # what the client read first


async def test_accept_errors_are_logged_once_per_burst(
    hook_service, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    service, _store = await hook_service()
    failures = 40
    real_accept = socket.socket.accept

    def accept_out_of_descriptors(sock: socket.socket) -> tuple[socket.socket, Any]:
        nonlocal failures
        if failures:
            failures -= 1
            raise OSError(errno.EMFILE, "Too many open files")
        return real_accept(sock)

    monkeypatch.setattr(accept, "RETRY_S", 0.001)
    monkeypatch.setattr(socket.socket, "accept", accept_out_of_descriptors)
    caplog.set_level(logging.DEBUG)
    async with httpx.AsyncClient() as client:
        reply = await client.post(
            service.url + "/apps/EchoApp/CallStatusEvent", content=b"{}", headers=JSON_HEADERS
        )
    assert reply.status_code == 200  # in once descriptors are back
    assert failures == 0
    about_accept = [r for r in caplog.records if "accept" in r.getMessage()]
    assert len(about_accept) == 1, [r.getMessage() for r in about_accept]
    assert "failed 40 times" in about_accept[0].getMessage()
    assert "Too many open files" in about_accept[0].getMessage()


async def test_the_load_generator_connects_again_when_the_listener_ends_a_connection(
    hook_service,
) -> None:
    """tui.sim.load (the benchmarks' WCS) connects again after `Connection: close`, as WCS
    does, instead of failing on the closed connection."""
    from tui.sim.load import run_load

    service, store = await hook_service(keep_alive_requests=3)
    result = await run_load(service.url, seconds=0.1, connections=2, rate=200)
    assert (result.sent, result.ok, result.errors) == (20, 20, 0)
    assert store.last_seq == 20


async def test_the_load_generator_counts_a_server_that_breaks_off_and_goes_on() -> None:
    """A listener that dies mid-request (a collector's worker killed) is an error for that hook;
    the generator connects again and the rest are sent, instead of the whole run failing."""
    from tui.sim.load import run_load

    connections = 0

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        first = connections == 1
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
            await reader.readexactly(length)
            if first:
                break  # killed: no answer, the connection goes
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        result = await run_load(f"http://127.0.0.1:{port}", seconds=0.1, connections=1, rate=100)
    finally:
        server.close()
        await server.wait_closed()
    assert (result.sent, result.ok, result.errors) == (10, 9, 1)
    assert connections == 2


def test_a_lingering_close_to_a_peer_already_gone_ends_quietly() -> None:
    """The answer that ends a connection is followed by a half-close; when the peer is gone by
    then, the socket's shutdown fails (ENOTCONN). That used to escape into uvicorn as
    "Exception in ASGI application" with a traceback, for each such sender; the connection is
    now simply aborted."""
    from types import SimpleNamespace

    from tui.net.hooks.protocol import LimitedHttpToolsProtocol

    aborted: list[bool] = []

    class GoneTransport:
        def is_closing(self) -> bool:
            return False

        def can_write_eof(self) -> bool:
            return True

        def write_eof(self) -> None:
            raise OSError(errno.ENOTCONN, "Transport endpoint is not connected")

    def close(*, abort: bool = False) -> None:
        aborted.append(abort)

    protocol = SimpleNamespace(
        transport=GoneTransport(), lingering=False, _cancel_head_timer=lambda: None,
        _unset_keepalive_if_required=lambda: None,
        guard=SimpleNamespace(registry=SimpleNamespace(lingering=lambda _: None)),
        flow=SimpleNamespace(resume_reading=lambda: None), _close=close,
    )  # fmt: skip
    LimitedHttpToolsProtocol.linger(protocol)  # type: ignore[arg-type]
    assert aborted == [True]
    assert protocol.lingering


async def read_answer(reader: asyncio.StreamReader) -> bytes:
    """One whole answer (head and the body its content-length says)."""
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), HANG_S)
    length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
    return head + await asyncio.wait_for(reader.readexactly(length), HANG_S)


async def test_each_answer_leaves_in_one_write(
    hook_service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """uvicorn writes an answer's head and body apart; the listener sends them together. An
    interim 100 Continue still goes at once, and an answer with no body (to HEAD) still goes."""
    from asyncio import selector_events

    service, store = await hook_service()
    transport_class: Any = vars(selector_events)["_SelectorSocketTransport"]  # TCP, both sides
    writes: list[bytes] = []
    real_write = transport_class.write

    def counting_write(transport: Any, data: Any) -> None:
        if transport.get_extra_info("sockname")[1] == service.server.port:  # the listener
            writes.append(bytes(data))
        real_write(transport, data)

    monkeypatch.setattr(transport_class, "write", counting_write)
    reader, writer = await connect(service.server.port)
    try:
        for n in range(3):
            writer.write(hook(body=b'{"callId":"c%d"}' % n))
            await writer.drain()
            assert (await read_answer(reader)).startswith(b"HTTP/1.1 200 ")
        assert len(writes) == 3
        assert all(w.startswith(b"HTTP/1.1 200 ") and w.endswith(b"}") for w in writes)

        body = b'{"callId":"c9"}'
        writer.write(
            b"POST /apps/EchoApp/CallStatusEvent HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)
        )
        await writer.drain()
        interim = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), HANG_S)
        assert interim.startswith(b"HTTP/1.1 100 ")
        writer.write(body)
        assert (await read_answer(reader)).startswith(b"HTTP/1.1 200 ")

        writer.write(b"HEAD /apps/EchoApp/CallStatusEvent HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), HANG_S)
        assert head.startswith(b"HTTP/1.1 405 ")
    finally:
        writer.close()
    assert [e.reply_status for e in events(store)] == [200, 200, 200, 200, 405]
