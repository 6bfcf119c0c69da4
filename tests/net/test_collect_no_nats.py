"""A collector started while NATS is not there says so, answers hooks on the journal's word,
and publishes them once NATS comes (nats-py's connect, told to reconnect for ever, retried
inside itself without a word, so the operator never heard that NATS was away)."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from tests.nats_support import server_for_test
from tests.net.test_collect import collect_config, hook, stream_calls, until
from tui.cli.collect import Collector

pytestmark = pytest.mark.slow


async def test_a_collector_started_before_nats_says_so_and_publishes_later(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server = server_for_test(tmp_path / "store", start=False)  # not started yet
    collector = Collector(collect_config(server.url, tmp_path))
    caplog.set_level(logging.INFO, logger="tui.net.nats.publisher")
    try:
        assert await collector.start() == []
        await until(lambda: "unreachable" in caplog.text, timeout=10)
        assert f"127.0.0.1:{server.port}" in caplog.text
        async with httpx.AsyncClient(base_url=collector.hook_url or "") as client:
            for number in range(5):
                answer = await client.post("apps/EchoApp/CallStatusEvent", json=hook(number))
                assert answer.status_code == 200  # on the journal's word
        assert caplog.text.count("unreachable") == 1  # said once, not at every retry
        server.start()
        await until(lambda: collector.publisher is not None and collector.publisher.up, 30)
        await until(lambda: collector.publisher is not None and collector.publisher.backlog == 0)
        assert await stream_calls(server.url) == [f"k{n}" for n in range(5)]
    finally:
        await collector.stop()
        server.stop()
