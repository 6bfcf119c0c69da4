"""Consoles reading the stream (`run/tail --feed`) against a real nats-server and a real
collector: what a console shows is what the collectors answered, from where it asked to
start, on the subject its filter narrows to; it survives NATS restarting and jumps to live."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import nats
import pytest
from nats.aio.msg import Msg

from tests.nats_support import NatsServer, nats_server, server_for_test
from tests.net.test_collect import collect_config, until
from tui.cli.collect import Collector
from tui.config import AppConfig, NatsConfig
from tui.core.sources import LinkState, SourceBoard
from tui.net.nats import consumer
from tui.net.nats.consumer import FEED_SOURCE, StartAt, event_of_message
from tui.services import Services

__all__ = ["nats_server"]

pytestmark = pytest.mark.slow


@pytest.fixture
async def collector(nats_server: NatsServer, tmp_path: Path) -> AsyncIterator[Collector]:
    """A collector publishing to the suite's nats-server, listening on a free port."""
    started = Collector(collect_config(nats_server.url, tmp_path))
    assert await started.start() == []
    try:
        yield started
    finally:
        await started.stop()


def hook(call: str, node: str = "n1@10.0.0.1") -> dict[str, str]:
    return {"nodeId": node, "callId": call, "status": "NEW"}


def console(url: str, *, start: StartAt | None = None, query: str = "") -> Services:
    nats_config = NatsConfig(urls=[url], connect_timeout_s=1.0)
    return Services.for_feed(
        AppConfig(), SourceBoard(), nats_config, start=start or StartAt.first(), query=query
    )


def calls_of(services: Services) -> list[str]:
    services.drain()
    return [row.call for row in map(services.store.event, range(1, services.store.last_seq + 1))
            if row is not None]  # fmt: skip


async def post(collector: Collector, calls: list[str], node: str = "n1@10.0.0.1") -> None:
    async with httpx.AsyncClient(base_url=collector.hook_url or "") as client:
        for call in calls:
            answer = await client.post("apps/EchoApp/CallStatusEvent", json=hook(call, node))
            assert answer.status_code == 200


async def test_a_console_shows_what_was_answered_then_what_comes(
    nats_server: NatsServer, collector: Collector
) -> None:
    reader = console(nats_server.url)
    try:
        await post(collector, [f"a{n}" for n in range(20)])
        await reader.start()
        await until(lambda: len(calls_of(reader)) == 20)
        await post(collector, [f"b{n}" for n in range(10)])
        await until(lambda: len(calls_of(reader)) == 30)
        assert calls_of(reader) == [f"a{n}" for n in range(20)] + [f"b{n}" for n in range(10)]
        assert reader.board.get(FEED_SOURCE).state is LinkState.UP
        event = reader.store.event(1)
        assert event is not None and event.node == "n1@10.0.0.1" and event.source == "wcs"
        body = reader.store.body(1)
        assert body is not None and json.loads(body.raw)["callId"] == "a0"  # bodies come too
        assert reader.feed is not None and reader.feed.lag().pending == 0
    finally:
        await reader.stop()


async def test_a_console_starts_where_it_is_told(
    nats_server: NatsServer, collector: Collector
) -> None:
    try:
        await post(collector, [f"old{n}" for n in range(5)])
        middle = time.time()
        await post(collector, [f"new{n}" for n in range(5)])
        since = console(nats_server.url, start=StartAt(middle))
        live = console(nats_server.url, start=StartAt.live())
        for reader in (since, live):
            await reader.start()
        await until(lambda: len(calls_of(since)) == 5)
        await post(collector, ["later"])
        await until(lambda: len(calls_of(live)) == 1 and len(calls_of(since)) == 6)
        assert calls_of(since) == [f"new{n}" for n in range(5)] + ["later"]
        assert calls_of(live) == ["later"]
    finally:
        for reader in (since, live):
            await reader.stop()


async def test_the_filter_narrows_the_subject_read(
    nats_server: NatsServer, collector: Collector
) -> None:
    reader = console(nats_server.url, query="node:WCS2.lan status:NEW")
    try:
        await post(collector, ["one"], node="wcs1.lan")
        await post(collector, ["two"], node="wcs2.lan")
        await post(collector, ["three"], node="wcs1.lan")
        await reader.start()
        assert reader.feed is not None and reader.feed.subject == "noc.*.wcs2%2Elan.*"
        await until(lambda: len(calls_of(reader)) == 1)
        # the operator widens the filter: the stream is read again, on everything
        assert reader.follow_query("status:NEW")
        await until(lambda: len(calls_of(reader)) == 3)
        assert calls_of(reader) == ["one", "two", "three"]
        assert not reader.follow_query("status:FAILED")  # same subject: nothing read again
    finally:
        await reader.stop()


