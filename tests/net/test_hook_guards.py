"""The hook listener's guards on their own: head bound, registry, refusal digest, accept log.

No sockets: the protocol runs on a recording transport, time is a manual clock.
"""

from __future__ import annotations

import asyncio
import errno
import logging
from collections.abc import Callable
from ipaddress import ip_network
from typing import Any

import pytest
import uvicorn
from uvicorn.server import ServerState

from tui.net.hooks.accept import AcceptErrors
from tui.net.hooks.connections import ConnectionRegistry
from tui.net.hooks.limits import ConnectionLimits, connection_cap, peer_allowed
from tui.net.hooks.protocol import LimitedHttpToolsProtocol, ListenerGuard
from tui.net.hooks.refusals import HEAD_TOO_LARGE, IDLE, NOT_ALLOWED, RefusalDigest

# -- a manual scheduler for the digest -----------------------------------------------------------


class Handle:
    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class Manual:
    """``schedule`` for the digest: callbacks run when the test says the window is over."""

    def __init__(self) -> None:
        self.due: list[tuple[Callable[[], None], Handle]] = []

    def schedule(self, _delay: float, callback: Callable[[], None]) -> Handle:
        handle = Handle()
        self.due.append((callback, handle))
        return handle

    def window_ends(self) -> None:
        due, self.due = self.due, []
        for callback, handle in due:
            if not handle.cancelled:
                callback()


class Published(list[tuple[Any, dict[str, Any]]]):
    def __call__(self, event: Any, raw: bytes, reply: bytes, meta: dict[str, Any]) -> Any:
        self.append((event, meta))
        return event


def test_digest_publishes_the_first_at_once_then_one_count_per_window() -> None:
    published, manual = Published(), Manual()
    digest = RefusalDigest(published, manual.schedule, clock=lambda: 1000.0)
    for n in range(1000):
        digest.note(
            IDLE, "sent nothing within hooks.header_timeout_s (10 s)", peer=f"10.0.0.{n % 9}"
        )
    digest.note(NOT_ALLOWED, "source address 10.9.9.9 is not in hooks.allow_from", peer="10.9.9.9")
    assert [(e.method, m["count"]) for e, m in published] == [(IDLE, 1), (NOT_ALLOWED, 1)]
    manual.window_ends()
    assert [(e.method, m["count"]) for e, m in published[2:]] == [(IDLE, 999)]
    assert published[2][0].info.startswith("999× in 1 s: sent nothing")
    assert "(last from 10.0.0.0)" in published[2][0].info
    assert all(
        e.kind == "rejected" and e.reply_status == 0 and e.ts == 1000.0 for e, _ in published
    )
    manual.window_ends()  # a quiet window: nothing, and the next refusal is published at once
    assert len(published) == 3 and not manual.due
    digest.note(IDLE, "again", peer="10.0.0.1")
    assert [m["count"] for _, m in published[3:]] == [1]
    assert digest.noted == {IDLE: 1001, NOT_ALLOWED: 1}


def test_digest_flush_publishes_what_is_counted_and_stops_the_timers() -> None:
    published, manual = Published(), Manual()
    digest = RefusalDigest(published, manual.schedule)
    for _ in range(5):
        digest.note(HEAD_TOO_LARGE, "request head over hooks.max_header_bytes", status=431)
    digest.flush()
    assert [(m["count"], e.reply_status) for e, m in published] == [(1, 431), (4, 431)]
    manual.window_ends()
    assert len(published) == 2


# -- the registry --------------------------------------------------------------------------------


class Conn:
    def __init__(self, name: str, closed: list[str]) -> None:
        self.name = name
        self.closed = closed

    def evict(self) -> None:
        self.closed.append(self.name)


def test_registry_closes_the_longest_waiting_never_a_busy_one() -> None:
    closed: list[str] = []
    registry = ConnectionRegistry(cap=3)
    a, b, c, d, e = (Conn(name, closed) for name in "abcde")
    for conn in (a, b, c):
        assert registry.admit(conn)
    registry.busy(a)  # a hook being answered
    registry.waiting(b)  # b read its next head just now: c has waited longer
    assert registry.admit(d) and closed == ["c"]
    assert registry.admit(e) and closed == ["c", "b"]
    registry.lingering(e)  # finished: first to go
    assert registry.reserve() and closed == ["c", "b", "e"]
    assert len(registry) == 3  # a (busy), d, and the reserved place
    assert registry.admit(Conn("f", closed))  # takes the reserved place: nobody closed
    assert closed == ["c", "b", "e"] and len(registry) == 3


def test_registry_refuses_when_every_connection_is_busy() -> None:
    closed: list[str] = []
    registry = ConnectionRegistry(cap=2)
    a, b = Conn("a", closed), Conn("b", closed)
    registry.admit(a)
    registry.admit(b)
    registry.busy(a)
    registry.busy(b)
    assert not registry.reserve() and not registry.admit(Conn("c", closed))
    assert closed == [] and len(registry) == 2
    registry.waiting(a)  # answered, idle again
    assert registry.reserve() and closed == ["a"]
    registry.release()
    registry.discard(b)
    assert len(registry) == 0