async def test_a_console_resumes_after_nats_restarts(
    nats_server: NatsServer, collector: Collector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hooks flow while NATS restarts: the console ends with each answered hook once, in
    the order the stream has them."""
    monkeypatch.setattr(consumer, "WAIT_S", 0.5)  # the lost consumer is noticed sooner
    reader = console(nats_server.url)
    await reader.start()
    answered: list[str] = []
    try:
        await post(collector, [f"k{n}" for n in range(30)])
        answered += [f"k{n}" for n in range(30)]
        await until(lambda: len(calls_of(reader)) == 30)
        await asyncio.to_thread(nats_server.stop)
        await post(collector, [f"k{n}" for n in range(30, 60)])  # journalled, NATS away
        answered += [f"k{n}" for n in range(30, 60)]
        await asyncio.to_thread(nats_server.start)
        await post(collector, [f"k{n}" for n in range(60, 90)])
        answered += [f"k{n}" for n in range(60, 90)]
        await until(lambda: len(calls_of(reader)) >= 90, timeout=40)
        assert sorted(calls_of(reader)) == sorted(answered)  # every one, once
        assert len(calls_of(reader)) == 90
    finally:
        await reader.stop()


async def test_jump_to_live_leaves_the_rest(nats_server: NatsServer, collector: Collector) -> None:
    reader = console(nats_server.url)
    try:
        await post(collector, [f"a{n}" for n in range(300)])
        feed = reader.feed
        assert feed is not None
        feed.batch = 1  # one message an ask: after the first, 299 still to come
        asked = 0

        async def stalls_after_one() -> str:  # the console takes one and then stalls
            nonlocal asked
            asked += 1
            if asked == 1:
                return await original()
            await asyncio.Event().wait()
            return ""

        original = feed._fetch
        feed._fetch = stalls_after_one  # type: ignore[method-assign]
        await reader.start()
        await until(lambda: len(calls_of(reader)) == 1)
        assert feed.lag().pending == 299 and feed.lag().behind
        feed._fetch = original  # type: ignore[method-assign]
        left = await feed.jump_to_live()
        assert left == 299
        await post(collector, ["live"])
        await until(lambda: calls_of(reader)[-1:] == ["live"])
        assert calls_of(reader) == ["a0", "live"]
        assert feed.skipped == 299 and not feed.lag().behind
    finally:
        await reader.stop()


async def test_junk_on_the_stream_is_counted_and_skipped(
    nats_server: NatsServer, collector: Collector
) -> None:
    reader = console(nats_server.url)
    try:
        await post(collector, ["first"])
        client = await nats.connect(nats_server.url)
        js = client.jetstream()
        hostile = {"seq": 1, "time": "2026-12-01T10:00:00Z", "source": "wcs",
                   "call": "evil\x1b]52;c;aGk=\x07\u202e", "method": "X"}  # fmt: skip
        for payload in (b"not json", b"[1,2]", b'{"seq": "x"}', json.dumps(hostile).encode()):
            await js.publish("noc.wcs.x.y", payload)
        await client.close()
        await post(collector, ["last"])
        await reader.start()
        await until(lambda: len(calls_of(reader)) == 3)
        first, evil, last = calls_of(reader)
        assert (first, last) == ("first", "last")
        assert evil.isprintable() and "\x1b" not in evil and "\u202e" not in evil
        assert reader.feed is not None and reader.feed.bad == 3
    finally:
        await reader.stop()


async def test_two_collectors_and_three_consoles(nats_server: NatsServer, tmp_path: Path) -> None:
    """Each console sees every event of both collectors, each once, in the stream's order."""
    collectors = [Collector(collect_config(nats_server.url, tmp_path / f"c{n}")) for n in (1, 2)]
    for collector in collectors:
        assert await collector.start() == []
    readers = [console(nats_server.url, start=StartAt.live()) for _ in range(3)]
    for reader in readers:
        await reader.start()
        assert reader.feed_problem == ""
    try:
        await asyncio.gather(
            post(collectors[0], [f"one-{n}" for n in range(100)], node="wcs1.lan"),
            post(collectors[1], [f"two-{n}" for n in range(100)], node="wcs2.lan"),
        )
        everything = {f"one-{n}" for n in range(100)} | {f"two-{n}" for n in range(100)}
        for reader in readers:
            await until(lambda reader=reader: len(calls_of(reader)) >= 200)
        seen = [calls_of(reader) for reader in readers]
        for calls in seen:
            assert len(calls) == 200 and set(calls) == everything
            ones = [c for c in calls if c.startswith("one-")]
            assert ones == [f"one-{n}" for n in range(100)]  # each collector's own order
        assert seen[0] == seen[1] == seen[2]  # one stream, one order
    finally:
        for reader in readers:
            await reader.stop()
        for collector in collectors:
            await collector.stop()


async def test_a_console_logs_in_with_the_configured_secret_and_never_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "s3cret-for-the-test-only"
    server = server_for_test(tmp_path / "store", extra=("--user", "noc", "--pass", secret))
    monkeypatch.setenv("NOC_TEST_NATS_PASSWORD", secret)
    monkeypatch.setenv("NOC_TEST_WRONG", "not-the-password")
    logged_in = NatsConfig(urls=[server.url], user="noc", password_env="NOC_TEST_NATS_PASSWORD")
    wrong = NatsConfig(urls=[server.url], user="noc", password_env="NOC_TEST_WRONG")
    collector = Collector(
        collect_config(server.url, tmp_path).model_copy(update={"nats": logged_in})
    )
    reader = Services.for_feed(AppConfig(), SourceBoard(), logged_in, start=StartAt.first())
    refused = Services.for_feed(AppConfig(), SourceBoard(), wrong, start=StartAt.first())
    try:
        assert await collector.start() == []
        await post(collector, ["a"])
        await reader.start()
        await until(lambda: calls_of(reader) == ["a"])
        await refused.start()
        status = refused.board.get(FEED_SOURCE)
        assert status.state is LinkState.DOWN and "authoriz" in status.detail.lower()
        for shown in (status.detail, refused.feed_problem, reader.board.get(FEED_SOURCE).detail):
            assert secret not in shown and "not-the-password" not in shown
    finally:
        for services in (reader, refused):
            await services.stop()
        await collector.stop()
        server.stop()


async def test_a_console_started_before_the_stream_exists_waits_for_it(
    nats_server: NatsServer, tmp_path: Path
) -> None:
    reader = console(nats_server.url)
    try:
        await reader.start()
        assert "stream not found" in reader.feed_problem
        assert reader.board.get(FEED_SOURCE).state is LinkState.DOWN
        collector = Collector(collect_config(nats_server.url, tmp_path))  # makes the stream
        assert await collector.start() == []
        try:
            await post(collector, ["first"])
            await until(lambda: calls_of(reader) == ["first"])
            assert reader.board.get(FEED_SOURCE).state is LinkState.UP
        finally:
            await collector.stop()
    finally:
        await reader.stop()


async def test_a_busy_console_holds_little_and_misses_nothing(
    nats_server: NatsServer, collector: Collector
) -> None:
    """A console that takes its time asks for no more than a batch at once (the rest waits on
    the server, not in the console's memory) and still gets every event once, in order."""
    calls = [f"k{n}" for n in range(400)]
    await post(collector, calls)
    reader = console(nats_server.url)
    feed = reader.feed
    assert feed is not None
    feed.batch = 20
    original_fetch, original_take = feed._fetch, feed._take
    taken_per_ask: list[int] = []

    async def slow_ask() -> str:
        await asyncio.sleep(0.002)  # a busy console
        taken_per_ask.append(0)
        return await original_fetch()

    def counted(msg: Msg) -> bool:
        taken_per_ask[-1] += 1
        return original_take(msg)

    feed._fetch = slow_ask  # type: ignore[method-assign]
    feed._take = counted  # type: ignore[method-assign]
    try:
        await reader.start()
        await until(lambda: len(calls_of(reader)) >= 400, timeout=60)
        assert calls_of(reader) == calls
        assert max(taken_per_ask) == 20  # a batch at most, and batches while behind
    finally:
        await reader.stop()


async def test_a_failure_while_taking_does_not_stop_the_feed(
    nats_server: NatsServer, collector: Collector
) -> None:
    reader = console(nats_server.url)
    feed = reader.feed
    assert feed is not None
    original = feed._take
    failed: list[Msg] = []

    def fails_once(msg: Msg) -> bool:
        if not failed:
            failed.append(msg)
            raise RuntimeError("a bug in taking a message")
        return original(msg)

    feed._take = fails_once  # type: ignore[method-assign]
    try:
        await post(collector, ["a", "b"])
        await reader.start()
        await until(lambda: calls_of(reader) == ["a", "b"])  # read again, nothing lost
        assert feed.renewed >= 1
    finally:
        await reader.stop()


def test_a_message_nested_past_the_stack_is_not_an_event() -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        event_of_message(b"[" * 200_000 + b"]" * 200_000)