# -- limits -----------------------------------------------------------------------------------


def test_connection_cap_stays_below_the_open_files_limit() -> None:
    assert connection_cap(1000, 1024) == 960
    assert connection_cap(1000, 20_000) == 1000
    assert connection_cap(1000, 40) == 8  # never none at all


def test_peer_allowed_matches_ipv4_clients_of_a_dual_stack_listener() -> None:
    networks = (ip_network("10.0.0.0/8"), ip_network("2001:db8::/32"))
    assert peer_allowed("10.1.2.3", networks)
    assert peer_allowed("::ffff:10.1.2.3", networks)
    assert peer_allowed("2001:db8::5", networks)
    assert not peer_allowed("127.0.0.1", networks)
    assert not peer_allowed("not an address", networks)


# -- the accept log -------------------------------------------------------------------------------


def test_accept_errors_are_one_record_per_burst_with_a_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    errors = AcceptErrors(logging.getLogger("test.accept"), clock=lambda: now[0])
    caplog.set_level(logging.WARNING, "test.accept")
    emfile = OSError(errno.EMFILE, "Too many open files")
    for _ in range(500):
        errors.failed(emfile)
        now[0] += 0.02
    errors.succeeded()
    errors.succeeded()  # no burst: nothing
    assert [r.getMessage() for r in caplog.records] == [
        "hook listener: accept() failed 500 times in 10.0 s: Too many open files"
    ]
    caplog.clear()
    now[0] = 100.0
    for _ in range(70):  # a burst of 70 s: a record every 30 s while it lasts, then the total
        errors.failed(emfile)
        now[0] += 1.0
    errors.succeeded()
    assert [r.getMessage().split(":")[1] for r in caplog.records] == [
        " accept() still failing 31 times in 30.0 s",
        " accept() still failing 61 times in 60.0 s",
        " accept() failed 70 times in 70.0 s",
    ]


# -- the protocol on a recording transport ------------------------------------------------------


class Recording(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False
        self.eof = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def write_eof(self) -> None:
        self.eof = True

    def can_write_eof(self) -> bool:
        return True

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 40000), "sockname": ("127.0.0.1", 8081)}.get(
            name, default
        )


class CountingParser:
    """Counts what the protocol hands the HTTP parser."""

    def __init__(self, parser: Any) -> None:
        self._parser = parser
        self.fed = 0

    def feed_data(self, data: bytes) -> None:
        self.fed += len(data)
        self._parser.feed_data(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parser, name)


async def _app(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def make_protocol(
    max_header_bytes: int,
) -> tuple[LimitedHttpToolsProtocol, Recording, Published, CountingParser]:
    config = uvicorn.Config(_app, http="httptools", ws="none", lifespan="off", log_config=None)
    config.load()
    published, manual = Published(), Manual()
    guard = ListenerGuard(
        ConnectionLimits(max_header_bytes=max_header_bytes, header_timeout_s=60),
        ConnectionRegistry(10),
        RefusalDigest(published, manual.schedule),
    )
    protocol = LimitedHttpToolsProtocol(
        config, ServerState(), {}, asyncio.get_running_loop(), guard=guard
    )
    transport = Recording()
    protocol.connection_made(transport)
    parser = CountingParser(protocol.parser)
    protocol.parser = parser  # type: ignore[assignment]
    return protocol, transport, published, parser


@pytest.mark.parametrize("chunk", [1_048_576, 1024, 1])
async def test_the_parser_never_holds_more_head_than_the_limit(chunk: int) -> None:
    protocol, transport, published, parser = make_protocol(max_header_bytes=4096)
    data = b"POST /apps/EchoApp/CallStatusEvent HTTP/1.1\r\nX-Big: " + b"a" * 1_048_576
    for start in range(0, 8192 if chunk == 1 else len(data), chunk):
        protocol.data_received(data[start : start + chunk])
    assert parser.fed <= 4096
    assert transport.written.startswith(b"HTTP/1.1 431 ")
    assert transport.eof and not transport.closed  # half-closed: the client can read the 431
    assert [e.method for e, _ in published] == [HEAD_TOO_LARGE]
    protocol.data_received(b"b" * 1_048_576)  # what it still sends is thrown away
    assert parser.fed <= 4096


async def test_a_head_within_the_limit_goes_through_with_its_body() -> None:
    protocol, transport, published, parser = make_protocol(max_header_bytes=4096)
    head = b"POST /x/y HTTP/1.1\r\nContent-Length: 20000\r\nX-Pad: " + b"p" * 3900 + b"\r\n\r\n"
    assert len(head) < 4096
    protocol.data_received(head + b"{" + b" " * 19_998 + b"}")
    assert parser.fed == len(head) + 20_000
    assert protocol.cycle is not None and not protocol.cycle.more_body
    assert not transport.written and published == []
